"""PLOVER's political and verbal events read from a sentence's main verb: agreements, meetings,
praise, aid, concessions, demands, accusations, rejections, threats, sanctions (what ACLED does
not code, and what the trigger words of ``triggers`` leave alone).

The reading follows the sentence's root down the clauses that only carry another event ("said
it would ...", "announced that ..."), then takes the verb's own entry in
``data/events/plover_verbs.yaml``, refined by its particle ("call for"), its object ("reach an
agreement", "impose sanctions") or, for a headline's noun root, the noun ("Talks resume").
What someone means to do is PLOVER's AGREE when it is cooperative ("pledged to send aid", "will
visit") and THREATEN when hostile ("vowed to fight"); a cooperative act refused, failed or
negated is a REJECT ("will not accept", "failed to reach agreement").

>>> read_verbal(next(parse("Berlin rejected the request.").sents)).event_type  # doctest: +SKIP
'REJECT'
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from spacy.tokens import Span, Token

from ..datafiles import load_yaml
from .cues import cues

__all__ = ["VerbalReading", "read_verbal"]

_CLAUSES = {"ccomp", "xcomp"}
_OBJECTS = {"dobj", "obj", "attr", "nsubjpass", "dative", "oprd"}
_FUTURE = {"will", "would", "shall", "'ll"}
_CONTEXT = {"as", "after", "before", "despite", "amid", "amidst", "during", "since", "until", "following", "like"}
_DEPTH = 4


@dataclass(frozen=True)
class VerbalReading:
    event_type: str  # PLOVER type
    mode: str
    anchor: Token  # the word that carries it


@cache
def _lexicon() -> dict[str, Any]:
    return load_yaml("events/plover_verbs.yaml", version=1)


def read_verbal(sentence: Span) -> VerbalReading | None:
    """The PLOVER reading of a sentence's main event, or None when its verbs tell none."""
    root = sentence.root
    if root.pos_ in {"NOUN", "PROPN"}:
        return _noun(root) or _clause_reading(root, 0)
    return _read(root, 0)


def _read(verb: Token, depth: int) -> VerbalReading | None:
    if depth > _DEPTH:
        return None
    lex, lemma = _lexicon(), verb.lemma_.lower()
    if lemma in lex["refusing"] or _intends(verb):
        inner = _complement(verb, depth)
        if inner is not None:  # "refused to meet", "failed to reach a deal"; "pledged to send aid"
            return VerbalReading("REJECT", "", verb) if lemma in lex["refusing"] else _intended(inner, verb)
        if (clause := _clause(verb)) is not None and clause.lemma_.lower() in lex["formulas"]:
            return None  # "declined to comment": a formula, no refusal
    if _modal(verb, {"must", "should"}) and lemma not in lex["carriers"]:
        return VerbalReading("DEMAND", "", verb)  # "Sudan must return the helicopter"
    own = _own(verb)  # a carrier with an entry of its own ("declared a curfew") tells it
    if own is None and lemma in lex["carriers"]:
        return _clause_reading(verb, depth) or _event_noun(verb) or _conjoined(verb, depth)
    if own is None:  # "authorised the deployment of the army to support the police"
        return _event_noun(verb) or _clause_reading(verb, depth) or _conjoined(verb, depth)
    if _negated(verb):
        return _refused(own, verb)
    if _modal(verb, _FUTURE | {"may", "might", "could"}):
        return _intended(own, verb)  # "will visit": an intent to meet; "would boycott": a threat
    return own


def _intends(verb: Token) -> bool:
    """"pledged to ...", "is willing to ...", "is ready to ...": what someone means to do."""
    intent = _lexicon()["intent"]
    if verb.lemma_.lower() in intent["verbs"]:
        return True
    return verb.lemma_.lower() == "be" and any(
        c.dep_ == "acomp" and c.lower_ in intent["adjectives"] for c in verb.children)


def _event_noun(verb: Token) -> VerbalReading | None:
    """A verb that names no event of its own, done to (or by) an event noun: "staged a hunger
    strike", "completed the withdrawal", "riots are continuing" (not a verb that refers back to
    one told elsewhere: "the pullout follows a deal", "the withdrawal comes after ...")."""
    if verb.lemma_.lower() in cues().words("context", "reference_verbs"):
        return None
    for noun in _objects(verb) + [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}]:
        if (found := _noun(noun)) is not None:
            return VerbalReading(found.event_type, found.mode, verb)
    return None


def _conjoined(verb: Token, depth: int) -> VerbalReading | None:
    for child in verb.children:
        if child.dep_ == "conj" and child.pos_ == "VERB":
            return _read(child, depth + 1)
    return None


def _own(verb: Token) -> VerbalReading | None:
    """The verb's own entry: with its particle, else with its object, else alone."""
    lex, lemma = _lexicon(), verb.lemma_.lower()
    for child in verb.children:
        if child.dep_ in {"prt", "prep", "acomp"} and child.lower_ in lex["particles"].get(lemma, {}):
            found = lex["particles"][lemma][child.lower_]  # null: no event ("warned of")
            return VerbalReading(found[0], found[1], verb) if found else None
    by_object = lex["objects"].get(lemma)
    if by_object:
        for obj in _objects(verb):
            if obj.lemma_.lower() in by_object:  # null: no event ("met its commitments")
                found = by_object[obj.lemma_.lower()]
                return VerbalReading(found[0], found[1], verb) if found else None
        if "*" in by_object:
            return VerbalReading(by_object["*"][0], by_object["*"][1], verb)
    found = lex["verbs"].get(lemma)
    return VerbalReading(found[0], found[1], verb) if found else None


def _objects(verb: Token) -> list[Token]:
    found = [c for c in verb.children if c.dep_ in _OBJECTS]
    # "put under investigation", "arrived on a visit": the object of a preposition (not one of
    # time or circumstance: "as talks stalled", "after the meeting")
    found += [g for c in verb.children if c.dep_ in {"prep", "agent"} and c.lower_ not in _CONTEXT
              for g in c.children if g.dep_ == "pobj"]
    # "tons of food aid", "a mediation mission", "aid and loans"
    found += [g for f in list(found) for c in f.children if c.dep_ == "prep" and c.lower_ == "of"
              for g in c.children if g.dep_ == "pobj"]
    found += [g for f in list(found) for g in f.children if g.dep_ in {"conj", "compound"}]
    return found


def _noun(noun: Token) -> VerbalReading | None:
    found = _lexicon()["nouns"].get(noun.lemma_.lower())
    return VerbalReading(found[0], found[1], noun) if found else None


def _complement(verb: Token, depth: int) -> VerbalReading | None:
    """The event a verb of intent or refusal governs: its clause, else its object noun."""
    # "is willing to withdraw": the clause hangs from the adjective
    heads = [verb] + [c for c in verb.children if c.dep_ == "acomp"]
    for child in (c for head in heads for c in head.children):
        if child.dep_ in {"xcomp", "ccomp"} and child.pos_ in {"VERB", "AUX"}:
            inner = _read(child, depth + 1)
            if inner is not None:
                return inner
    for obj in _objects(verb):
        if (found := _noun(obj)) is not None:
            return found
    return None


def _clause_reading(head: Token, depth: int) -> VerbalReading | None:
    for child in head.children:
        if (child.dep_ in _CLAUSES or _purpose(child)) and child.pos_ in {"VERB", "AUX"}:
            inner = _read(child, depth + 1)
            if inner is not None:
                return inner
    return None


def _purpose(clause: Token) -> bool:
    """"shunned work to protest": an infinitive of purpose, not "as talks stalled"."""
    return clause.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in clause.children)


def _clause(verb: Token) -> Token | None:
    """The clause a verb of intent or refusal governs ("declined [to comment]"), if any."""
    heads = [verb] + [c for c in verb.children if c.dep_ == "acomp"]
    return next((c for h in heads for c in h.children
                 if c.dep_ in {"xcomp", "ccomp"} and c.pos_ in {"VERB", "AUX"}), None)


def _intended(inner: VerbalReading, verb: Token) -> VerbalReading | None:
    """What someone means to do: cooperative is an AGREE, hostile (or on a condition: "unless
    the president steps down") a THREATEN."""
    intent = _lexicon()["intent"]
    if _negated(verb):
        return _refused(inner, verb)
    if verb.lemma_.lower() in {"threaten", "warn"} or inner.event_type in intent["hostile"] or _on_condition(verb):
        return VerbalReading("THREATEN", "", verb)
    if inner.event_type in intent["cooperative"]:
        return VerbalReading("AGREE", "", verb)
    return inner


def _on_condition(verb: Token) -> bool:
    return any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "unless" for m in c.children)
               for c in verb.subtree)


def _refused(inner: VerbalReading, verb: Token) -> VerbalReading | None:
    """A cooperative act negated is a REJECT ("will not accept"); anything else negated did not
    happen ("did not condemn")."""
    if inner.event_type in _lexicon()["rejected"]:
        return VerbalReading("REJECT", "", verb)
    return None


def _negated(verb: Token) -> bool:
    return any(c.dep_ == "neg" for c in verb.children)


def _modal(verb: Token, words: set[str]) -> bool:
    return any(c.dep_ == "aux" and c.lower_ in words for c in verb.children)
