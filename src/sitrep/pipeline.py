"""The stateless per-article work: ``extract(article) -> list[Event]``, and ``read_article``
which also returns the annotation and the situation facts.

`sitrep extract`, `sitrep ingest`, the API's POST and batch runners all call this; nothing here
touches a database."""

from __future__ import annotations

from dataclasses import dataclass

from . import events
from .read import annotate
from .records import Annotation, Article, Event, Fact
from .situation import facts_from_reading

__all__ = ["extract", "read_article", "Reading"]


@dataclass
class Reading:
    annotation: Annotation
    events: list[Event]
    facts: list[Fact]


def read_article(article: Article) -> Reading:
    annotation = annotate(article)
    found = events.detect(annotation)
    return Reading(annotation=annotation, events=found, facts=facts_from_reading(annotation, found))


def extract(article: Article) -> list[Event]:
    return read_article(article).events
