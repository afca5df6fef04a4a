"""Choose, for each toponym, the place it names, using the rest of the article as context.

A candidate's score adds a prior (population, kind of place, capital, whether the name is its
main one, the hint of a neighbouring word such as "province") to context: the share of the
article's other places that lie in its country and in its admin-1 area, and whether the name
right after it ("Alexandria, La.", "Springfield, IL", "X, Syria") contains it. Context comes from
the best readings of the previous round, so the readings settle over a few rounds.
"""

from __future__ import annotations

import functools
import math
import sqlite3
from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Doc

from ..geometry import haversine_km
from .index import Candidate, Gazetteer
from .names import spelled_as, spelling
from .recognise import Toponym, spelled_once

__all__ = ["Context", "Resolver", "FEATURE_PRIOR", "RESOLVE_ERRORS", "prior", "inside"]

FEATURE_PRIOR = {"country": 4.5, "region": 4.5, "admin1": 0.5, "admin2": 0.3, "city": 0.0,
                 "site": 0.5, "other": -1.0}
SITE_POPULATION = 10_000  # UCDP sites have no population; they are named because they matter
MAIN_NAME = 1.0  # a town's own name beats another town's rare alternate
COUNTRY_WEIGHT = 5.0
ADMIN_WEIGHT = 6.0
NAMED_ADMIN = 2.0
CONTAINER_WEIGHT = 6.0
ROUNDS = 3
METROPOLIS = 1_000_000
CAPITAL_WEIGHT = 1.5
LOC_TOWN = 10_000
MAIN_COUNTRY_SHARE = 0.6
BORDER_DEGREES = 1.0
CITY_REACH_KM = 30.0  # how far from a city's point a place said to be in it may lie
# a place under its own name is taken abroad, against the article's country, only when it is a
# town this big (tagged a place by the tagger) or a city this big (found by the gazetteer alone)
STRAY_TOWN = 5_000
STRAY_CITY = 100_000
STRAY_EVIDENCE = 2.0  # how far past a country's bounding box a place still counts as next door
# what resolving one toponym may raise; caught per toponym so one bad place costs only itself
RESOLVE_ERRORS = (sqlite3.Error, ValueError, KeyError, IndexError, ZeroDivisionError)


@dataclass
class Context:
    """Where the article's places lie, by country and by admin-1 area."""

    countries: Counter[str | None] = field(default_factory=Counter)
    # the same without nationality words: "Russian warplanes" say whose, not where
    located: Counter[str | None] = field(default_factory=Counter)
    areas: Counter[tuple[str | None, str | None]] = field(default_factory=Counter)
    named: set[tuple[str | None, str | None]] = field(default_factory=set)
    total: float = 0.0


def listed(c: Candidate) -> bool:
    """A place from sitrep's own conflict-site list (UCDP GED): no GeoNames id, no population."""
    return c.geonameid is None and not c.population and c.feature in {"site", "city", "other"}


def prior(c: Candidate, hint: str | None) -> float:
    # a village UCDP lists was named in conflict reporting: as likely as a mid-sized town
    population = SITE_POPULATION if c.feature == "site" or listed(c) else c.population
    score = math.log10(population + 100) + FEATURE_PRIOR.get(c.feature, 0.0)
    score += CAPITAL_WEIGHT * c.prominence
    if c.feature == "city" and c.population >= METROPOLIS:
        score += 1.0  # "New York", "Washington" in news are the cities, not the states
    # every spelling UCDP lists for a site is one that conflict reporting used for it
    score += MAIN_NAME if c.main or listed(c) else 0.0
    if hint and (c.feature == hint or {c.feature, hint} <= {"admin1", "admin2"}):
        score += 3.0 if c.feature == hint else 1.5
    return score


def _near_box(c: Candidate, box: tuple[float, float, float, float]) -> bool:
    s, w, n, e = box
    pad = BORDER_DEGREES
    return s - pad <= c.lat <= n + pad and w - pad <= c.lon <= e + pad


def inside(place: Candidate, area: Candidate) -> bool:
    if place.id == area.id or place.country != area.country:
        return False
    if area.feature == "country":
        return True
    if area.feature == "admin1":
        return place.admin1 == area.name
    if area.feature == "city":  # "Bole in Addis Ababa": a quarter of the city, or a suburb
        return haversine_km(place.lat, place.lon, area.lat, area.lon) <= CITY_REACH_KM
    return area.feature == "admin2" and place.admin2 == area.name


class Resolver:
    def __init__(self, doc: Doc, toponyms: list[Toponym], gaz: Gazetteer, *,
                 country: str | None = None, hint_weight: float = 3.0) -> None:
        self.doc, self.toponyms, self.gaz = doc, toponyms, gaz
        self.hint_country, self.hint_weight = country, hint_weight
        self.candidates = [self._quiet_candidates(t) for t in toponyms]
        self.outer = [self._containers(i) for i in range(len(toponyms))]
        self.support = self._area_support()
        self.best: list[Candidate | None] = [
            max(cands, key=lambda c: prior(c, t.hint)) if cands else None
            for t, cands in zip(toponyms, self.candidates)]
        for _ in range(ROUNDS - 1):
            self.context = self._context()
            self.best = [r[0][1] if (r := self._quiet_ranked(i)) else None
                         for i in range(len(toponyms))]
        self.context = self._context()

    def _quiet_candidates(self, t: Toponym) -> list[Candidate]:
        try:
            return self._candidates(t)
        except RESOLVE_ERRORS:
            return []

    def _candidates(self, t: Toponym) -> list[Candidate]:
        if t.countries:
            found = [self.gaz.by_code(cc) for cc in t.countries]
            return [c for c in found if c is not None]
        found = list(self.gaz.lookup_key(t.key)) if t.key else []
        if t.label == "LOC":  # regions and waters, not hamlets that share their name
            found = [c for c in found if c.feature not in {"city", "admin2"} or listed(c)
                     or c.population >= LOC_TOWN and c.feature == "city"]
        text = t.span(self.doc).text
        # a country's English name has one spelling: "Grenade" is not Grenada
        found = [c for c in found if c.feature != "country" or not c.main or spelled_as(text, c.name)]
        if text.isupper() and len(text) <= 4:  # "US", "UAE": abbreviations name big areas
            found = [c for c in found if c.feature in {"country", "admin1", "region"}]
        return self._spelled_first(t, text, found)

    def _spelled_first(self, t: Toponym, text: str, found: list[Candidate]) -> list[Candidate]:
        """Where some place has a name spelled as the text, a place reached only through a
        folded alternate name is dropped: the folding that joins "Hasakeh" to "Hasakah" also
        joins "Weenen" to Vienna's Dutch "Wenen". A folded main name stays ("Dariya" in one
        country, "Dariyah" in another are one name transliterated twice) unless it lies where
        names are not transliterated."""
        exact = self.gaz.spelled(t.key, spelling(text)) if t.key else frozenset()
        if not exact:
            return found
        # ... but a western town's name has one spelling: "Monze" (Zambia) is not Monza
        return [c for c in found if c.id in exact or c.main and c.country not in spelled_once()]

    def _area_support(self) -> dict[str, Counter[tuple[str | None, str | None]]]:
        """For each name, the admin-1 areas it could lie in, each weighted 1/(number of areas).

        Local news names several places in one state; the state they can all share is the one
        meant ("Paris" and "Henry County" -> Tennessee), whatever each name's biggest reading.
        """
        by_key: dict[str, Counter[tuple[str | None, str | None]]] = {}
        for t, cands in zip(self.toponyms, self.candidates):
            areas = {(c.country, c.admin1) for c in cands
                     if c.feature not in {"country", "region"} and c.admin1}
            if t.key and t.key not in by_key and areas:
                by_key[t.key] = Counter({a: 1 / len(areas) for a in areas})
        return by_key

    def _support(self, key: str, area: tuple[str | None, str | None]) -> float:
        return sum(areas[area] for k, areas in self.support.items() if k != key)

    def _context(self) -> Context:
        ctx = Context()
        if self.hint_country:
            ctx.countries[self.hint_country] += self.hint_weight
            ctx.located[self.hint_country] += self.hint_weight
            ctx.total += self.hint_weight
        seen: set[object] = set()
        for t, best in zip(self.toponyms, self.best):
            # each distinct name counts once: "US" said fourteen times is still one place
            name = t.key or t.countries
            if best is None or best.feature == "region" or name in seen:
                continue
            seen.add(name)
            weight = 2.0 if best.feature in {"country", "admin1"} else 1.0
            ctx.countries[best.country] += weight
            if t.source != "demonym":
                ctx.located[best.country] += weight
            ctx.total += weight
            if best.feature != "country":
                ctx.areas[(best.country, best.admin1)] += 1
            if best.feature == "admin1" and t.source != "demonym":
                ctx.named.add((best.country, best.name))
        return ctx

    def _containers(self, i: int) -> list[Candidate]:
        """Areas named right after toponym i ("X, Y", "X, ST" or "X in Y")."""
        t, doc = self.toponyms[i], self.doc
        if t.end + 1 >= len(doc) or doc[t.end].text not in {",", "in"}:
            return []
        nxt = doc[t.end + 1]
        if nxt.text.isupper() and len(nxt.text) == 2:
            state = self.gaz.by_code(f"US.{nxt.text}", "admin1")
            if state:
                return [state]
        if i + 1 < len(self.toponyms) and self.toponyms[i + 1].start == t.end + 1:
            # a town contains a place only with "in": "Kasserine, Tunis, Gafsa" is a list
            return [c for c in self.candidates[i + 1] if c.feature != "city" or doc[t.end].text == "in"]
        return []

    def _outside_container(self, i: int) -> bool:
        """"Bole in Addis Ababa", and no Bole lies there: the index lacks this one. (After a comma
        the next name may be the container or the next of a list: "Kasserine, Tunis, Gafsa".)"""
        t, outer = self.toponyms[i], self.outer[i]
        if not outer or self.doc[t.end].text != "in":
            return False
        return not any(inside(c, area) for c in self.candidates[i] for area in outer)

    def score(self, i: int, c: Candidate) -> float:
        t, ctx, own = self.toponyms[i], self.context, self.best[i]
        score = prior(c, t.hint)
        mine = 2.0 if own is not None and own.feature in {"country", "admin1"} else 1.0
        same = own is not None and own.country == c.country
        others = ctx.total - (mine if own is not None else 0.0)
        if others > 0:
            score += COUNTRY_WEIGHT * (ctx.countries[c.country] - (mine if same else 0)) / others
        if c.feature not in {"country", "region"}:
            area = (c.country, c.admin1)
            # a rare alternate name gains less from its neighbours than a town's own name
            weight = ADMIN_WEIGHT if c.main else ADMIN_WEIGHT / 2
            score += weight * min(self._support(t.key, area), 2.0) / 2
            if c.feature != "admin1" and area in ctx.named:
                score += NAMED_ADMIN
        if any(inside(c, area) for area in self.outer[i]):
            score += CONTAINER_WEIGHT
        return score

    def main_country(self, i: int, *, least: float = 0.0) -> str | None:
        """The country most of the article's other places lie in, if they agree on one with
        at least ``least`` weight (a country or province named counts 2, a town 1)."""
        own, ctx = self.best[i], self.context
        counts = Counter(ctx.located)
        if own is not None and self.toponyms[i].source != "demonym":
            counts[own.country] -= 2.0 if own.feature in {"country", "admin1"} else 1.0
        total = sum(v for v in counts.values() if v > 0)
        if not total:
            return None
        country, weight = counts.most_common(1)[0]
        return country if weight >= MAIN_COUNTRY_SHARE * total and weight >= least else None

    def stray(self, i: int, c: Candidate) -> bool:
        """A foreign village, or a foreign town's alternate name, while the article is about
        another country: more likely a local place the index lacks ("Al Soor" in a Syrian
        report is not Sorø in Denmark; "SAF shell Thur" is not El-Tor in Egypt)."""
        t = self.toponyms[i]
        if t.source not in {"gazetteer", "ent"} or c.feature in {"country", "region"} or self._dateline(t):
            return False
        if self._outside_container(i):
            return True
        tagged = t.label == "GPE" or t.key in self.tagged_keys  # "Saipan" tagged a place once
        if c.main and (tagged and c.population >= STRAY_TOWN or c.population >= STRAY_CITY
                       or c.prominence > 0):  # a capital is news anywhere
            return False
        # a village under its own name needs more against it than one other place
        country = self.main_country(i, least=0.0 if not c.main else STRAY_EVIDENCE)
        if country is None or c.country == country or not c.main and tagged:
            return False
        home = self.gaz.by_code(country, "country")
        # a town just over the border ("Jarablus" in a story of Turkish-backed factions) is near
        return home is None or home.box is None or not _near_box(c, home.box)

    @functools.cached_property
    def tagged_keys(self) -> set[str]:
        return {t.key for t in self.toponyms if t.label == "GPE" and t.key}

    def _dateline(self, t: Toponym) -> bool:
        """"PLEASANTON, Calif. —": the place the story was filed from, whatever it is about."""
        span = t.span(self.doc)
        return span.text.isupper() and len(span.text) > 2 and span[0].is_sent_start and (
            t.end < len(self.doc) and self.doc[t.end].text in {",", "—", "–", "-", "("})

    def _quiet_ranked(self, i: int) -> list[tuple[float, Candidate]]:
        # a toponym that fails here only drops out of the context; read_places reports it
        try:
            return self.ranked(i)
        except RESOLVE_ERRORS:
            return []

    def ranked(self, i: int) -> list[tuple[float, Candidate]]:
        scored = [(self.score(i, c), c) for c in self.candidates[i]]
        return sorted(scored, key=lambda sc: -sc[0])
