"""STUB, to be replaced: Annotation -> Event records."""
from __future__ import annotations
from ..records import Annotation, Event

def detect(annotation: Annotation) -> list[Event]:
    return []
