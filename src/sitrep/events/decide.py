"""Trained decisions: one head per question, each over named features (``features``).

A head is a multinomial logistic model over a sparse vector of named features, trained by a
script in ``scripts/`` on training splits only and shipped as plain arrays (``<name>.npz``: coef,
intercept) with a JSON header (classes, feature names, training metadata): no pickles. A head
that cannot be loaded raises ``ModelError``; nothing falls back silently.

After a decision, the codebook's constraints (``data/events/constraints.yaml``) hold: they are
what ACLED's codebook says must always be true, not guesses.

Heads:
* ``role_head``: for each actor mention of a candidate event, P(actor1), P(actor2), P(other).
* ``event_head``: for each drafted event, P(it is an event the text reports) against P(none):
  reactions, metaphors, generic statements, deaths of disease are not events.
"""

from __future__ import annotations

import contextlib
import functools
import json
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np

from ..datafiles import load_yaml
from ..errors import ModelError
from ..models.linear import read_model_files, softmax
from ..models.encoder import NAME as ENCODER_NAME
from ..models.encoder import load_encoder
from .features import EventInput, RoleInput, event_features, harmed, role_features, sentence_features

__all__ = ["recorded_events", "event_floor", "LinearHead", "load_head", "RoleChoice", "choose_roles", "recording", "rules_decide", "constraints",
           "event_probabilities", "encoded_sentences", "EVENT", "NO_EVENT"]

ROLE_HEAD = "role_head"
EVENT_HEAD = "event_head"
EVENT, NO_EVENT = "event", "none"
ACTOR1, ACTOR2, OTHER = "actor1", "actor2", "other"
# who decides actor1 and actor2 (constraints.yaml, roles.decided_by)
DECIDERS = {"head", "rules"}


class LinearHead:
    """Softmax over ``classes`` of a linear function of *named* features (the TF-IDF models'
    head, ``sitrep.models.linear.LinearHead``, takes feature columns instead)."""

    def __init__(self, classes: Sequence[str], features: Sequence[str], coef: np.ndarray,
                 intercept: np.ndarray, *, meta: dict[str, Any] | None = None) -> None:
        if coef.shape != (len(classes), len(features)):
            raise ModelError(f"head weights {coef.shape} do not fit {len(classes)} classes x {len(features)} features")
        self.classes, self.features = list(classes), list(features)
        self.index = {name: i for i, name in enumerate(self.features)}
        self.coef, self.intercept, self.meta = coef, intercept, meta or {}

    def matrix(self, rows: Sequence[dict[str, float]]) -> np.ndarray:
        """Dense rows over the head's features; names it never saw in training weigh nothing."""
        out = np.zeros((len(rows), len(self.features)), dtype=np.float32)
        for r, row in enumerate(rows):
            for name, value in row.items():
                i = self.index.get(name)
                if i is not None:
                    out[r, i] = value
        return out

    def proba(self, rows: Sequence[dict[str, float]]) -> np.ndarray:
        if not rows:
            return np.zeros((0, len(self.classes)))
        return softmax(self.matrix(rows) @ self.coef.T + self.intercept)

    def save(self, folder: Path, name: str) -> None:
        header = {"classes": self.classes, "features": self.features, "meta": self.meta}
        (folder / f"{name}.json").write_text(json.dumps(header, indent=0, ensure_ascii=False), encoding="utf-8")
        np.savez_compressed(folder / f"{name}.npz", coef=self.coef.astype(np.float32),
                            intercept=self.intercept.astype(np.float32))

    @classmethod
    def load(cls, folder: Any, name: str) -> LinearHead:
        try:
            header, arrays = read_model_files(folder, name)
            return cls(header["classes"], header["features"], arrays["coef"], arrays["intercept"],
                       meta=header.get("meta"))
        except (OSError, ValueError, KeyError) as exc:
            raise ModelError(f"head {name} cannot be loaded from {folder}: {exc}; "
                             "retrain it with scripts/train_role_head.py") from exc


@functools.cache
def load_head(name: str) -> LinearHead:
    return LinearHead.load(files("sitrep") / "data" / "models", name)


@functools.cache
def constraints() -> dict[str, Any]:
    return load_yaml("events/constraints.yaml", version=1)


# ---- roles ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class RoleChoice:
    actor1: int | None  # index into the inputs
    actor2: int | None
    probabilities: list[dict[str, float]]


_RECORDS: list[dict[str, Any]] | None = None
_EVENT_RECORDS: list[dict[str, Any]] | None = None


@contextlib.contextmanager
def recording() -> Iterator[list[dict[str, Any]]]:
    """Collect every role decision's features (for ``scripts/train_role_head.py``): the same
    features at training time as at run time, computed by the same code. While recording, the
    head is not consulted (it is what is being trained) and the parse rules' picks stand, so
    the rest of the reading sees what it saw before: said here, not a silent fallback."""
    global _RECORDS, _EVENT_RECORDS
    _RECORDS, _EVENT_RECORDS = [], []
    try:
        yield _RECORDS
    finally:
        _RECORDS = _EVENT_RECORDS = None


def recorded_events() -> list[dict[str, Any]]:
    """The event decisions recorded so far (inside ``recording``)."""
    return list(_EVENT_RECORDS or [])


def rules_decide() -> bool:
    """True only while ``recording``: the role head is being trained, not used."""
    return _RECORDS is not None


def choose_roles(inputs: Sequence[RoleInput]) -> RoleChoice:
    """actor1 and actor2 among the mentions of one candidate event, by the role head (or the
    rules, as ``constraints.yaml`` says), then the codebook's constraints: a mention told as
    harmed is never actor1 (it is actor2 where no other is), and no actor type the event's type
    forbids takes a role."""
    inputs = list(inputs)
    rows = [role_features(x) for x in inputs]
    if _RECORDS is not None:
        _RECORDS.extend({"features": r, "name": x.mention.name, "text": x.mention.text, "type": x.mention.type,
                         "event_type": x.cand.event_type, "sentence": x.cand.sentence.start_char,
                         "anchor": x.cand.anchor.idx}
                        for r, x in zip(rows, inputs))
        return RoleChoice(None, None, [])
    table = constraints()["roles"]
    if table["decided_by"] not in DECIDERS:
        raise ModelError(f"constraints.yaml: roles.decided_by is {table['decided_by']!r}, not one of {sorted(DECIDERS)}")
    if table["decided_by"] == "rules":
        probs = np.array([[float(x.rule_actor1), float(x.rule_actor2), 0.0] for x in inputs])
        classes = [ACTOR1, ACTOR2, OTHER]
    else:
        head = load_head(ROLE_HEAD)
        probs, classes = head.proba(rows), head.classes
    col = {c: classes.index(c) for c in (ACTOR1, ACTOR2)}
    least = table["min_probability"]
    linked = [_linked(x) for x in inputs]
    if not any(linked):
        linked = [True] * len(inputs)  # a parse gone wrong links no one: every mention competes
    allowed1 = [ok and _may_be_actor1(x, table) for x, ok in zip(inputs, linked)]
    first = _best(probs[:, col[ACTOR1]], allowed1, least[ACTOR1])
    barred2 = set(table["never_actor2_types"].get(inputs[0].cand.event_type, ())) if inputs else set()
    allowed2 = [ok and i != first and x.mention.type not in barred2
                and (first is None or x.mention.name != inputs[first].mention.name)
                for i, (x, ok) in enumerate(zip(inputs, linked))]
    second = _best(probs[:, col[ACTOR2]], allowed2, least[ACTOR2])
    if second is None:
        # the one done to: a mention barred from actor1 as the harmed, or as civilians, is the
        # codebook's actor2 where none other was chosen
        second = _best(probs[:, col[ACTOR1]], [ok and not a1 for ok, a1 in zip(allowed2, allowed1)],
                       least[ACTOR1])
    named = [dict(zip(classes, map(float, row))) for row in probs]
    return RoleChoice(first, second, named)


def _linked(x: RoleInput) -> bool:
    """Whether the parse ties the mention to the event at all (inside its clause or phrase, its
    doer, what it acts on, the source claiming it, or a rule's pick): the candidates the head
    chooses among, as trigger words propose the events the event head weighs."""
    return x.in_scope or x.agent or x.patient or x.speaker or x.rule_actor1 or x.rule_actor2


def _may_be_actor1(x: RoleInput, table: dict[str, Any]) -> bool:
    if x.mention.type in table["never_actor1_types"]:
        return False
    return not (table["harmed_never_actor1"] and harmed(x))


def _best(scores: np.ndarray, allowed: Sequence[bool], least: float) -> int | None:
    best, top = None, -math.inf
    for i, (score, ok) in enumerate(zip(scores, allowed)):
        if ok and score >= least and score > top:
            best, top = i, float(score)
    return best


# ---- is it an event? ------------------------------------------------------------------------

def event_probabilities(inputs: Sequence[EventInput]) -> list[float]:
    """P(event) of each drafted event, by the event head. While recording, the features are kept
    and every draft stands (probability 1), as the rules alone had it."""
    rows = [event_features(x) for x in inputs]
    if _EVENT_RECORDS is not None:
        _EVENT_RECORDS.extend({"features": r, "type": x.event_type, "sub": x.sub_event_type,
                               "start": x.cand.sentence.start_char, "end": x.cand.sentence.end_char,
                               "background": x.background, "factuality": x.factuality,
                               "text": x.cand.sentence.text}
                              for r, x in zip(rows, inputs))
        return [1.0] * len(inputs)
    head = load_head(EVENT_HEAD)
    if not rows:
        return []
    encoder = head.meta.get("encoder")
    if encoder is not None:
        if encoder != ENCODER_NAME:
            raise ModelError(f"event head was trained on the encoder {encoder!r}, not {ENCODER_NAME!r}: "
                             "retrain it with scripts/train_event_head.py")
        rows = [{**row, **extra} for row, extra in zip(rows, encoded_sentences([x.cand.sentence.text for x in inputs]))]
    probs = head.proba(rows)
    return [float(p) for p in probs[:, head.classes.index(EVENT)]]


def encoded_sentences(texts: Sequence[str]) -> list[dict[str, float]]:
    """The sentence encoder's features of each text, each distinct text encoded once (a
    sentence with two drafted events is one sentence)."""
    distinct = sorted(set(texts))
    vectors = load_encoder().encode(distinct)
    by_text = {t: sentence_features(v) for t, v in zip(distinct, vectors)}
    return [by_text[t] for t in texts]


def event_floor() -> float:
    """Below this P(event) a draft is no event: the constraints table holds it."""
    return float(constraints()["events"]["min_probability"])
