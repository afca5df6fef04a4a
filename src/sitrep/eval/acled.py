"""`sitrep eval acled`: ACLED notes, Africa 2016 (../shared/eval/README.md).

Each row is one article: ``id`` = EVENT_ID_CNTY, ``published`` = EVENT_DATE (dd/mm/yyyy),
``text`` = NOTES. The prediction for a row is sitrep's highest-confidence ACLED event (an
event only PLOVER codes, ``acled_event`` false, is none) that is not background, planned,
negated or hypothetical; none is a miss. ACLED's 2016 types are mapped to
today's taxonomy as the README's table says (``ALLOWED``).

Figures (every rate over all rows, a miss counting as wrong; ``*_of_detected`` over rows with a
prediction): detection, event-type accuracy, location within 25 km of LATITUDE/LONGITUDE and the
median error in km, the location's country equal to COUNTRY (shown beside them), event date equal to EVENT_DATE, fatalities equal to FATALITIES (ACLED writes
0 where the text gives no deaths, so sitrep's null counts as 0), actor1 and actor2 found among
the predicted actors (either order, case-insensitive). ``heldout`` repeats the figures on the rows
the event classifier never trained on (``sitrep.events.classify.is_heldout``), the honest ones.

Beside location within 25 km, ``location_within_25km_ceiling``: the rows whose point some index entry
lies within 25 km of, under any capitalised words of the notes, a place sitrep read there, or the
name ACLED gives the place: a bound on what any reading of the notes could reach over the offline
index. The other rows' villages are not in it, or the notes name nothing near them.
"""

from __future__ import annotations

import csv
import functools
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from ..records import Article, Event, PlaceMention
from .core import Figures, Progress, capitalised_names, haversine_km, indexed_near, median, ratio, require

__all__ = ["NAME", "DESCRIPTION", "run", "read_rows", "article_of", "main_event", "type_right", "score_row",
           "summarise", "reachable", "ALLOWED"]

NAME = "acled"
DESCRIPTION = "ACLED notes (Africa, Jan-May 2016): detection, type, place, date, fatalities, actors"
FILE = Path("ACLED-Africa-2016-JanMay/ACLED-All-Africa-File_20160101-to-20160528.csv")
NOT_NEWS = {"planned", "negated", "hypothetical"}
RADIUS_KM = 25.0

# 2016 EVENT_TYPE -> (event_type, sub_event_type or None for any)
ALLOWED: dict[str, tuple[tuple[str, str | None], ...]] = {
    "Battle-No change of territory": (("Battles", "Armed clash"),),
    "Battle-Government regains territory": (("Battles", "Government regains territory"),),
    "Battle-Non-state actor overtakes territory": (("Battles", "Non-state actor overtakes territory"),),
    "Remote violence": (("Explosions/Remote violence", None),),
    "Violence against civilians": (("Violence against civilians", None),),
    "Riots/Protests": (("Protests", None), ("Riots", None)),
    "Strategic development": (("Strategic developments", None),),
    "Non-violent transfer of territory": (("Strategic developments", "Non-violent transfer of territory"),),
    "Headquarters or base established": (("Strategic developments", "Headquarters or base established"),),
}


def read_rows(data_dir: Path, *, limit: int | None = None) -> list[dict[str, str]]:
    with require(data_dir / FILE).open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if (r.get("NOTES") or "").strip()]
    return rows[:limit] if limit else rows


def article_of(row: dict[str, str]) -> Article:
    published = datetime.strptime(row["EVENT_DATE"], "%d/%m/%Y").date()
    return Article(id=row["EVENT_ID_CNTY"], text=row["NOTES"].strip(), published=published)


def main_event(events: list[Event]) -> Event | None:
    news = [e for e in events if e.acled_event and not e.background and e.factuality not in NOT_NEWS]
    return max(news, key=lambda e: e.confidence) if news else None


def type_right(event: Event, event_type_2016: str) -> bool:
    allowed = ALLOWED.get(event_type_2016.strip(), ())
    return any(event.event_type == t and (s is None or event.sub_event_type == s) for t, s in allowed)


def _same_name(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and a.strip().lower() == b.strip().lower()  # type: ignore[union-attr]


def score_row(row: dict[str, str], event: Event | None) -> dict[str, Any]:
    """One row's outcome: which figures it counts towards."""
    out: dict[str, Any] = {"detected": event is not None, "has_actor2": bool(row["ACTOR2"].strip())}
    if event is None:
        return out
    loc = event.location
    if loc.lat is not None and loc.lon is not None and row["LATITUDE"] and row["LONGITUDE"]:
        out["km"] = haversine_km(loc.lat, loc.lon, float(row["LATITUDE"]), float(row["LONGITUDE"]))
    gold_date = datetime.strptime(row["EVENT_DATE"], "%d/%m/%Y").date()
    names = [a.name for a in (event.actor1, event.actor2) if a is not None]
    out.update(
        country=bool(loc.country) and loc.country == _iso2(row.get("COUNTRY", "")),
        type=type_right(event, row["EVENT_TYPE"]),
        date=event.event_date == gold_date,
        fatalities=(event.fatalities or 0) == int(row["FATALITIES"] or 0),
        actor1=any(_same_name(n, row["ACTOR1"]) for n in names),
        actor2=any(_same_name(n, row["ACTOR2"]) for n in names),
    )
    return out


def reachable(row: dict[str, str], places: list[PlaceMention], outcome: dict[str, Any]) -> bool:
    """Whether some reading of the places named could have been within 25 km (see the module)."""
    if outcome.get("km", RADIUS_KM + 1) <= RADIUS_KM:
        return True
    if not row["LATITUDE"] or not row["LONGITUDE"]:
        return False
    names = {row["LOCATION"]} | capitalised_names(row["NOTES"]) | {p.text for p in places}
    return indexed_near(names, float(row["LATITUDE"]), float(row["LONGITUDE"]), RADIUS_KM)


def _iso2(country: str) -> str | None:
    """ISO alpha-2 of a country as ACLED names it ("Democratic Republic of Congo")."""
    return _iso2_by_name().get(country)


@functools.cache
def _iso2_by_name() -> dict[str, str]:
    from ..actors import load_lexicon

    return {c["name"]: str(c["iso2"]) for c in load_lexicon().countries.values() if c.get("iso2")}


def summarise(outcomes: list[dict[str, Any]]) -> Figures:
    n = len(outcomes)
    hit = [o for o in outcomes if o["detected"]]
    kms = [o["km"] for o in hit if "km" in o]
    with_a2 = [o for o in outcomes if o["has_actor2"]]
    placed = [o for o in outcomes if "reachable" in o]  # rows scored with their places read

    def rate(key: str, rows: list[dict[str, Any]]) -> float | None:
        return ratio(sum(bool(o.get(key)) for o in rows), len(rows))

    return {
        "rows": n,
        "detection": ratio(len(hit), n),
        "type_accuracy": rate("type", outcomes),
        "type_accuracy_of_detected": rate("type", hit),
        "location_within_25km": ratio(sum(k <= RADIUS_KM for k in kms), n),
        "location_within_25km_of_detected": ratio(sum(k <= RADIUS_KM for k in kms), len(hit)),
        "location_within_25km_ceiling": rate("reachable", placed) if placed else None,
        "median_km": median(kms),
        # not a README figure: the event placed in ACLED's COUNTRY (at any precision)
        "country_match": rate("country", outcomes),
        "date_exact": rate("date", outcomes),
        "fatalities_exact": rate("fatalities", outcomes),
        "actor1_match": rate("actor1", outcomes),
        "actor2_match": rate("actor2", with_a2),
    }


def _heldout_flags(rows: list[dict[str, str]]) -> list[bool] | None:
    try:
        from ..events.classify import is_heldout
    except ImportError:
        return None
    return [is_heldout(NAME, r["EVENT_ID_CNTY"]) for r in rows]


def _score_chunk(rows: list[dict[str, str]]) -> list[dict[str, Any]]:
    from ..pipeline import read_article

    outcomes = []
    for row in rows:
        reading = read_article(article_of(row))
        outcome = score_row(row, main_event(reading.events))
        outcome["reachable"] = reachable(row, reading.annotation.places, outcome)
        outcomes.append(outcome)
    return outcomes


def run(data_dir: Path, *, limit: int | None = None, progress: Progress | None = None,
        workers: int | None = None) -> Figures:
    """Rows run in worker processes (``workers``, default up to 4), each through ``extract``."""
    from .ucdp_syria import map_chunks

    rows = read_rows(data_dir, limit=limit)
    started = time.perf_counter()
    outcomes = map_chunks(_score_chunk, rows, workers=workers, progress=progress, label=NAME)
    seconds = time.perf_counter() - started
    figures = summarise(outcomes)
    flags = _heldout_flags(rows)
    if flags is not None:
        figures["heldout"] = summarise([o for o, f in zip(outcomes, flags) if f])
    figures["by_type"] = _by_type(rows, outcomes)
    figures["seconds_per_article"] = round(seconds / max(1, len(rows)), 4)
    return figures


def _by_type(rows: list[dict[str, str]], outcomes: list[dict[str, Any]]) -> dict[str, Any]:
    """Type accuracy per 2016 type, to show where the weak spots are."""
    table: dict[str, list[dict[str, Any]]] = {}
    for row, outcome in zip(rows, outcomes):
        table.setdefault(row["EVENT_TYPE"], []).append(outcome)
    return {k: {"rows": len(v), "type_accuracy": ratio(sum(bool(o.get("type")) for o in v), len(v))}
            for k, v in sorted(table.items())}
