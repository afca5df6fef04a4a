"""Trigger words in a sentence, grouped into event candidates by the ACLED precedence rules.

A *trigger* is a word or phrase from ``data/events/triggers.yaml`` found in the parse; a
*candidate* is one event a sentence tells, made of one or more triggers. Precedence (ACLED
codebook): a takeover told with fighting is a battle over territory and the fighting is a clash
of its own; a takeover with no fighting is a non-violent transfer; a strike or shelling during a
ground battle belongs to the battle; deaths belong to the event that caused them.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from ..nlp import title_cased
from .cues import TriggerEntry, cues

__all__ = ["Trigger", "Candidate", "find_triggers", "group_triggers", "FAMILY"]

# Trigger kinds that tell the same kind of event; triggers of one family in a sentence are one event.
FAMILY: dict[str, str] = {
    "fight": "battle", "attack": "battle", "air": "remote", "shell": "remote", "bombverb": "remote",
    "explosive": "remote", "blast": "remote", "suicide": "remote", "grenade": "remote", "chemical": "remote",
    "territory_violent": "territory", "territory_soft": "territory", "withdraw": "territory",
    "protest": "demo", "riot": "demo", "agreement": "agreement", "arrest": "arrest",
    "abduct": "abduct", "sexual": "sexual", "loot": "loot", "base": "base", "disrupt": "disrupt",
    "change": "change", "deploy": "deploy", "kill": "kill",
}
_OPEN_POS = {"NOUN", "VERB", "ADJ"}
_DEATH = {"kill", "killed", "murder", "behead", "execute", "shoot dead", "shot dead", "massacre",
          "assassinate", "slaughter", "gun down", "gunned down", "die", "dead", "death", "lynch",
          "killing", "assassination", "execution", "claim lives", "claim the lives", "claimed lives",
          "claimed the lives"}


@dataclass
class Trigger:
    entry: TriggerEntry
    anchor: Token
    first: int  # token index of the phrase's first word (document-wide)
    last: int
    word: str  # the lexicon phrase it matched

    @property
    def kind(self) -> str:
        return self.entry.kind

    @property
    def deadly(self) -> bool:
        return self.word in _DEATH


@dataclass
class Candidate:
    """One event a sentence tells: its main trigger, the others that belong to it."""

    sentence: Span
    main: Trigger
    triggers: list[Trigger] = field(default_factory=list)
    event_type: str = ""
    sub_event_type: str = ""
    weight: float = 0.5
    actor_types: dict[int, str] = field(default_factory=dict)  # token index -> ACLED actor type

    @property
    def anchor(self) -> Token:
        return self.main.anchor

    def kinds(self) -> set[str]:
        return {t.kind for t in self.triggers}


@functools.lru_cache(maxsize=1)
def _index() -> dict[str, list[tuple[TriggerEntry, tuple[str, ...]]]]:
    """First word -> (entry, words) for every lexicon phrase, longest phrases first."""
    index: dict[str, list[tuple[TriggerEntry, tuple[str, ...]]]] = {}
    for entry in cues().triggers:
        for phrase in entry.words:
            words = tuple(phrase.split())
            index.setdefault(words[0], []).append((entry, words))
    for options in index.values():
        options.sort(key=lambda item: -len(item[1]))
    return index


def _forms(token: Token) -> tuple[str, ...]:
    if token.tag_ in {"NNP", "NNPS"} and token.lower_.endswith("s"):
        # the tagger leaves a name unlemmatised: "Hospital Attacks" in a title-cased headline
        return token.lemma_.lower(), token.lower_, token.lower_[:-1]
    return token.lemma_.lower(), token.lower_


def _match_rest(sentence: Span, start: int, rest: tuple[str, ...]) -> int | None:
    """Index of the last token when ``rest`` follows ``start``, each word within 3 tokens."""
    pos = start
    for word in rest:
        window = range(pos + 1, min(pos + 4, sentence.end))
        pos = next((i for i in window if word in _forms(sentence.doc[i])), -1)
        if pos < 0:
            return None
    return pos


def _eligible(token: Token, words: tuple[str, ...]) -> bool:
    if token.ent_type_ in {"DATE", "TIME"}:
        return False  # "4th March" is a day, not a march
    if len(words) > 1 or token.pos_ in _OPEN_POS:
        return True
    if token.pos_ != "PROPN":
        return False
    if not token.ent_type_ and not token.is_sent_start:
        return True  # "mortars filled with Chlorine gas": capitalised, yet no name
    if token.tag_ == "NNPS":
        return True  # "Violent Clashes continue": a name is rarely a plural event word
    if token.dep_ == "ROOT" and any(c.dep_ == "nsubj" for c in token.children):
        return True  # "10 Fighters ... Killed": a name is rarely a sentence's verb with a subject
    # acronyms (IED), words of a title-cased headline, which the tagger calls names, and a
    # sentence's capitalised first word outside any name ("Massacre in the countryside ...")
    first = token.i == token.sent.start and not token.ent_type_
    return (token.text.isupper() and len(token.text) <= 4) or title_cased(token.sent) or first


# the last Doc read and its sentences' triggers (the Doc held, so that no other can take its
# place in memory): the candidates, the PLOVER reading and the told-elsewhere test each ask
_FOUND: tuple[Doc | None, dict[tuple[int, int], list[Trigger]]] = (None, {})


def find_triggers(sentence: Span) -> list[Trigger]:
    """Every lexicon trigger in ``sentence``; a longer phrase hides the words inside it. Found
    once per span of a Doc (Docs are not changed once parsed); a new list each time."""
    global _FOUND
    memo = _FOUND
    if memo[0] is not sentence.doc:
        memo = _FOUND = (sentence.doc, {})
    key = (sentence.start, sentence.end)
    found = memo[1].get(key)
    if found is None:
        found = memo[1][key] = _find_triggers(sentence)
    return list(found)


def _find_triggers(sentence: Span) -> list[Trigger]:
    found: list[Trigger] = []
    covered: set[int] = set()
    index = _index()
    lemmas = {t.lemma_.lower() for t in sentence} | {t.lower_ for t in sentence}
    for token in sentence:
        if token.i in covered:
            continue
        for form in dict.fromkeys(_forms(token)):
            match = _match_at(sentence, token, index.get(form, ()), lemmas)
            if match:
                found.append(match)
                covered.update(range(match.first, match.last + 1))
                break
    return found


def _match_at(sentence: Span, token: Token, options, lemmas: set[str]) -> Trigger | None:
    for entry, words in options:
        if not _eligible(token, words) or (entry.requires and not entry.requires & lemmas) \
                or (entry.pos and token.pos_ not in entry.pos and not _verb_read_as_noun(token, entry)) \
                or (entry.place_object and not _takes_a_place(token)):
            continue
        last = _match_rest(sentence, token.i, words[1:]) if len(words) > 1 else token.i
        if last is None or last > token.i + len(words) - 1 and _in_a_name(token):
            continue  # "Air France pilots strike": a name's first word starts no spread phrase
        anchor = sentence.doc[last] if entry.anchor == "last" else token
        return Trigger(entry, _content_anchor(anchor), token.i, last, " ".join(words))
    return None


def _in_a_name(token: Token) -> bool:
    """Whether the token begins a name of several words ("Air France")."""
    return token.pos_ == "PROPN" and token.ent_iob_ == "B" and token.i + 1 < len(token.doc) \
        and token.doc[token.i + 1].ent_iob_ == "I"


def _verb_read_as_noun(token: Token, entry: TriggerEntry) -> bool:
    """Headline verbs the tagger reads as nouns: "Rebel factions advance in the south"."""
    noun = token.pos_ == "NOUN" or token.pos_ == "PROPN" and title_cased(token.sent)
    if not ("VERB" in entry.pos and noun and token.i > token.sent.start) \
            or any(c.dep_ in {"det", "poss", "amod", "nummod"} for c in token.children):
        return False
    doc = token.doc
    back = token.i - 1
    while back > token.sent.start and doc[back].tag_ in _QUOTES:  # 'The "Islamic State" advance'
        back -= 1
    on = token.i + 1
    while on < token.sent.end and doc[on].pos_ == "ADV":  # "advance again in X"
        on += 1
    before = doc[back].tag_
    # "Regime force advance in X", "Hezbollah advance in X": a subject before, a place after, or
    # a second verb ("factions advance and control a village")
    ahead = on < token.sent.end and (doc[on].dep_ == "prep" or doc[on].lower_ == "and"
                                     and on + 1 < token.sent.end and doc[on + 1].pos_ == "VERB")
    return before in {"NNS", "NNPS"} or before in {"NN", "NNP"} and (ahead or token.dep_ == "ROOT")


_QUOTES = {"``", "''", '"', "-RRB-", "-LRB-"}


def _takes_a_place(verb: Token) -> bool:
    """Whether what ``verb`` takes is ground: a place noun or a named place, as its object or
    where it takes someone from ("expelled the militants from the town")."""
    places = cues().words("context", "place_nouns")
    taken = [c for c in verb.children if c.dep_ in {"dobj", "nsubjpass"}]
    heads = [verb] + [c for c in verb.children if c.dep_ == "dobj"]  # "expelled the rebels from X"
    froms = [c for h in heads for c in h.children if c.dep_ == "prep" and c.lower_ in {"from", "out"}]
    froms += [o for c in froms if c.lower_ == "out" for o in c.children if o.lower_ == "of"]  # "out of X"
    taken += [g for c in froms for g in c.children if g.dep_ == "pobj"]
    return any(t.lemma_.lower() in places or t.ent_type_ in {"GPE", "LOC", "FAC"} or t.pos_ == "PROPN"
               for t in taken)


def _content_anchor(token: Token) -> Token:
    # "opened fire" anchors on the verb already; a particle or preposition hands over to its head
    return token.head if token.pos_ in {"ADP", "PART"} and token.head.i != token.i else token


def tree_distance(a: Token, b: Token) -> int:
    """Edges on the dependency path between two tokens of one sentence."""
    up_a = [a, *a.ancestors]
    depth_a = {t.i: n for n, t in enumerate(up_a)}
    for n, t in enumerate([b, *b.ancestors]):
        if t.i in depth_a:
            return n + depth_a[t.i]
    return len(up_a) + 20


_REMOTE_ORDER = ("suicide", "chemical", "explosive", "grenade", "air", "shell", "blast", "bombverb")


def group_triggers(sentence: Span, triggers: list[Trigger], *,
                   actor_types: dict[int, str] | None = None) -> list[Candidate]:
    """Triggers of one sentence -> candidates, with ACLED types decided by precedence."""
    groups: dict[str, list[Trigger]] = {}
    for trig in (t for t in triggers if not _seizes_a_thing(t) and not _in_protest(t)):
        if trig.kind != "kill":
            groups.setdefault(FAMILY[trig.kind], []).append(trig)
    kills = [t for t in triggers if t.kind == "kill"]
    _merge_by_precedence(groups, deadly=bool(kills))
    if not groups and kills:
        groups["kill"] = kills
    elif kills:
        _attach_kills(groups, kills)
    candidates = []
    for family, trigs in groups.items():
        for part in _split_distant(trigs):
            candidates.append(_candidate(sentence, family, part, groups, actor_types or {}))
    return [c for c in candidates if c.event_type]


def _seizes_a_thing(trig: Trigger) -> bool:
    """"captured a vehicle", "equipment was seized": taking things, not ground (whom one expels
    from a place is no thing taken); "killed 15 militants and captured 2": a bare number counts
    people already named."""
    if not trig.kind.startswith("territory") or trig.anchor.lemma_.lower() == "expel":
        return False
    things = cues().words("context", "seized_things")
    objects = [c for c in trig.anchor.children if c.dep_ in {"dobj", "nsubjpass"}]
    return bool(objects) and all(o.lemma_.lower() in things or o.like_num for o in objects)


def _in_protest(trig: Trigger) -> bool:
    """"summoned the envoy in protest", "resigned in protest": a manner, not a protest event."""
    anchor = trig.anchor
    bare = not any(c.dep_ in {"det", "poss", "amod"} for c in anchor.children)  # not "in a protest"
    return (trig.kind == "protest" and anchor.dep_ == "pobj" and anchor.head.lower_ == "in" and bare
            and anchor.head.head.lemma_.lower() not in cues().words("context", "crowd_verbs"))


def _split_distant(trigs: list[Trigger]) -> list[list[Trigger]]:
    """Nominal triggers far apart in the parse are separate events ("attacks ... following an
    ambush"); deaths stay with the nearest of them."""
    parts: list[list[Trigger]] = []
    for trig in sorted(trigs, key=lambda t: t.kind == "kill"):
        near = [p for p in parts if min(tree_distance(trig.anchor, t.anchor) for t in p) <= 3]
        if trig.kind == "kill" and parts:
            near = [min(parts, key=lambda p: min(tree_distance(trig.anchor, t.anchor) for t in p))]
        if near:
            near[0].append(trig)
        else:
            parts.append([trig])
    return parts


# how far (in the parse) a fight may lie from a protest's words and still be the crowd's
CROWD_REACH = 3
# weapons fired from afar: civilians they hit make remote violence by any reading of ACLED's
# codebook (a grenade or a suicide bomb ACLED 2016 coded by who was hit, and its models learned so)
FROM_AFAR = frozenset({"air", "shell"})


def _merge_by_precedence(groups: dict[str, list[Trigger]], *, deadly: bool = False) -> None:
    if "remote" in groups and "battle" in groups:
        if any(t.kind == "fight" for t in groups["battle"]):
            groups["battle"] += groups.pop("remote")  # a strike during a ground battle is the battle
        else:
            groups["remote"] += groups.pop("battle")  # "shells targeted ...": the attack is the shelling
    if "demo" in groups:
        demo = groups["demo"]
        # fighting far from the crowd in the parse is its own battle ("fighting continues on the
        # front, in conjunction with a sit-in in protest against ...")
        far = [t for t in groups.get("battle", []) if _far_from(t, demo)]
        for family in ("battle", "loot", "arrest", "territory"):
            demo += [t for t in groups.pop(family, []) if t not in far]
        if far:
            groups["battle"] = far
    for family in ("abduct", "sexual"):
        if family in groups and "battle" in groups and not _has(groups["battle"], "fight"):
            groups[family] += groups.pop("battle")
    if "disrupt" in groups and "remote" in groups and not deadly and all(
            any(d.anchor.is_ancestor(r.anchor) for d in groups["disrupt"]) for r in groups["remote"]):
        groups["disrupt"] += groups.pop("remote")  # "defused two landmines": no explosion, no dead
    if "loot" in groups and ("battle" in groups or "remote" in groups):
        groups["battle" if "battle" in groups else "remote"] += groups.pop("loot")


def _has(trigs: list[Trigger], kind: str) -> bool:
    return any(t.kind == kind for t in trigs)


_PEACEFUL = {"arrest", "agreement", "deploy", "base", "change", "disrupt"}


def _attach_kills(groups: dict[str, list[Trigger]], kills: list[Trigger]) -> None:
    # deaths belong to the nearest violent event in the parse ("an ambush that killed two
    # soldiers"); beside only arrests or deals they are an event of their own
    # a pullout is no violence the deaths could belong to ("after 28 casualties ... to withdraw")
    violent = [f for f in groups if f not in _PEACEFUL and not all(t.kind == "withdraw" for t in groups[f])]
    if violent == ["loot"] and any(min(tree_distance(k.anchor, t.anchor) for t in groups["loot"]) <= 2
                                   for k in kills):
        # "steals a salesman's jewels and shoots his sons": the attack on them (not "destroyed the
        # tomb of men killed in 1915")
        groups["kill"] = kills + groups.pop("loot")
        return
    if violent == ["demo"] and all(_far_from(k, groups["demo"]) for k in kills):
        violent = []  # "marched against the army, which residents say killed 12": a killing of its own
    for kill in kills:
        if not violent:
            groups.setdefault("kill", []).append(kill)
            continue
        family = min(violent, key=lambda f: min(tree_distance(kill.anchor, t.anchor) for t in groups[f]))
        groups[family].append(kill)


def _far_from(trig: Trigger, crowd: list[Trigger]) -> bool:
    return min(tree_distance(trig.anchor, t.anchor) for t in crowd) > CROWD_REACH


def _candidate(sentence: Span, family: str, trigs: list[Trigger], groups: dict,
               actor_types: dict[int, str]) -> Candidate:
    trigs.sort(key=lambda t: t.first)
    main = max(trigs, key=lambda t: (t.kind != "kill", t.entry.weight))
    cand = Candidate(sentence, main, trigs, weight=main.entry.weight, actor_types=actor_types)
    typer = _TYPERS.get(family)
    event_type, sub = typer(cand, groups) if typer else (main.entry.event_type, main.entry.sub_event_type)
    looting = family == "kill" and _has(trigs, "loot")
    if (family in {"battle", "loot", "territory"} or looting) and _crowd_did_it(cand):
        # students or a crowd storming, burning or fighting: a violent demonstration (ACLED)
        event_type, sub = "Riots", "Violent demonstration"
    cand.event_type, cand.sub_event_type = event_type, sub
    return cand


def _crowd_did_it(cand: Candidate) -> bool:
    """A crowd did it: its subject, or one side of a clash "between supporters of X and Y"."""
    crowd = cues().victims.get("protesters", frozenset())
    subjects = _doers(cand.main)
    subjects += [side for prep in cand.main.anchor.children if prep.lower_ == "between"
                 for first in prep.children if first.dep_ == "pobj"
                 for side in (first, *first.conjuncts)]
    return any(s.lemma_.lower() in crowd or cand.actor_types.get(s.i) in {"Rioters", "Protesters"}
               for s in subjects)


def _doers(trig: Trigger) -> list[Token]:
    """Who did what a trigger word tells: its subject or agent, or the subject of the verb it is
    joined to ("police used tear gas and assaulted protesters")."""
    anchor = trig.anchor
    subjects = [c for c in anchor.children if c.dep_ in {"nsubj", "agent"}]
    if not subjects and anchor.dep_ == "conj":
        subjects = [c for c in anchor.head.children if c.dep_ == "nsubj"]
    return subjects + [p for s in subjects if s.dep_ == "agent"
                       for p in s.children if p.dep_ == "pobj"]


def _type_remote(cand: Candidate, groups: dict) -> tuple[str, str]:
    kinds = cand.kinds()
    kind = next((k for k in _REMOTE_ORDER if k in kinds), None)
    if kind is None:  # a split-off part made of attack words only
        return _type_battle(cand, groups)
    entry = next(t.entry for t in cand.triggers if t.kind == kind)
    cand.main = next(t for t in cand.triggers if t.kind == kind)
    return entry.event_type, entry.sub_event_type


def _type_battle(cand: Candidate, groups: dict) -> tuple[str, str]:
    if _has(cand.triggers, "fight") or _has(cand.triggers, "air") or _has(cand.triggers, "shell"):
        return "Battles", "Armed clash"
    return _by_victims(cand)


def _type_kill(cand: Candidate, groups: dict) -> tuple[str, str]:
    return _by_victims(cand)


def _by_victims(cand: Candidate) -> tuple[str, str]:
    victims = victim_class(cand)
    if victims == "armed":
        return "Battles", "Armed clash"
    return "Violence against civilians", "Attack"


def _type_territory(cand: Candidate, groups: dict) -> tuple[str, str]:
    taking = [t for t in cand.triggers if t.kind.startswith("territory")]
    if not taking:
        return "Strategic developments", "Non-violent transfer of territory"
    cand.main = max(taking, key=lambda t: t.entry.weight)
    fought = "battle" in groups or "remote" in groups or any(t.deadly for t in cand.triggers)
    hard = any(t.kind == "territory_violent" for t in taking)
    if fought or (hard and not _peaceful(cand.sentence)):
        return "Battles", "Government regains territory"  # the taker decides; see arguments
    return "Strategic developments", "Non-violent transfer of territory"


def _peaceful(sentence: Span) -> bool:
    cue = cues().words("factuality", "nonviolent")
    return any(t.lemma_.lower() in cue or t.lower_ in cue for t in sentence) or _phrase_in(sentence, cue)


def _phrase_in(span: Span, phrases: frozenset[str]) -> bool:
    text = span.text.lower()
    return any(" " in p and p in text for p in phrases)


def _type_demo(cand: Candidate, groups: dict) -> tuple[str, str]:
    kinds = cand.kinds()
    violent = [t for t in cand.triggers if t.kind in {"riot", "loot", "fight", "attack"}]
    # "police fired tear gas at protesters": force met the crowd, the crowd was not violent
    policed = bool(violent) and all(t.kind == "attack" and _by_security(t, cand) for t in violent)
    if violent and all(t.kind == "attack" and by_armed_group(t, cand) for t in violent):
        return "Violence against civilians", "Attack"  # a militia firing on a demonstration
    if violent and not policed:
        mob = any(t.word == "mob" for t in cand.triggers)
        return "Riots", "Mob violence" if mob else "Violent demonstration"
    if any(t.deadly for t in cand.triggers):
        return "Protests", "Excessive force against protesters"
    intervention = cues().words("factuality", "intervention")
    if policed or "arrest" in kinds or _phrase_in(cand.sentence, intervention) or any(
            t.lemma_.lower() in intervention for t in cand.sentence):
        return "Protests", "Protest with intervention"
    cand.main = next((t for t in cand.triggers if t.kind == "protest"), cand.main)
    if cand.main.kind != "protest":
        return cand.main.entry.event_type, cand.main.entry.sub_event_type
    return "Protests", "Peaceful protest"


def _by_security(trig: Trigger, cand: Candidate) -> bool:
    """Whether the police, soldiers or other state forces did it (the word's subject or agent)."""
    security = cues().words("context", "security_doers")
    subjects = _doers(trig)
    return bool(subjects) and all(s.lemma_.lower() in security or s.lower_ in security
                                  or cand.actor_types.get(s.i) == "State forces" for s in subjects)


_GROUPS = {"Rebel group", "Political militia", "Identity militia"}


def by_armed_group(trig: Trigger, cand: Candidate) -> bool:
    """Whether a named armed group, not the state, did it (the word's subject or agent)."""
    subjects = _doers(trig)
    return bool(subjects) and all(cand.actor_types.get(s.i) in _GROUPS for s in subjects)


def _type_disrupt(cand: Candidate, groups: dict) -> tuple[str, str]:
    cand.main = next(t for t in cand.triggers if t.kind == "disrupt")
    return cand.main.entry.event_type, cand.main.entry.sub_event_type


_TYPERS = {"disrupt": _type_disrupt, "remote": _type_remote, "battle": _type_battle, "kill": _type_kill,
           "territory": _type_territory, "demo": _type_demo}


def patients(anchor: Token) -> list[Token]:
    """Heads of what an event word acts on: objects, passive subjects, "on/against X"."""
    found = [c for c in anchor.children if c.dep_ in {"dobj", "nsubjpass", "attr"}]
    for prep in (c for c in anchor.children if c.dep_ == "prep" and c.lower_ in {"on", "against", "at"}):
        found += [c for c in prep.children if c.dep_ == "pobj"]
    # "an attack that targeted X": the relative pronoun is the doer ("the man whom they shot" the hit)
    doer = any(c.dep_ == "nsubj" and c.tag_ in {"WDT", "WP"} for c in anchor.children)
    if anchor.dep_ == "relcl" and not doer or (anchor.dep_ == "acl" and anchor.tag_ == "VBN"):
        found.append(anchor.head)  # "soldiers killed in ...", "civilians who were shot"
    return found + [c for f in list(found) for c in f.conjuncts]


# ACLED actor types of the people hit -> which side of the battle/civilians line they stand on
_SIDE_OF_ACTOR = {"Civilians": "civilian", "Protesters": "civilian", "State forces": "armed",
                  "Rebel group": "armed", "Political militia": "armed", "Identity militia": "armed",
                  "External/Other forces": "armed"}


def victim_class(cand: Candidate) -> str | None:
    """``civilian`` or ``armed`` from the nouns the event's triggers act on; None if unknown."""
    table = cues().victims
    votes = {"civilian": 0, "armed": 0}
    for trig in cand.triggers:
        for noun in patients(trig.anchor):
            words = {noun.lemma_.lower(), noun.lower_} | {c.lemma_.lower() for c in noun.children
                                                        if c.dep_ in {"amod", "compound"}}
            for side in votes:
                votes[side] += bool(words & table[side])
            # the actor may name the noun's owner: "an SPLA vehicle", "AMISOM convoy"
            kind = next((k for t in (noun, *(c for c in noun.children if c.dep_ in {"compound", "amod"}))
                         if (k := cand.actor_types.get(t.i))), None)
            side = _SIDE_OF_ACTOR.get(kind or "")
            if side:
                votes[side] += 2
    if votes["armed"] > votes["civilian"]:
        return "civilian" if _off_duty(cand.sentence, table) else "armed"
    return "civilian" if votes["civilian"] else None


def _off_duty(sentence: Span, table: dict[str, frozenset[str]]) -> bool:
    """"An army major was shot at a bar", "a retired colonel": armed people hit off duty."""
    if any(t.lower_ in table["off_duty_words"] for t in sentence):
        return True
    return any(t.dep_ == "pobj" and t.lemma_.lower() in table["off_duty_places"]
               and t.head.lower_ in {"at", "in", "near", "outside"} for t in sentence)


def fought(cand: Candidate) -> bool:
    """Fighting, or an attack on armed people ("renews its attacks on the army's positions"): a
    battle, not the strategic development (a change of activity) a model may read into "renews"."""
    if any(t.dep_ == "prep" and t.lower_ in {"after", "following"} for t in cand.anchor.ancestors):
        return False  # "troops were sent after an attack on the army": told as the cause
    armed = cues().victims["armed"]
    if not any(t.lemma_.lower() in armed for t in cand.sentence) and not any(
            _SIDE_OF_ACTOR.get(kind) == "armed" for kind in cand.actor_types.values()):
        return False  # "a clash between two rival gangs": no armed side named
    if cand.main.kind == "fight":  # an operation or advance told without its fighting needs casualties
        return cand.main.entry.weight >= 0.7 or _has(cand.triggers, "kill")
    return cand.main.kind == "attack" and victim_class(cand) == "armed"


def victims_contradict(cand: Candidate, event_type: str) -> bool:
    """Whether the people hit say otherwise than ``event_type``: soldiers killed are a battle,
    villagers killed are violence against civilians (ACLED codebook), whatever a model says."""
    victims = victim_class(cand)
    return victims == "armed" and event_type == "Violence against civilians"
