"""A cheap exact test that a case-insensitive regex cannot match a text, before running it.

Keyword cues are regexes of many alternatives (``\\b(?:air ?strikes?|drone strikes?|...)``) and
most sentences hold none of them, yet ``findall`` tries every alternative at every word. Every
match of such a pattern starts with one of a few literal prefixes ("air", "drone", ...), read
from the parsed pattern; where none of them occurs in the lowercased text, the pattern has no
match there and need not run.

    >>> screen = Screen.of(re.compile(r"\\b(?:air ?strikes?|drone (?:strike|attack)s?)", re.I))
    >>> sorted(screen.prefixes)
    ['air ', 'airstr', 'drone ']
    >>> screen.may_match("Shelling hit the town."), screen.may_match("An AIRSTRIKE hit it.")
    (False, True)

The test is exact for the texts it screens: a text holding a character that a case-insensitive
ASCII letter matches beyond its own two cases (``FOLDS_TO_ASCII``: the long s, the Kelvin sign,
the dotted and dotless i), or a pattern whose matches start with no literal of ``MIN_PREFIX``
characters, is never screened out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, cast

try:  # Python 3.11+
    from re import _constants as _sre_constants  # type: ignore[attr-defined]
    from re import _parser as _sre_parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - older Pythons name them sre_*
    import sre_constants as _sre_constants  # type: ignore[no-redef]
    import sre_parse as _sre_parser  # type: ignore[no-redef]

__all__ = ["Screen", "FOLDS_TO_ASCII", "MIN_PREFIX", "screenable"]

# Non-ASCII characters that an ASCII letter matches under re.IGNORECASE (tests/test_screen.py
# checks this against every code point).
FOLDS_TO_ASCII = frozenset("\u017f\u212a\u0130\u0131")
MIN_PREFIX = 2
# More prefixes than this and the screen would cost as much as the pattern; more paths than
# _MAX_PATHS while reading one and the parts after stay unread.
_MAX_PREFIXES = 96
_PREFIX_LENGTH = 6
_MAX_PATHS = 1024

_LITERAL = _sre_constants.LITERAL
_SUBPATTERN = _sre_constants.SUBPATTERN
_BRANCH = _sre_constants.BRANCH
_AT = _sre_constants.AT
_REPEATS = (_sre_constants.MAX_REPEAT, _sre_constants.MIN_REPEAT)

Path = tuple[str, bool]  # a prefix, and whether the part read so far was all literal


@dataclass(frozen=True)
class Screen:
    """The literal prefixes every match of a pattern starts with; None: no useful screen."""

    prefixes: frozenset[str] | None

    @classmethod
    def of(cls, pattern: re.Pattern[str]) -> Screen:
        if not pattern.flags & re.IGNORECASE:
            return cls(None)  # the screen lowercases the text: only for case-insensitive patterns
        paths = _sequence(list(_sre_parser.parse(pattern.pattern, pattern.flags)))
        # a few letters tell most words apart; fewer, shorter prefixes are quicker to look for
        found = {p[:_PREFIX_LENGTH] for p, _ in paths}
        # "air" is in every text that holds "air attack": the longer one need not be looked for
        prefixes = frozenset(p for p in found if not any(q != p and p.startswith(q) for q in found))
        if not prefixes or len(prefixes) > _MAX_PREFIXES or min(map(len, prefixes)) < MIN_PREFIX:
            return cls(None)
        return cls(prefixes)

    def may_match(self, text: str) -> bool:
        """False only where the pattern surely has no match in ``text``."""
        lowered = screenable(text)
        return lowered is None or self.may_match_lowered(lowered)

    def may_match_lowered(self, lowered: str) -> bool:
        """``may_match`` for a text already passed through ``screenable``."""
        return self.prefixes is None or any(p in lowered for p in self.prefixes)


def screenable(text: str) -> str | None:
    """The text lowercased, for screens to read; None where no screen may rule on it."""
    return text.lower() if FOLDS_TO_ASCII.isdisjoint(text) else None


def _sequence(items: list[tuple[object, object]]) -> list[Path]:
    """The prefixes of a sequence of parsed items: extended while they are plain literals."""
    paths: list[Path] = [("", True)]
    for op, arg in items:
        if not any(open_ for _, open_ in paths):
            break
        if op is _AT:
            continue  # \b, ^: zero-width, the next literal still starts the match
        if op is _LITERAL:
            parts = [(chr(arg), True)] if chr(arg).isascii() else None  # type: ignore[arg-type]
        elif op is _SUBPATTERN:
            parts = _sequence(list(arg[-1]))  # type: ignore[index]
        elif op is _BRANCH:
            parts = [p for branch in arg[1] for p in _sequence(list(branch))]  # type: ignore[index]
        elif op in _REPEATS:
            low, _high, item = cast("tuple[int, int, Any]", arg)
            # the first repetition starts with the item's prefix, and what follows is unknown;
            # an optional item may also be skipped
            parts = [(p, False) for p, _ in _sequence(list(item))]
            if low == 0:
                parts.append(("", True))
        else:
            parts = None  # a class, a repeat, anything else: the prefixes end here
        longer = _extend(paths, parts)
        if len(longer) > _MAX_PATHS:  # too many to follow: the shorter ones must do
            return [(p, False) for p, _ in paths]
        paths = longer
    return paths


def _extend(paths: list[Path], parts: list[Path] | None) -> list[Path]:
    out: dict[str, bool] = {}
    for prefix, open_ in paths:
        if not open_ or parts is None:
            out[prefix] = False  # a path that ends here outweighs one that goes on
            continue
        for part, part_open in parts:
            key = prefix + part.lower()
            out[key] = out.get(key, True) and part_open
    return list(out.items())
