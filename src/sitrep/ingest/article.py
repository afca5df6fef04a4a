"""The ingest boundary: every reader builds its Article here, so that a record which the store,
the language model or date arithmetic would choke on is refused with one line naming its source.

Policies (README's ingest paragraph says the same):

* ``id`` is a string (or a JSON integer, written as digits) of at most ``MAX_ID_CHARS``
  characters, the width of the store's key; no id means the hash of the normalised text.
* ``title``, ``url`` and ``outlet`` are strings or absent; a list, number or object is refused
  rather than stored as its ``str()``, which would be wrong data.
* ``text`` is at most ``MAX_TEXT_CHARS`` characters, spaCy's ``max_length``. A longer text is
  refused, not cut: a cut article silently loses events, and a text that long is a dump or a
  book, not a news article.
* No field may hold a NUL character (PostgreSQL cannot store one) or a lone surrogate (not
  Unicode; it cannot be written as UTF-8). Both mean a corrupt input, so the record is refused
  instead of repaired by guessing.
* ``published`` lies between ``EARLIEST`` and tomorrow (UTC, for time zones ahead of it): a date
  outside that is a typo or a placeholder (``0001-01-01``), and every event would be dated
  relative to it.
"""

from __future__ import annotations

import os
import re
from datetime import date, datetime, timedelta, timezone
from typing import Any

from ..errors import InputError
from ..records import Article
from .text import article_id, decode_entities

__all__ = ["make_article", "check_published", "parse_date", "MAX_ID_CHARS", "MAX_TEXT_CHARS",
           "EARLIEST"]

# The width of articles.id in the schema (store/schema.py).
MAX_ID_CHARS = 128
# spaCy refuses longer texts (Language.max_length, 1,000,000 by default).
MAX_TEXT_CHARS = 1_000_000
# Older than the daily press: a placeholder or a typo, not a publication date.
EARLIEST = date(1800, 1, 1)

_SURROGATE = re.compile("[\ud800-\udfff]")
_OPTIONAL = ("title", "url", "outlet")


def latest() -> date:
    """The latest publication date accepted: tomorrow in UTC, so no time zone is refused."""
    return datetime.now(timezone.utc).date() + timedelta(days=1)


def check_published(when: date) -> date:
    """``when`` if it can be a publication date; ValueError with a whole sentence otherwise."""
    if when < EARLIEST:
        raise ValueError(f"the date {when.isoformat()} is before {EARLIEST.isoformat()}, "
                         "so it cannot be a publication date")
    if when > latest():
        raise ValueError(f"the date {when.isoformat()} is in the future, "
                         "so it cannot be a publication date")
    return when


def parse_date(value: Any, *, source: str, line: int | None = None) -> date:
    """A ``published`` value (``YYYY-MM-DD`` or an ISO timestamp) as a checked date."""
    if isinstance(value, bool) or not isinstance(value, str):
        raise InputError(source, f"'published' must be a date string (YYYY-MM-DD), "
                         f"not {_kind(value)}", line=line)
    text = value.strip()
    try:
        when = _iso_date(text)
    except ValueError:
        raise InputError(source, f"{_shorten(text)!r} is not a date (expected YYYY-MM-DD)",
                         line=line) from None
    try:
        return check_published(when)
    except ValueError as exc:
        raise InputError(source, str(exc), line=line) from None


def _iso_date(text: str) -> date:
    if len(text) <= 10:
        return date.fromisoformat(text)
    # a timestamp: its own calendar date, as the outlet wrote it
    return datetime.fromisoformat(text).date()


def make_article(*, text: Any, published: date | None, source: str, line: int | None = None,
                 id: Any = None, **meta: Any) -> Article:
    """A checked Article, or an InputError naming ``source`` (and ``line``) and the fault."""

    def fail(reason: str) -> InputError:
        return InputError(source, reason, line=line)

    if not isinstance(text, str):
        raise fail(f"'text' must be a string, not {_kind(text)}")
    _check_chars("text", text, fail)
    text = decode_entities(text).strip()
    if not text:
        raise fail("no article text")
    if len(text) > MAX_TEXT_CHARS:
        raise fail(f"the text is {len(text):,} characters long; the limit is "
                   f"{MAX_TEXT_CHARS:,} (the language model's), so split it into articles")
    fields = {name: _optional(name, meta.get(name), fail) for name in _OPTIONAL}
    unknown = set(meta) - set(_OPTIONAL)
    if unknown:  # a reader's mistake, not the input's
        raise TypeError(f"make_article() got unexpected fields {sorted(unknown)}")
    if published is not None:
        try:
            check_published(published)
        except ValueError as exc:
            raise fail(str(exc)) from None
    source = printable(source)
    return Article(id=_id(id, fail) or article_id(text), text=text, published=published,
                   source=source if line is None else f"{source}:{line}", **fields)


def printable(source: str) -> str:
    """A file name as text that can be stored and printed: a name that is not UTF-8 comes from
    the file system with its bytes escaped as lone surrogates, which no database accepts."""
    try:
        raw = os.fsencode(source)
    except UnicodeEncodeError:  # surrogates that no file system escape made
        raw = source.encode("utf-8", "surrogatepass")
    return raw.decode("utf-8", "backslashreplace")


def _id(value: Any, fail: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)  # JSON exports often number their records
    if not isinstance(value, str):
        raise fail(f"'id' must be a string, not {_kind(value)}")
    _check_chars("id", value, fail)
    value = value.strip()
    if len(value) > MAX_ID_CHARS:
        raise fail(f"the id is {len(value)} characters long; the limit is {MAX_ID_CHARS}")
    return value or None


def _optional(name: str, value: Any, fail: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise fail(f"'{name}' must be a string or null, not {_kind(value)}")
    _check_chars(name, value, fail)
    return value.strip() or None


def _check_chars(name: str, value: str, fail: Any) -> None:
    nul = value.find("\x00")
    if nul >= 0:
        raise fail(f"'{name}' holds a NUL character at position {nul}; the input is corrupt "
                   "or binary")
    bad = _SURROGATE.search(value)
    if bad:
        raise fail(f"'{name}' holds a lone surrogate (U+{ord(bad.group()):04X}) at position "
                   f"{bad.start()}, which is not valid Unicode")


def _kind(value: Any) -> str:
    names = {bool: "true/false", int: "a number", float: "a number", list: "a list",
             dict: "an object", type(None): "null"}
    return names.get(type(value), f"a {type(value).__name__}")


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "..."
