"""Choose, for each toponym, the place it names, using the rest of the article as context.

Each reading of a toponym (a ``Candidate``) is scored by the trained place model
(``sitrep.geo.model``) from named features (``sitrep.geo.features``): the kind and size of the
place, how its name matched the text, and context, the share of the article's other places in
its country and admin-1 area, the name right after it ("Alexandria, La.", "X, Syria"), its
distance to the other places named. "No place" competes with the readings: a toponym whose best
reading scores below it is left unresolved. Context comes from the best readings of the previous
round, so the readings settle over a few rounds.
"""

from __future__ import annotations

import functools
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc, Span

from .features import candidate_features, inside, listed, null_features, unsupported_alias, unsupported_sound
from .index import Candidate, Gazetteer
from .model import PlaceModel, get_model
from .names import spelled_as, spelling
from .recognise import AFTER_HINTS, BEFORE_HINTS, Toponym, entities, spelled_once

__all__ = ["Context", "Resolver", "RESOLVE_ERRORS", "inside", "listed"]

ROUNDS = 3
LOC_TOWN = 10_000
MAIN_COUNTRY_SHARE = 0.6
# what resolving one toponym may raise; caught per toponym so one bad place costs only itself
RESOLVE_ERRORS = (sqlite3.Error, ValueError, KeyError, IndexError, ZeroDivisionError)


# Words for a place that can head an "in" phrase around a toponym's container.
PLACE_NOUNS = frozenset({*AFTER_HINTS, *BEFORE_HINTS, "capital", "north", "south", "east", "west",
                         "centre", "center", "heart", "part"})


@dataclass
class Context:
    """Where the article's places lie, by country and by admin-1 area."""

    countries: Counter[str | None] = field(default_factory=Counter)
    # the same without nationality words: "Russian warplanes" say whose, not where
    located: Counter[str | None] = field(default_factory=Counter)
    areas: Counter[tuple[str | None, str | None]] = field(default_factory=Counter)
    named: set[tuple[str | None, str | None]] = field(default_factory=set)
    total: float = 0.0


class Resolver:
    def __init__(self, doc: Doc, toponyms: list[Toponym], gaz: Gazetteer, *,
                 country: str | None = None, hint_weight: float = 3.0,
                 model: PlaceModel | None = None) -> None:
        self.doc, self.toponyms, self.gaz = doc, toponyms, gaz
        self.hint_country, self.hint_weight = country, hint_weight
        self.model = model or get_model()
        # what the features read of each toponym, and of each reading, that no round changes
        self.toponym_memo: dict[int, Any] = {}
        self.reading_memo: dict[tuple[int, Candidate], Any] = {}
        self._support_memo: dict[tuple[str, tuple[str | None, str | None]], float] = {}
        self.distance_memo: dict[tuple[tuple[float, float], float, float], float] = {}
        self._homes: dict[int, tuple | None] = {}  # home_box by toponym, for this round's context
        # what this round's best readings imply, computed once per round
        self._sentence: dict[int, set[str | None]] = {}
        self._points: list[tuple[str, float, float]] | None = None
        # each toponym's ranking under this context, and the best readings it was built from
        # (None: the first round's empty context)
        self._ranked: dict[int, list[tuple[float, Candidate]]] = {}
        self._settled_on: list[Candidate | None] | None = None
        self.candidates = [self._quiet_candidates(t) for t in toponyms]
        self._phrase_contained: set[int] = set()  # toponyms whose container a phrase names
        self.outer = [self._containers(i) for i in range(len(toponyms))]
        self._outside: dict[int, bool] = {}  # outside_container by toponym
        self.support = self._area_support()
        # the first round reads each name alone: no context, no other places
        self.best: list[Candidate | None] = [None] * len(toponyms)
        self.context = Context()
        self.best = [r[0][1] if (r := self._quiet_ranked(i)) else None for i in range(len(toponyms))]
        for _ in range(ROUNDS - 1):
            self._settle()
            self.best = [r[0][1] if (r := self._quiet_ranked(i)) else None
                         for i in range(len(toponyms))]
        self._settle()

    def _settle(self) -> None:
        """Context from this round's best readings; what depended on the last one is forgotten.
        Best readings as the last round's (they settle fast) give its context again, and the
        same rankings: those are kept."""
        if self._settled_on is not None and self.best == self._settled_on:
            return
        self._settled_on = list(self.best)
        self.context = self._context()
        self._homes.clear()
        self._sentence.clear()
        self._points = None
        self._ranked.clear()

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
        found = self._support_memo.get((key, area))
        if found is None:
            found = self._support_memo[(key, area)] = sum(
                areas[area] for k, areas in self.support.items() if k != key)
        return found

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
            if self.toponyms[i + 1].source == "demonym":
                return []  # "aired in Florida in English": a people's word alone is no container
            # a town contains a place only with "in": "Kasserine, Tunis, Gafsa" is a list
            return [c for c in self.candidates[i + 1] if c.feature != "city" or doc[t.end].text == "in"]
        if doc[t.end].text == "in":
            return self._named_in_phrase(i)
        return []

    def _named_in_phrase(self, i: int) -> list[Candidate]:
        """"X in the Somali capital, Mogadishu", "X in the north of the province of Y": the
        places named inside an "in" phrase whose object is a word for a place (not "X in Israeli
        strikes"), as X's containers."""
        prep = self.doc[self.toponyms[i].end]
        place = next((c for c in prep.children if c.dep_ == "pobj"), None)
        if place is None or place.lower_ not in PLACE_NOUNS:
            return []
        inside_phrase = {tok.i for tok in place.subtree}
        areas = [c for j in range(i + 1, len(self.toponyms))
                 if self.toponyms[j].start in inside_phrase for c in self.candidates[j]]
        if areas:
            self._phrase_contained.add(i)
        return areas

    def score(self, i: int, c: Candidate) -> float:
        return self.model.score(candidate_features(self, i, c))

    def null_score(self, i: int) -> float:
        """The score of "toponym i names no indexed place"; only a name found by the tagger or
        the gazetteer can be no place (a demonym, a region or a dateline always is one)."""
        t = self.toponyms[i]
        # a dateline ("PLEASANTON, Calif. —") is the place the story was filed from, whatever else
        if t.source not in {"gazetteer", "ent"} or self.dateline(t):
            return float("-inf")
        return self.model.null_score(null_features(self, i))

    def sentence_countries(self, i: int) -> set[str | None]:
        """Countries named (or whose people are named) in toponym i's sentence, itself apart."""
        memo = self._sentence
        if i not in memo:
            sent = self.doc[self.toponyms[i].start].sent
            memo[i] = {b.country for j, (t, b) in enumerate(zip(self.toponyms, self.best))
                       if j != i and b is not None and b.feature == "country"
                       and sent.start <= t.start < sent.end}
        return memo[i]

    def located_points(self) -> list[tuple[str, float, float]]:
        """(name key, lat, lon) of this round's best readings that are towns or sites."""
        if self._points is None:
            self._points = [(t.key, b.lat, b.lon) for t, b in zip(self.toponyms, self.best)
                            if b is not None and b.feature not in {"country", "region", "admin1"}]
        return self._points

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

    def outside_container(self, i: int) -> bool:
        """"Bole in Addis Ababa", and no Bole lies there: the index lacks this one. (After a comma
        the next name may be the container or the next of a list: "Kasserine, Tunis, Gafsa".)
        A container named in a phrase ("Lido beach in the Somali capital, Mogadishu") says so
        for every mention of the name in the article: one name, one place."""
        if i not in self._outside:  # containers and readings stay fixed: worked out once
            key = self.toponyms[i].key
            self._outside[i] = self._outside_own_container(i) or bool(key) and any(
                self._outside_own_container(j) for j in self._phrase_contained
                if j != i and self.toponyms[j].key == key)
        return self._outside[i]

    def _outside_own_container(self, i: int) -> bool:
        t, outer = self.toponyms[i], self.outer[i]
        # a country or a world region is in no town ("Americans in our area")
        local = [c for c in self.candidates[i] if c.feature not in {"country", "region"}]
        if not outer or not local or self.doc[t.end].text != "in":
            return False
        return not any(inside(c, area) for c in local for area in outer)

    def home_box(self, i: int) -> tuple[str, tuple[float, float, float, float] | None] | None:
        """The article's main country (without toponym i) and its town box, if there is one."""
        if i not in self._homes:
            self._homes[i] = self._home_box(i)
        return self._homes[i]

    def _home_box(self, i: int) -> tuple[str, tuple[float, float, float, float] | None] | None:
        country = self.main_country(i)
        if country is None:
            return None
        home = self.gaz.by_code(country, "country")
        return country, home.box if home is not None else None

    @property
    def ents(self) -> tuple[Span, ...]:
        """The Doc's entities (spaCy builds the tuple anew at each ``doc.ents``)."""
        return entities(self.doc)

    @functools.cached_property
    def tagged_keys(self) -> set[str]:
        return {t.key for t in self.toponyms if t.label == "GPE" and t.key}

    def dateline(self, t: Toponym) -> bool:
        """"PLEASANTON, Calif. —": the place the story was filed from, whatever it is about."""
        span = t.span(self.doc)
        return span.text.isupper() and len(span.text) > 2 and bool(span[0].is_sent_start) and (
            t.end < len(self.doc) and self.doc[t.end].text in {",", "—", "–", "-", "("})

    def _quiet_ranked(self, i: int) -> list[tuple[float, Candidate]]:
        # a toponym that fails here only drops out of the context; read_places reports it
        try:
            return self.ranked(i)
        except RESOLVE_ERRORS:
            return []

    def ranked(self, i: int) -> list[tuple[float, Candidate]]:
        """Toponym i's eligible readings, best first (see ``unsupported_alias``,
        ``unsupported_sound``)."""
        found = self._ranked.get(i)
        if found is None:
            found = self._ranked[i] = self._rank(i)
        return list(found)

    def _rank(self, i: int) -> list[tuple[float, Candidate]]:
        if self.outside_container(i):
            return []  # "Bole in Addis Ababa" and no Bole lies there: the index lacks this one
        scored = [(self.score(i, c), c) for c in self.candidates[i]
                  if not unsupported_alias(self, i, c) and not unsupported_sound(self, i, c)]
        return sorted(scored, key=lambda sc: -sc[0])
