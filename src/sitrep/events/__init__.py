"""The event stage: one Annotation in, ACLED-coded Event records out.

Per sentence (``candidates``): find trigger words (``triggers``), drop intentions and
back-references (``factuality.role``), group the rest into candidate events by ACLED precedence
and weigh them with the sentence classifier (``classify.predict``: when it is sure of "no event",
a bare trigger word is dropped); a sentence with no ACLED event whose verbs tell a PLOVER one
(``verbal``: agree, meet, demand, reject, sanction ...), or that the PLOVER classifier reads
confidently, becomes a low-confidence strategic development, marked ``acled_event`` false unless
ACLED records such events (talks and deals about a conflict, aid, pullbacks). Then
weigh the candidates again in the context of their paragraph (``passage``: the event the passage
as a whole is about ranks first, and a sure passage reading retypes or adds one), and read each
one's arguments (``arguments``), sources (``attribution``) and factuality. Thresholds live in
``data/events/gating.yaml``. Events told twice in one article (a headline and its first
paragraph) are merged (``repeats``).
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from spacy.tokens import Span, Token

from .. import geo
from ..actors import alpha2, alpha3, resolve_actor
from ..records import Actor, Annotation, Attribution, DateMention, Event, Evidence, PlaceMention
from . import arguments as args
from . import passage
from .attribution import SourceMention, Sources, sources_in
from .candidates import VIOLENT, candidates_in, gating, plover_candidate, told_elsewhere
from .cues import cues
from .decide import constraints, event_floor, event_probabilities
from .features import EventInput
from .factuality import clause_head, factuality, is_background
from .repeats import event_id, merge_repeats, merge_turned_violent
from .triggers import Candidate

__all__ = ["detect"]



@dataclass
class _Context:
    annotation: Annotation
    published: date
    paragraph_starts: list[int]
    places: list[PlaceMention]  # places that are not part of an actor's name or an adjective
    main_place: PlaceMention | None
    country: str | None  # the country most of the article's places lie in
    home: str | None = None  # the country most of its named actors belong to, for want of a place


def detect(annotation: Annotation) -> list[Event]:
    """Every event the article tells, background and planned ones included (marked as such)."""
    doc = annotation.doc
    if doc is None:
        from ..nlp import parse

        doc = annotation.doc = parse(annotation.article.text)
    sentences = [part for sent in doc.sents for part in _paragraph_parts(sent)]
    context = _context(annotation)
    predictions = _predict([s.text for s in sentences])
    memory = Sources()
    befores = [_paragraph_before(s, context) for s in sentences]
    heads = _subheadings(annotation.article.text, context.paragraph_starts)
    # a subheading sums up the paragraphs told below it and tells no event of its own
    heading = [_paragraph_start(s.start_char, context) in heads for s in sentences]
    found = []
    for sentence, prediction, before, head in zip(sentences, predictions, befores, heading):
        sources = sources_in(sentence, memory)
        cands = [] if head else candidates_in(sentence, annotation, prediction, sources, before=before)
        found.append((sources, cands))
    _reread_drafting(sentences, predictions, befores, found, annotation)
    barred = [not cands and told_elsewhere(s, before, sources)
              for s, before, (sources, cands) in zip(sentences, befores, found)]
    _weigh_passages(sentences, predictions, [cands for _, cands in found], context, barred)
    drafts: list[tuple[Event, bool, bool]] = []
    inputs: list[EventInput] = []  # what the event head weighs, one per draft
    unnamed: set[int] = set()  # drafts whose text names no perpetrator
    violent: set[int] = set()  # riots whose own words tell the crowd's violence
    for sentence, before, (sources, cands), head, prediction in zip(sentences, befores, found, heading, predictions):
        coded = None if cands or head else plover_candidate(sentence, before=before)
        if coded is not None:
            event, own_place, own_date = _event(coded[0], context, sources, [coded[0]])
            event.plover, event.acled_event = coded[1], coded[2]
            drafts.append((event, own_place, own_date))
            inputs.append(_event_input(coded[0], event, own_place, own_date, prediction))
        for cand in cands:
            if drafts and _casualty_report(cand, drafts[-1][0], context):
                _add_toll(drafts[-1][0], cand, annotation)
                continue
            event, own_place, own_date = _event(cand, context, sources, cands)
            if event.actor1 is None and not _actors_in(sentence, annotation) and drafts \
                    and drafts[-1][0].evidence[-1].start < sentence.start_char:
                _inherit_actors(event, drafts[-1][0])  # the sentence before names them
            if event.actor1 is None and _unnamed_perpetrator(cand, event):
                unnamed.add(id(event))
            if event.event_type == "Riots" and cand.kinds() & _CROWD_VIOLENCE:
                violent.add(id(event))
            drafts.append((event, own_place, own_date))
            inputs.append(_event_input(cand, event, own_place, own_date, prediction))
    drafts = _reported(drafts, inputs)
    paragraph_of = functools.partial(_paragraph_start, ctx=context)
    events = merge_turned_violent(merge_repeats(drafts), paragraph_of,
                                  told_violent=lambda e: id(e) in violent)
    _fill_unnamed_actors(events, unnamed, context)
    return events


def _reread_drafting(sentences: list[Span], predictions: list[Any], befores: list[Span | None],
                     found: list[tuple[list[SourceMention], list[Candidate]]], annotation: Annotation) -> None:
    """The n-gram classifier screened every sentence; where a sentence drafted an event, the
    classifier that also reads the pretrained encoder decides instead, and its candidates are
    drawn again from that reading (in place)."""
    drafting = [i for i, (_, cands) in enumerate(found) if cands]
    for i, prediction in zip(drafting, _predict_encoded([sentences[i].text for i in drafting])):
        predictions[i] = prediction
        sources = found[i][0]
        found[i] = (sources, candidates_in(sentences[i], annotation, prediction, sources, before=befores[i]))


def _event_input(cand: Candidate, event: Event, own_place: bool, own_date: bool,
                 prediction: Any) -> EventInput:
    return EventInput(cand, event.event_type, event.sub_event_type, event.factuality, event.background,
                      event.actor1.type if event.actor1 else None,
                      event.actor2.type if event.actor2 else None, own_place, own_date,
                      event.fatalities, bool(event.attribution), event.acled_event,
                      dict(getattr(prediction, "scores", None) or {}))


def _reported(drafts: list[tuple[Event, bool, bool]], inputs: list[EventInput]) -> list[tuple[Event, bool, bool]]:
    """The drafts the event head takes for events the text reports; the one decision of
    whether a draft is an event, after the trigger words and the rules proposed it."""
    floor = event_floor()
    ungated = set(constraints()["events"]["ungated_sub_types"])
    kept = []
    for draft, p in zip(drafts, event_probabilities(inputs)):
        event = draft[0]
        event.event_probability = round(p, 4)
        # the head answers ACLED's question for the kinds of event its news labels cover; a
        # PLOVER-only record (a meeting, an accusation) is no ACLED event by construction, and
        # the sub-event types the constraints table names were never labelled: both keep their
        # probability and stand
        if p >= floor or not event.acled_event or event.sub_event_type in ungated:
            kept.append(draft)
    return kept


# trigger kinds that tell a crowd's own violence ("burnt tyres", "looted", "clashed with police")
_CROWD_VIOLENCE = {"riot", "loot", "fight", "attack"}


def _fill_unnamed_actors(events: list[Event], unnamed: set[int], ctx: _Context) -> None:
    """ACLED's actor1 where the text names none. Only once twins are merged: a toll told after
    the clash ("two rebels were killed") names no killer, yet it is the clash's."""
    for event in events:
        if event.actor1 is not None:
            continue
        country = event.location.country or _actor_country(event.actor2) or ctx.home
        if id(event) in unnamed:
            event.actor1 = _unidentified(country)
        elif event.sub_event_type == "Arrests" and country:  # an arrest no one is said to make
            police = resolve_actor("police", country=country, on=event.event_date)
            event.actor1 = dataclasses.replace(police, mention=None) if police else None


def _weigh_passages(sentences: list[Span], predictions: list[Any], cands: list[list[Candidate]],
                    ctx: _Context, barred: list[bool]) -> None:
    blocks = passage.blocks_of(sentences, lambda offset: _paragraph_start(offset, ctx))
    from .classify import predict_passage

    scores = predict_passage([b.text for b in blocks])
    passage.weigh_blocks(blocks, scores, cands, sentences, predictions, gating()["passage"], barred=barred)


def _paragraph_before(sentence: Span, ctx: _Context) -> Span | None:
    start = _paragraph_start(sentence.start_char, ctx)
    if start >= sentence.start_char:
        return None
    return sentence.doc.char_span(start, sentence.start_char, alignment_mode="contract")


def _casualty_report(cand: Candidate, previous: Event, ctx: _Context) -> bool:
    """"... clashes erupted in X. Four soldiers were killed.": the deaths belong to the event told
    just before in the same paragraph, not to a new one."""
    if any(t.kind != "kill" for t in cand.triggers) or previous.event_type not in VIOLENT:
        return False
    if cand.weight > previous.confidence:
        return False  # the killing is what the passage is about ("protested ... soldiers shot two")
    if previous.event_type == "Protests" and _forces_in(cand.sentence, ctx.annotation):
        return False  # "... protested. Two were killed by police": the force that met it, told apart
    last = previous.evidence[-1]
    start = cand.sentence.start_char
    # (deaths the sentence itself set apart from its other event are their own: see group_triggers)
    return _paragraph_start(start, ctx) <= last.start < start and _places_in(cand.sentence, ctx) == 0


def _places_in(sentence: Span, ctx: _Context) -> int:
    return sum(sentence.start_char <= p.start < sentence.end_char for p in ctx.places)


def _add_toll(event: Event, cand: Candidate, annotation: Annotation) -> None:
    toll = args.fatalities_for(cand, annotation, alone=True)
    if toll is not None:
        event.fatalities = max(event.fatalities or 0, toll)
    sentence = cand.sentence
    event.evidence.append(Evidence(annotation.article.id, sentence.text, sentence.start_char, sentence.end_char))


def _paragraph_parts(sentence: Span) -> list[Span]:
    """spaCy may run a sentence across a blank line ("Advertisement\n\nLast month ..."): split it."""
    cuts = [t.i + 1 for t in sentence if t.is_space and "\n\n" in t.text]
    bounds = [sentence.start, *cuts, sentence.end]
    parts = [sentence.doc[a:b] for a, b in zip(bounds, bounds[1:]) if b > a]
    return [_trim(p) for p in parts if any(not t.is_space for t in p)]


def _trim(span: Span) -> Span:
    start, end = span.start, span.end
    while span.doc[start].is_space:
        start += 1
    while span.doc[end - 1].is_space:
        end -= 1
    return span.doc[start:end]


def _actors_in(sentence: Span, annotation: Annotation) -> bool:
    return any(sentence.start_char <= m.start < sentence.end_char for m in annotation.actors)


def _forces_in(sentence: Span, annotation: Annotation) -> bool:
    return any(sentence.start_char <= m.start < sentence.end_char and m.type == "State forces"
               for m in annotation.actors)


def _inherit_actors(event: Event, previous: Event) -> None:
    # "A ceasefire was later struck between the sides": the sides are the last event's actors;
    # a crowd is no doer of what is done to it next ("Students marched. Police fired on them."):
    # the force that met it is
    if previous.event_type not in {"Protests", "Riots"}:
        event.actor1, event.actor2 = previous.actor1, previous.actor2
    elif previous.actor2 is not None:
        event.actor1, event.actor2 = previous.actor2, previous.actor1


def _context(annotation: Annotation) -> _Context:
    text = annotation.article.text
    starts = [0] + [m.end() for m in re.finditer(r"\n\s*\n", text)]
    published = annotation.article.published or date.today()
    actors = [(m.start, m.end) for m in annotation.actors]
    places = [p for p in annotation.places if not any(a <= p.start < b for a, b in actors)
              and not _is_adjective(annotation, p)]
    homes = Counter(m.country for m in annotation.actors if m.country)
    home = homes.most_common(1)[0][0] if homes else None
    # with no place named, a place inside a name ("Mombasa residents"), then where the story's own
    # groups are ("SAF shell Thur": Sudan), and only then a nationality word ("Russian warplanes"):
    # foreign forces fight abroad
    named = [p for p in annotation.places if not geo.is_demonym(p.text)]
    main = (_main_place(places) or _main_place(named) or _home_place(annotation)
            or _main_place(annotation.places))
    countries = Counter(p.country for p in places if p.country)
    country = countries.most_common(1)[0][0] if countries else None
    return _Context(annotation, published, starts, places, main, country, home)


_FOREIGN = {"State forces", "External/Other forces"}


def _home_place(annotation: Annotation) -> PlaceMention | None:
    """The country of the article's groups, as a place: local groups before state forces."""
    local = Counter(m.country for m in annotation.actors if m.country and m.type not in _FOREIGN)
    state = Counter(m.country for m in annotation.actors if m.country and m.type in _FOREIGN)
    top = (local or state).most_common(1)
    country = geo.country_of(alpha2(top[0][0]) or "") if top else None
    if country is None:
        return None
    return PlaceMention(text=country.name, start=0, end=0, name=country.name, geonameid=country.geonameid,
                        lat=round(country.lat, 5), lon=round(country.lon, 5), country=country.country,
                        admin1=None, admin2=None, feature="country", score=0.3)


def _is_adjective(annotation: Annotation, place: PlaceMention) -> bool:
    span = annotation.doc.char_span(place.start, place.end, alignment_mode="expand")
    return span is not None and len(span) > 0 and span.root.pos_ == "ADJ"


def _main_place(places: list[PlaceMention]) -> PlaceMention | None:
    if not places:
        return None
    counts = Counter(p.name for p in places)
    return max(places, key=lambda p: (counts[p.name], -p.start))


def _predict_encoded(texts: list[str]) -> list[Any]:
    from .classify import predict_encoded

    return list(predict_encoded(texts)) if texts else []


def _predict(texts: list[str]) -> list[Any]:
    # the sentence classifier is part of the reading: a model that fails to load raises
    from .classify import predict

    return list(predict(texts)) if texts else []


# ---- one event --------------------------------------------------------------------------------

def _event(cand: Candidate, ctx: _Context, sources: list[SourceMention],
           siblings: list[Candidate]) -> tuple[Event, bool, bool]:
    annotation, sentence = ctx.annotation, cand.sentence
    skip = [(s.start, s.end) for s in sources]
    mentions = [m for m in annotation.actors if not any(a <= m.start < b for a, b in skip)]
    speaker = next((m for m in annotation.actors if any(a <= m.start < b for a, b in skip)), None)
    roles = args.actors_for(cand, mentions, speaker=speaker)
    actor1, actor2 = args.as_actor(roles.actor1), args.as_actor(roles.actor2)
    skip_places = skip + [(m.start, m.end) for m in annotation.actors]
    own_place = args.place_for(cand, annotation, skip=skip_places, others=siblings, country=ctx.country)
    place = own_place or _fallback_place(sentence, ctx)
    location = args.location_of(place, annotation, fallback=own_place is None)
    own_date = args.date_for(cand, annotation, skip=skip) or args.date_after(cand, published=ctx.published)
    attribution = _attributions(sources, cand)
    fact = factuality(cand.anchor, sentence, attributed=bool(attribution))
    first, last, precision = _dates(own_date or _fallback_date(sentence, ctx), cand, ctx, fact)
    sub = _territory_sub(cand.sub_event_type, actor1, cand.anchor, loser=actor2)
    crowd = _default_actor(cand.event_type, location.country or _actor_country(actor1, actor2) or ctx.home)
    if crowd is not None:  # ACLED: the crowd is actor1; named unions or parties are its allies
        # the crowd is actor1 whatever the words named it; people among it are no other side
        if actor2 is not None and actor2.type in {"Civilians", "Protesters", "Rioters"}:
            actor2 = None
        if actor1 is not None and actor1.type == "State forces" and actor2 is None:
            actor2 = actor1  # "police broke up the march": the police are the other side
        actor1 = crowd
    return (Event(
        id=event_id(annotation.article.id, [(sentence.start_char, sentence.end_char)], sub,
                     anchor=cand.anchor.idx),
        event_date=first, date_end=last, date_precision=precision,
        event_type=cand.event_type, sub_event_type=sub,
        actor1=actor1, actor2=actor2, location=location,
        evidence=[Evidence(annotation.article.id, sentence.text, sentence.start_char, sentence.end_char)],
        article_ids=[annotation.article.id],
        plover=_plover(cand.event_type, sub, sentence, fact),
        fatalities=args.fatalities_for(cand, annotation, alone=_alone(cand, siblings))
        if cand.event_type in VIOLENT else None,
        quantities=args.quantities_for([sentence], annotation),
        attribution=attribution, factuality=fact,
        background=is_background(cand.anchor, sentence, own_date, published=ctx.published),
        confidence=round(_confidence(cand, own_place, own_date), 4),
    ), own_place is not None, own_date is not None)


def _alone(cand: Candidate, siblings: list[Candidate]) -> bool:
    return not any(c is not cand and c.event_type in VIOLENT for c in siblings)


def _attributions(sources: list[SourceMention], cand: Candidate) -> list[Attribution]:
    seen: dict[str, Attribution] = {}
    for source in sources:
        if not (source.start <= cand.anchor.idx < source.end):
            seen.setdefault(source.attribution.source, source.attribution)
    return list(seen.values())


def _fallback_place(sentence: Span, ctx: _Context) -> PlaceMention | None:
    """The place named last before this sentence in its paragraph, else the article's main place."""
    start = _paragraph_start(sentence.start_char, ctx)
    places = [p for p in ctx.places if p.feature != "country" or p.country == ctx.country]
    before = [p for p in places if start <= p.start < sentence.start_char]
    if not before:  # a place named in the sentence before ("... the border nearby")
        last = max((p.start for p in places if p.start < sentence.start_char), default=None)
        before = [p for p in places if last is not None and p.start >= last - 300 and p.start < sentence.start_char]
    if before:
        return max(before, key=lambda p: (args._SPECIFIC.get(p.feature, 2.0), p.start))
    return ctx.main_place


def _fallback_date(sentence: Span, ctx: _Context) -> DateMention | None:
    start = _paragraph_start(sentence.start_char, ctx)
    before = [d for d in ctx.annotation.dates if start <= d.start < sentence.start_char]
    return before[-1] if before else None


def _subheadings(text: str, starts: list[int]) -> set[int]:
    """Starts of the paragraphs that are subheadings: a short line with no closing stop inside an
    article written in full sentences ("Syrian government expands control" between paragraphs),
    never its first paragraph (the headline, which may be the only place an event is told)."""
    paragraphs = [(a, text[a:b].strip()) for a, b in zip(starts, [*starts[1:], len(text)])]
    paragraphs = [(a, p) for a, p in paragraphs if p]
    prose = [p for _, p in paragraphs if p[-1] in _STOPS and len(p.split()) > _HEADING_WORDS]
    if len(prose) < 3 or 2 * len(prose) < len(paragraphs):
        return set()
    return {a for a, p in paragraphs[1:]
            if "\n" not in p and p[-1] not in _STOPS and len(p.split()) <= _HEADING_WORDS}


_STOPS = set(".!?:;\"'”’)")
_HEADING_WORDS = 10


def _paragraph_start(offset: int, ctx: _Context) -> int:
    return ctx.paragraph_starts[bisect.bisect_right(ctx.paragraph_starts, offset) - 1]


def _dates(mention: DateMention | None, cand: Candidate, ctx: _Context, fact: str) -> tuple[date, date, Any]:
    if mention is not None:
        return mention.first_day, mention.last_day, mention.precision
    verb = cand.anchor
    recent = fact == "ongoing" or any(c.lower_ in {"has", "have"} and c.dep_ == "aux" for c in verb.children)
    return args.published_window(ctx.published, recent=recent)


def _territory_sub(sub: str, actor1: Actor | None, anchor: Token, *, loser: Actor | None = None) -> str:
    if sub not in {"Government regains territory", "Non-state actor overtakes territory"}:
        return sub
    if actor1 is None and loser is not None and loser.type == "State forces":
        return "Non-state actor overtakes territory"  # "drove the army out of the town"
    if actor1 is None:  # "rebels seized the town": no group named, but not the state's
        verbs = [anchor, anchor.head] if anchor.dep_ == "conj" else [anchor]  # "rebels advance and seize"
        takers = [c for v in verbs for c in v.children if c.dep_ == "nsubj"] + [
            g for c in anchor.children if c.dep_ == "agent" or c.dep_ == "prep" and c.lower_ == "by"
            for g in c.children if g.dep_ == "pobj"]
        rebels = any(t.lemma_.lower() in cues().words("context", "non_state_takers") for t in takers)
        return "Non-state actor overtakes territory" if rebels else sub
    return "Government regains territory" if actor1.type == "State forces" else "Non-state actor overtakes territory"


def _actor_country(*actors: Actor | None) -> str | None:
    return next((a.country for a in actors if a is not None and a.country), None)


def _default_actor(event_type: str, country: str | None) -> Actor | None:
    # ACLED names an unnamed crowd by its country: "Protesters (Tunisia)"
    label = {"Protests": "Protesters", "Riots": "Rioters"}.get(event_type)
    if label is None:
        return None
    name = args.country_name(country)
    return Actor(f"{label} ({name})" if name else label, None, alpha3(country), label)  # type: ignore[arg-type]


# an air strike with no named side is someone's air force, not a gang
_OWNERLESS = {"Air/drone strike"}


def _unnamed_perpetrator(cand: Candidate, event: Event) -> bool:
    """Whether the text leaves out who did the violence: no subject or agent ("a soldier was shot
    dead"), or only a weapon or an event as subject ("a landmine explosion killed three"). A
    battle needs its other side named first; an air strike is someone's air force, not a gang."""
    if event.event_type not in VIOLENT or event.sub_event_type in _OWNERLESS:
        return False
    if event.event_type == "Battles" and event.actor2 is None:
        return False
    verb = clause_head(cand.anchor)
    doers = [c for c in verb.children if c.dep_ == "nsubj"]
    doers += [g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
    causes = cues().words("context", "unnamed_causes")
    return all(d.lemma_.lower() in causes for d in doers)


def _unidentified(country: str | None) -> Actor | None:
    # ACLED: violence whose perpetrator the text does not name is an unidentified armed group's
    name = args.country_name(country)
    if not name:
        return None
    return Actor(f"Unidentified Armed Group ({name})", None, alpha3(country), "Political militia")


def _plover(event_type: str, sub: str, sentence: Span, fact: str) -> dict[str, str] | None:
    """The event's PLOVER coding; for what has not happened ("vowed to attack", "must reach a
    deal"), the act the sentence tells instead: a threat, a demand, a promise."""
    try:
        from .plover import plover_for
        from .verbal import read_verbal
    except ImportError:
        return None
    if fact in {"planned", "hypothetical", "negated"} and (said := read_verbal(sentence)) is not None:
        return {"event_type": said.event_type, "mode": said.mode}
    return plover_for(event_type, sub, sentence.text, sentence=sentence)


def _confidence(cand: Candidate, place: PlaceMention | None, own_date: DateMention | None) -> float:
    score = cand.weight
    score -= 0.05 if place is None else 0.0
    score -= 0.02 if own_date is None else 0.0
    score += 0.1 if cand.sentence.start == 0 else 0.0  # the lead tells the main event
    return max(0.0, min(1.0, score))
