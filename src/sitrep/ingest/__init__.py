"""Ingest: files, folders and feeds in, Articles out. Knows formats, nothing of language.

``read_paths(paths)`` yields an ``Article`` for every article it can read, an ``InputError`` for
every input it cannot, so that one bad file never stops a batch, and a ``Skipped`` note for a
file in a folder that it does not try to read (an unknown type, a link back up the tree).
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..errors import InputError
from ..records import Article
from .article import MAX_ID_CHARS, MAX_TEXT_CHARS, check_published, make_article
from .formats import MAX_BAD_LINES, READERS, reader_for
from .text import article_id, normalise_text

__all__ = ["read_paths", "read_path", "expand", "article_id", "normalise_text", "READERS",
           "Skipped", "make_article", "check_published", "MAX_ID_CHARS", "MAX_TEXT_CHARS",
           "MAX_BAD_LINES"]


@dataclass(frozen=True)
class Skipped:
    """A file or folder inside a named folder that is deliberately not read; worth a line on
    stderr, so nothing is left out unseen, but no failure of the batch."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


Item = Path | InputError | Skipped
_Key = tuple[int, int]


def expand(paths: Iterable[Path | str]) -> Iterator[Item]:
    """Every readable file named, or under a named folder, in a stable order (sorted by name
    within each folder). Hidden files and folders (".git", ".DS_Store") are passed over."""
    for raw in paths:
        path = Path(raw)
        kind = _kind(path)
        if isinstance(kind, InputError):
            yield kind
        elif kind == "dir":
            yield from _walk(path, ancestors={_key(path)}, done={})
        elif kind == "file":
            yield path
        else:
            yield InputError(str(path), "not a regular file or folder (a device, pipe or "
                             "socket); not read")


def _kind(path: Path) -> str | InputError:
    """'file', 'dir' or 'other', following symbolic links; an InputError where that fails."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return InputError(str(path), "symbolic link loop (the link leads back to itself); "
                              "not read")
        if path.is_symlink():
            return InputError(str(path), "broken symbolic link (its target does not exist)")
        if exc.errno == errno.ENOENT:
            return InputError(str(path), "no such file or folder")
        return InputError(str(path), f"cannot read: {exc.strerror or exc}")
    if stat.S_ISDIR(mode):
        return "dir"
    return "file" if stat.S_ISREG(mode) else "other"


def _key(path: Path) -> _Key:
    info = path.stat()
    return info.st_dev, info.st_ino


def _walk(folder: Path, *, ancestors: set[_Key], done: dict[_Key, Path]) -> Iterator[Item]:
    """Depth first; a folder linked from below itself is a loop and is not entered."""
    done[_key(folder)] = folder
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as exc:
        yield InputError(str(folder), f"cannot read the folder: {exc.strerror or exc}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = folder / entry.name
        kind = _kind(path)
        if isinstance(kind, InputError):
            yield kind
        elif kind == "dir":
            key = _key(path)
            if key in ancestors:
                yield Skipped(str(path), f"a link back to {done[key]} (a loop); not followed")
            elif key in done:
                yield Skipped(str(path), f"the same folder as {done[key]}, read already")
            else:
                yield from _walk(path, ancestors=ancestors | {key}, done=done)
        elif kind == "other":
            yield Skipped(str(path), "not a regular file (a device, pipe or socket); not read")
        elif reader_for(path) is None:
            yield Skipped(str(path), f"not an article file ({_suffix(path)}); sitrep reads "
                          f"{', '.join(sorted(READERS))}")
        else:
            yield path


def _suffix(path: Path) -> str:
    return f"type {path.suffix!r}" if path.suffix else "no file type"


def read_path(path: Path | str, *, published: date | None = None) -> Iterator[Article | InputError]:
    path = Path(path)
    reader = reader_for(path)
    if reader is None:
        yield InputError(str(path), f"unknown file type {path.suffix or '(none)'!r}; "
                         f"expected one of {', '.join(sorted(READERS))}")
        return
    yield from reader(path, published=published)


def read_paths(
    paths: Iterable[Path | str], *, published: date | None = None
) -> Iterator[Article | InputError | Skipped]:
    for item in expand(paths):
        if isinstance(item, (InputError, Skipped)):
            yield item
        else:
            yield from read_path(item, published=published)
