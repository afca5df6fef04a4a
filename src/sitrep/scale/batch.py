"""Running the per-article work over a Parquet source, in-process or on Ray.

Both engines feed the same batches to the same ``read_batch`` and write the same parts; they
differ only in where ``read_batch`` runs. On Ray each actor holds one process whose lazily
loaded models serve every batch it is given, and the driver alone writes, so workers need no
shared file system.
"""

from __future__ import annotations

import multiprocessing
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from itertools import chain, islice
from pathlib import Path
from typing import Any, Literal

from .. import pipeline
from ..errors import InputError, ModelError
from ..records import Article
from .outputs import Outputs
from .tables import event_row, fact_row, read_articles_parquet

__all__ = ["BatchReport", "extract_parquet", "read_batch"]

Rows = dict[str, list[dict[str, Any]]]
Progress = Callable[[int], None]
# Batches in flight per Ray worker: enough to keep it busy, few enough to bound memory.
_IN_FLIGHT = 2


@dataclass
class BatchReport:
    """What one run did; ``skipped`` counts articles an earlier run had already finished."""

    engine: str
    read: int = 0
    skipped: int = 0
    events: int = 0
    facts: int = 0
    errors: int = 0
    batches: int = 0
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def add(self, rows: Rows) -> None:
        self.read += len(rows["done"])
        self.events += len(rows["events"])
        self.facts += len(rows["facts"])
        self.errors += len(rows["errors"])
        self.batches += 1


def read_batch(articles: Iterable[Article]) -> Rows:
    """Output rows for a batch of articles; an article that fails becomes an error row."""
    rows: Rows = {"events": [], "facts": [], "errors": [], "done": []}
    articles = list(articles)
    for article, doc in zip(articles, _parsed(articles)):
        try:
            reading = pipeline.read_article(article, doc)
            events = [event_row(e, article.id) for e in reading.events]
            facts = [fact_row(f, article.id) for f in reading.facts]
        except Exception as err:  # noqa: BLE001 - one bad article must never stop a batch
            rows["errors"].append({"article_id": article.id,
                                   "message": f"{type(err).__name__}: {err}"})
        else:
            rows["events"].extend(events)
            rows["facts"].extend(facts)
        rows["done"].append({"article_id": article.id})
    return rows


def _parsed(articles: list[Article]) -> list[Any]:
    """The articles' Docs parsed in batches; Nones (each parsed on its own, so that a failure
    stays one article's) where the batch cannot be."""
    from ..nlp import parse_many

    try:
        return parse_many([a.text for a in articles])
    except Exception:  # noqa: BLE001 - read_article parses each again and reports its own error
        return [None] * len(articles)


def extract_parquet(
    src: Path | str,
    dst: Path | str,
    *,
    engine: Literal["local", "ray"] = "local",
    batch_size: int = 64,
    address: str | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
) -> BatchReport:
    """Read every article in ``src`` not already done in ``dst``; write events, facts, errors.

    ``workers`` is the number of processes for the local engine (default: this one alone) and
    of actors on Ray (default: one per CPU of the cluster). ``progress`` is called with the
    number of articles each finished batch held.
    """
    if batch_size < 1:
        raise InputError(str(src), f"batch size must be at least 1, not {batch_size}")
    if engine not in ("local", "ray"):
        raise InputError(engine, "engine must be 'local' or 'ray'")
    src = Path(src)
    if not src.exists():
        raise InputError(str(src), "no such file or folder")
    if engine == "ray":
        _import_ray()  # fail before anything is written
    outputs = Outputs(dst)
    first = outputs.prepare(source=src)
    done = outputs.done_ids()
    report = BatchReport(engine=engine)
    started = time.perf_counter()
    pending = _pending(read_articles_parquet(src), done, report)
    batches = enumerate(_chunks(pending, batch_size), start=first)
    if engine == "local":
        _run_local(batches, outputs, report, progress, workers=workers)
    else:
        _run_ray(batches, outputs, report, progress, address=address, workers=workers)
    report.seconds = time.perf_counter() - started
    return report


def _pending(articles: Iterable[Article], done: set[str], report: BatchReport) -> Iterator[Article]:
    for article in articles:
        if article.id in done:
            report.skipped += 1
        else:
            yield article


def _chunks(articles: Iterator[Article], size: int) -> Iterator[list[Article]]:
    while chunk := list(islice(articles, size)):
        yield chunk


def _finish(number: int, rows: Rows, outputs: Outputs, report: BatchReport,
            progress: Progress | None) -> None:
    outputs.write(number, rows)
    report.add(rows)
    if progress:
        progress(len(rows["done"]))


def _run_local(batches: Iterable[tuple[int, list[Article]]], outputs: Outputs,
               report: BatchReport, progress: Progress | None, *, workers: int | None) -> None:
    if not workers or workers <= 1:
        for number, batch in batches:
            _finish(number, read_batch(batch), outputs, report, progress)
        return
    # Spawned, not forked: a fork of a process holding loaded models and threads is unsafe.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        busy: set[Future[tuple[int, Rows]]] = set()
        batches = iter(batches)
        while True:
            while len(busy) < workers * _IN_FLIGHT and (item := next(batches, None)):
                busy.add(pool.submit(_numbered, *item))
            if not busy:
                return
            finished, busy = wait(busy, return_when=FIRST_COMPLETED)
            for future in finished:
                _finish(*future.result(), outputs, report, progress)


def _numbered(number: int, articles: list[Article]) -> tuple[int, Rows]:
    return number, read_batch(articles)


class _Reader:
    """A Ray actor's body: the models load on its first batch and stay for the rest."""

    def run(self, number: int, articles: list[Article]) -> tuple[int, Rows]:
        return _numbered(number, articles)


def _import_ray() -> Any:
    try:
        import ray
    except ImportError as err:
        raise ModelError("the ray engine needs Ray, which is not installed; "
                         "pip install 'sitrep[scale]'") from err
    return ray


def _run_ray(batches: Iterable[tuple[int, list[Article]]], outputs: Outputs,
             report: BatchReport, progress: Progress | None, *,
             address: str | None, workers: int | None) -> None:
    batches = iter(batches)
    head = next(batches, None)
    if head is None:  # nothing left to do: not worth starting Ray for
        return
    ray = _import_ray()
    owned = not ray.is_initialized()
    if owned:
        ray.init(address=address, num_cpus=workers if address is None else None,
                 include_dashboard=False, log_to_driver=False)
    try:
        size = workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
        actor = ray.remote(num_cpus=1)(_Reader)
        pool = [actor.remote() for _ in range(size)]
        _drive(ray, pool, chain([head], batches), outputs, report, progress)
    finally:
        if owned:
            ray.shutdown()


def _drive(ray: Any, pool: list[Any], batches: Iterator[tuple[int, list[Article]]],
           outputs: Outputs, report: BatchReport, progress: Progress | None) -> None:
    """Keep each actor fed, writing each batch's parts as soon as it comes back."""
    busy: dict[Any, Any] = {}  # result ref -> actor
    idle = [a for _ in range(_IN_FLIGHT) for a in pool]
    while True:
        while idle and (item := next(batches, None)) is not None:
            actor = idle.pop()
            busy[actor.run.remote(*item)] = actor
        if not busy:
            return
        [ready], _ = ray.wait(list(busy), num_returns=1)
        idle.append(busy.pop(ready))
        number, rows = ray.get(ready)
        _finish(number, rows, outputs, report, progress)
