"""ACLED sub-event classification of sentences or short passages.

A linear model (multinomial logistic regression, trained by ``scripts/train_event_classifier.py``)
over TF-IDF word and character n-grams plus counts of the keyword cues in
``data/taxonomy/cues.yaml``. Weights ship in ``data/models/`` as plain arrays (``.npz``) and a JSON
vocabulary, not as pickles, so loading runs no code and survives scikit-learn upgrades.

>>> [p.sub_event_type for p in predict(["An air strike hit the market."])]  # doctest: +SKIP
['Air/drone strike']
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from ..errors import ModelError
from .taxonomy import (EVENT_TYPE_OF, LABELS, NONE, SPECIFICITY, cue_hits, cue_patterns,
                       territory_subtype)

__all__ = [
    "Prediction", "predict", "predict_passage", "EVENT_TYPE_OF", "LABELS", "TextModel", "load_model", "is_heldout",
    "territory_subtype",
]

MODEL_NAME = "event_classifier"
PASSAGE_MODEL = "passage_classifier"
HELDOUT_PERCENT = 30


def is_heldout(dataset: str, row_id: str) -> bool:
    """Whether a row of an evaluation set is held out from training (30 %, by a hash of its id).

    Training uses only rows where this is False; eval tasks report figures on the held-out rows
    separately, and those are the honest ones.
    """
    digest = hashlib.sha1(f"{dataset}:{row_id}".encode()).hexdigest()
    return int(digest[:8], 16) % 100 < HELDOUT_PERCENT


# Word n-grams carry the event words; character n-grams catch inflections and rare spellings.
WORD_OPTIONS: dict[str, Any] = {"analyzer": "word", "ngram_range": (1, 2), "sublinear_tf": True,
                                "lowercase": True, "token_pattern": r"(?u)\b\w[\w'-]*\b"}
CHAR_OPTIONS: dict[str, Any] = {"analyzer": "char_wb", "ngram_range": (3, 5), "sublinear_tf": True,
                                "lowercase": True}


@dataclass(frozen=True)
class Prediction:
    """The classifier's reading of one text."""

    event_type: str | None  # ACLED event type, None = no event
    sub_event_type: str | None  # ACLED sub-event type, None = no event
    probability: float  # of the top label
    scores: dict[str, float]  # sub_event_type (or "none") -> probability


def cue_matrix(texts: Sequence[str], table: str = "acled") -> sparse.csr_matrix:
    """One column per label of a cue table: log(1 + cue count), the hand-written features."""
    index = {label: i for i, label in enumerate(cue_patterns(table))}
    rows = np.zeros((len(texts), len(index)), dtype=np.float32)
    for r, text in enumerate(texts):
        for label, count in cue_hits(text, table=table).items():
            rows[r, index[label]] = math.log1p(count)
    return sparse.csr_matrix(rows)


class TextModel:
    """TF-IDF (word + char) and cue features -> softmax over ``classes`` (also the PLOVER model)."""

    def __init__(self, word: TfidfVectorizer, char: TfidfVectorizer, coef: np.ndarray,
                 intercept: np.ndarray, classes: Sequence[str], *, cues: Sequence[str] = ("acled",),
                 temperature: float = 1.0) -> None:
        self.word, self.char, self.cues = word, char, list(cues)
        # Logits are divided by this before the softmax: fitted on out-of-fold predictions so
        # that a probability of 0.8 is right about 80 % of the time.
        self.temperature = temperature
        self.coef, self.intercept, self.classes = coef, intercept, list(classes)

    def features(self, texts: Sequence[str]) -> sparse.csr_matrix:
        blocks = [self.word.transform(texts), self.char.transform(texts)]
        blocks.extend(cue_matrix(texts, table) for table in self.cues)
        return sparse.hstack(blocks, format="csr")

    def logits(self, texts: Sequence[str]) -> np.ndarray:
        return np.asarray(self.features(texts) @ self.coef.T + self.intercept, dtype=np.float64)

    def proba(self, texts: Sequence[str]) -> np.ndarray:
        return softmax(self.logits(texts) / self.temperature)

    def save(self, folder: Path, name: str, *, meta: dict[str, Any] | None = None) -> None:
        vocab = {"word": _vocab_list(self.word), "char": _vocab_list(self.char)}
        header = {"classes": self.classes, "cues": self.cues, "temperature": self.temperature,
                  "vocab": vocab, "meta": meta or {}}
        text = json.dumps(header, ensure_ascii=False)
        (folder / f"{name}.json").write_text(text, encoding="utf-8")
        np.savez_compressed(folder / f"{name}.npz", coef=self.coef.astype(np.float32),
                            intercept=self.intercept.astype(np.float32),
                            word_idf=self.word.idf_.astype(np.float32),
                            char_idf=self.char.idf_.astype(np.float32))

    @classmethod
    def load(cls, folder: Any, name: str) -> TextModel:
        try:
            header = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
            with (folder / f"{name}.npz").open("rb") as handle:
                arrays = dict(np.load(handle))
        except (OSError, ValueError) as exc:
            raise ModelError(f"model {name} cannot be loaded from {folder}: {exc}") from exc
        word = _vectorizer(WORD_OPTIONS, header["vocab"]["word"], arrays["word_idf"])
        char = _vectorizer(CHAR_OPTIONS, header["vocab"]["char"], arrays["char_idf"])
        return cls(word, char, arrays["coef"], arrays["intercept"], header["classes"],
                   cues=header["cues"], temperature=float(header.get("temperature", 1.0)))


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


def _vocab_list(vectorizer: TfidfVectorizer) -> list[str]:
    terms = [""] * len(vectorizer.vocabulary_)
    for term, i in vectorizer.vocabulary_.items():
        terms[i] = term
    return terms


def _vectorizer(options: dict[str, Any], terms: list[str], idf: np.ndarray) -> TfidfVectorizer:
    vectorizer = TfidfVectorizer(vocabulary={t: i for i, t in enumerate(terms)}, **options)
    vectorizer.idf_ = idf.astype(np.float64)
    return vectorizer


def model_dir() -> Any:
    return files("sitrep") / "data" / "models"


@cache
def load_model(name: str = MODEL_NAME) -> TextModel | None:
    """A trained model, loaded once per process; None when none has been trained."""
    folder = model_dir()
    if not (folder / f"{name}.npz").is_file():
        return None
    return TextModel.load(folder, name)


def predict_passage(texts: Sequence[str]) -> list[dict[str, float]]:
    """For each passage (a paragraph, a short report), the probability of each coarse label
    (``taxonomy.PASSAGE_LABELS``: ACLED 2016's grain, ``"none"`` for no event); empty dicts
    when no passage model has been trained."""
    model = load_model(PASSAGE_MODEL) if texts else None
    if model is None:
        return [{} for _ in texts]
    return [dict(zip(model.classes, map(float, row))) for row in model.proba(list(texts))]


def predict(texts: Sequence[str]) -> list[Prediction]:
    """ACLED sub-event type (or none) of each text, with the probability of every label."""
    if not texts:
        return []
    model = load_model()
    if model is None:
        return [_from_cues(text) for text in texts]
    return [_prediction(dict(zip(model.classes, map(float, row))))
            for row in model.proba(list(texts))]


def _prediction(scores: dict[str, float]) -> Prediction:
    top = max(scores, key=scores.__getitem__)
    sub = None if top == NONE else top
    event = EVENT_TYPE_OF.get(top) if sub else None
    rounded = {label: round(value, 4) for label, value in scores.items()}
    return Prediction(event, sub, rounded[top], rounded)


def _from_cues(text: str) -> Prediction:
    """Without a trained model, cues alone decide; the more specific types go first."""
    hits = cue_hits(text)
    top = next((sub for sub in SPECIFICITY if sub in hits), NONE)
    scores = {label: 0.5 / (len(LABELS) - 1) for label in LABELS}
    scores[top] = 0.5
    return _prediction(scores)
