"""Latency of the read API under concurrent clients, over synthetic events in SQLite and PostgreSQL.

    python benchmarks/api.py [--events 100000] [--clients 8] [--requests 400] [--workers 1]
                             [--backend sqlite|postgresql|both] [--pg postgresql://...]

Loads N synthetic events (invented places, dates, types and actors in the record contract) into
a new database, serves it with `sitrep serve` in a separate process, and has C client processes,
each on its own keep-alive connection, send requests back to back (the pool's start-up counts in
req/s, not in the latencies). Prints p50/p95/max latency and
requests/s for the default page (``/api/events``) and for a country + date + bbox page.

A measurement, not a test: run it on a quiet machine.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx
import sqlalchemy as sa

from sitrep.events.taxonomy import EVENT_TYPE_OF
from sitrep.records import Actor, Event, Evidence, Location
from sitrep.store import open_store
from sitrep.store.schema import events as events_table

PG_SERVER = "postgresql://postgres@127.0.0.1:5432/test"
# Invented spread: a centre per country and how far events scatter around it (degrees).
COUNTRIES = {
    "SY": (35.0, 38.5, 2.0), "UA": (48.5, 33.0, 4.0), "SD": (15.0, 30.0, 5.0),
    "CD": (-2.0, 25.0, 5.0), "YE": (15.5, 47.0, 2.5), "ML": (16.0, -2.0, 4.0),
    "MM": (20.0, 96.0, 4.0), "SO": (5.0, 46.0, 3.0), "NG": (9.5, 8.0, 4.0),
    "IQ": (33.0, 44.0, 2.5), "AF": (34.0, 66.0, 3.0), "ET": (9.0, 39.5, 4.0),
}
ADMIN1 = ["North", "South", "East", "West", "Central", "Coast", "Highlands", "Capital"]
ACTORS = [("Military Forces", "State forces"), ("Rebel Front", "Rebel group"),
          ("Local Militia", "Political militia"), ("Protesters", "Protesters"),
          ("Civilians", "Civilians"), ("Unidentified Armed Group", "Unidentified")]
START = date(2023, 1, 1)
DAYS = 3 * 365


def synthetic(n: int, seed: int = 7) -> Iterator[dict[str, Any]]:
    """``n`` event rows as the writer stores them (columns plus the JSON record)."""
    rng = random.Random(seed)
    subs = list(EVENT_TYPE_OF)
    codes = list(COUNTRIES)
    for i in range(n):
        code = rng.choice(codes)
        lat0, lon0, spread = COUNTRIES[code]
        day = START + timedelta(days=rng.randrange(DAYS))
        sub = rng.choice(subs)
        names = rng.sample(ACTORS, 2)
        actors = [Actor(f"{name} ({code})", name.lower(), None, kind)  # type: ignore[arg-type]
                  for name, kind in names]
        place = Location(f"Place {i % 5000}", None, round(lat0 + rng.uniform(-spread, spread), 4),
                         round(lon0 + rng.uniform(-spread, spread), 4), code,
                         f"{rng.choice(ADMIN1)} {code}", None,
                         rng.choice([1, 2, 3]))  # type: ignore[arg-type]
        sentence = f"{actors[0].name} and {actors[1].name} clashed near {place.name}."
        event = Event(id=f"bench{i:07d}", event_date=day, date_end=day, date_precision="day",
                      event_type=EVENT_TYPE_OF[sub], sub_event_type=sub, actor1=actors[0],
                      actor2=actors[1], location=place,
                      evidence=[Evidence(f"art{i // 4}", sentence, 0, len(sentence))],
                      article_ids=[f"art{i // 4}"], fatalities=rng.choice([None, 0, 1, 2, 5, 12]),
                      background=rng.random() < 0.1, confidence=round(rng.uniform(0.3, 0.95), 2))
        yield {"id": event.id, "event_date": day, "date_end": day, "event_type": event.event_type,
               "sub_event_type": sub, "actor1": actors[0].name, "actor2": actors[1].name,
               "country": code, "lat": place.lat, "lon": place.lon, "fatalities": event.fatalities,
               "confidence": event.confidence,
               "search_text": f"{place.name} {actors[0].name} {actors[1].name} {sentence}".lower(),
               "record": event.to_dict()}


def load(url: str, n: int) -> float:
    store = open_store(url)
    started = time.perf_counter()
    batch: list[dict[str, Any]] = []
    with store.engine.begin() as conn:
        for row in synthetic(n):
            batch.append(row)
            if len(batch) == 5000:
                conn.execute(events_table.insert(), batch)
                batch = []
        if batch:
            conn.execute(events_table.insert(), batch)
    if store.engine.dialect.name == "postgresql":
        with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("ANALYZE events"))
    else:
        with store.engine.begin() as conn:
            conn.execute(sa.text("ANALYZE"))
    store.close()
    return time.perf_counter() - started


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(url: str, workers: int) -> tuple[subprocess.Popen[bytes], str]:
    """`sitrep serve` in its own process, read-only."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "SITREP_API_TOKEN"}
    proc = subprocess.Popen([sys.executable, "-m", "sitrep.cli", "serve", "--db", url,
                             "--port", str(port), "--workers", str(workers)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/api/health", timeout=1).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not start")


def filtered_urls(count: int, seed: int = 11) -> list[str]:
    """Country + 90-day window + a 2-degree box inside that country's spread."""
    rng = random.Random(seed)
    urls = []
    for _ in range(count):
        code = rng.choice(list(COUNTRIES))
        lat0, lon0, spread = COUNTRIES[code]
        lat = lat0 + rng.uniform(-spread, spread) * 0.5
        lon = lon0 + rng.uniform(-spread, spread) * 0.5
        since = START + timedelta(days=rng.randrange(DAYS - 90))
        urls.append(f"/api/events?country={code}&since={since}&until={since + timedelta(days=90)}"
                    f"&bbox={lon - 1:.2f},{lat - 1:.2f},{lon + 1:.2f},{lat + 1:.2f}")
    return urls


def _client(base: str, urls: list[str]) -> tuple[list[float], list[int], int]:
    """One client on one keep-alive connection: latency (ms) and size of each answer.

    The standard library's client, not httpx: the clients share the server's cores here, and
    httpx spends about 1 ms of CPU per 70 KB answer against http.client's 0.3 ms, CPU that a
    real user's own machine would spend. Uncompressed: on one machine gzip costs both sides
    CPU and saves no network time."""
    latencies, sizes, errors = [], [], 0
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30)
    try:
        for url in urls:
            started = time.perf_counter()
            conn.request("GET", url, headers={"Accept-Encoding": "identity"})
            response = conn.getresponse()
            body = response.read()
            latencies.append((time.perf_counter() - started) * 1000)
            sizes.append(len(body))
            errors += response.status != 200
    finally:
        conn.close()
    return latencies, sizes, errors


def hammer(base: str, urls: list[str], clients: int) -> dict[str, float]:
    """``clients`` processes (no shared GIL) split ``urls`` and send them back to back."""
    shares = [urls[i::clients] for i in range(clients)]
    started = time.perf_counter()
    with ProcessPoolExecutor(clients) as pool:
        results = list(pool.map(_client, [base] * clients, shares))
    wall = time.perf_counter() - started
    latencies = sorted(x for r in results for x in r[0])
    sizes = [x for r in results for x in r[1]]
    return {"p50": statistics.median(latencies), "p95": latencies[int(0.95 * len(latencies)) - 1],
            "max": latencies[-1], "rps": len(latencies) / wall, "kb": statistics.mean(sizes) / 1024,
            "errors": sum(r[2] for r in results)}


def run(url: str, label: str, n: int, clients: int, requests: int, workers: int, *,
        loaded: bool = False) -> None:
    if not loaded:
        spent = load(url, n)
        print(f"{label}: loaded {n:,} events in {spent:.0f} s", flush=True)
    proc, base = serve(url, workers)
    try:
        hammer(base, ["/api/events"] * 40 + filtered_urls(40, seed=3), clients)  # warm caches
        for name, urls, users in (("default page", ["/api/events"] * requests, clients),
                                  ("country+date+bbox", filtered_urls(requests), clients),
                                  ("default page", ["/api/events"] * (requests // 4), 1)):
            r = hammer(base, urls, users)
            print(f"{label} {n:,} events, {workers} worker(s), {users} client(s), {name}: "
                  f"p50 {r['p50']:.1f} ms, "
                  f"p95 {r['p95']:.1f} ms, max {r['max']:.1f} ms, {r['rps']:.0f} req/s, "
                  f"{r['kb']:.0f} KB/response, {r['errors']} errors", flush=True)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def pg_database(server: str) -> tuple[str, sa.Engine, str]:
    admin = sa.create_engine(server.replace("postgresql://", "postgresql+psycopg://"),
                             isolation_level="AUTOCOMMIT")
    name = f"sitrep_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))  # a generated identifier, not input
    return server.rsplit("/", 1)[0] + f"/{name}", admin, name


def _holds(path: str, n: int) -> bool:
    """Whether a kept file holds the n events asked for (else it is loaded again)."""
    engine = sa.create_engine(f"sqlite:///{os.path.abspath(path)}")
    try:
        with engine.connect() as conn:
            found = conn.execute(sa.select(sa.func.count()).select_from(events_table)).scalar_one()
    except sa.exc.SQLAlchemyError:
        return False
    finally:
        engine.dispose()
    if found != n:
        os.remove(path)
        return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--workers", type=int, default=1, help="`sitrep serve --workers`")
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--pg", default=PG_SERVER,
                        help="a PostgreSQL server to create a scratch database on")
    parser.add_argument("--keep", metavar="FILE", help=(
        "SQLite only: load the events into FILE once and reuse it on later runs (a million "
        "events take minutes to load)"))
    args = parser.parse_args()
    if args.keep:
        reused = os.path.exists(args.keep)
        run(f"sqlite:///{os.path.abspath(args.keep)}", "SQLite", args.events, args.clients,
            args.requests, args.workers, loaded=reused and _holds(args.keep, args.events))
    elif args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as folder:
            run(f"sqlite:///{folder}/bench.db", "SQLite", args.events, args.clients, args.requests,
                args.workers)
    if args.backend in ("postgresql", "both") and not args.keep:
        url, admin, name = pg_database(args.pg)
        try:
            run(url, "PostgreSQL", args.events, args.clients, args.requests, args.workers)
        finally:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    main()
