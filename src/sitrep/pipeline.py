"""The stateless per-article work: ``extract(article) -> list[Event]``.

`sitrep extract`, `sitrep ingest`, the API's POST and batch runners all call this; nothing here
touches a database."""

from __future__ import annotations

from . import events
from .read import annotate
from .records import Article, Event

__all__ = ["extract"]


def extract(article: Article) -> list[Event]:
    return events.detect(annotate(article))
