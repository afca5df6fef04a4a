"""One reader per input format. Each takes a path and yields Articles or InputErrors."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..records import Article
from .text import (MAX_BYTES, article_id, decode, decode_entities, html_to_text, read_bytes,
                   read_text)

__all__ = ["READERS", "reader_for"]

Result = Iterator[Article | InputError]
Reader = Callable[..., Result]

_DATE_LINE = re.compile(r"^\s*date\s+(\S+)\s*(.*)$")


def _parse_date(value: Any, *, source: str, line: int | None = None) -> date:
    text = str(value).strip()
    try:
        return date.fromisoformat(text[:10])
    except ValueError as exc:
        raise InputError(source, f"{text!r} is not a date (expected YYYY-MM-DD)", line=line) from exc


def _article(text: str, *, published: date | None, source: str, **meta: Any) -> Article:
    text = decode_entities(text).strip()
    if not text:
        raise InputError(source, "no article text")
    given = meta.pop("id", None)
    return Article(id=str(given) if given else article_id(text), text=text, published=published,
                   source=source, **meta)


def _guard(reader: Callable[[Path, date | None], Result]) -> Reader:
    """Turn an InputError raised while reading one file into a yielded one."""

    def guarded(path: Path, *, published: date | None = None) -> Result:
        try:
            yield from reader(path, published)
        except InputError as err:
            yield err

    guarded.__name__ = reader.__name__
    guarded.__doc__ = reader.__doc__
    return guarded


@_guard
def read_txt(path: Path, published: date | None) -> Result:
    """Corpus format (first line ``date YYYY-MM-DD headline``) or plain text with ``--published``."""
    content = read_text(path)
    first, _, rest = content.lstrip("\ufeff").lstrip().partition("\n")
    match = _DATE_LINE.match(first)
    if first.lstrip().lower().startswith("date") and match:
        when = _parse_date(match.group(1), source=str(path), line=1)
        yield _article(rest, published=when, source=str(path), title=match.group(2).strip() or None)
        return
    if published is None:
        raise InputError(str(path), "no publication date: the first line is not "
                         "'date YYYY-MM-DD ...'; pass --published YYYY-MM-DD")
    yield _article(content, published=published, source=str(path))


@_guard
def read_html(path: Path, published: date | None) -> Result:
    """An HTML page: main text, title and date extracted with trafilatura."""
    import trafilatura

    data = read_bytes(path)
    if b"\x00" in data[:8192]:
        raise InputError(str(path), "binary file, not HTML (it contains NUL bytes)")
    try:
        doc = trafilatura.bare_extraction(data, with_metadata=True, include_comments=False)
    except Exception as exc:  # trafilatura raises many types on malformed markup
        raise InputError(str(path), f"cannot parse HTML: {exc}") from exc
    if doc is None or not (doc.text or "").strip():
        raise InputError(str(path), "no article text found in the HTML")
    when = published or (_parse_date(doc.date, source=str(path)) if doc.date else None)
    if when is None:
        raise InputError(str(path), "no publication date in the page; pass --published YYYY-MM-DD")
    yield _article(doc.text, published=when, source=str(path), title=doc.title,
                   url=doc.url, outlet=doc.sitename)


@_guard
def read_feed(path: Path, published: date | None) -> Result:
    """An RSS or Atom feed: one article per item, text from its content or summary."""
    import feedparser

    feed = feedparser.parse(read_bytes(path))
    if not feed.entries:
        why = f" ({feed.bozo_exception})" if feed.get("bozo") else ""
        raise InputError(str(path), f"feed has no items{why}")
    outlet = feed.feed.get("title")
    for number, entry in enumerate(feed.entries, start=1):
        try:
            yield _feed_article(entry, published, source=f"{path}#item{number}", outlet=outlet)
        except InputError as err:
            yield err


def _feed_article(entry: Any, published: date | None, *, source: str, outlet: str | None) -> Article:
    body = entry.get("content", [{}])[0].get("value") or entry.get("summary") or ""
    text = html_to_text(body)
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    when = date(*stamp[:3]) if stamp else published
    if when is None:
        raise InputError(source, "item has no date; pass --published YYYY-MM-DD")
    return _article(text, published=when, source=source, id=entry.get("id"),
                    title=entry.get("title"), url=entry.get("link"), outlet=outlet)


@_guard
def read_jsonl(path: Path, published: date | None) -> Result:
    """JSON Lines: one article object per line; a bad line is reported and skipped."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror or exc}") from exc
    with handle:
        seen_any = False
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            seen_any = True
            try:
                yield _json_article(raw, path=path, line=number, published=published)
            except InputError as err:
                yield err
    if not seen_any:
        raise InputError(str(path), "empty file")


def _json_article(raw: bytes, *, path: Path, line: int, published: date | None) -> Article:
    source = str(path)
    if len(raw) > MAX_BYTES:
        raise InputError(source, "line too large", line=line)
    try:
        obj = json.loads(decode(path, raw))
    except json.JSONDecodeError as exc:
        raise InputError(source, f"not JSON ({exc.msg})", line=line) from exc
    if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
        raise InputError(source, "expected an object with a 'text' string", line=line)
    raw_date = obj.get("published")
    when = _parse_date(raw_date, source=source, line=line) if raw_date else published
    if when is None:
        raise InputError(source, "no 'published' date; pass --published YYYY-MM-DD", line=line)
    return _article(obj["text"], published=when, source=f"{source}:{line}", id=obj.get("id"),
                    title=obj.get("title"), url=obj.get("url"), outlet=obj.get("outlet"))


READERS: dict[str, Reader] = {
    ".txt": read_txt,
    ".html": read_html,
    ".htm": read_html,
    ".xml": read_feed,
    ".rss": read_feed,
    ".atom": read_feed,
    ".jsonl": read_jsonl,
}


def reader_for(path: Path) -> Reader | None:
    return READERS.get(path.suffix.lower())
