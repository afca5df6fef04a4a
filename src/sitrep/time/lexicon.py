"""The date-word tables (``data/time/words.yaml``), loaded once, and regex pieces from them."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from ..errors import ModelError

__all__ = ["Words", "words", "names_pattern", "words_pattern"]


@dataclass(frozen=True)
class Words:
    months: dict[str, int]
    weekdays: dict[str, int]
    numbers: dict[str, int]
    ordinals: dict[str, int]
    tens: dict[str, int]
    hedges: tuple[str, ...]
    prepositions: frozenset[str]
    future_cues: frozenset[str]
    holidays: dict[str, dict[str, int]]
    count_openers: tuple[str, ...] = ()


@functools.lru_cache(maxsize=1)
def words() -> Words:
    """The date-word tables, loaded once from ``data/time/words.yaml``."""
    path = resources.files("sitrep") / "data" / "time" / "words.yaml"
    try:
        raw: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
        return Words(
            months={n: int(k) for k, names in raw["months"].items() for n in names},
            weekdays={n: int(k) for k, names in raw["weekdays"].items() for n in names},
            numbers={str(k).lower(): int(v) for k, v in raw["numbers"].items()},
            ordinals={str(k).lower(): int(v) for k, v in raw["ordinals"].items()},
            tens={str(k).lower(): int(v) for k, v in raw["tens"].items()},
            hedges=tuple(raw["hedges"]),
            prepositions=frozenset(str(w).lower() for w in raw["date_prepositions"]),
            future_cues=frozenset(str(w).lower() for w in raw["future_cues"]),
            holidays=dict(raw["holidays"]),
            count_openers=tuple(str(w).lower() for w in raw.get("count_openers", ())),
        )
    except (OSError, KeyError, TypeError, ValueError, yaml.YAMLError) as exc:
        raise ModelError(f"{path}: date word table unreadable ({exc}); reinstall sitrep") from exc


def names_pattern(names: list[str]) -> str:
    """A case-sensitive alternation of names, longest first, each closed at a word boundary."""
    parts = [
        re.escape(n) + ("" if n.endswith(".") else r"\b") for n in sorted(names, key=len)[::-1]
    ]
    return "(?:" + "|".join(parts) + ")"


def words_pattern(items: list[str] | tuple[str, ...]) -> str:
    parts = [re.escape(w).replace(r"\ ", r"\s+") for w in sorted(items, key=len)[::-1]]
    return r"(?i:" + "|".join(parts) + r")\b"
