"""Arrow schemas for articles in and events, facts and errors out, and the rows that fill them.

Outputs keep the simple contract fields as typed columns, for filtering in any Parquet reader,
and the whole record as a JSON string in ``record``, so nothing in the contract is lost.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from ..errors import InputError
from ..records import Article, Event, Fact

__all__ = [
    "ARTICLES",
    "EVENTS",
    "FACTS",
    "ERRORS",
    "DONE",
    "articles_to_parquet",
    "read_articles_parquet",
    "article_rows",
    "event_row",
    "fact_row",
]

ARTICLES = pa.schema([
    ("id", pa.string()), ("published", pa.date32()), ("title", pa.string()),
    ("url", pa.string()), ("outlet", pa.string()), ("text", pa.string()),
    # Not in the contract, but the store keeps where an article came from.
    ("source", pa.string()),
])
EVENTS = pa.schema([
    ("id", pa.string()), ("event_date", pa.date32()), ("date_end", pa.date32()),
    ("date_precision", pa.string()), ("event_type", pa.string()),
    ("sub_event_type", pa.string()), ("fatalities", pa.int64()), ("factuality", pa.string()),
    ("background", pa.bool_()), ("confidence", pa.float64()), ("article_id", pa.string()),
    ("location_name", pa.string()), ("lat", pa.float64()), ("lon", pa.float64()),
    ("country", pa.string()), ("admin1", pa.string()), ("actor1", pa.string()),
    ("actor2", pa.string()), ("record", pa.string()),
])
FACTS = pa.schema([("kind", pa.string()), ("article_id", pa.string()), ("record", pa.string())])
ERRORS = pa.schema([("article_id", pa.string()), ("message", pa.string())])
DONE = pa.schema([("article_id", pa.string())])
_REQUIRED = ("id", "text")
_BATCH_ROWS = 1024


def article_rows(articles: Iterable[Article]) -> Iterator[dict[str, Any]]:
    for article in articles:
        yield {name: getattr(article, name) for name in ARTICLES.names}


def articles_to_parquet(articles: Iterable[Article], path: Path | str) -> int:
    """Write articles to one Parquet file, streaming in row groups; returns how many."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with pq.ParquetWriter(path, ARTICLES) as writer:
        chunk: list[dict[str, Any]] = []
        for row in article_rows(articles):
            chunk.append(row)
            if len(chunk) >= _BATCH_ROWS:
                writer.write_table(pa.Table.from_pylist(chunk, schema=ARTICLES))
                count, chunk = count + len(chunk), []
        if chunk or count == 0:
            writer.write_table(pa.Table.from_pylist(chunk, schema=ARTICLES))
            count += len(chunk)
    return count


def read_articles_parquet(path: Path | str) -> Iterator[Article]:
    """Articles from a Parquet file or a folder of them, one record batch at a time."""
    dataset = _dataset(Path(path))
    names = set(dataset.schema.names)
    missing = [c for c in _REQUIRED if c not in names]
    if missing:
        raise InputError(str(path), f"no {', '.join(missing)} column; "
                         f"expected {', '.join(ARTICLES.names)}")
    columns = [c for c in ARTICLES.names if c in names]
    for batch in dataset.to_batches(columns=columns, batch_size=_BATCH_ROWS):
        for row in batch.to_pylist():
            yield _article(row)


def _dataset(path: Path) -> ds.Dataset:
    if not path.exists():
        raise InputError(str(path), "no such file or folder")
    try:
        return ds.dataset(path, format="parquet")
    except (pa.ArrowInvalid, OSError) as err:
        raise InputError(str(path), f"not readable as Parquet ({err})") from err


def _article(row: dict[str, Any]) -> Article:
    return Article(id=str(row["id"]), text=row["text"], published=row.get("published"),
                   title=row.get("title"), url=row.get("url"), outlet=row.get("outlet"),
                   source=row.get("source"))


def _json(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, default=str)


def event_row(event: Event, article_id: str) -> dict[str, Any]:
    where = event.location
    return {
        "id": event.id, "event_date": event.event_date, "date_end": event.date_end,
        "date_precision": event.date_precision, "event_type": event.event_type,
        "sub_event_type": event.sub_event_type, "fatalities": event.fatalities,
        "factuality": event.factuality, "background": event.background,
        "confidence": event.confidence, "article_id": article_id,
        "location_name": where.name, "lat": where.lat, "lon": where.lon,
        "country": where.country, "admin1": where.admin1,
        "actor1": event.actor1.name if event.actor1 else None,
        "actor2": event.actor2.name if event.actor2 else None,
        "record": _json(event.to_dict()),
    }


def fact_row(fact: Fact, article_id: str) -> dict[str, Any]:
    return {"kind": fact.kind, "article_id": article_id, "record": _json(fact.to_dict())}
