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
from functools import cache, lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ModelError
from ..models.encoder import NAME as ENCODER_NAME
from ..models.encoder import load_encoder
from ..models.linear import LinearHead, NgramAnalyzer, SparseRows, TfidfSpace, read_model_files, softmax
from .taxonomy import EVENT_TYPE_OF, LABELS, NONE, cue_hits, cue_patterns, territory_subtype

__all__ = [
    "Prediction", "predict", "predict_encoded", "predict_passage", "EVENT_TYPE_OF", "LABELS", "TextModel", "load_model", "is_heldout",
    "territory_subtype",
]

MODEL_NAME = "event_classifier"
# The same question, with the pretrained sentence encoder's reading beside the n-grams: it decides
# the sentences that drafted an event; the n-gram model screens every sentence, at a fraction of
# the cost (``predict_encoded``).
ENCODED_MODEL = "encoded_classifier"
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


def cue_matrix(texts: Sequence[str], table: str = "acled") -> Any:
    """One column per label of a cue table: log(1 + cue count), the hand-written features, as a
    ``scipy.sparse`` matrix (for training; reading uses ``cue_rows``)."""
    from scipy import sparse

    return sparse.csr_matrix(cue_rows(texts, table))


def cue_rows(texts: Sequence[str], table: str = "acled") -> np.ndarray:
    """The cue features of ``texts`` as a dense float32 matrix (float32 as the models were
    trained on)."""
    width = len(cue_patterns(table))
    if not texts:
        return np.zeros((0, width), dtype=np.float32)
    return np.stack([_cue_row(text, table) for text in texts])


@lru_cache(maxsize=4096)
def _cue_row(text: str, table: str) -> np.ndarray:
    # the cue regexes run once per text and table, whichever models read the text
    index = {label: i for i, label in enumerate(cue_patterns(table))}
    row = np.zeros(len(index), dtype=np.float32)
    for label, count in cue_hits(text, table=table).items():
        row[index[label]] = math.log1p(count)
    row.flags.writeable = False  # shared between callers
    return row


class TextModel:
    """TF-IDF (word + char) and cue features -> softmax over ``classes`` (also the PLOVER model).

    ``word`` and ``char`` are ``TfidfSpace``s, or fitted scikit-learn ``TfidfVectorizer``s (as the
    training script builds them), read into spaces. Reading runs in numpy (``models.linear``).
    """

    def __init__(self, word: Any, char: Any, coef: np.ndarray, intercept: np.ndarray,
                 classes: Sequence[str], *, cues: Sequence[str] = ("acled",),
                 temperature: float = 1.0, encoder: str | None = None) -> None:
        self.word, self.char, self.cues = _space(word), _space(char), list(cues)
        # the name of the sentence encoder whose vectors follow the cue columns, if any
        self.encoder = encoder
        # Logits are divided by this before the softmax: fitted on out-of-fold predictions so
        # that a probability of 0.8 is right about 80 % of the time.
        self.temperature = temperature
        self.coef, self.intercept, self.classes = coef, intercept, list(classes)
        self.head = LinearHead(coef, intercept, classes, temperature)

    def features(self, texts: Sequence[str],
                 vectors: np.ndarray | None = None) -> tuple[list[SparseRows], np.ndarray]:
        """The TF-IDF blocks (word, char) and the dense columns of ``texts``: the cue counts, then
        the encoder's ``vectors`` of the same texts where the model reads them."""
        texts = list(texts)
        rows = [self.word.transform(texts), self.char.transform(texts)]
        dense = [cue_rows(texts, table) for table in self.cues]
        if self.encoder is not None:
            if vectors is None or len(vectors) != len(texts):
                raise ModelError(f"this model reads the {self.encoder} vectors of its texts; none were given")
            dense.append(np.asarray(vectors, dtype=np.float32))
        return rows, np.hstack(dense) if dense else np.zeros((len(texts), 0), dtype=np.float32)

    def logits(self, texts: Sequence[str], vectors: np.ndarray | None = None) -> np.ndarray:
        return self.head.logits(*self.features(texts, vectors))

    def proba(self, texts: Sequence[str], vectors: np.ndarray | None = None) -> np.ndarray:
        return softmax(self.logits(texts, vectors) / self.temperature)

    def save(self, folder: Path, name: str, *, meta: dict[str, Any] | None = None) -> None:
        vocab = {"word": self.word.terms, "char": self.char.terms}
        header = {"classes": self.classes, "cues": self.cues, "temperature": self.temperature,
                  "encoder": self.encoder, "vocab": vocab, "meta": meta or {}}
        text = json.dumps(header, ensure_ascii=False)
        (folder / f"{name}.json").write_text(text, encoding="utf-8")
        np.savez_compressed(folder / f"{name}.npz", coef=self.coef.astype(np.float32),
                            intercept=self.intercept.astype(np.float32),
                            word_idf=self.word.idf.astype(np.float32),
                            char_idf=self.char.idf.astype(np.float32))

    @classmethod
    def load(cls, folder: Any, name: str) -> TextModel:
        try:
            header, arrays = read_model_files(folder, name)
            word = _loaded_space(WORD_OPTIONS, header["vocab"]["word"], arrays["word_idf"])
            char = _loaded_space(CHAR_OPTIONS, header["vocab"]["char"], arrays["char_idf"])
            model = cls(word, char, arrays["coef"], arrays["intercept"], header["classes"],
                        cues=header["cues"], temperature=float(header.get("temperature", 1.0)),
                        encoder=header.get("encoder"))
        except (OSError, ValueError, KeyError) as exc:
            raise ModelError(f"model {name} cannot be loaded from {folder}: {exc}") from exc
        if model.encoder is not None and model.encoder != ENCODER_NAME:
            raise ModelError(f"model {name} was trained on the encoder {model.encoder!r}, not "
                             f"{ENCODER_NAME!r}: retrain it with scripts/train_event_classifier.py")
        return model


def _space(vectorizer: Any) -> TfidfSpace:
    return vectorizer if isinstance(vectorizer, TfidfSpace) else TfidfSpace.from_vectorizer(vectorizer)


def _loaded_space(options: dict[str, Any], terms: list[str], idf: np.ndarray) -> TfidfSpace:
    return TfidfSpace(NgramAnalyzer.from_options(options), terms, idf,
                      sublinear_tf=bool(options.get("sublinear_tf")), norm=options.get("norm", "l2"))


def model_dir() -> Any:
    return files("sitrep") / "data" / "models"


@cache
def load_model(name: str = MODEL_NAME) -> TextModel | None:
    """A trained model, loaded once per process; None when none has been trained."""
    folder = model_dir()
    if not (folder / f"{name}.npz").is_file():
        return None
    return TextModel.load(folder, name)


def require_model(name: str) -> TextModel:
    """A trained model the reading needs; its absence is an error, never a quiet cue reading."""
    model = load_model(name)
    if model is None:
        raise ModelError(f"model {name} is missing from {model_dir()}; "
                         "retrain it with scripts/train_event_classifier.py")
    return model


def predict_passage(texts: Sequence[str]) -> list[dict[str, float]]:
    """For each passage (a paragraph, a short report), the probability of each coarse label
    (``taxonomy.PASSAGE_LABELS``: ACLED 2016's grain, ``"none"`` for no event)."""
    if not texts:
        return []
    model = require_model(PASSAGE_MODEL)
    return [dict(zip(model.classes, map(float, row))) for row in model.proba(list(texts))]


def predict(texts: Sequence[str]) -> list[Prediction]:
    """ACLED sub-event type (or none) of each text, with the probability of every label."""
    if not texts:
        return []
    model = require_model(MODEL_NAME)
    return [_prediction(dict(zip(model.classes, map(float, row))))
            for row in model.proba(list(texts))]


def predict_encoded(texts: Sequence[str]) -> list[Prediction]:
    """As ``predict``, by the model that also reads the sentence encoder's vector of each text:
    the better reading, spent on the few sentences where an event was drafted."""
    if not texts:
        return []
    model = require_model(ENCODED_MODEL)
    vectors = load_encoder().encode(list(texts))
    return [_prediction(dict(zip(model.classes, map(float, row))))
            for row in model.proba(list(texts), vectors)]


def _prediction(scores: dict[str, float]) -> Prediction:
    top = max(scores, key=scores.__getitem__)
    sub = None if top == NONE else top
    event = EVENT_TYPE_OF.get(top) if sub else None
    rounded = {label: round(value, 4) for label, value in scores.items()}
    return Prediction(event, sub, rounded[top], rounded)
