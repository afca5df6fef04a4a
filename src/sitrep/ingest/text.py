"""Text helpers shared by the format readers: ids, normalisation, decoding and limits."""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from pathlib import Path

from ..errors import InputError

__all__ = ["article_id", "normalise_text", "read_text", "read_bytes", "MAX_BYTES"]

# A news article is a few kB; anything far larger is a mistake (a dump, a video) and would
# stall the reader, so it is refused with a message instead of being read.
MAX_BYTES = int(os.environ.get("SITREP_MAX_BYTES", 20 * 1024 * 1024))

_SPACE = re.compile(r"\s+")


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


def decode(path: Path, data: bytes) -> str:
    if b"\x00" in data[:8192]:
        raise InputError(str(path), "binary file, not text (it contains NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(str(path), f"not UTF-8 (byte 0x{data[exc.start]:02x} at offset "
                         f"{exc.start}); convert it, e.g. iconv -f latin1 -t utf-8") from exc


def read_text(path: Path) -> str:
    return decode(path, read_bytes(path))
