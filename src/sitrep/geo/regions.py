"""Regions: "northeast Syria", "southern Lebanon", "the Syrian-Iraqi-Jordanian border".

A direction moves the country's centre halfway to the edge of its town box (the 5th-95th
percentile box of its towns, from build.py); a shared border sits between the countries'
centres. Nothing here is typed in per region.
"""

from __future__ import annotations

from spacy.tokens import Doc

from ..records import PlaceMention
from .index import Candidate
from .recognise import Toponym

__all__ = ["region_mention", "shifted"]


def shifted(c: Candidate, direction: tuple[int, int]) -> tuple[float, float]:
    if c.box is None:
        return c.lat, c.lon
    s, w, n, e = c.box
    dy, dx = direction
    return c.lat + dy * (n - s) / 4, c.lon + dx * (e - w) / 4


def _span(doc: Doc, t: Toponym) -> tuple[int, int, str]:
    start = t.start - 1 if t.direction and t.start > 0 and t.source != "region" else t.start
    span = doc[start:t.end]
    return span.start_char, span.end_char, span.text


def region_mention(doc: Doc, t: Toponym, candidates: list[Candidate]) -> PlaceMention | None:
    countries = [c for c in candidates if c.feature in {"country", "region"}]
    if not countries:
        return None
    start, end, text = _span(doc, t)
    if t.direction:
        lat, lon = shifted(countries[0], t.direction)
        name = text
    else:
        lat = sum(c.lat for c in countries) / len(countries)
        lon = sum(c.lon for c in countries) / len(countries)
        name = "–".join(c.name for c in countries) + " border"
    return PlaceMention(text=text, start=start, end=end, name=name, geonameid=None,
                        lat=round(lat, 5), lon=round(lon, 5),
                        country=countries[0].country if len(countries) == 1 else None,
                        admin1=None, admin2=None, feature="region", score=0.7)
