"""The reading stage: one article in, one Annotation out (sentences, dates, places, actors,
quantities). Each reader is a small function over the parsed Doc; this module only wires them."""

from __future__ import annotations

import dataclasses
from collections import Counter
from datetime import date
from typing import TYPE_CHECKING

from . import actors, geo, quantities
from . import time as timex
from .nlp import parse
from .records import Annotation, Article, PlaceMention, Sentence

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["annotate"]

_FEATURES = {"country", "admin1", "admin2", "city", "site", "region"}
ACTOR_HINT = 2.0  # as much as one country named in the text


def annotate(article: Article, doc: Doc | None = None) -> Annotation:
    """``doc``: the article's text already parsed (``nlp.parse_many``), else it is parsed here."""
    doc = doc if doc is not None else parse(article.text)
    published = article.published or date.today()
    homes = actors.named_countries(doc)
    # the named groups' country weighs on each place's reading like a place named in the text
    hint = homes.most_common(1)[0][0] if homes else None
    places = _in_actors_country(geo.read_places(doc, country=hint, hint_weight=ACTOR_HINT), homes)
    # with no place to tell the story's country, its named groups tell it ("military" in a story
    # of SPLM-N fighting is Sudan's)
    home = homes.most_common(1)[0][0] if homes and not any(p.country for p in places) else None
    return Annotation(
        article=article,
        sentences=[Sentence(s.start_char, s.end_char, s.text) for s in doc.sents],
        dates=timex.read_dates(doc, published),
        places=places,
        actors=actors.read_actors(doc, places=places, published=published, country=home),
        quantities=quantities.read_quantities(doc),
        doc=doc,
    )


def _in_actors_country(places: list[PlaceMention], homes: Counter[str]) -> list[PlaceMention]:
    """A place resolved abroad, alone there, in a story whose named groups all belong elsewhere
    ("SPLA ambush ... in Leer County", not Leer in Germany) is taken as that country's namesake,
    where it has one."""
    if not homes:
        return places
    home = homes.most_common(1)[0][0]
    names_by_country: dict[str, set[str]] = {}
    for p in places:
        names_by_country.setdefault(p.country or "", set()).add(p.name)
    return [_moved(p, home) if p.country and p.country not in homes and p.feature != "country"
            and names_by_country[p.country] == {p.name} else p for p in places]


def _moved(place: PlaceMention, home: str) -> PlaceMention:
    found = geo.lookup(place.text, country=home) or geo.lookup(place.name, country=home)
    if not found:
        return place
    c = found[0]
    return dataclasses.replace(place, name=c.name, geonameid=c.geonameid, lat=round(c.lat, 5),
                               lon=round(c.lon, 5), country=c.country, admin1=c.admin1,
                               admin2=c.admin2, feature=c.feature if c.feature in _FEATURES else "other")
