"""`sitrep eval seed`: the seed article against its hand coding (../shared/gold/).

How an emitted event is matched to a gold event (the gold file's note: "accept" widens a field):

* **type**: ``event_type`` is the gold's (or one of its list), and ``sub_event_type`` one of its list.
* **date**: the event's interval ``event_date..date_end`` overlaps the gold window
  ``date_from..date_to`` (lying inside it is the common case of overlapping).
* **place**: the event's coordinates lie within ``km_tolerance`` km of the gold's.

An event that agrees on all three (those the gold gives) is *found*. Each required gold event
takes the matching event with the fewest wrong fields; an event serves one gold event only. The
other fields of a found event are then checked, where the gold gives them, and listed by key when
wrong: ``actor1``/``actor2`` (canonical name in the list; ``null`` in it accepts no actor),
``attribution`` (some source equal to, or containing, one of ``attribution_any``), ``factuality``,
``background``, ``fatalities`` (equal, null included), ``quantities`` (some quantity with a unit
in ``unit_any``, a low (or value) of at least ``low_at_least`` and the same ``approximate``),
``date_precision``, ``geo_precision`` and ``admin1`` (in ``admin1_any``).
Optional gold events match on whatever of type, date, place, factuality and background they give;
an emitted event matching no gold event, required or optional, is a false positive.

Facts come from ``sitrep.situation`` (``facts_from_reading`` or ``facts_from_events``); a control
fact is found when its place is within tolerance, its controller in the list and ``since`` in the
window; a force level when actor, country, value and ``as_of`` window agree. Date phrases are right
when a date mention overlapping the phrase has its value and precision; places when a place
mention with the gold's text has its country and lies within tolerance.
"""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path
from typing import Any

from ..records import Annotation, Article, Event, Fact
from .core import Figures, Progress, haversine_km, require, shared_root

__all__ = ["NAME", "DESCRIPTION", "run", "core_match", "wrong_fields", "score", "score_events", "score_reading"]

NAME = "seed"
DESCRIPTION = "the seed article against its hand coding: events, facts, dates, places"
SEED = Path("seeds/000_3960a0e75762fe68.txt")
GOLD = Path("gold/000_3960a0e75762fe68.gold.json")


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _day(value: str) -> date:
    return date.fromisoformat(value)


def _near(lat: float | None, lon: float | None, gold: dict[str, Any]) -> bool:
    if lat is None or lon is None or "lat" not in gold:
        return "lat" not in gold
    return haversine_km(lat, lon, gold["lat"], gold["lon"]) <= gold.get("km_tolerance", 25)


def core_match(event: Event, gold: dict[str, Any]) -> bool:
    """Type, date and place agree (each where the gold gives it)."""
    if "event_type" in gold and event.event_type not in _as_list(gold["event_type"]):
        return False
    if "sub_event_type" in gold and event.sub_event_type not in _as_list(gold["sub_event_type"]):
        return False
    if "date_from" in gold and (event.date_end < _day(gold["date_from"]) or event.event_date > _day(gold["date_to"])):
        return False
    if "location" in gold and not _near(event.location.lat, event.location.lon, gold["location"]):
        return False
    return True


def _optional_match(event: Event, gold: dict[str, Any]) -> bool:
    if not core_match(event, gold):
        return False
    if "factuality" in gold and event.factuality not in gold["factuality"]:
        return False
    return "background" not in gold or event.background == gold["background"]


def _actor_ok(actor: Any, accepted: list[Any]) -> bool:
    if actor is None:
        return None in accepted
    return any(a is not None and actor.name.lower() == a.lower() for a in accepted)


def _source_ok(event: Event, accepted: list[str]) -> bool:
    sources = [a.source.lower() for a in event.attribution]
    return any(s == g.lower() or g.lower() in s for s in sources for g in accepted)


def _quantity_ok(event: Event, want: dict[str, Any]) -> bool:
    for q in event.quantities:
        low = q.get("low") if q.get("low") is not None else q.get("value")
        if (q.get("unit") or "").lower() in want.get("unit_any", []) and low is not None \
                and low >= want.get("low_at_least", 0) and q.get("approximate") == want.get("approximate", q.get("approximate")):
            return True
    return False


def wrong_fields(event: Event, gold: dict[str, Any]) -> list[str]:
    """Keys of the fields a found event gets wrong."""
    checks = {
        "actor1": lambda: _actor_ok(event.actor1, gold["actor1"]),
        "actor2": lambda: _actor_ok(event.actor2, gold["actor2"]),
        "attribution_any": lambda: _source_ok(event, gold["attribution_any"]),
        "factuality": lambda: event.factuality in gold["factuality"],
        "background": lambda: event.background == gold["background"],
        "fatalities": lambda: event.fatalities == gold["fatalities"],
        "quantity": lambda: _quantity_ok(event, gold["quantity"]),
        "date_precision": lambda: event.date_precision in gold["date_precision"],
    }
    wrong = [key for key, check in checks.items() if key in gold and not check()]
    location = gold.get("location", {})
    if "geo_precision" in location and event.location.geo_precision not in location["geo_precision"]:
        wrong.append("geo_precision")
    if "admin1_any" in location and event.location.admin1 not in location["admin1_any"]:
        wrong.append("admin1")
    return wrong


def _assign(events: list[Event], golds: list[dict[str, Any]]) -> tuple[dict[str, Any], set[int]]:
    used: set[int] = set()
    results: dict[str, Any] = {}
    for gold in (g for g in golds if g.get("required")):
        options = [(len(wrong_fields(e, gold)), i) for i, e in enumerate(events) if i not in used and core_match(e, gold)]
        if not options:
            results[gold["key"]] = None
            continue
        _, best = min(options)
        used.add(best)
        results[gold["key"]] = wrong_fields(events[best], gold)
    for gold in (g for g in golds if not g.get("required")):
        used.update(i for i, e in enumerate(events) if i not in used and _optional_match(e, gold))
    return results, used


def score_events(events: list[Event], golds: list[dict[str, Any]]) -> Figures:
    results, used = _assign(events, golds)
    found = {k: v for k, v in results.items() if v is not None}
    return {
        "required": len(results),
        "required_found": len(found),
        "missed": sorted(k for k, v in results.items() if v is None),
        "wrong_fields": {k: v for k, v in found.items() if v},
        "found_all_fields_right": sum(1 for v in found.values() if not v),
        "false_positives": len(events) - len(used),
        "false_positive_events": [f"{e.event_type}/{e.sub_event_type} @ {e.location.name}: {e.evidence[0].sentence[:70]}"
                                  for i, e in enumerate(events) if i not in used],
    }


def _fact_ok(fact: Fact, gold: dict[str, Any]) -> bool:
    body = fact.body
    if fact.kind != gold["kind"]:
        return False
    if gold["kind"] == "control":
        place, controller, since = body.get("place") or {}, body.get("controller") or {}, body.get("since")
        return (_near(place.get("lat"), place.get("lon"), gold["place"]) and controller.get("name") in gold["controller"]
                and since is not None and gold["since_from"] <= str(since) <= gold["since_to"])
    actor, as_of = body.get("actor") or {}, body.get("as_of")
    return (actor.get("name") in gold["actor"] and body.get("country") == gold["country"]
            and body.get("value") == gold["value"] and as_of is not None
            and gold["as_of_from"] <= str(as_of) <= gold["as_of_to"])


def _facts(annotation: Annotation, events: list[Event]) -> list[Fact] | None:
    try:
        from .. import situation
    except ImportError:
        return None
    if hasattr(situation, "facts_from_reading"):
        return situation.facts_from_reading(annotation, events)
    if hasattr(situation, "facts_from_events"):
        return situation.facts_from_events(events)
    return None


def score_reading(annotation: Annotation, gold: dict[str, Any]) -> Figures:
    text = annotation.article.text
    dates_right = 0
    for want in gold["dates"]:
        at = text.lower().find(want["phrase"].lower())
        end = at + len(want["phrase"])
        dates_right += any(d.start < end and d.end > at and d.value == want["value"] and d.precision == want["precision"]
                           for d in annotation.dates) if at >= 0 else 0
    places_right = sum(any(p.text.lower() == want["mention"].lower() and p.country == want["country"]
                           and _near(p.lat, p.lon, want) for p in annotation.places) for want in gold["places"])
    return {"dates_right": dates_right, "dates": len(gold["dates"]), "places_right": places_right,
            "places": len(gold["places"])}


def _read_seed(path: Path) -> Article:
    try:
        from ..ingest import read_path
    except ImportError:
        return _parse_corpus_file(path)
    for item in read_path(path):
        if isinstance(item, Article):
            return item
    return _parse_corpus_file(path)


def _parse_corpus_file(path: Path) -> Article:
    """The corpus format: first line ``date YYYY-MM-DD <headline>``, then the text."""
    first, _, rest = path.read_text(encoding="utf-8").lstrip().partition("\n")
    _, day, headline = (first.split(maxsplit=2) + ["", ""])[:3]
    return Article(id=path.stem, text=rest.strip(), published=date.fromisoformat(day), title=headline)


def score(annotation: Annotation, events: list[Event], gold: dict[str, Any]) -> Figures:
    figures: Figures = {"events": score_events(events, gold["events"])}
    facts = _facts(annotation, events)
    if facts is None:
        figures["facts_found"] = None
    else:
        wanted = [g for g in gold["facts"] if g.get("required")]
        figures["facts_found"] = sum(any(_fact_ok(f, g) for f in facts) for g in wanted)
        figures["facts_required"] = len(wanted)
    figures.update(score_reading(annotation, gold))
    return figures


def run(data_dir: Path, *, limit: int | None = None, progress: Progress | None = None) -> Figures:
    from ..pipeline import extract
    from ..read import annotate

    root = shared_root(data_dir)
    gold = json.loads(require(root / GOLD).read_text(encoding="utf-8"))
    article = _read_seed(require(root / SEED))
    started = time.perf_counter()
    events = extract(article)
    annotation = annotate(article)  # again, for the reading figures and the facts
    figures = score(annotation, events, gold)
    figures["seconds_per_article"] = round(time.perf_counter() - started, 4)
    return figures
