"""Named features: what the linguistic rules and lexicons know, as inputs to trained heads.

Each feature is a small pure function of one decision's inputs that returns named values
(``{"dep=nsubj": 1.0}``); the heads in ``decide`` weigh them. A rule never decides here: where
a rule used to pick (the parse's subject is actor1), it becomes a feature (``rule:agent``) and
the trained head learns how much to trust it, beside the others.

Role features describe one actor mention against one candidate event: how the parse links the
mention to the event's words, where it stands, what kind of actor it is, and whether the words
around it tell harm done to it ("were killed", "died", "Seven militants").
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from spacy.tokens import Span, Token

from ..datafiles import load_yaml
from ..records import ActorMention
from .triggers import Candidate, tree_distance

__all__ = ["RoleInput", "role_features", "ROLE_FEATURES", "mention_head", "EventInput", "event_features",
           "EVENT_FEATURES", "harmed", "sentence_features"]

T = TypeVar("T")


@dataclass(frozen=True)
class RoleInput:
    """One mention as a possible actor of one candidate event."""

    cand: Candidate
    mention: ActorMention
    head: Token  # the syntactic head of the mention's words
    index: int  # its place among the sentence's mentions
    rule_actor1: bool  # what the parse rules alone would pick (a feature, not a verdict)
    rule_actor2: bool
    agent: bool  # the parse names it as doer of one of the event's words
    patient: bool  # ... or as what one of them acts on
    speaker: bool  # it is the source quoted, outside the sentence's own words
    in_scope: bool = False  # inside the clause or noun phrase the main event word heads
    agent_main: bool = False  # the parse names it as doer of the main event word itself


def mention_head(mention: ActorMention, sentence: Span) -> Token | None:
    span = sentence.doc.char_span(mention.start, mention.end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


@functools.cache
def _lexicon() -> dict[str, set[str]]:
    table = load_yaml("events/roles.yaml")
    return {k: set(v) for k, v in table.items()}


def _kind(x: RoleInput) -> dict[str, float]:
    kind, typ = x.cand.main.kind, x.mention.type
    return {f"type={typ}": 1.0, f"kind={kind}": 1.0, f"kind={kind}|type={typ}": 1.0,
            f"event={x.cand.event_type}|type={typ}": 1.0}


def _rules(x: RoleInput) -> dict[str, float]:
    out = {"rule:actor1": float(x.rule_actor1), "rule:actor2": float(x.rule_actor2),
           "rule:agent": float(x.agent), "rule:patient": float(x.patient),
           "speaker": float(x.speaker), "in_scope": float(x.in_scope),
           "rule:agent_main": float(x.agent_main)}
    out[f"rule:agent|type={x.mention.type}"] = float(x.agent)
    out[f"rule:patient|type={x.mention.type}"] = float(x.patient)
    return out


def _syntax(x: RoleInput) -> dict[str, float]:
    head, anchor = x.head, x.cand.anchor
    dep = head.dep_
    out = {f"dep={dep}": 1.0, f"anchor_pos={anchor.pos_}|dep={dep}": 1.0}
    if head.dep_ == "pobj":
        out[f"prep={head.head.lower_}"] = 1.0
    governor = head.head.head if head.dep_ == "pobj" else head.head
    if governor.i == anchor.i:
        out[f"dep_on_trigger={dep}"] = 1.0
    if governor.pos_ == "VERB":
        out[f"verb_voice={'passive' if any(c.dep_ == 'auxpass' for c in governor.children) else 'active'}|{dep}"] = 1.0
    return out


def _harm(x: RoleInput) -> dict[str, float]:
    """Words telling harm done to the mention: the patient of a harm verb, the subject of 'die',
    a count of people ("Seven militants were killed")."""
    lex = _lexicon()
    head = x.head
    governor = head.head
    lemma = governor.lemma_.lower()
    passive = any(c.dep_ == "auxpass" for c in governor.children)
    out: dict[str, float] = {}
    if lemma in lex["harm_verbs"] and (head.dep_ in {"dobj", "nsubjpass"} or head.dep_ == "nsubj" and passive):
        out["harmed:object_of_harm_verb"] = 1.0
    if lemma in lex["dying_verbs"] and head.dep_ == "nsubj":
        out["harmed:subject_of_dying"] = 1.0
    if head.dep_ == "pobj" and governor.lower_ in lex["victim_preps"]:
        out[f"harmed:prep={governor.lower_}"] = 1.0
    if any(c.dep_ == "nummod" for c in head.children):
        out["counted"] = 1.0
    if head.dep_ == "pobj" and governor.lower_ == "by":
        out["by_phrase"] = 1.0
    return out


def _position(x: RoleInput) -> dict[str, float]:
    anchor = x.cand.anchor
    before = x.mention.end <= anchor.idx
    distance = abs(x.head.i - anchor.i)
    edges = min(tree_distance(x.head, anchor), 8)
    return {"before_trigger": float(before), "after_trigger": float(not before),
            "distance": min(distance, 20) / 20.0, "first_mention": float(x.index == 0),
            "tree_distance": edges / 8.0, f"tree_edges={edges}": 1.0,
            "in_clause": float(_clause(x.head).i == _clause(anchor).i),
            "in_phrase": float(_phrase_start(anchor) <= x.head.i <= anchor.right_edge.i)}


def _clause(token: Token) -> Token:
    """The verb (or root) heading the clause a token stands in."""
    head = token
    while head.pos_ not in {"VERB", "AUX"} and head.head.i != head.i:
        head = head.head
    return head


def _phrase_start(anchor: Token) -> int:
    return _clause(anchor).left_edge.i


@functools.cache
def _reporting_verbs() -> frozenset[str]:
    return frozenset(load_yaml("events/reporting.yaml", version=1)["verbs"])


def _passive(verb: Token) -> bool:
    return any(c.dep_ in {"auxpass", "nsubjpass"} for c in verb.children)


def _up(token: Token, limit: int = 3) -> list[Token]:
    """``token`` and its first ancestors."""
    out = [token]
    while len(out) <= limit and out[-1].head.i != out[-1].i:
        out.append(out[-1].head)
    return out


def _relations(x: RoleInput) -> dict[str, float]:
    """How the parse ties the mention to the event word and its verb: the dependency path to the
    trigger, the passive agent ("killed by X"), the doer or the one done to of a harm verb
    ("X killed", "killed X", "X were killed"), the subject of a reporting verb ("X said its
    fighters..."), each crossed with whether the mention stands before the event word."""
    lex = _lexicon()
    head, anchor = x.head, x.cand.anchor
    governor = head.head.head if head.dep_ in {"pobj", "pcomp"} else head.head
    lemma = governor.lemma_.lower()
    before = "before" if x.mention.end <= anchor.idx else "after"
    out: dict[str, float] = {f"rel:{before}|dep={head.dep_}": 1.0}
    if head.dep_ == "pobj" and (head.head.dep_ == "agent" or head.head.lower_ == "by") and _passive(governor):
        out["rel:passive_agent"] = 1.0
        if governor.i == anchor.i:
            out["rel:passive_agent_of_trigger"] = 1.0
    if lemma in lex["harm_verbs"]:
        if head.dep_ == "nsubj" and not _passive(governor):
            out["rel:subject_of_harm_verb"] = 1.0
        elif head.dep_ in {"dobj", "nsubjpass"} or head.dep_ == "nsubj" and _passive(governor):
            out["rel:object_of_harm_verb"] = 1.0
        elif out.get("rel:passive_agent"):
            out["rel:agent_of_harm_verb"] = 1.0
    if lemma in _reporting_verbs() and head.dep_ in {"nsubj", "nsubjpass"}:
        out["rel:subject_of_reporting"] = 1.0
        # "X said its fighters overran...": what the speaker says it did is the event
        if any(t.i == governor.i for t in _up(anchor, 4)):
            out["rel:reports_the_event"] = 1.0
    elif head.dep_ == "pobj" and head.head.lower_ in {"to", "by"} and governor.lemma_.lower() in {"accord", "claim"}:
        out["rel:source_phrase"] = 1.0  # "according to X", "claimed by X"
    # the dependency path from the mention to the event word, as the labels on each side
    ups = {t.i: n for n, t in enumerate(_up(head, 4))}
    down = _up(anchor, 4)
    meet = next((n for n, t in enumerate(down) if t.i in ups), None)
    if meet is None:
        out["rel:path=far"] = 1.0
    else:
        side_m = [t.dep_ for t in _up(head, 4)[:ups[down[meet].i]]]
        side_t = [t.dep_ for t in down[:meet]]
        out[f"rel:path={'>'.join(side_m) or '.'}^{'>'.join(side_t) or '.'}"] = 1.0
        out[f"rel:mention_dep_at_meet={side_m[-1] if side_m else 'self'}"] = 1.0
        out["rel:trigger_governs"] = float(not side_t)
    if _clause(head).i == _clause(anchor).i:
        out[f"rel:same_clause|{before}"] = 1.0
    else:
        out[f"rel:other_clause|{before}"] = 1.0
    out[f"rel:type={x.mention.type}|dep={head.dep_}"] = 1.0
    return out


ROLE_FEATURES: dict[str, Callable[[RoleInput], dict[str, float]]] = {
    "kind": _kind,
    "rules": _rules,
    "syntax": _syntax,
    "harm": _harm,
    "position": _position,
    "relations": _relations,
}


def _collect(families: dict[str, Callable[[T], dict[str, float]]], x: T) -> dict[str, float]:
    """Every feature of ``x`` by name, zeros left out; ``bias`` is always 1."""
    out = {"bias": 1.0}
    for family in families.values():
        out.update(family(x))
    return {k: v for k, v in out.items() if v}


def role_features(x: RoleInput) -> dict[str, float]:
    """Every role feature of one mention, by name."""
    return _collect(ROLE_FEATURES, x)


def harmed(x: RoleInput) -> bool:
    """The mention is told as hurt by the event: the codebook's victim, never its actor1."""
    return any(k.startswith("harmed:") for k in _harm(x)) or x.patient


# ---- is it an event? ------------------------------------------------------------------------

@dataclass(frozen=True)
class EventInput:
    """One drafted event with what the reading found around it."""

    cand: Candidate
    event_type: str
    sub_event_type: str
    factuality: str
    background: bool
    actor1_type: str | None
    actor2_type: str | None
    own_place: bool
    own_date: bool
    fatalities: int | None
    attributed: bool
    acled_event: bool
    scores: dict[str, float]  # the sentence classifier's probability of each label


_PERSONAL = {"i", "we", "you", "our", "us", "my", "your"}
_MODALS = {"can", "could", "may", "might", "would", "should", "will", "must", "shall"}


def _event_words(x: EventInput) -> dict[str, float]:
    main = x.cand.main
    out = {f"kind={main.kind}": 1.0, f"trigger={main.word}": 1.0, f"sub={x.sub_event_type}": 1.0,
           f"type={x.event_type}": 1.0, "triggers": min(len(x.cand.triggers), 4) / 4.0,
           "deadly": float(main.deadly)}
    return out


def _event_reading(x: EventInput) -> dict[str, float]:
    out = {f"factuality={x.factuality}": 1.0, "background": float(x.background),
           "own_place": float(x.own_place), "own_date": float(x.own_date),
           "fatalities_told": float(x.fatalities is not None), "attributed": float(x.attributed),
           "acled_event": float(x.acled_event), f"actor1={x.actor1_type}": 1.0,
           f"actor2={x.actor2_type}": 1.0}
    return out


def _event_model(x: EventInput) -> dict[str, float]:
    """The sentence classifier's reading (TF-IDF and cue counts), as features."""
    if not x.scores:
        return {}
    top = max(x.scores, key=x.scores.__getitem__)
    return {"p_none": x.scores.get("none", 0.0), "p_sub": x.scores.get(x.sub_event_type, 0.0),
            "model_agrees": float(top == x.sub_event_type), "model_says_none": float(top == "none")}


def _event_shape(x: EventInput) -> dict[str, float]:
    """How the sentence is built: a quote, a question, a modal, a heading, a copula."""
    sentence, anchor = x.cand.sentence, x.cand.anchor
    root = sentence.root
    lowered = {t.lower_ for t in sentence}
    text = sentence.text
    out = {"quote": float(any(q in text for q in "\"“”")), "question": float(text.rstrip().endswith("?")),
           "personal": float(bool(lowered & _PERSONAL)), "modal": float(bool(lowered & _MODALS)),
           "heading": float(text.lstrip().startswith("=") or not any(t.pos_ == "VERB" for t in sentence)),
           "copula_root": float(root.lemma_ == "be"), f"root_tag={root.tag_}": 1.0,
           "length": min(len(sentence), 60) / 60.0, f"anchor_dep={anchor.dep_}": 1.0,
           f"anchor_pos={anchor.pos_}": 1.0, "anchor_is_root": float(anchor.i == root.i)}
    return out


def _event_vector(x: EventInput) -> dict[str, float]:
    """The spaCy pipeline's own contextual token vectors (its tok2vec layer, computed by the
    parse anyway), averaged over the sentence: a pretrained representation at no extra cost."""
    tensor = x.cand.sentence.doc.tensor
    if tensor is None or not len(tensor):
        return {}
    rows = tensor[x.cand.sentence.start:x.cand.sentence.end]
    mean = rows.mean(axis=0)
    return {f"t2v:{i}": float(v) for i, v in enumerate(mean)}


EVENT_FEATURES: dict[str, Callable[[EventInput], dict[str, float]]] = {
    "words": _event_words,
    "reading": _event_reading,
    "model": _event_model,
    "shape": _event_shape,
    "vector": _event_vector,
}


def event_features(x: EventInput) -> dict[str, float]:
    """Every feature of one drafted event, by name."""
    return _collect(EVENT_FEATURES, x)


# The encoder's vectors have unit length over 384 numbers (each about 0.05); scaled so that one
# regularisation strength (C, chosen by cross-validation) suits them and the named features.
SENTENCE_SCALE = 3.0


def sentence_features(vector: Sequence[float]) -> dict[str, float]:
    """The pretrained sentence encoder's reading of the event's sentence
    (``sitrep.models.encoder``), one named feature per dimension."""
    return {f"enc:{i}": float(v) * SENTENCE_SCALE for i, v in enumerate(vector)}
