"""What the place resolver's model sees: named features of one reading of one toponym.

A toponym's readings compete with one another and with "no place here" (the toponym is not a
place the index knows: "White House", the "Air" of "Bagram Air Base"). Each reading is described
by ``CANDIDATE_FEATURES`` (the kind of place, how big, how its name matched the text, and how it
sits with the article's other places); "no place" by ``NULL_FEATURES`` (how the toponym was found
and what stands around it). ``sitrep.geo.model`` scores both with weights fitted by
``scripts/train_place_resolver.py``; nothing here is a hand-set weight.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

from ..geometry import haversine_km
from .index import Candidate
from .names import normalise, spelling

if TYPE_CHECKING:
    from .resolve import Resolver

__all__ = ["CANDIDATE_FEATURES", "NULL_FEATURES", "candidate_features", "null_features",
           "SITE_POPULATION", "listed", "inside", "fragment", "unsupported_alias", "unsupported_sound"]

SITE_POPULATION = 10_000  # UCDP sites have no population; they were named because they mattered
# curated seas and world regions have none either: in news they are as prominent as a big city
REGION_POPULATION = 1_000_000
METROPOLIS = 1_000_000
NEAR_KM = 50.0  # the scale of "near another place the article names"
VARIANT_RATIO = 0.75  # letters shared, in order, by two transliterations of one name
CITY_REACH_KM = 30.0  # how far from a city's point a place said to be in it may lie
BORDER_DEGREES = 1.0  # how far past its country's town box a place is still next door
KINDS = ("country", "region", "admin1", "admin2", "city", "site", "other")
# words that turn the name before them into a building's or an institution's ("White House",
# "Bagram Air Base", "Kabul Airport"): the toponym is then part of another thing's name
FACILITY_WORDS = frozenset({"house", "air", "base", "airbase", "airport", "port", "palace", "hall",
                            "street", "road", "square", "university", "hospital", "bridge", "dam",
                            "tower", "hotel", "stadium", "mosque", "church", "prison", "camp"})

CANDIDATE_FEATURES: tuple[str, ...] = (
    "log_population", *(f"kind_{k}" for k in KINDS), "capital", "metropolis", "main_name",
    "listed_site", "hint_same_kind", "hint_admin_kind", "spelled_as_written", "country_share",
    "located_share", "admin_support", "admin_support_main", "named_admin1", "inside_container",
    "hint_country", "near_other_place", "country_named_in_sentence", "alternate_name_abroad",
    "foreign_to_article", "foreign_village", "fragment_alternate", "fragment_foreign",
    "label_loc_town", "country_unnamed", "folded_abroad", "alternate_of_named_thing",
    "part_of_entity_town", "alternate_log_population", "area_log_population", "short_form",
    "facility_named_town", "loc_region", "population_unknown", "variant_spelling",
)
NULL_FEATURES: tuple[str, ...] = (
    "bias", "found_by_gazetteer", "label_gpe", "label_loc", "label_fac", "label_name",
    "place_cue", "kind_hint", "fragment", "facility_word_after", "sentence_start", "all_caps",
    "few_readings", "no_main_reading", "tagged_elsewhere",
    "tagged_as_name", "part_of_entity", "facility_word_in_name",
)
NAME_LABELS = frozenset({"PERSON", "ORG", "NORP", "WORK_OF_ART", "EVENT", "PRODUCT", "LAW"})


def listed(c: Candidate) -> bool:
    """A place from sitrep's own conflict-site list (UCDP GED): no GeoNames id, no population."""
    return c.geonameid is None and not c.population and c.feature in {"site", "city", "other"}


def inside(place: Candidate, area: Candidate) -> bool:
    """Whether ``place`` lies in ``area`` (a country, an admin area, or near a city's point)."""
    if place.id == area.id or place.country != area.country:
        return False
    if area.feature == "country":
        return True
    if area.feature == "admin1":
        return place.admin1 == area.name
    if area.feature == "city":  # "Bole in Addis Ababa": a quarter of the city, or a suburb
        return haversine_km(place.lat, place.lon, area.lat, area.lon) <= CITY_REACH_KM
    return area.feature == "admin2" and place.admin2 == area.name


def _near_box(c: Candidate, box: tuple[float, float, float, float] | None) -> bool:
    if box is None:
        return False
    s, w, n, e = box
    pad = BORDER_DEGREES
    return s - pad <= c.lat <= n + pad and w - pad <= c.lon <= e + pad


def _population(c: Candidate) -> int:
    if c.feature == "region" and not c.population:
        return REGION_POPULATION
    return SITE_POPULATION if c.feature == "site" or listed(c) else c.population


def _nearest_other_km(r: Resolver, i: int, c: Candidate) -> float | None:
    """Distance from ``c`` to the nearest best reading of another toponym (towns and sites)."""
    key = r.toponyms[i].key
    # the rounds' best readings change little: each distance is worked out once per article
    memo, here = r.distance_memo, (c.lat, c.lon)
    found = []
    for other, lat, lon in r.located_points():
        if other != key:
            km = memo.get((here, lat, lon))
            if km is None:
                km = memo[(here, lat, lon)] = haversine_km(c.lat, c.lon, lat, lon)
            found.append(km)
    return min(found) if found else None


def fragment(r: Resolver, i: int) -> bool:
    """Whether the toponym is only part of a longer run of capitalised words ("Ras" of "Ras Isa",
    "Bagram" of "Bagram Air Base"): the whole is a name the index lacks."""
    t, doc = r.toponyms[i], r.doc
    before = t.start > 0 and doc[t.start - 1].text[:1].isupper() and doc[t.start - 1].is_alpha \
        and not doc[t.start].is_sent_start
    after = t.end < len(doc) and doc[t.end].text[:1].isupper() and doc[t.end].is_alpha
    return bool(before or after)


def short_form(key: str, c: Candidate) -> bool:
    """Whether a name (its key) is words of the place's own name: "New York" of New York City."""
    # the own name less a trailing word: "New York" of "New York City" (not "La" of "La Paz")
    own = normalise(c.name)
    return len(key) >= 4 and own.startswith(key + " ") and " " not in own[len(key) + 1:]


def unsupported_alias(r: Resolver, i: int, c: Candidate) -> bool:
    """A reading reached only through another name of a place (not its own, nor a short form of
    it) that is the own name of a place in another country, while nothing else in the article
    (no place, no people, no hint) points to the reading's country, for a name the tagger called
    an organisation's or a building's: "the White House" (ORG) is not Casablanca, whose Arabic name means white
    house. Such a reading is never chosen: the text does not name it."""
    t = r.toponyms[i]
    # a name the tagger took for an organisation's or a building's ("Palmyra" alone is a place,
    # and so is one the small model calls a person, as it does many Arabic names)
    if r.doc[t.start].ent_type_ not in {"ORG", "FAC"}:
        return False
    if c.main or listed(c) or short_form(t.key, c) or t.label == "GPE" \
            or c.feature in {"country", "region"} or c.country == r.hint_country:
        return False
    if not any(o.main and o.country != c.country for o in r.candidates[i]):
        return False
    return not any(b is not None and b.country == c.country
                   for j, b in enumerate(r.best) if j != i and r.toponyms[j].key != t.key)


def unsupported_sound(r: Resolver, i: int, c: Candidate) -> bool:
    """A reading of a name found only by its sound (``Toponym.sounded``: "Tarhouna" read as
    Tarhuna) in a country nothing else in the article points to (no other place, no hint): a
    looser spelling matches namesakes on every continent ("Rashad" is not Rastatt), and only the
    article's own countries make one likely. Such a reading is never chosen."""
    t = r.toponyms[i]
    if not t.sounded:
        return False
    if c.country is None:  # a sea or a world region: no country of the article's to match
        return True
    if c.country == r.hint_country:
        return False
    return not any(b is not None and b.country == c.country
                   for j, b in enumerate(r.best) if j != i and r.toponyms[j].key != t.key)


def variant_spelling(key: str, c: Candidate) -> bool:
    """Whether a name is another transliteration of the place's own ("Jarablus" for Jarabulus):
    most of their letters in the same order."""
    return _similar(key, c.name)


@functools.lru_cache(maxsize=100_000)
def _similar(key: str, name: str) -> bool:
    own = normalise(name)
    return bool(key) and bool(own) and SequenceMatcher(None, key, own).ratio() >= VARIANT_RATIO


def tagged_as_name(r: Resolver, i: int) -> bool:
    """Whether the tagger calls the toponym's first word part of a person's or an organisation's
    name ("the White House" as ORG)."""
    return r.doc[r.toponyms[i].start].ent_type_ in NAME_LABELS


def part_of_entity(r: Resolver, i: int) -> bool:
    """Whether the toponym is a strict part of one entity the tagger found ("Isa" of the LOC
    "Ras Isa"; "California" of "University of California")."""
    t, doc = r.toponyms[i], r.doc
    first, last = doc[t.start], doc[t.end - 1]
    if not first.ent_type_ or first.ent_type_ != last.ent_type_:
        return False
    ent = next((e for e in r.ents if e.start <= t.start < e.end), None)
    if ent is None:
        return False
    start = ent.start + (doc[ent.start].lower_ == "the")
    return t.start > start or t.end < ent.end


def _facility_name(r: Resolver, i: int) -> bool:
    t, doc = r.toponyms[i], r.doc
    return t.end - t.start > 1 and doc[t.end - 1].lower_ in FACILITY_WORDS


def _facility_after(r: Resolver, i: int) -> bool:
    t, doc = r.toponyms[i], r.doc
    return t.end < len(doc) and doc[t.end].lower_ in FACILITY_WORDS and doc[t.end].text[:1].isupper()


def candidate_features(r: Resolver, i: int, c: Candidate) -> list[float]:
    """The values of ``CANDIDATE_FEATURES`` for reading ``c`` of toponym ``i``."""
    t, ctx, own = r.toponyms[i], r.context, r.best[i]
    fixed = _fixed_features(r, i, c)
    mine = 2.0 if own is not None and own.feature in {"country", "admin1"} else 1.0
    same = own is not None and own.country == c.country
    others = ctx.total - (mine if own is not None else 0.0)
    share = (ctx.countries[c.country] - (mine if same else 0)) / others if others > 0 else 0.0
    located = ctx.located[c.country] - (mine if same and t.source != "demonym" else 0)
    located_total = sum(v for v in ctx.located.values()) - (mine if own is not None else 0.0)
    located_share = located / located_total if located_total > 0 else 0.0
    near = _nearest_other_km(r, i, c)
    home = r.home_box(i)
    # abroad: not in the country most of the article's places lie in, nor just over its border
    foreign = home is not None and c.country != home[0] and c.feature not in {"country", "region"} \
        and not _near_box(c, home[1])
    # another place's other name, in a country nothing else in the article lies in
    alt_abroad = fixed.other_name and share <= 0 and c.country != r.hint_country
    unnamed = others > 0 and share <= 0 and c.feature not in {"country", "region"}
    return [
        *fixed.head,
        share,
        located_share,
        fixed.support,
        fixed.support_main,
        float(fixed.area_level and c.feature != "admin1" and (c.country, c.admin1) in ctx.named),
        *fixed.middle,
        0.0 if near is None else 1.0 / (1.0 + near / NEAR_KM),
        float(c.country in r.sentence_countries(i)),
        float(alt_abroad),
        float(foreign),
        float(foreign and fixed.small),
        fixed.fragment_alternate,
        float(fixed.fragment and (foreign or share <= 0)),
        fixed.label_loc_town,
        float(unnamed),
        float(not fixed.exact and (foreign or unnamed)),
        *fixed.tail,
    ]


@dataclass(frozen=True, slots=True)
class _Fixed:
    """What ``candidate_features`` reads of a reading that the rounds' context does not change
    (the same values, computed once per reading and article)."""

    head: tuple[float, ...]
    support: float
    support_main: float
    area_level: bool
    middle: tuple[float, ...]
    exact: bool
    other_name: bool
    small: bool
    fragment: bool
    fragment_alternate: float
    label_loc_town: float
    tail: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class _ToponymFacts:
    """What the features read of a toponym and its words alone (not of any reading)."""

    text: str
    exact: frozenset[int] | None
    fragment: bool
    tagged_as_name: bool
    part_of_entity: bool
    facility_name: bool
    facility_after: bool


def toponym_facts(r: Resolver, i: int) -> _ToponymFacts:
    """Toponym ``i``'s own facts, worked out once per resolver."""
    memo = r.toponym_memo
    found = memo.get(i)
    if found is None:
        t = r.toponyms[i]
        text = t.span(r.doc).text
        found = memo[i] = _ToponymFacts(
            text=text, exact=r.gaz.spelled(t.key, spelling(text)) if t.key else None,
            fragment=fragment(r, i), tagged_as_name=tagged_as_name(r, i),
            part_of_entity=part_of_entity(r, i), facility_name=_facility_name(r, i),
            facility_after=_facility_after(r, i))
    return found


def _fixed_features(r: Resolver, i: int, c: Candidate) -> _Fixed:
    memo = r.reading_memo
    key = (i, c)
    found = memo.get(key)
    if found is None:
        found = memo[key] = _work_out_fixed(r, i, c)
    return found


def _work_out_fixed(r: Resolver, i: int, c: Candidate) -> _Fixed:
    t = r.toponyms[i]
    facts = toponym_facts(r, i)
    text = facts.text
    exact = c.id in facts.exact if facts.exact is not None else c.main
    area_level = c.feature not in {"country", "region"}
    support = min(r._support(t.key, (c.country, c.admin1)), 2.0) / 2 if area_level else 0.0
    # the name is the place's own, a short form of it ("New York" for New York City), or
    # another name entirely ("White House" for Casablanca)
    # (every spelling UCDP lists for a site is one conflict reporting used for it: its own)
    variant = not c.main and variant_spelling(t.key, c)
    # an abbreviation ("La.", "Calif.") is a deliberate short name, not another place's name
    abbreviation = text.endswith(".") and len(text) <= 6
    other_name = not c.main and not listed(c) and not short_form(t.key, c) and not variant \
        and not abbreviation
    frag = facts.fragment
    small = _population(c) < 5_000
    return _Fixed(
        head=(
            math.log10(_population(c) + 100),
            *(float(c.feature == k) for k in KINDS),
            c.prominence,
            float(c.feature == "city" and c.population >= METROPOLIS),
            float(c.main),
            float(listed(c)),
            float(bool(t.hint) and c.feature == t.hint),
            float(bool(t.hint) and c.feature != t.hint and {c.feature, t.hint} <= {"admin1", "admin2"}),
            float(exact),
        ),
        support=support,
        support_main=support * c.main,
        area_level=area_level,
        middle=(
            float(any(inside(c, area) for area in r.outer[i])),
            float(r.hint_country is not None and c.country == r.hint_country),
        ),
        exact=exact,
        other_name=other_name,
        small=small,
        fragment=frag,
        fragment_alternate=float(frag and not c.main),
        label_loc_town=float(t.label == "LOC" and c.feature == "city"),
        tail=(
            float(not c.main and facts.tagged_as_name),
            float(facts.part_of_entity and c.feature not in {"country", "admin1", "region"}),
            # a big place's other names are many ("White House" for Casablanca): size vouches less
            math.log10(_population(c) + 100) if other_name else 0.0,
            # an admin area's population is the sum of its towns': not on a town's scale
            math.log10(_population(c) + 100) if c.feature in {"admin1", "admin2"} else 0.0,
            float(not c.main and short_form(t.key, c)),
            # "White House", "Kabul Airport": a building's name; a town or area under it is a
            # stretch
            float(facts.facility_name and c.feature in {"city", "admin1", "admin2"}),
            float(t.label == "LOC" and c.feature == "region"),
            # GeoNames gives many towns no population: unknown, not empty
            float(c.population == 0 and _population(c) == 0),
            float(variant),
        ),
    )


def null_features(r: Resolver, i: int) -> list[float]:
    """The values of ``NULL_FEATURES`` for "toponym ``i`` names no indexed place"."""
    t, doc = r.toponyms[i], r.doc
    facts = toponym_facts(r, i)
    cands = r.candidates[i]
    return [
        1.0,
        float(t.source == "gazetteer"),
        float(t.label == "GPE"),
        float(t.label == "LOC"),
        float(t.label == "FAC"),
        float(t.label not in {None, "GPE", "LOC", "FAC"}),
        float(t.cue),
        float(t.hint is not None),
        float(facts.fragment),
        float(facts.facility_after),
        float(bool(doc[t.start].is_sent_start)),
        float(facts.text.isupper() and len(facts.text) > 1),
        float(len(cands) <= 2),
        float(not any(c.main for c in cands)),
        float(t.label != "GPE" and t.key in r.tagged_keys),  # "Saipan" tagged a place once
        float(facts.tagged_as_name),
        float(facts.part_of_entity),
        float(facts.facility_name),
    ]
