"""Ingest: files, folders and feeds in, Articles out. Knows formats, nothing of language.

``read_paths(paths)`` yields an ``Article`` for every article it can read and an ``InputError``
for every input it cannot, so that one bad file never stops a batch.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

from ..errors import InputError
from ..records import Article
from .formats import READERS, reader_for
from .text import article_id, normalise_text

__all__ = ["read_paths", "read_path", "expand", "article_id", "normalise_text", "READERS"]


def expand(paths: Iterable[Path | str]) -> Iterator[Path | InputError]:
    """Every readable file named, or under a named folder, in a stable order."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from _walk(path)
        elif path.is_file():
            yield path
        else:
            yield InputError(str(path), "no such file or folder")


def _walk(folder: Path) -> Iterator[Path]:
    for path in sorted(folder.rglob("*")):
        hidden = any(part.startswith(".") for part in path.relative_to(folder).parts)
        if path.is_file() and not hidden and reader_for(path) is not None:
            yield path


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
) -> Iterator[Article | InputError]:
    for item in expand(paths):
        if isinstance(item, InputError):
            yield item
        else:
            yield from read_path(item, published=published)
