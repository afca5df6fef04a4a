"""Reading many articles: batched parsing and worker processes change nothing in the output."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitrep import pipeline
from sitrep.cli import cli
from sitrep.errors import InputError
from sitrep.nlp import parse, parse_many
from sitrep.output import to_jsonl
from sitrep.records import Article

SAMPLE = Path(__file__).resolve().parents[1] / "sample"
TEXTS = ["Rebels shelled the town of Kidal on Sunday, killing three civilians.",
         "Police arrested 12 protesters in Nairobi.\n\nThe army denied it.",
         "Gunmen attacked a village near Maiduguri overnight."]


def _articles() -> list[Article]:
    return [Article(id=f"a{i}", text=t, published=date(2024, 5, i + 1)) for i, t in enumerate(TEXTS)]


def test_batched_parsing_gives_the_docs_of_one_by_one():
    assert [d.to_bytes() for d in parse_many(TEXTS, batch_size=2)] == [parse(t).to_bytes() for t in TEXTS]


def test_read_articles_keeps_order_and_matches_read_article():
    outcomes = list(pipeline.read_articles(_articles(), workers=1))
    assert [o.article.id for o in outcomes] == ["a0", "a1", "a2"]
    assert all(o.error is None for o in outcomes)
    for article, outcome in zip(_articles(), outcomes):
        assert to_jsonl(outcome.reading.events) == to_jsonl(pipeline.read_article(article).events)


def test_a_failing_article_is_its_own_outcome(monkeypatch: pytest.MonkeyPatch):
    real = pipeline.read_article

    def failing(article, doc=None):  # type: ignore[no-untyped-def]
        if article.id == "a1":
            raise InputError(article.id, "cannot be read")
        return real(article, doc)

    monkeypatch.setattr(pipeline, "read_article", failing)
    outcomes = list(pipeline.read_articles(_articles(), workers=1))
    assert [o.error for o in outcomes] == [None, "a1: cannot be read", None]
    assert outcomes[2].reading is not None


def test_read_articles_refuses_no_workers():
    with pytest.raises(ValueError, match="at least 1"):
        list(pipeline.read_articles(_articles(), workers=0))


def test_extract_with_two_workers_prints_what_one_does():
    runner = CliRunner()
    one = runner.invoke(cli, ["extract", str(SAMPLE), "--workers", "1"], catch_exceptions=False)
    two = runner.invoke(cli, ["extract", str(SAMPLE), "--workers", "2"], catch_exceptions=False)
    assert one.exit_code == 0 and two.exit_code == 0, (one.output, two.output)
    assert one.stdout.count("\n") > 20
    assert two.stdout == one.stdout


def test_ingest_with_two_workers_stores_what_one_does(tmp_path: Path):
    from sitrep.store import open_store

    runner = CliRunner()
    stored = []
    for workers in ("1", "2"):
        url = f"sqlite:///{tmp_path}/w{workers}.db"
        result = runner.invoke(cli, ["ingest", str(SAMPLE), "--db", url, "--workers", workers],
                               catch_exceptions=False)
        assert result.exit_code == 0, result.output
        again = runner.invoke(cli, ["ingest", str(SAMPLE), "--db", url, "--workers", workers],
                              catch_exceptions=False)
        assert again.output.startswith("0 new article(s), 14 already stored"), again.output
        stored.append(to_jsonl(open_store(url).events()))
    assert stored[0] == stored[1] and stored[0]


def test_remembered_lemmas_are_the_lemmatizers_own():
    import spacy

    from sitrep.nlp import DEFAULT_MODEL, get_nlp

    plain = spacy.load(DEFAULT_MODEL)
    assert type(get_nlp().get_pipe("lemmatizer")).__name__.startswith("Remembering")
    texts = TEXTS + ["He was going to go; they're gonna say the mice ran, better and best."] * 2
    for doc in parse_many(texts):  # the second copy is read from the memory
        want = plain(doc.text)
        assert [t.lemma_ for t in doc] == [t.lemma_ for t in want]
