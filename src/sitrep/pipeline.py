"""The stateless per-article work: ``extract(article) -> list[Event]``, ``read_article`` which
also returns the annotation and the situation facts, and ``read_articles`` for many articles
(parsed in batches, optionally in a pool of worker processes).

`sitrep extract`, `sitrep ingest`, the API's POST and batch runners all call this; nothing here
touches a database."""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING

from .errors import SitrepError
from .records import Annotation, Article, Event, Fact

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["extract", "read_article", "read_articles", "Reading", "Outcome", "default_workers"]

# Articles read together (their texts parsed by one nlp.pipe, sitrep.nlp.BATCH_SIZE at a time)
# in this process, and per task sent to a worker (fewer: the workers' shares stay even).
CHUNK = 16
POOL_CHUNK = 8
# Tasks queued per worker: enough to keep each busy, few enough to bound memory.
_AHEAD = 2


@dataclass
class Reading:
    annotation: Annotation
    events: list[Event]
    facts: list[Fact]


@dataclass
class Outcome:
    """One article's reading, or why it failed (``error``, a line fit to show a user)."""

    article: Article
    reading: Reading | None
    error: str | None = None


def read_article(article: Article, doc: Doc | None = None) -> Reading:
    from . import events
    from .read import annotate
    from .situation import facts_from_reading

    annotation = annotate(article, doc)
    found = events.detect(annotation)
    return Reading(annotation=annotation, events=found, facts=facts_from_reading(annotation, found))


def extract(article: Article) -> list[Event]:
    return read_article(article).events


def default_workers() -> int:
    """The CPUs this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def read_articles(articles: Iterable[Article], *, workers: int = 1) -> Iterator[Outcome]:
    """Each article's outcome, in input order, whatever ``workers`` is.

    With ``workers`` > 1 the articles are read in that many spawned processes, ``POOL_CHUNK``
    at a time (a pool is started only for more than one chunk of articles); the readings that
    come back carry no spaCy Doc (``annotation.doc`` is None).
    """
    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    chunks = _chunks(iter(articles), POOL_CHUNK if workers > 1 else CHUNK)
    first = next(chunks, None)
    if first is None:
        return
    second = next(chunks, None) if workers > 1 else None
    if second is None:  # one chunk is not worth starting processes for
        yield from read_chunk(first, keep_docs=True)
        for chunk in chunks:
            yield from read_chunk(chunk, keep_docs=True)
        return
    yield from _pooled([first, second], chunks, workers)


def read_chunk(articles: list[Article], *, keep_docs: bool = False) -> list[Outcome]:
    """Read a few articles, their texts parsed in one batch; one failure stays that article's."""
    from .nlp import parse_many

    try:
        docs: list[Doc | None] = list(parse_many([a.text for a in articles]))
    except Exception:  # noqa: BLE001 - parse them one by one: the failure is then one article's
        docs = [None] * len(articles)
    out = []
    for article, doc in zip(articles, docs):
        outcome = _read_one(article, doc)
        if not keep_docs and outcome.reading is not None:
            outcome.reading.annotation.doc = None  # Docs do not travel between processes
        out.append(outcome)
    return out


def _read_one(article: Article, doc: Doc | None) -> Outcome:
    try:
        return Outcome(article, read_article(article, doc))
    except SitrepError as exc:
        return Outcome(article, None, str(exc))
    except Exception as exc:  # noqa: BLE001 - a reader bug must not lose the rest of the batch
        return Outcome(article, None, f"internal error: {exc!r}")


def _chunks(articles: Iterator[Article], size: int) -> Iterator[list[Article]]:
    while chunk := list(islice(articles, size)):
        yield chunk


def _pooled(started: list[list[Article]], rest: Iterator[list[Article]], workers: int) -> Iterator[Outcome]:
    # Spawned, not forked: a fork of a process holding loaded models and threads is unsafe.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        queued: deque[Future[list[Outcome]]] = deque(pool.submit(read_chunk, c) for c in started)
        while queued:
            while len(queued) < workers * _AHEAD and (chunk := next(rest, None)) is not None:
                queued.append(pool.submit(read_chunk, chunk))
            # the oldest first: output keeps the input's order
            yield from queued.popleft().result()
