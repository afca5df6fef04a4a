"""STUB, to be replaced: date expressions -> DateMention."""
from __future__ import annotations
from datetime import date
from spacy.tokens import Doc
from .records import DateMention

def read_dates(doc: Doc, published: date) -> list[DateMention]:
    return []
