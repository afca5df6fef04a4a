"""STUB, to be replaced: actor mentions -> ActorMention."""
from __future__ import annotations
from datetime import date
from spacy.tokens import Doc
from .records import ActorMention, PlaceMention

def read_actors(doc: Doc, *, places: list[PlaceMention], published: date) -> list[ActorMention]:
    return []
