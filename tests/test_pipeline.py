"""Reading many articles: batched parsing and worker processes change nothing in the output."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitrep import pipeline
from sitrep.cli import cli
from sitrep.errors import InputError
from sitrep.nlp import BATCH_SIZE, parse, parse_many
from sitrep.output import to_jsonl
from sitrep.records import Article

SAMPLE = Path(__file__).resolve().parents[1] / "sample"
TEXTS = ["Rebels shelled the town of Kidal on Sunday, killing three civilians.",
         "Police arrested 12 protesters in Nairobi.\n\nThe army denied it.",
         "Gunmen attacked a village near Maiduguri overnight."]


def _articles() -> list[Article]:
    return [Article(id=f"a{i}", text=t, published=date(2024, 5, i + 1)) for i, t in enumerate(TEXTS)]


def test_batched_parsing_gives_the_docs_of_one_by_one():
    assert [d.to_bytes() for d in parse_many(TEXTS)] == [parse(t).to_bytes() for t in TEXTS]


def test_a_texts_doc_does_not_depend_on_the_texts_read_with_it():
    # the pool's chunks and the input's order put a text among other texts
    alone = parse_many(TEXTS[2:])
    assert [d.to_bytes() for d in parse_many(TEXTS)][2:] == [d.to_bytes() for d in alone]
    assert parse_many(TRICKY + TEXTS)[-1].to_bytes() == alone[0].to_bytes()


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
        assert "0 new article(s), 14 already stored" in again.output, again.output
        stored.append(to_jsonl(open_store(url).events()))
    assert stored[0] == stored[1] and stored[0]


TRICKY = ["Y'all ain't gonna get nothin' there. I gotta go, let's see it.",
          "There is a dog and there were cats; it hit you and me. Do it!  \n\n  Then we had done.",
          "He was going to go; they're gonna say the mice ran, better and best."]


@pytest.fixture(scope="module")
def plain():  # type: ignore[no-untyped-def]
    import spacy

    from sitrep.nlp import DEFAULT_MODEL, reading_ops

    with reading_ops():  # spaCy's own components under the ops sitrep reads with
        nlp = spacy.load(DEFAULT_MODEL)
    nlp.add_pipe("line_breaks", before="parser")
    return nlp


def test_remembering_components_give_spacys_own_docs(plain):  # type: ignore[no-untyped-def]
    from sitrep.nlp import get_nlp

    names = {type(get_nlp().get_pipe(n)).__name__ for n in ("lemmatizer", "attribute_ruler")}
    assert names == {"RememberingEnglishLemmatizer", "RememberingAttributeRuler"}
    texts = TEXTS + TRICKY + TRICKY  # the second copy is read from the memories
    for doc, want in zip(parse_many(texts), plain.pipe(texts, batch_size=BATCH_SIZE)):
        assert doc.to_bytes() == want.to_bytes(), doc.text
        assert [t.lemma_ for t in doc] == [t.lemma_ for t in want]


def test_remembered_ruler_matches_are_the_matchers(plain):  # type: ignore[no-untyped-def]
    from spacy.pipeline import AttributeRuler

    from sitrep.nlp import get_nlp
    from sitrep.nlp_memo import ruler_matches

    ruler = get_nlp().get_pipe("attribute_ruler")
    before = [n for n in get_nlp().pipe_names][:get_nlp().pipe_names.index("attribute_ruler")]
    with get_nlp().select_pipes(enable=before):
        docs = list(get_nlp().pipe(TEXTS + TRICKY))
    for doc in docs:
        want = AttributeRuler.match(ruler, doc)
        assert want and ruler_matches(ruler.ruler_plan, doc) == want
