"""TF-IDF n-gram features and linear heads in numpy: the run-time half of text models that are
trained with scikit-learn.

scikit-learn's ``TfidfVectorizer.transform`` and a sparse matrix product give the same numbers,
but each call pays for input validation and sparse stacking (milliseconds for one sentence) and
importing it costs more than a second. Here a sentence is cut into n-grams once (``NgramAnalyzer``
caches its counts per text), every model that shares the analyzer maps those counts into its own
vocabulary (``TfidfSpace``), and a head is a matrix product over the rows' non-zeros
(``LinearHead``).

    >>> space = TfidfSpace(NgramAnalyzer("word", (1, 2)), ["rebels", "shelled"], [1.0, 2.0])
    >>> rows = space.transform(["Rebels shelled the town."])
    >>> head = LinearHead(np.array([[1.0, 1.0], [-1.0, 0.0]]), np.zeros(2), ["attack", "none"])
    >>> head.proba(rows).round(3).tolist()
    [[0.857, 0.143]]

``TfidfSpace.transform`` reproduces ``TfidfVectorizer(analyzer="word" | "char_wb",
sublinear_tf=..., norm="l2" | None, lowercase=...)`` with a fixed vocabulary and ``idf_``, up to
the order floating-point sums are taken in (``tests/test_linear.py`` checks it against
scikit-learn).
"""

from __future__ import annotations

import json

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat
from typing import Any, Literal

import numpy as np

from ..errors import ModelError

__all__ = ["NgramAnalyzer", "TfidfSpace", "SparseRows", "LinearHead", "softmax", "read_model_files"]

Kind = Literal["word", "char_wb"]
# scikit-learn's defaults, so that options given to TfidfVectorizer mean the same here
DEFAULT_TOKEN_PATTERN = r"(?u)\b\w\w+\b"
# Counts of the sentences of an article or two: every model reading a sentence reuses them.
_CACHED_TEXTS = 1024
# Distinct words whose character n-grams a space keeps mapped (a few MB).
_CACHED_WORDS = 100_000
_NO_COLUMNS = np.zeros(0, dtype=np.int64)


@dataclass(frozen=True)
class NgramAnalyzer:
    """How a text is cut into terms: word n-grams (``token_pattern``) or character n-grams
    inside word boundaries (``char_wb``), as scikit-learn's analyzers of those names do."""

    kind: Kind
    ngram_range: tuple[int, int]
    lowercase: bool = True
    token_pattern: str = DEFAULT_TOKEN_PATTERN

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> NgramAnalyzer:
        """From ``TfidfVectorizer`` keyword options (``analyzer``, ``ngram_range``, ...)."""
        kind = options.get("analyzer", "word")
        if kind not in ("word", "char_wb"):
            raise ModelError(f"analyzer {kind!r} is not supported; use 'word' or 'char_wb'")
        unknown = {k for k, v in options.items() if k in _UNSUPPORTED and v != _UNSUPPORTED[k]}
        if unknown:
            raise ModelError(f"TF-IDF options not supported at run time: {sorted(unknown)}")
        low, high = options.get("ngram_range", (1, 1))
        return cls(kind, (int(low), int(high)), bool(options.get("lowercase", True)),
                   options.get("token_pattern") or DEFAULT_TOKEN_PATTERN)

    def terms(self, text: str) -> list[str]:
        """The text's terms in order, repeated as often as they occur."""
        if self.lowercase:
            text = text.lower()
        if self.kind == "word":
            return _word_ngrams(_tokenizer(self.token_pattern)(text), self.ngram_range)
        return _char_wb_ngrams(text, self.ngram_range)

    def words(self, text: str) -> list[str]:
        """The whitespace-separated words that ``char_wb`` n-grams are cut from."""
        return (text.lower() if self.lowercase else text).split()

    def word_ngrams(self, word: str) -> tuple[str, ...]:
        """The ``char_wb`` n-grams of one word (of ``words``), computed once per word."""
        return _word_ngrams_of(word, self.ngram_range)

    def counts(self, text: str) -> dict[str, int]:
        """How often each term occurs in ``text``; computed once per text and analyzer."""
        return _counts(self, text)


# options whose other values would change the features; these are the ones handled here
_UNSUPPORTED: dict[str, Any] = {"strip_accents": None, "stop_words": None, "binary": False,
                                "use_idf": True, "preprocessor": None, "tokenizer": None}


@lru_cache(maxsize=_CACHED_TEXTS)
def _counts(analyzer: NgramAnalyzer, text: str) -> dict[str, int]:
    return Counter(analyzer.terms(text))


@lru_cache(maxsize=8)
def _tokenizer(pattern: str) -> Any:
    compiled = re.compile(pattern)
    if compiled.groups > 1:
        raise ModelError(f"token pattern {pattern!r} has more than one capturing group")
    return compiled.findall


def _word_ngrams(tokens: list[str], ngram_range: tuple[int, int]) -> list[str]:
    low, high = ngram_range
    out = list(tokens) if low == 1 else []
    for n in range(max(low, 2), min(high, len(tokens)) + 1):
        out.extend(" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1))
    return out


def _char_wb_ngrams(text: str, ngram_range: tuple[int, int]) -> list[str]:
    out: list[str] = []
    # str.split() splits at the runs of whitespace that scikit-learn first folds into one space
    for word in text.split():
        out.extend(_word_ngrams_of(word, ngram_range))
    return out


@lru_cache(maxsize=200_000)
def _word_ngrams_of(word: str, ngram_range: tuple[int, int]) -> tuple[str, ...]:
    low, high = ngram_range
    padded = f" {word} "
    size = len(padded)
    out: list[str] = []
    for n in range(low, high + 1):
        if size <= n:  # a word shorter than n counts once, whole, and longer n-grams not at all
            out.append(padded)
            break
        out.extend([padded[i:i + n] for i in range(size - n + 1)])
    return tuple(out)


@dataclass(frozen=True)
class SparseRows:
    """Rows of a sparse matrix in CSR form (``indptr``, ``indices``, ``data``), ``width`` columns."""

    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray
    width: int

    @property
    def n_rows(self) -> int:
        return len(self.indptr) - 1

    @classmethod
    def hstack(cls, blocks: Sequence[SparseRows]) -> SparseRows:
        """The blocks side by side (each block's columns after the previous block's)."""
        if not blocks:
            raise ModelError("no feature blocks to stack")
        n = blocks[0].n_rows
        if any(b.n_rows != n for b in blocks):
            raise ModelError(f"feature blocks differ in rows: {[b.n_rows for b in blocks]}")
        offsets = np.cumsum([0] + [b.width for b in blocks])
        owners = [np.repeat(np.arange(n), np.diff(b.indptr)) for b in blocks]
        # a stable sort by row keeps each row's entries block after block, as scipy's hstack does
        order = np.argsort(np.concatenate(owners), kind="stable")
        indices = np.concatenate([b.indices + offset for b, offset in zip(blocks, offsets)])[order]
        data = np.concatenate([b.data for b in blocks]).astype(np.float64, copy=False)[order]
        indptr = np.zeros(n + 1, dtype=np.int64)
        indptr[1:] = np.cumsum(sum(np.diff(b.indptr) for b in blocks))
        return cls(indptr, indices.astype(np.int64, copy=False), data, int(offsets[-1]))

    @classmethod
    def from_dense(cls, matrix: np.ndarray) -> SparseRows:
        """The non-zeros of a dense matrix, upcast to float64 as scipy's stacking would."""
        matrix = np.asarray(matrix)
        rows, cols = np.nonzero(matrix)
        indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=matrix.shape[0]))])
        return cls(indptr.astype(np.int64), cols.astype(np.int64),
                   matrix[rows, cols].astype(np.float64), int(matrix.shape[1]))

    def dot(self, weights: np.ndarray) -> np.ndarray:
        """``self @ weights`` for a dense ``weights`` of shape (width, k)."""
        if weights.shape[0] != self.width:
            raise ModelError(f"weights have {weights.shape[0]} rows for {self.width} features")
        out = np.zeros((self.n_rows, weights.shape[1]), dtype=np.float64)
        if self.n_rows == 1:  # one sentence at a time (the PLOVER model): one vector product
            if len(self.indices):
                out[0] = self.data @ weights[self.indices]
            return out
        filled = np.flatnonzero(np.diff(self.indptr))
        if len(filled):
            products = weights[self.indices] * self.data[:, None]
            # consecutive starts of the non-empty rows delimit exactly those rows' entries
            out[filled] = np.add.reduceat(products, self.indptr[filled], axis=0)
        return out

    def to_scipy(self) -> Any:
        """A ``scipy.sparse.csr_matrix`` of the same rows (for training code and tests)."""
        from scipy import sparse

        return sparse.csr_matrix((self.data, self.indices, self.indptr),
                                 shape=(self.n_rows, self.width))


def _joined(parts: list[np.ndarray], dtype: Any) -> np.ndarray:
    return np.concatenate(parts).astype(dtype, copy=False) if parts else np.zeros(0, dtype=dtype)


class TfidfSpace:
    """A fitted TF-IDF vocabulary: terms (column order), their IDF, the analyzer that cuts texts."""

    def __init__(self, analyzer: NgramAnalyzer, terms: Sequence[str], idf: Sequence[float] | np.ndarray,
                 *, sublinear_tf: bool = True, norm: Literal["l2"] | None = "l2") -> None:
        if len(terms) != len(idf):
            raise ModelError(f"{len(terms)} terms but {len(idf)} IDF weights")
        if norm not in ("l2", None):
            raise ModelError(f"norm {norm!r} is not supported; use 'l2' or None")
        self.analyzer, self.terms = analyzer, list(terms)
        self.vocabulary = {term: i for i, term in enumerate(self.terms)}
        if len(self.vocabulary) != len(self.terms):
            raise ModelError("the vocabulary repeats a term")
        self.idf = np.asarray(idf, dtype=np.float64)
        self.sublinear_tf, self.norm = sublinear_tf, norm
        self._word_columns: dict[str, np.ndarray] = {}

    @classmethod
    def from_vectorizer(cls, vectorizer: Any) -> TfidfSpace:
        """The space of a fitted scikit-learn ``TfidfVectorizer`` (read through its attributes,
        so this module never imports scikit-learn)."""
        params = vectorizer.get_params()
        terms = [""] * len(vectorizer.vocabulary_)
        for term, i in vectorizer.vocabulary_.items():
            terms[i] = term
        return cls(NgramAnalyzer.from_options(params), terms, vectorizer.idf_,
                   sublinear_tf=bool(params.get("sublinear_tf")), norm=params.get("norm"))

    @property
    def width(self) -> int:
        return len(self.terms)

    def row(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """One text's column indices (ascending) and TF-IDF values."""
        columns, counts = np.unique(self._occurrences(text), return_counts=True)
        tf = counts.astype(np.float64)
        if self.sublinear_tf:
            tf = np.log(tf) + 1.0
        values = tf * self.idf[columns]
        if self.norm == "l2" and len(values):
            total = math.sqrt(float(np.dot(values, values)))
            if total:
                values = values / total
        return columns, values

    def _occurrences(self, text: str) -> np.ndarray:
        """The column of every occurrence of a known term in ``text``."""
        if self.analyzer.kind == "char_wb":
            # a word's character n-grams do not depend on its neighbours: mapped once per word
            cache = self._word_columns
            parts = [cache[w] if w in cache else self._word(w) for w in self.analyzer.words(text)]
            return np.concatenate(parts) if parts else _NO_COLUMNS
        terms = self.analyzer.terms(text)
        # map() with a default keeps the vocabulary look-ups in C: -1 for an unknown term
        found = np.fromiter(map(self.vocabulary.get, terms, repeat(-1)), dtype=np.int64,
                            count=len(terms))
        return found[found >= 0]

    def _word(self, word: str) -> np.ndarray:
        if len(self._word_columns) >= _CACHED_WORDS:
            self._word_columns.clear()  # a bound on memory over a long run; refilled as needed
        ngrams = self.analyzer.word_ngrams(word)
        # map() with a default keeps the vocabulary look-ups in C: -1 for an unknown term
        found = np.fromiter(map(self.vocabulary.get, ngrams, repeat(-1)), dtype=np.int64,
                            count=len(ngrams))
        found = found[found >= 0]
        self._word_columns[word] = found
        return found

    def transform(self, texts: Sequence[str]) -> SparseRows:
        rows = [self.row(text) for text in texts]
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        indptr[1:] = np.cumsum([len(c) for c, _ in rows])
        return SparseRows(indptr, _joined([c for c, _ in rows], np.int64),
                          _joined([v for _, v in rows], np.float64), self.width)


class LinearHead:
    """Logits ``features @ coef.T + intercept``, and a softmax over ``classes`` at ``temperature``.

    ``coef`` has one row per class and one column per feature: first the sparse rows' columns,
    then, where a dense block is given, its columns.
    """

    def __init__(self, coef: np.ndarray, intercept: np.ndarray, classes: Sequence[str],
                 temperature: float = 1.0) -> None:
        coef = np.asarray(coef)
        if coef.ndim != 2 or coef.shape[0] != len(classes) or np.shape(intercept) != (len(classes),):
            raise ModelError(f"weights of shape {coef.shape} and {np.shape(intercept)} do not fit "
                             f"{len(classes)} classes")
        if not temperature > 0:
            raise ModelError(f"temperature must be positive, not {temperature}")
        self.classes, self.temperature = list(classes), float(temperature)
        # float64, transposed once: the product scipy would take, one contiguous row per feature
        self.weights = np.ascontiguousarray(coef.T, dtype=np.float64)
        self.intercept = np.asarray(intercept, dtype=np.float64)

    @property
    def width(self) -> int:
        return self.weights.shape[0]

    def logits(self, rows: SparseRows | Sequence[SparseRows],
               dense: np.ndarray | None = None) -> np.ndarray:
        """``rows``: one block of sparse features, or several side by side (each block's
        columns after the previous block's; no need to stack them)."""
        blocks = [rows] if isinstance(rows, SparseRows) else list(rows)
        if not blocks:
            raise ModelError("no feature blocks given")
        width = sum(b.width for b in blocks) + (0 if dense is None else np.shape(dense)[1])
        if width != self.width:
            raise ModelError(f"{width} features given to a head over {self.width}")
        out = np.zeros((blocks[0].n_rows, len(self.classes)), dtype=np.float64)
        column = 0
        for block in blocks:
            if block.n_rows != out.shape[0]:
                raise ModelError(f"feature blocks differ in rows: {[b.n_rows for b in blocks]}")
            out += block.dot(self.weights[column:column + block.width])
            column += block.width
        if dense is not None:
            out += np.asarray(dense, dtype=np.float64) @ self.weights[column:]
        return out + self.intercept

    def proba(self, rows: SparseRows | Sequence[SparseRows],
              dense: np.ndarray | None = None) -> np.ndarray:
        return softmax(self.logits(rows, dense) / self.temperature)


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


def read_model_files(folder: Any, name: str) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """A saved model's JSON header and its arrays (``<name>.json``, ``<name>.npz``): plain data,
    no pickles. Read errors (OSError, ValueError) reach the caller, which names the model."""
    header = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
    with (folder / f"{name}.npz").open("rb") as handle:
        arrays = dict(np.load(handle))
    return header, arrays
