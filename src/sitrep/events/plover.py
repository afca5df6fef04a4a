"""PLOVER coding: from an ACLED label where one fits, else a classifier trained on PLOVER sentences.

``plover_for`` maps an ACLED sub-event type to a PLOVER type and mode
(``data/taxonomy/plover.yaml``, the mode refined by the sentence's words); ``predict_plover``
reads sentences that no ACLED label fits (AGREE, CONSULT, DEMAND, REJECT, ...) with a linear
model trained by ``scripts/train_event_classifier.py`` on the PLOVER gold-standard records.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from functools import cache
from typing import Any

from spacy.tokens import Span

from ..datafiles import load_yaml
from .classify import TextModel, model_dir
from .verbal import read_verbal

__all__ = [
    "PLOVER_TYPES", "plover_for", "from_table", "predict_plover", "load_plover_model",
    "cameo_to_plover",
]

MODEL_NAME = "plover_classifier"
# Below this probability the PLOVER classifier's guess is no better than leaving PLOVER empty.
MODEL_FLOOR = 0.3
# The PLOVER model, trained on PLOVER's own coding, overrules the ACLED table when this sure
# ("clashes" the table calls FIGHT may be PLOVER's ASSAULT); the event model's bar for the same.
MODEL_OVERRULES = 0.7


@cache
def _table() -> dict[str, Any]:
    return load_yaml("taxonomy/plover.yaml")


PLOVER_TYPES: tuple[str, ...] = tuple(_table()["types"])


@cache
def _mode_patterns() -> dict[str, list[tuple[str, re.Pattern[str]]]]:
    return {
        ptype: [(mode, re.compile("|".join(pats), re.I)) for mode, pats in modes.items()]
        for ptype, modes in _table()["mode_cues"].items()
    }


def _mode(ptype: str, default: str, text: str) -> str:
    for mode, pattern in _mode_patterns().get(ptype, []):
        if pattern.search(text):
            return mode
    return default


def plover_for(event_type: str, sub_event_type: str, text: str, *,
               sentence: Span | None = None) -> dict[str, str] | None:
    """The PLOVER coding of an ACLED event, ``{"event_type": ..., "mode": ...}``, or None.

    ``text`` (the evidence sentence) refines the mode, e.g. an ACLED "Attack" by machete is PLOVER
    ASSAULT/primitive. Where the ACLED label names no PLOVER type ("Other", "Change to
    group/activity"), the sentence's verbs tell it (``verbal``, given the parsed ``sentence``),
    else the PLOVER classifier reads ``text``; None when it is unsure too. Where the classifier
    is sure (``MODEL_OVERRULES``) of another type than the table's, it wins.
    """
    coded = from_table(sub_event_type, text)
    if coded is None and sentence is not None and (verbal := read_verbal(sentence)) is not None:
        return {"event_type": verbal.event_type, "mode": verbal.mode}
    ptype, mode, probability = _reading(text)
    if ptype is None or probability < (MODEL_FLOOR if coded is None else MODEL_OVERRULES):
        return coded
    if coded is not None and coded["event_type"] == ptype:
        return coded
    return {"event_type": ptype, "mode": mode or ""}


@functools.lru_cache(maxsize=2048)
def _reading(text: str) -> tuple[str | None, str | None, float]:
    # a sentence that tells several events is read once, not once per event
    return predict_plover([text])[0]


def from_table(sub_event_type: str, text: str) -> dict[str, str] | None:
    """The PLOVER coding that ``plover.yaml`` gives an ACLED sub-event type (no model involved)."""
    entry = _table()["from_acled"].get(sub_event_type)
    if not entry:
        return None
    ptype, default = entry
    return {"event_type": ptype, "mode": _mode(ptype, default or "", text)}


@cache
def load_plover_model() -> TextModel | None:
    """The trained PLOVER model, loaded once per process; None when none has been trained."""
    folder = model_dir()
    if not (folder / f"{MODEL_NAME}.npz").is_file():
        return None
    return TextModel.load(folder, MODEL_NAME)


def predict_plover(texts: Sequence[str]) -> list[tuple[str | None, str | None, float]]:
    """(PLOVER type, mode, probability) of each sentence; (None, None, 0.0) without a model."""
    if not texts:
        return []
    model = load_plover_model()
    if model is None:
        return [(None, None, 0.0) for _ in texts]
    out: list[tuple[str | None, str | None, float]] = []
    for text, row in zip(texts, model.proba(list(texts))):
        best = int(row.argmax())
        ptype = model.classes[best]
        out.append((ptype, _mode(ptype, "", text) or None, round(float(row[best]), 4)))
    return out


def cameo_to_plover(line: str) -> tuple[str, str, str] | None:
    """One line of the OEDA CAMEO-to-PLOVER table as (CAMEO code, PLOVER type, mode), or None."""
    body = line.split("#", 1)[0].strip()
    if not body or ":" not in body:
        return None
    code, _, rest = body.partition(":")
    parts = [p.strip() for p in rest.split(",")]
    if not code.strip().isdigit() or not parts[0]:
        return None
    return code.strip(), parts[0], parts[1] if len(parts) > 1 else ""
