"""Articles/s of the batch path over Parquet: the local engine against Ray.

    python benchmarks/scale.py PATH... [--repeat N] [--batch-size B] [--workers W] [--address ADDR]

The articles under PATH are repeated N times (each copy with its own id) into one Parquet file,
then extracted once per engine into a fresh folder. Ray's start-up is timed on its own; the
Ray run's time includes each worker loading the models, as every real run pays it.
Run it on a quiet machine; it is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import tempfile
import time
from pathlib import Path

from sitrep.ingest import read_paths
from sitrep.pipeline import read_article
from sitrep.records import Article
from sitrep.scale import articles_to_parquet, extract_parquet


def _copies(articles: list[Article], repeat: int) -> list[Article]:
    return [dataclasses.replace(a, id=f"{a.id}~{k}") for k in range(repeat) for a in articles]


def _line(name: str, count: int, seconds: float, words: int) -> str:
    return (f"{name:>6}: {count} articles in {seconds:.1f} s = {count / seconds:.2f} articles/s, "
            f"{words / seconds:.0f} words/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--repeat", type=int, default=4)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--address", default=None)
    parser.add_argument("--engines", default="local,ray")
    args = parser.parse_args()
    base = [a for a in read_paths(args.paths) if isinstance(a, Article)]
    articles = _copies(base, args.repeat)
    words = sum(len(a.text.split()) for a in articles)
    work = Path(tempfile.mkdtemp(prefix="sitrep-scale-"))
    src = work / "articles.parquet"
    articles_to_parquet(articles, src)
    print(f"{len(articles)} articles ({len(base)} x {args.repeat}), {words} words; "
          f"batch size {args.batch_size}; {os.cpu_count()} CPUs")
    for engine in args.engines.split(","):
        if engine == "local":
            read_article(base[0])  # the local engine shares this process's loaded models
        else:
            _start_ray(args.address, args.workers)
        report = extract_parquet(src, work / engine, engine=engine,  # type: ignore[arg-type]
                                 batch_size=args.batch_size, workers=args.workers)
        print(_line(engine, report.read, report.seconds, words)
              + f"; {report.events} events, {report.errors} errors")


def _start_ray(address: str | None, workers: int | None) -> None:
    import ray

    start = time.perf_counter()
    ray.init(address=address, num_cpus=workers if address is None else None,
             include_dashboard=False, log_to_driver=False)
    cpus = ray.available_resources().get("CPU", 0)
    print(f"   ray: started in {time.perf_counter() - start:.1f} s, {cpus:.0f} CPUs")


if __name__ == "__main__":
    main()
