"""Text helpers shared by the format readers: ids, normalisation, decoding and limits."""

from __future__ import annotations

import codecs
import hashlib
import html
import os
import re
import unicodedata
from pathlib import Path

from ..errors import InputError

__all__ = ["article_id", "normalise_text", "read_text", "read_bytes", "decode_entities",
           "html_to_text", "decode", "bom_encoding", "MAX_BYTES"]

# A news article is a few kB; anything far larger is a mistake (a dump, a video) and would
# stall the reader, so it is refused with a message instead of being read.
MAX_BYTES = int(os.environ.get("SITREP_MAX_BYTES", 20 * 1024 * 1024))

_SPACE = re.compile(r"\s+")
# only complete references ("&#8217;", "&#x2019;", "&quot;"): "AT&T" and "R&D" stay as written
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_BLOCK_TAG = re.compile(
    r"<\s*/?\s*(?:p|div|br|li|ul|ol|h[1-6]|tr|table|blockquote|section|article)\b[^>]*>",
    re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
_BLANK_LINES = re.compile(r"\n\s*\n\s*")


def decode_entities(text: str) -> str:
    """Text scraped from the web often keeps HTML character references ("Rebels&#8217; attack",
    "&quot;M23&quot;"); they are decoded, so that names and quotes read as words."""
    return _ENTITY.sub(lambda m: html.unescape(m.group(0)), text)


def html_to_text(markup: str) -> str:
    """A feed item's HTML body as plain text: block elements end paragraphs, other tags vanish,
    character references are decoded."""
    text = _TAG.sub("", _BLOCK_TAG.sub("\n\n", markup))
    text = decode_entities(text)
    return _BLANK_LINES.sub("\n\n", text).strip()


def normalise_text(text: str) -> str:
    """The form two copies of one article share: NFKC, curly quotes straightened, spaces collapsed."""
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'}))
    return _SPACE.sub(" ", text).strip().lower()


def article_id(text: str) -> str:
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()[:16]


def read_bytes(path: Path, *, limit: int | None = None) -> bytes:
    limit = MAX_BYTES if limit is None else limit
    try:
        size = path.stat().st_size
        if size > limit:
            raise InputError(str(path), f"file too large ({size / 1e6:.1f} MB; the limit is "
                             f"{limit / 1e6:.0f} MB, set SITREP_MAX_BYTES to change it)")
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror or exc}") from exc
    if not data.strip():
        raise InputError(str(path), "empty file")
    return data


# A byte-order mark names its encoding; UTF-32's come first, as they start with UTF-16's.
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))


def bom_encoding(data: bytes) -> str | None:
    """The encoding a byte-order mark at the start of ``data`` names, if there is one."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


def decode(path: Path, data: bytes, *, line: int | None = None) -> str:
    """UTF-8 text, or UTF-16/32 text that starts with its byte-order mark."""
    encoding = bom_encoding(data) if line in (None, 1) else None
    if encoding in (None, "utf-8-sig") and b"\x00" in data[:8192]:
        raise InputError(str(path), "binary file, not text (it contains NUL bytes; UTF-16 "
                         "text needs a byte-order mark)", line=line)
    encoding = encoding or "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        if not encoding.startswith("utf-8"):
            raise InputError(str(path), f"not {encoding.upper()} although it starts with its "
                             f"byte-order mark (bad bytes at offset {exc.start})",
                             line=line) from None
        raise InputError(str(path), f"not UTF-8 (byte 0x{data[exc.start]:02x} at offset "
                         f"{exc.start}); convert it, e.g. iconv -f latin1 -t utf-8",
                         line=line) from None
    nul = text.find("\x00")
    if nul >= 0:  # PostgreSQL cannot store it, and text does not hold one
        raise InputError(str(path), f"a NUL character at offset {nul}: the file is binary or "
                         "corrupt", line=line)
    return text.lstrip("\ufeff")


def read_text(path: Path) -> str:
    return decode(path, read_bytes(path))
