"""STUB, to be replaced: numbers -> Quantity."""
from __future__ import annotations
from spacy.tokens import Doc
from .records import Quantity

def read_quantities(doc: Doc) -> list[Quantity]:
    return []
