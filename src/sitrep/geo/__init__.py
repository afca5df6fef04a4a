"""STUB, to be replaced: toponyms -> PlaceMention."""
from __future__ import annotations
from spacy.tokens import Doc
from ..records import PlaceMention

def read_places(doc: Doc) -> list[PlaceMention]:
    return []
