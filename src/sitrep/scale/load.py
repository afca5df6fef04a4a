"""Loading a batch run's outputs into a Store, where the events merge across articles."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..records import Attribution, Event, Evidence, Fact
from .outputs import Outputs, read_output
from .tables import read_articles_parquet

__all__ = ["load_parquet_into_store", "fact_from_record"]

# Fact bodies carry these as dates; JSON turned them into strings.
_DATE_KEYS = ("since", "until", "as_of")


def load_parquet_into_store(dst: Path | str, store: Any, *,
                            articles: Path | str | None = None) -> int:
    """Store every finished, error-free article of the run in ``dst``; returns how many were new.

    The article texts come from ``articles``, else from the source the run recorded. Storing
    is idempotent: an article the store already holds is skipped.
    """
    outputs = Outputs(dst)
    source = Path(articles) if articles is not None else outputs.source()
    if source is None:
        raise InputError(str(dst), "no manifest.json naming the source; pass the articles' Parquet")
    wanted = outputs.done_ids() - set(read_output(dst, "errors")["article_id"].to_pylist())
    events = _grouped(dst, "events", Event.from_dict)
    facts = _grouped(dst, "facts", fact_from_record)
    stored = 0
    for article in read_articles_parquet(source):
        if article.id in wanted:
            wanted.discard(article.id)  # a repeated id in the source is stored once
            stored += bool(store.add_article(article, events.pop(article.id, []),
                                             facts.pop(article.id, [])))
    return stored


def _grouped(dst: Path | str, name: str, build: Any) -> dict[str, list[Any]]:
    table = read_output(dst, name, columns=["article_id", "record"])
    found: dict[str, list[Any]] = defaultdict(list)
    for article_id, record in zip(table["article_id"].to_pylist(), table["record"].to_pylist()):
        found[article_id].append(build(json.loads(record)))
    return found


def fact_from_record(record: dict[str, Any]) -> Fact:
    """The Fact that ``Fact.to_dict()`` flattened into ``record``."""
    body = {k: v for k, v in record.items()
            if k not in ("kind", "evidence", "attribution", "article_ids")}
    for key in _DATE_KEYS:
        if isinstance(body.get(key), str):
            body[key] = date.fromisoformat(body[key])
    return Fact(kind=record["kind"], body=body,
                evidence=[Evidence(**e) for e in record.get("evidence") or []],
                attribution=[Attribution(**a) for a in record.get("attribution") or []],
                article_ids=list(record.get("article_ids") or []))
