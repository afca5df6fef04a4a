"""Events told twice in one article (a headline and its first paragraph) become one record."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import timedelta

from ..records import Event

__all__ = ["merge_repeats", "merge_turned_violent", "event_id"]


def event_id(article_id: str, offsets: list[tuple[int, int]], sub: str, *, anchor: int) -> str:
    # the anchor's offset tells apart two events of one type in one sentence
    key = "|".join([article_id, *(f"{a}-{b}" for a, b in sorted(offsets)), sub, str(anchor)])
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def merge_repeats(drafts: list[tuple[Event, bool, bool]]) -> list[Event]:
    """The same event told twice in one article (headline and lead) becomes one record.

    Twins share the sub-event type, factuality and actors, and do not contradict each other on
    place or date: either they name the same place (date), or one of them names none."""
    kept: list[tuple[Event, bool, bool]] = []
    for draft in drafts:
        at = next((i for i, k in enumerate(kept) if _same(k, draft)), None)
        if at is None:
            kept.append(draft)
            continue
        event, own_place, own_date = kept[at]
        _absorb(event, draft[0], take_date=draft[2] and not own_date)
        kept[at] = (event, own_place or draft[1], own_date or draft[2])
    return [event for event, _, _ in kept]


def _same(first: tuple[Event, bool, bool], second: tuple[Event, bool, bool]) -> bool:
    (a, place_a, date_a), (b, place_b, date_b) = first, second
    if (a.sub_event_type, a.factuality, a.background) != (b.sub_event_type, b.factuality, b.background):
        return False
    # an undated telling stands for "lately": it may be the dated one of the past week
    slack = timedelta(days=0 if date_a and date_b else 7)
    if a.event_date > b.date_end + slack or b.event_date > a.date_end + slack:
        return False
    if date_a and date_b and (a.event_date, a.date_end) != (b.event_date, b.date_end):
        return False
    for x, y in ((a.actor1, b.actor1), (a.actor2, b.actor2)):
        if x and y and x.name != y.name:
            return False
    return a.location.name == b.location.name or not (place_a and place_b)


def _absorb(into: Event, other: Event, *, take_date: bool) -> None:
    into.evidence += other.evidence
    if take_date or (other.date_end - other.event_date) < (into.date_end - into.event_date):
        into.event_date, into.date_end, into.date_precision = other.event_date, other.date_end, other.date_precision
    if other.location.geo_precision < into.location.geo_precision:
        into.location = other.location
    into.actor1 = into.actor1 or other.actor1
    into.actor2 = into.actor2 or other.actor2
    if other.fatalities is not None:
        into.fatalities = max(into.fatalities or 0, other.fatalities)
    names = {a.source for a in into.attribution}
    into.attribution += [a for a in other.attribution if a.source not in names]
    into.confidence = max(into.confidence, other.confidence)
    into.id = event_id(into.article_ids[0], [(e.start, e.end) for e in into.evidence], into.sub_event_type,
                        anchor=int(into.id, 16) % 100_000)


_UNREAL = {"planned", "negated", "hypothetical"}


def merge_turned_violent(events: list[Event], paragraph_of: Callable[[int], int], *,
                         told_violent: Callable[[Event], bool]) -> list[Event]:
    """A demonstration that turns violent is one riot (ACLED codebook): a protest told in the
    paragraph of a riot whose own words tell the violence (``told_violent``: "The protesters
    burnt tyres", not a riot a model read into "The strike is meant to last 72 hours"), later,
    on dates and at places that agree, is absorbed into the riot."""
    kept: list[Event] = []
    for event in events:
        riot = next((r for r in events if event.event_type == "Protests" and told_violent(r)
                     and _turned(event, r, paragraph_of)), None)
        if riot is None:
            kept.append(event)
        else:
            _absorb(riot, event, take_date=False)
    return kept


def _turned(protest: Event, riot: Event, paragraph_of: Callable[[int], int]) -> bool:
    if riot.event_type != "Riots" or protest.background or riot.background:
        return False
    if protest.factuality in _UNREAL or riot.factuality in _UNREAL:
        return False
    if paragraph_of(protest.evidence[0].start) != paragraph_of(riot.evidence[0].start):
        return False
    if riot.evidence[0].start <= protest.evidence[0].start:
        return False  # the protest turns violent after it is told, not in its own sentence
    if protest.event_date > riot.date_end or riot.event_date > protest.date_end:
        return False
    places = {protest.location.name, riot.location.name}
    return len(places) == 1 or min(protest.location.geo_precision, riot.location.geo_precision) == 3
