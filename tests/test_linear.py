"""The numpy TF-IDF and linear heads (``sitrep.models.linear``) against scikit-learn's own."""

from __future__ import annotations

import numpy as np
import pytest

from sitrep.errors import ModelError
from sitrep.events import classify
from sitrep.models.linear import LinearHead, NgramAnalyzer, SparseRows, TfidfSpace

TEXTS = [
    "Rebels shelled the town of Kidal on Sunday, killing 3 civilians.",
    "Police fired tear gas at protesters in Nairobi's CBD; 12 were arrested.",
    "  Extra   spaces\tand\ttabs\nand lines \u00a0no-break\u2003em  ",
    "Ünïcödé ÇAFÉ über-state a-b al-Shabaab's fighters",
    "a I x",  # words shorter than the n-grams
    "",
]

sklearn_text = pytest.importorskip("sklearn.feature_extraction.text")


def _fitted(options: dict, **extra) -> object:
    vectorizer = sklearn_text.TfidfVectorizer(**options, **extra)
    vectorizer.fit(TEXTS + ["the town was shelled", "protesters in the town"])
    return vectorizer


@pytest.mark.parametrize("options", [classify.WORD_OPTIONS, classify.CHAR_OPTIONS,
                                     {"analyzer": "word"}, {"analyzer": "char_wb", "norm": None,
                                                            "ngram_range": (2, 4)}])
def test_tfidf_space_reproduces_the_vectorizer(options):
    vectorizer = _fitted(options)
    space = TfidfSpace.from_vectorizer(vectorizer)
    want = vectorizer.transform(TEXTS).toarray()
    got = space.transform(TEXTS).to_scipy().toarray()
    assert want.shape == got.shape and np.count_nonzero(want) > 20
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)
    assert (got != 0).tolist() == (want != 0).tolist()


@pytest.mark.parametrize("name", [classify.MODEL_NAME, classify.PASSAGE_MODEL, "plover_classifier"])
def test_shipped_models_score_as_scikit_learn_would(name):
    from scipy import sparse

    model = classify.load_model(name)
    assert model is not None
    word = sklearn_text.TfidfVectorizer(vocabulary=model.word.vocabulary, **classify.WORD_OPTIONS)
    char = sklearn_text.TfidfVectorizer(vocabulary=model.char.vocabulary, **classify.CHAR_OPTIONS)
    word.idf_, char.idf_ = model.word.idf, model.char.idf
    blocks = [word.transform(TEXTS), char.transform(TEXTS)]
    blocks += [classify.cue_matrix(TEXTS, table) for table in model.cues]
    want = np.asarray(sparse.hstack(blocks, format="csr") @ model.coef.T + model.intercept)
    np.testing.assert_allclose(model.logits(TEXTS), want, rtol=1e-10, atol=1e-10)


def test_analyzer_counts_are_shared_and_right():
    analyzer = NgramAnalyzer("word", (1, 2), token_pattern=classify.WORD_OPTIONS["token_pattern"])
    counts = analyzer.counts("The town, the TOWN.")
    assert counts == {"the": 2, "town": 2, "the town": 2, "town the": 1}
    assert analyzer.counts("The town, the TOWN.") is counts  # computed once per text
    short = NgramAnalyzer("char_wb", (3, 5)).counts("a b")
    assert short == {" a ": 1, " b ": 1}


def test_sparse_rows_stack_and_dot():
    left = SparseRows.from_dense(np.array([[0.0, 2.0], [0.0, 0.0], [1.0, 0.0]]))
    right = SparseRows.from_dense(np.array([[0.0], [0.0], [3.0]]))
    both = SparseRows.hstack([left, right])
    assert both.to_scipy().toarray().tolist() == [[0, 2, 0], [0, 0, 0], [1, 0, 3]]
    weights = np.arange(6, dtype=float).reshape(3, 2)
    assert both.dot(weights).tolist() == [[4.0, 6.0], [0.0, 0.0], [12.0, 16.0]]
    one = SparseRows.from_dense(np.array([[1.0, 0.0, 3.0]]))
    assert one.dot(weights).tolist() == [[12.0, 16.0]]
    assert SparseRows.from_dense(np.zeros((1, 3))).dot(weights).tolist() == [[0.0, 0.0]]


def test_head_with_dense_columns_and_clear_errors():
    head = LinearHead(np.array([[1.0, 0.0, 2.0], [0.0, 1.0, 0.0]]), np.array([0.5, 0.0]), ["a", "b"])
    rows = SparseRows.from_dense(np.array([[1.0, 0.0]]))
    assert head.logits(rows, np.array([[1.0]])).tolist() == [[3.5, 0.0]]
    split = [SparseRows.from_dense(np.array([[1.0]])), SparseRows.from_dense(np.array([[0.0]]))]
    assert head.logits(split, np.array([[1.0]])).tolist() == [[3.5, 0.0]]
    assert head.proba(rows, np.array([[1.0]])).sum() == pytest.approx(1.0)
    with pytest.raises(ModelError, match="2 features given to a head over 3"):
        head.logits(rows)
    with pytest.raises(ModelError, match="classes"):
        LinearHead(np.zeros((2, 3)), np.zeros(3), ["a", "b"])
    with pytest.raises(ModelError, match="not supported"):
        NgramAnalyzer.from_options({"analyzer": "char"})
    with pytest.raises(ModelError, match="IDF"):
        TfidfSpace(NgramAnalyzer("word", (1, 1)), ["a", "b"], [1.0])


def test_reading_imports_no_scikit_learn():
    import subprocess
    import sys

    code = ("import sys; from sitrep.events.classify import predict; predict(['Rebels shelled the "
            "town.']); print(any(m == 'sklearn' or m.startswith('sklearn.') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
