"""Cue lexicons for the event stage, loaded once from ``sitrep/data/events/*.yaml``.

The lexicons are data, not code: trigger words per ACLED sub-event type, reporting verbs and
source kinds, factuality cues, background/intention/reference cues and victim nouns.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from ..datafiles import load_yaml

__all__ = ["TriggerEntry", "Cues", "cues"]


@dataclass(frozen=True)
class TriggerEntry:
    """One trigger word or phrase: ``words`` are matched on lemmas or lower-case forms."""

    words: tuple[str, ...]
    kind: str
    event_type: str
    sub_event_type: str
    weight: float
    anchor: str  # "first" or "last" word of the phrase is the event's anchor token
    requires: frozenset[str]
    pos: frozenset[str] = frozenset()  # parts of speech the word must have, if any
    place_object: bool = False  # counts only with a place as its object ("took the city")


@dataclass(frozen=True)
class Cues:
    triggers: tuple[TriggerEntry, ...]
    reporting: dict[str, Any]
    factuality: dict[str, Any]
    context: dict[str, Any]
    victims: dict[str, frozenset[str]]

    def words(self, table: str, key: str) -> frozenset[str]:
        """A lower-cased word set from one table (``reporting``, ``factuality``, ``context``)."""
        return _lowered(tuple(getattr(self, table).get(key) or ()))


@functools.lru_cache(maxsize=None)
def _lowered(items: tuple[str, ...]) -> frozenset[str]:
    return frozenset(str(i).lower() for i in items)


def _load(name: str) -> dict[str, Any]:
    return load_yaml(f"events/{name}.yaml", version=1)


def _trigger(entry: dict[str, Any]) -> TriggerEntry:
    anchor = "last" if entry["kind"] in {"air", "suicide", "chemical", "explosive", "blast"} else "first"
    return TriggerEntry(
        words=tuple(str(w).lower() for w in entry["words"]),
        kind=entry["kind"],
        event_type=entry["event_type"],
        sub_event_type=entry["sub_event_type"],
        weight=float(entry.get("weight", 0.6)),
        anchor=entry.get("anchor", anchor),
        requires=frozenset(str(w).lower() for w in entry.get("requires") or ()),
        pos=frozenset(entry.get("pos") or ()),
        place_object=bool(entry.get("place_object", False)),
    )


@functools.lru_cache(maxsize=1)
def cues() -> Cues:
    victims = _load("victims")
    return Cues(
        triggers=tuple(_trigger(e) for e in _load("triggers")["triggers"]),
        reporting=_load("reporting"),
        factuality=_load("factuality"),
        context=_load("context"),
        victims={k: frozenset(v) for k, v in victims.items() if k != "version"},
    )
