"""The situation picture: who controls which place since when, and how many troops an actor has
where, as facts derived from events and quantity statements, each with its evidence.

``facts_from_reading`` works on one article (stateless, called by the pipeline); the store keeps
the facts and ``picture`` reads them back in time order, conflicting claims side by side.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from datetime import date
from typing import Any

from .datafiles import load_yaml
from .records import Annotation, Attribution, Event, Evidence, Fact, Quantity, Sentence

__all__ = ["facts_from_reading", "facts_from_events", "control_facts", "force_level_facts", "picture"]


@functools.lru_cache(maxsize=1)
def _rules() -> dict[str, Any]:
    return load_yaml("situation.yaml")


def facts_from_reading(annotation: Annotation, events: list[Event]) -> list[Fact]:
    return control_facts(events) + force_level_facts(annotation)


def facts_from_events(events: list[Event]) -> list[Fact]:
    return control_facts(events)


def control_facts(events: list[Event]) -> list[Fact]:
    """Control changes from territory events; a withdrawal ends its actor's control instead.
    Background events change nothing: measured on the sample, recalled captures were read with
    the wrong side as often as the right one ("the group captured the town" given to the army)."""
    rules = _rules()
    found: list[Fact] = []
    for event in events:
        if (event.sub_event_type not in rules["control_subtypes"] or event.background
                or event.factuality not in rules["control_factuality"] or not event.actor1
                or event.location.geo_precision > rules["control_max_geo_precision"]):
            continue
        gainer, loser = event.actor1, event.actor2
        if _is_withdrawal(event):
            gainer, loser = event.actor2, event.actor1
        gainer, loser = _armed(gainer), _armed(loser)
        if gainer is not None:
            found.append(_control(event, gainer, since=event.event_date))
        if loser is not None and (gainer is None or loser.name != gainer.name):
            found.append(_control(event, loser, since=None, until=event.event_date))
    return found


def _armed(actor: Any) -> Any:
    """Only armed actors and governments hold ground; civilians and protesters do not."""
    return actor if actor is not None and actor.type in _rules()["controller_types"] else None


def _is_withdrawal(event: Event) -> bool:
    """Is actor1 the side leaving: a withdrawal word follows its mention before any word of
    taking ("US personnel were drawing down" vs "Syrian forces took control amid the withdrawal")."""
    rules = _rules()
    mention = (event.actor1.mention or "") if event.actor1 else ""
    for evidence in event.evidence:
        at = evidence.sentence.find(mention) if mention else -1
        if at < 0:
            continue
        after = re.findall(r"[a-z]+", evidence.sentence[at + len(mention):].lower())
        for word in after[: rules["actor_window_words"]]:
            if word in rules["taking_words"]:
                return False
            if word in rules["withdrawal_words"]:
                return True
    return False


def _control(event: Event, actor: Any, *, since: date | None, until: date | None = None) -> Fact:
    body = {"place": event.location.to_dict(), "controller": actor.to_dict(), "since": since,
            "until": until, "precision": event.date_precision, "event_id": event.id}
    return Fact(kind="control", body=body, evidence=list(event.evidence),
                attribution=list(event.attribution), article_ids=list(event.article_ids))


def force_level_facts(annotation: Annotation) -> list[Fact]:
    found: list[Fact] = []
    for quantity in annotation.quantities:
        sentence = _sentence_of(annotation, quantity.start)
        if sentence is None or not _is_force_level(annotation, quantity, sentence):
            continue
        fact = _force_level(annotation, quantity, sentence, previous=found[-1] if found else None)
        if fact is not None:
            found.append(fact)
    return found


def _sentence_of(annotation: Annotation, offset: int) -> Sentence | None:
    return next((s for s in annotation.sentences if s.start <= offset < s.end), None)


def _lemmas(annotation: Annotation, sentence: Sentence) -> set[str]:
    doc = annotation.doc
    if doc is None:
        return set(sentence.text.lower().split())
    span = doc.char_span(sentence.start, sentence.end, alignment_mode="expand")
    return {t.lemma_.lower() for t in span} | {t.text.lower() for t in span}


def _is_force_level(annotation: Annotation, quantity: Quantity, sentence: Sentence) -> bool:
    rules = _rules()
    value = quantity.value if quantity.value is not None else quantity.low
    if value is None or value < rules["minimum_troops"]:
        return False
    lemmas = _lemmas(annotation, sentence)
    if lemmas & set(rules["not_force_level"]):
        return False
    before = annotation.article.text[sentence.start:quantity.start].lower().split()
    if before and before[-1] in rules["earlier_level_words"]:
        return False  # "down from 1,500": an earlier level whose date the clause does not give
    counted = quantity.text.lower()
    if any(re.search(rf"\b{re.escape(u)}s?\b", counted) for u in rules["troop_units"]):
        return True
    if quantity.unit and not quantity.unit.lower().startswith(tuple(rules["troop_units"])):
        return False
    text = sentence.text.lower()
    nouns = rules["deployment_nouns"] + rules["troop_units"]
    return any(re.search(rf"\b{re.escape(n)}s?\b", text) for n in nouns)


def _force_level(annotation: Annotation, quantity: Quantity, sentence: Sentence,
                 *, previous: Fact | None) -> Fact | None:
    actor = _state_actor(annotation, sentence)
    if actor is None and previous is not None:
        actor = previous.body["actor"]
    if actor is None:
        return None
    country = _country(annotation, sentence, actor)
    when = next((d for d in annotation.dates if sentence.start <= d.start < sentence.end), None)
    published = annotation.article.published
    body = {
        "actor": actor, "country": country, "value": quantity.value, "low": quantity.low,
        "high": quantity.high, "approximate": quantity.approximate,
        "as_of": when.first_day if when else published,
        "precision": when.precision if when else "day",
    }
    evidence = [Evidence(annotation.article.id, sentence.text, sentence.start, sentence.end)]
    return Fact(kind="force_level", body=body, evidence=evidence,
                attribution=_attribution(annotation, sentence), article_ids=[annotation.article.id])


def _state_actor(annotation: Annotation, sentence: Sentence) -> dict[str, Any] | None:
    for mention in annotation.actors:
        if sentence.start <= mention.start < sentence.end and mention.type == "State forces":
            return {"name": mention.name, "mention": mention.text, "country": mention.country,
                    "type": mention.type}
    return None


def _country(annotation: Annotation, sentence: Sentence, actor: dict[str, Any] | None) -> str | None:
    """Where the forces are: a country named in the sentence, else the article's main country."""
    own = _alpha2(actor["country"]) if actor and actor.get("country") else None
    inside = [p.country for p in annotation.places
              if sentence.start <= p.start < sentence.end and p.feature == "country"
              and p.country and p.country != own]
    if inside:
        return inside[0]
    counts = Counter(p.country for p in annotation.places if p.country and p.country != own)
    return counts.most_common(1)[0][0] if counts else None


def _alpha2(alpha3: str) -> str | None:
    from .output import _countries

    return next((code for code, info in _countries().items() if info.get("iso3") == alpha3), None)


def _attribution(annotation: Annotation, sentence: Sentence) -> list[Attribution]:
    from .events.attribution import Sources, sources_in

    if annotation.doc is None:
        return []
    span = annotation.doc.char_span(sentence.start, sentence.end, alignment_mode="expand")
    return [mention.attribution for mention in sources_in(span, Sources())]


def picture(facts: list[Fact], *, as_of: date | None = None) -> list[Fact]:
    """Facts as an analyst reads them: one per claim (repeats across sources folded together,
    keeping every source), by subject and date. Without ``as_of``, the whole history; with it,
    what held on that day: per subject the latest claims, conflicting ones side by side."""
    folded = consolidate(facts)
    if as_of is not None:
        folded = _current(folded, as_of.isoformat())
    return sorted(folded, key=lambda f: (f.kind, _subject(f), _when(f)))


def _current(facts: list[Fact], day: str) -> list[Fact]:
    def holds(fact: Fact) -> bool:
        b = fact.body
        start, until = b.get("since") or b.get("as_of"), b.get("until")
        return (not start or str(start) <= day) and (not until or str(until) > day)

    valid = [f for f in facts if holds(f)]
    latest: dict[tuple[str, str], str] = {}
    for fact in valid:
        key = (fact.kind, _subject(fact))
        latest[key] = max(latest.get(key, ""), _start(fact))
    return [f for f in valid if _start(f) == latest[(f.kind, _subject(f))]]


def _start(fact: Fact) -> str:
    return str(fact.body.get("since") or fact.body.get("as_of") or "")


def consolidate(facts: list[Fact]) -> list[Fact]:
    """One fact per claim. Two statements of one claim may differ in precision ("in January
    2025" and "this year"): the coarser folds into the finer one its period contains."""
    merged: dict[tuple[Any, ...], list[tuple[str, Fact]]] = {}
    for fact in sorted(facts, key=lambda f: (-_fineness(f), _when(f), f.article_ids)):
        key, period = _claim(fact)
        claims = merged.setdefault(key, [])
        into = next((f for p, f in claims if p.startswith(period)), None)
        if into is None:
            claims.append((period, Fact(kind=fact.kind, body=dict(fact.body),
                                        evidence=list(fact.evidence),
                                        attribution=list(fact.attribution),
                                        article_ids=list(fact.article_ids))))
            continue
        into.evidence += [e for e in fact.evidence if e not in into.evidence]
        into.attribution += [a for a in fact.attribution if a not in into.attribution]
        into.article_ids = sorted(set(into.article_ids) | set(fact.article_ids))
    return [fact for claims in merged.values() for _, fact in claims]


_FINENESS = {"day": 3, "week": 3, "month": 2, "year": 1}


def _fineness(fact: Fact) -> int:
    return _FINENESS.get(str(fact.body.get("precision")), 0)


def _claim(fact: Fact) -> tuple[tuple[Any, ...], str]:
    """What makes two statements the same claim: same subject and value, and the period they
    date it to (a month, or a year for a year-precise one)."""
    b = fact.body
    period = _when(fact)[:7] if b.get("precision") in ("day", "week", "month") else _when(fact)[:4]
    if fact.kind == "control":
        return ("control", _subject(fact), (b.get("controller") or {}).get("name"),
                bool(b.get("until"))), period
    return ("force_level", _subject(fact), b.get("value"), b.get("low")), period


def _when(fact: Fact) -> str:
    b = fact.body
    return str(b.get("since") or b.get("as_of") or b.get("until") or "")


def _subject(fact: Fact) -> str:
    b = fact.body
    if fact.kind == "control":
        place = b.get("place") or {}
        return str(place.get("geonameid") or place.get("name"))
    return f"{(b.get('actor') or {}).get('name')}|{b.get('country')}"
