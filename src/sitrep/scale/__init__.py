"""Scale: past one machine, the per-article work runs on Ray over Parquet.

    articles_to_parquet(read_paths(["news/"]), "articles.parquet")
    report = extract_parquet("articles.parquet", "out/", engine="ray", address="auto")
    load_parquet_into_store("out/", open_store("postgresql://..."))

``extract_parquet`` writes events, facts and errors as Parquet datasets under ``out/``, a part
per batch, and a rerun skips articles already done. Nothing here merges events: merging
happens once, in the store, when ``load_parquet_into_store`` adds the articles in order.
Ray is optional (``pip install 'sitrep[scale]'``); the local engine needs only pyarrow.
"""

from __future__ import annotations

from .batch import BatchReport, extract_parquet, read_batch
from .load import load_parquet_into_store
from .outputs import read_output
from .tables import articles_to_parquet, read_articles_parquet

__all__ = [
    "articles_to_parquet",
    "read_articles_parquet",
    "extract_parquet",
    "BatchReport",
    "read_batch",
    "read_output",
    "load_parquet_into_store",
]
