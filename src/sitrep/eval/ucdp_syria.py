"""`sitrep eval ucdp-syria`: UCDP GED Syria 2016-2019 (../shared/eval/README.md).

Each row is one article: ``id`` = id, ``published`` = the first of ``source_date``, ``text`` = the
``source_headline`` values (split on ``;``) joined by newlines. The row's prediction is sitrep's
highest-confidence event of type Battles, Explosions/Remote violence or Violence against
civilians that is not background, planned, negated or hypothetical; none is a miss.

Figures: detection (rows with such an event); of rows with ``where_prec`` 1 or 2, location within
50 km of latitude/longitude (and the median km); of all rows, admin1 equal to ``adm_1`` (compared
without the word "governorate", case, spaces, hyphens and apostrophes, so "Deir ez-Zor" equals
"Deir ez Zor Governorate"; both empty counts as equal); of all rows, ``event_date`` within
[date_start, date_end]. Rows run in worker processes (``workers``) because there are thousands.

Beside admin1, ``admin1_ceiling``: what a reader would score choosing, for each distinct text, the
one governorate that most of the text's rows name among those it could read there (where the places
sitrep read lie, and every Syrian index entry named by capitalised words of the text). UCDP codes one
row per event, so a headline naming two governorates is two rows that no single reading gets both
of, and a headline naming no place gives nothing to choose.
"""

from __future__ import annotations

import csv
import os
import re
import time
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path
from collections.abc import Callable
from typing import Any

from ..ingest.text import decode_entities
from ..records import Article, Event, PlaceMention
from .core import Figures, Progress, capitalised_names, haversine_km, median, ratio, require, track

__all__ = ["NAME", "DESCRIPTION", "run", "read_rows", "article_of", "main_event", "score_row", "summarise",
           "same_admin1", "similar_admin1", "map_chunks", "heldout", "choices", "admin1_ceiling"]

NAME = "ucdp-syria"
DESCRIPTION = "UCDP GED Syria 2016-2019 headlines: detection, place, governorate, date"
FILE = Path("UCDP-GED-Syria/ucdp_ged191_syria.csv")
VIOLENT = {"Battles", "Explosions/Remote violence", "Violence against civilians"}
NOT_NEWS = {"planned", "negated", "hypothetical"}
_CHUNK = 64


def read_rows(data_dir: Path, *, limit: int | None = None) -> list[dict[str, str]]:
    with require(data_dir / FILE).open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if (r.get("source_headline") or "").strip()]
    return rows[:limit] if limit else rows


def article_of(row: dict[str, str]) -> Article:
    published = date.fromisoformat(row["source_date"].split(";")[0].strip()[:10])
    # character references ("&#8220;") are decoded first, as ingest does: their own ";" is not
    # the one that separates headlines
    headlines = decode_entities(row["source_headline"]).split(";")
    text = "\n".join(h.strip() for h in headlines if h.strip())
    return Article(id=row["id"], text=text, published=published)


def main_event(events: list[Event]) -> Event | None:
    news = [e for e in events if e.event_type in VIOLENT and e.acled_event and not e.background
            and e.factuality not in NOT_NEWS]
    return max(news, key=lambda e: e.confidence) if news else None


def _admin_key(name: str | None) -> str:
    name = re.sub(r"\bgovernorate\b", "", (name or "").lower())
    return re.sub(r"[\s'’`\-]+", "", name)


def same_admin1(predicted: str | None, gold: str) -> bool:
    return _admin_key(predicted) == _admin_key(gold)


def _skeleton(name: str | None) -> str:
    """Consonants only, without h, w, y and a leading article: "Hama" ~ "Hamah",
    "Dayr az Zawr" ~ "Deir ez Zor" (transliterations of one Arabic name)."""
    key = re.sub(r"^(al|ar|as|ad|an|at|el|ash)(?=[a-z]{3})", "", _admin_key(name))
    return re.sub(r"[aeiouhwy]", "", key)


def similar_admin1(predicted: str | None, gold: str) -> bool:
    return _skeleton(predicted) == _skeleton(gold)


def score_row(row: dict[str, str], event: Event | None) -> dict[str, Any]:
    precise = row["where_prec"].strip() in {"1", "1.0", "2", "2.0"}
    out: dict[str, Any] = {"detected": event is not None, "precise": precise,
                           "admin1": same_admin1(None, row["adm_1"]) if event is None else None}
    if event is None:
        return out
    loc = event.location
    if precise and loc.lat is not None and loc.lon is not None:
        out["km"] = haversine_km(loc.lat, loc.lon, float(row["latitude"]), float(row["longitude"]))
    start, end = date.fromisoformat(row["date_start"][:10]), date.fromisoformat(row["date_end"][:10])
    out["admin1"] = same_admin1(loc.admin1, row["adm_1"])
    out["admin1_translit"] = similar_admin1(loc.admin1, row["adm_1"])
    out["date"] = start <= event.event_date <= end
    return out


def summarise(outcomes: list[dict[str, Any]]) -> Figures:
    n = len(outcomes)
    precise = [o for o in outcomes if o["precise"]]
    kms = [o["km"] for o in precise if "km" in o]
    return {
        "rows": n,
        "detection": ratio(sum(o["detected"] for o in outcomes), n),
        "precise_rows": len(precise),
        "location_within_50km": ratio(sum(k <= 50 for k in kms), len(precise)),
        "median_km": median(kms),
        "admin1_equal": ratio(sum(bool(o["admin1"]) for o in outcomes), n),
        "admin1_ceiling": admin1_ceiling(outcomes),
        # the same, blind to transliteration (not the README's figure; shown beside it)
        "admin1_equal_any_transliteration": ratio(
            sum(bool(o["admin1"] or o.get("admin1_translit")) for o in outcomes), n),
        "date_within": ratio(sum(bool(o.get("date")) for o in outcomes), n),
    }


def choices(row: dict[str, str], text: str, places: list[PlaceMention]) -> dict[str, Any]:
    """What the admin-1 ceiling needs of a row: its text, its governorate, and the governorates
    it could be read to name."""
    from .. import geo

    named = {c.admin1 for name in capitalised_names(text) for c in geo.lookup(name, country="SY")}
    areas = {_admin_key(a) for a in named | {p.admin1 for p in places} if a}
    return {"text": text, "gold_area": _admin_key(row["adm_1"]), "areas": sorted(areas)}


def admin1_ceiling(outcomes: list[dict[str, Any]]) -> float | None:
    by_text: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for o in outcomes:
        if "areas" in o:
            by_text[o["text"]].append(o)
    if not by_text:
        return None
    best = 0
    for rows in by_text.values():
        named = Counter(o["gold_area"] for o in rows)
        best += max((named[a] for a in rows[0]["areas"]), default=0)
    return ratio(best, len(outcomes))


def heldout(row: dict[str, str]) -> bool:
    """Whether none of the row's headlines trained the event classifier (it learned from 70% of
    UCDP headlines, split by "id:headline number")."""
    from ..events.classify import is_heldout

    parts = row["source_headline"].split(";")  # numbered as training numbers them, empty ones too
    return all(is_heldout(NAME, f"{row['id']}:{n}") for n in range(len(parts)))


def _score_chunk(rows: list[dict[str, str]]) -> list[dict[str, Any]]:
    from ..pipeline import read_article

    outcomes = []
    for row in rows:
        article = article_of(row)
        reading = read_article(article)
        outcome = score_row(row, main_event(reading.events))
        outcome.update(choices(row, article.text, reading.annotation.places))
        outcomes.append(outcome)
    return outcomes


def map_chunks(score: Callable[[list[Any]], list[Any]], rows: list[Any], *, workers: int | None,
               progress: Progress | None, label: str) -> list[Any]:
    """``score`` over chunks of ``rows`` in worker processes; results in row order."""
    chunks = [rows[i: i + _CHUNK] for i in range(0, len(rows), _CHUNK)]
    workers = workers or min(4, os.cpu_count() or 1)
    outcomes: list[Any] = []
    if workers > 1 and len(chunks) > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for part in track(pool.map(score, chunks), progress, total=len(chunks), label=label):
                outcomes.extend(part)
    else:
        for chunk in track(chunks, progress, total=len(chunks), label=label):
            outcomes.extend(score(chunk))
    return outcomes


def run(data_dir: Path, *, limit: int | None = None, progress: Progress | None = None,
        workers: int | None = None) -> Figures:
    rows = read_rows(data_dir, limit=limit)
    workers = workers or min(4, os.cpu_count() or 1)
    started = time.perf_counter()
    outcomes = map_chunks(_score_chunk, rows, workers=workers, progress=progress, label=NAME)
    seconds = time.perf_counter() - started
    figures = summarise(outcomes)
    flags = [heldout(row) for row in rows]
    if any(flags):
        figures["heldout"] = summarise([o for o, f in zip(outcomes, flags) if f])
    figures["workers"] = workers
    figures["seconds_per_article"] = round(seconds / max(1, len(rows)), 4)
    return figures
