"""The ACLED taxonomy and its precedence rules, read from ``data/taxonomy/`` (data, not code).

``EVENT_TYPE_OF`` maps each of the 25 sub-event types to its event type; ``cue_hits`` finds the
keyword cues of ``cues.yaml`` in a text (features for the classifier, weak labels for training);
``territory_subtype`` and ``resolve`` apply the codebook rules a sentence label alone cannot know.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from importlib.resources import files
from typing import Any

from ..datafiles import load_yaml
from ..errors import ModelError
from ..models.screen import Screen, screenable

__all__ = [
    "NONE",
    "EVENT_TYPES",
    "SUB_EVENT_TYPES",
    "EVENT_TYPE_OF",
    "LABELS",
    "SPECIFICITY",
    "case2021_label",
    "acled2016_allowed",
    "PASSAGE_LABELS",
    "PASSAGE_OF",
    "acled2016_passage",
    "passage_subtypes",
    "cue_hits",
    "weak_subtype",
    "territory_subtype",
    "resolve",
]

NONE = "none"
"""The label for a text that reports no ACLED event."""


def taxonomy_dir() -> Any:
    return files("sitrep") / "data" / "taxonomy"


def _load(name: str) -> dict[str, Any]:
    return load_yaml(f"taxonomy/{name}")


_ACLED = _load("acled.yaml")

EVENT_TYPES: tuple[str, ...] = tuple(_ACLED["event_types"])
EVENT_TYPE_OF: dict[str, str] = {
    sub: event for event, subs in _ACLED["event_types"].items() for sub in subs
}
SUB_EVENT_TYPES: tuple[str, ...] = tuple(EVENT_TYPE_OF)
LABELS: tuple[str, ...] = (*SUB_EVENT_TYPES, NONE)
"""The classifier's label set: the 25 sub-event types, then ``"none"``."""


SPECIFICITY: tuple[str, ...] = tuple(_load("cues.yaml")["specificity"])
"""Sub-event types, most specific first (which wins when several types' cues occur)."""
if sorted(SPECIFICITY) != sorted(SUB_EVENT_TYPES):
    raise ModelError("cues.yaml: `specificity` must list each sub-event type once")


def case2021_label(code: str) -> str:
    """A CASE 2021 task-2 code as a sitrep label (the five non-ACLED codes are ``"none"``)."""
    codes: dict[str, str | None] = _ACLED["case2021_codes"]
    if code not in codes:
        raise ModelError(f"unknown CASE 2021 code {code!r}")
    return codes[code] or NONE


def acled2016_allowed(event_type_2016: str) -> tuple[str, ...]:
    """The sub-event types that ACLED's 2016 ``EVENT_TYPE`` may be today (empty if unknown)."""
    return tuple(_ACLED["acled2016_types"].get(event_type_2016.strip(), ()))


PASSAGE_OF: dict[str, str] = {
    sub: label for label, subs in _ACLED["passage_labels"].items() for sub in subs
}
"""Sub-event type -> the coarse label a whole passage is classified into (ACLED 2016's grain)."""
PASSAGE_LABELS: tuple[str, ...] = (*_ACLED["passage_labels"], NONE)
if sorted(PASSAGE_OF) != sorted(SUB_EVENT_TYPES):
    raise ModelError("acled.yaml: `passage_labels` must hold each sub-event type once")


def passage_subtypes(label: str) -> list[str]:
    """The sub-event types under a passage label, the default one first."""
    return list(_ACLED["passage_labels"].get(label, ()))


def acled2016_passage(event_type_2016: str) -> str | None:
    """The passage label of ACLED's 2016 ``EVENT_TYPE`` (None if unknown)."""
    return _ACLED["acled2016_passage"].get(event_type_2016.strip())


CUE_TABLES = {"acled": ("cues.yaml", "cues"), "plover": ("plover.yaml", "type_cues")}
"""Cue tables by name: the file under data/taxonomy/ and the key that holds label -> patterns."""


@cache
def cue_patterns(table: str = "acled") -> dict[str, re.Pattern[str]]:
    """One compiled pattern per label of a cue table, in the table's order."""
    if table not in CUE_TABLES:
        raise ModelError(f"unknown cue table {table!r}; choose one of: {', '.join(CUE_TABLES)}")
    filename, key = CUE_TABLES[table]
    cues: dict[str, list[str]] = _load(filename)[key]
    unknown = set(cues) - set(SUB_EVENT_TYPES)
    if table == "acled" and unknown:
        raise ModelError(f"cues.yaml names unknown sub-event types: {sorted(unknown)}")
    return {
        label: re.compile(r"\b(?:" + "|".join(f"(?:{p.strip()})" for p in pats) + r")", re.I)
        for label, pats in cues.items()
    }


@cache
def _cue_screens(table: str) -> dict[str, Screen]:
    return {label: Screen.of(pattern) for label, pattern in cue_patterns(table).items()}


def cue_hits(text: str, *, table: str = "acled") -> dict[str, int]:
    """How many times the cues of each label occur in ``text`` (only labels that occur)."""
    hits = {}
    lowered = screenable(text)
    screens = _cue_screens(table)
    for label, pattern in cue_patterns(table).items():
        if lowered is not None and not screens[label].may_match_lowered(lowered):
            continue  # none of the label's cues can start here: no need to run its regex
        count = len(pattern.findall(text))
        if count:
            hits[label] = count
    return hits


def weak_subtype(text: str, allowed: Sequence[str]) -> str | None:
    """The first of ``allowed`` whose cues occur in ``text``; the sole one if only one is allowed.

    Used to give sub-event labels to training rows that carry only an event type; ``None`` means
    the cues cannot tell, and the row is better left out than guessed.
    """
    if len(allowed) == 1:
        return allowed[0]
    hits = cue_hits(text)
    for sub in allowed:
        if sub in hits:
            return sub
    return None


def territory_subtype(actor_is_state: bool) -> str:
    """Who takes ground after fighting decides the sub-event type (ACLED codebook)."""
    if actor_is_state:
        return "Government regains territory"
    return "Non-state actor overtakes territory"


_TERRITORY = {"Government regains territory", "Non-state actor overtakes territory"}


def resolve(
    sub_event_type: str,
    *,
    taker_is_state: bool | None = None,
    fighting: bool | None = None,
    in_ground_battle: bool = False,
) -> str:
    """Apply the codebook's precedence rules to a classifier's sub-event type.

    ``taker_is_state``: whether the actor that takes ground is a state force (None: unknown);
    ``fighting``: whether fighting went with the takeover (None: unknown);
    ``in_ground_battle``: a strike or shelling that is part of a ground battle.
    """
    if sub_event_type in _TERRITORY or sub_event_type == "Non-violent transfer of territory":
        if fighting is False:
            return "Non-violent transfer of territory"
        if taker_is_state is not None and (fighting or sub_event_type in _TERRITORY):
            return territory_subtype(taker_is_state)
        return sub_event_type
    if in_ground_battle and EVENT_TYPE_OF.get(sub_event_type) == "Explosions/Remote violence":
        if sub_event_type in {"Air/drone strike", "Shelling/artillery/missile attack"}:
            return "Armed clash"
    return sub_event_type

