"""Throughput and memory of the per-article work (read + extract), and of storing with merging.

    python benchmarks/throughput.py PATH... [--repeat N] [--db URL]

Prints articles/s, words/s, ms per article for the reading and for the store, and peak RSS.
Run it on a quiet machine; it is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time
from pathlib import Path

from sitrep.ingest import read_paths
from sitrep.pipeline import read_article
from sitrep.records import Article
from sitrep.store import open_store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--db", default=None)
    args = parser.parse_args()
    articles = [a for a in read_paths(args.paths) if isinstance(a, Article)]
    words = sum(len(a.text.split()) for a in articles)
    warm = time.perf_counter()
    read_article(articles[0])  # loads the models once
    print(f"model load and first article: {time.perf_counter() - warm:.2f} s")
    runs = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        readings = [read_article(a) for a in articles]
        runs.append(time.perf_counter() - start)
    best = min(runs)
    print(f"{len(articles)} articles, {words} words; reading, best of {args.repeat}: {best:.2f} s "
          f"= {len(articles) / best:.1f} articles/s, {words / best:.0f} words/s, "
          f"{1000 * best / len(articles):.0f} ms/article (median run {statistics.median(runs):.2f} s)")
    db = args.db or f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    store = open_store(db)
    start = time.perf_counter()
    for article, reading in zip(articles, readings):
        store.add_article(article, reading.events, reading.facts)
    spent = time.perf_counter() - start
    print(f"store with merging ({store.url.split(':')[0]}): {1000 * spent / len(articles):.1f} ms/article")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory: {peak:.0f} MB")


if __name__ == "__main__":
    main()
