"""One reader per input format. Each takes a path and yields Articles or InputErrors."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import IO, Any

from ..errors import InputError
from ..records import Article
from .article import make_article, parse_date
from .text import MAX_BYTES, bom_encoding, decode, html_to_text, read_bytes, read_text

__all__ = ["READERS", "reader_for", "MAX_BAD_LINES"]

Result = Iterator[Article | InputError]
Reader = Callable[..., Result]

_DATE_LINE = re.compile(r"^\s*date\s+(\S+)\s*(.*)$")
# A JSON Lines file with this many bad lines is not JSON Lines (a binary file, a CSV, a dump):
# its lines are not worth a message each, so reading it stops there.
MAX_BAD_LINES = 10


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
    first, _, rest = content.lstrip().partition("\n")
    match = _DATE_LINE.match(first)
    if first.lstrip().lower().startswith("date") and match:
        when = parse_date(match.group(1), source=str(path), line=1)
        yield make_article(text=rest, published=when, source=str(path),
                           title=match.group(2).strip() or None)
        return
    if published is None:
        raise InputError(str(path), "no publication date: the first line is not "
                         "'date YYYY-MM-DD ...'; pass --published YYYY-MM-DD")
    yield make_article(text=content, published=published, source=str(path))


@_guard
def read_html(path: Path, published: date | None) -> Result:
    """An HTML page: main text, title and date extracted with trafilatura.

    The date comes from the page's metadata only (htmldate without its extensive search), and
    only where the page writes its day: a year or a month found in the body is no publication
    date, and events dated against it would be wrong at "day" precision."""
    import trafilatura

    data = read_bytes(path)
    # trafilatura guesses a charset from the bytes; a page with a byte-order mark says its own
    markup: bytes | str = decode(path, data) if bom_encoding(data) else data
    if isinstance(markup, bytes) and b"\x00" in markup:
        raise InputError(str(path), "binary file, not HTML (it contains NUL bytes)")
    try:
        doc = trafilatura.bare_extraction(
            markup, with_metadata=True, include_comments=False,
            date_extraction_params={"extensive_search": False, "original_date": True})
    except Exception as exc:  # trafilatura raises many types on malformed markup
        raise InputError(str(path), f"cannot parse HTML: {exc}") from exc
    if doc is None or not (doc.text or "").strip():
        raise InputError(str(path), "no article text found in the HTML")
    when = published or _page_date(doc.date, markup, source=str(path))
    if when is None:
        raise InputError(str(path), "no publication date in the page's metadata; "
                         "pass --published YYYY-MM-DD")
    yield make_article(text=doc.text, published=when, source=str(path), title=doc.title,
                       url=doc.url, outlet=doc.sitename)


_MONTHS = ("january february march april may june july august september october november "
           "december").split()


def _page_date(found: str | None, markup: bytes | str, *, source: str) -> date | None:
    """The date htmldate found, if the page writes that day: for a month alone ("2024-05")
    htmldate fills in a day of its own, which is no publication date."""
    if not found:
        return None
    when = parse_date(found, source=source)
    page = markup if isinstance(markup, str) else markup.decode("utf-8", "replace")
    return when if _writes_day(page.lower(), when) else None


def _writes_day(page: str, when: date) -> bool:
    y, m, d = when.year, when.month, when.day
    month = _MONTHS[m - 1]
    day = rf"0?{d}(?:st|nd|rd|th)?"
    forms = [
        rf"{y}[-/.]0?{m}[-/.]0?{d}(?!\d)", rf"(?<!\d){y}{m:02}{d:02}(?!\d)",
        rf"(?<!\d)0?{d}[-/.]0?{m}[-/.]{y}", rf"(?<!\d)0?{m}[-/.]0?{d}[-/.]{y}",
        rf"(?<!\d){day}\.? (?:of )?{month[:3]}[a-z]*\.?,? {y}",
        rf"{month[:3]}[a-z]*\.? {day},? {y}",
    ]
    return any(re.search(form, page) for form in forms)


@_guard
def read_feed(path: Path, published: date | None) -> Result:
    """An RSS or Atom feed: one article per item, text from its content or summary."""
    import feedparser

    try:
        feed = feedparser.parse(read_bytes(path))
    except Exception as exc:  # feedparser is lenient, but not with every broken input
        raise InputError(str(path), f"cannot parse the feed: {exc}") from exc
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
    body = (entry.get("content") or [{}])[0].get("value") or entry.get("summary") or ""
    text = html_to_text(body)
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    when = _stamp_date(stamp, source=source) if stamp else published
    if when is None:
        raise InputError(source, "item has no date; pass --published YYYY-MM-DD")
    return make_article(text=text, published=when, source=source, id=entry.get("id"),
                        title=entry.get("title"), url=entry.get("link"), outlet=outlet)


def _stamp_date(stamp: Any, *, source: str) -> date:
    try:
        return parse_date(date(*stamp[:3]).isoformat(), source=source)
    except (TypeError, ValueError):
        raise InputError(source, "the item's date is no calendar date") from None


@_guard
def read_jsonl(path: Path, published: date | None) -> Result:
    """JSON Lines: one article object per line; a bad line is reported and skipped, and after
    ``MAX_BAD_LINES`` of them the rest of the file is not read."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror or exc}") from exc
    with handle:
        seen_any = False
        bad = 0
        for number, raw in _lines(path, handle):
            if not raw.strip():
                continue
            seen_any = True
            try:
                yield _json_article(raw, path=path, line=number, published=published)
            except InputError as err:
                yield err
                bad += 1
                if bad == MAX_BAD_LINES:
                    raise InputError(str(path), f"{bad} bad lines, the last at line {number}; "
                                     "the rest of the file is not read (fix it and ingest it "
                                     "again: articles already stored are skipped)") from None
    if not seen_any:
        raise InputError(str(path), "empty file")


def _lines(path: Path, handle: IO[bytes]) -> Iterator[tuple[int, str]]:
    """Numbered lines without their ends: UTF-8, or UTF-16/32 after its byte-order mark.
    A binary file is one error, not one per line."""
    head = handle.read(8192)
    handle.seek(0)
    encoding = bom_encoding(head)
    if encoding in ("utf-16", "utf-32"):
        text = io.TextIOWrapper(handle, encoding=encoding, newline="")
        number = 0
        try:
            for number, line in enumerate(text, start=1):
                yield number, line.rstrip("\r\n")
        except UnicodeDecodeError:
            raise InputError(str(path), f"not {encoding.upper()} after line {number}, although "
                             "it starts with its byte-order mark") from None
        return
    if b"\x00" in head:
        raise InputError(str(path), "binary file, not JSON Lines (it contains NUL bytes; "
                         "UTF-16 text needs a byte-order mark)")
    number = 0
    while raw := handle.readline(MAX_BYTES + 1):  # bounded: a file may have no line breaks
        number += 1
        if len(raw) > MAX_BYTES:
            raise InputError(str(path), f"the line is longer than {MAX_BYTES:,} bytes (set "
                             "SITREP_MAX_BYTES to change it); the rest of the file is not read",
                             line=number)
        try:
            yield number, raw.decode("utf-8-sig" if number == 1 else "utf-8").rstrip("\r\n")
        except UnicodeDecodeError as exc:
            # the encoding is the file's, so the lines after this one are no better
            raise InputError(str(path), f"not UTF-8 (byte 0x{raw[exc.start]:02x} at offset "
                             f"{exc.start} of the line); convert it, e.g. iconv -f latin1 "
                             "-t utf-8", line=number) from None


def _json_article(raw: str, *, path: Path, line: int, published: date | None) -> Article:
    source = str(path)
    try:
        obj = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InputError(source, f"not JSON: {_json_reason(exc)}", line=line) from None
    except RecursionError:
        raise InputError(source, "not an article: the JSON is nested too deeply", line=line) \
            from None
    if not isinstance(obj, dict):
        raise InputError(source, "expected a JSON object with a 'text' string", line=line)
    if "text" not in obj:
        raise InputError(source, "the object has no 'text' field", line=line)
    raw_date = obj.get("published")
    when = parse_date(raw_date, source=source, line=line) if raw_date else published
    if when is None:
        raise InputError(source, "no 'published' date; pass --published YYYY-MM-DD", line=line)
    return make_article(text=obj["text"], published=when, source=source, line=line,
                        id=obj.get("id"), title=obj.get("title"), url=obj.get("url"),
                        outlet=obj.get("outlet"))


def _json_reason(exc: json.JSONDecodeError) -> str:
    """json's message with its column, as a sentence: 'unterminated string starting at column
    12' (``exc.msg`` alone stops at 'starting at')."""
    message = exc.msg[:1].lower() + exc.msg[1:]
    joiner = " column" if message.endswith(" at") else " at column"
    return f"{message}{joiner} {exc.colno}"


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
