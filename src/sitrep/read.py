"""The reading stage: one article in, one Annotation out (sentences, dates, places, actors,
quantities). Each reader is a small function over the parsed Doc; this module only wires them."""

from __future__ import annotations

from datetime import date

from . import actors, geo, quantities
from . import time as timex
from .nlp import parse
from .records import Annotation, Article, Sentence

__all__ = ["annotate"]


def annotate(article: Article) -> Annotation:
    doc = parse(article.text)
    published = article.published or date.today()
    places = geo.read_places(doc)
    return Annotation(
        article=article,
        sentences=[Sentence(s.start_char, s.end_char, s.text) for s in doc.sents],
        dates=timex.read_dates(doc, published),
        places=places,
        actors=actors.read_actors(doc, places=places, published=published),
        quantities=quantities.read_quantities(doc),
        doc=doc,
    )
