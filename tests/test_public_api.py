"""The library API: what `import sitrep` offers, that it keeps the JSON contract, that a Store
reads and refuses what it should, and that the README's example runs as written."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

import sitrep
from sitrep.output import ACLED_COLUMNS

ROOT = Path(__file__).resolve().parents[1]
TEXT = ("M23 rebels seized the town of Rubaya in North Kivu on Tuesday after clashes with the "
        "Congolese army that killed at least 12 soldiers, a local official told Radio Okapi.")

EXPORTED = {
    "__version__", "extract", "read_text", "make_article", "Reading", "Store", "to_csv",
    "to_geojson", "to_jsonl", "Article", "Event", "Fact", "Actor", "Location", "Attribution",
    "Evidence", "SitrepError", "InputError", "GazetteerError", "ModelError", "StoreError",
    "EvalError",
}


def test_public_api_exports_exactly_its_members() -> None:
    assert set(sitrep.__all__) == EXPORTED and len(sitrep.__all__) == len(EXPORTED)
    for name in sitrep.__all__:
        assert getattr(sitrep, name) is not None, name
    assert sitrep.Event is sitrep.records.Event and sitrep.StoreError is sitrep.errors.StoreError


@pytest.mark.parametrize("module", ["sitrep.library", "sitrep.output", "sitrep.records",
                                    "sitrep.errors"])
def test_public_api_modules_export_what_they_name(module: str) -> None:
    import importlib

    loaded = importlib.import_module(module)
    assert loaded.__all__ and len(set(loaded.__all__)) == len(loaded.__all__)
    assert [name for name in loaded.__all__ if not hasattr(loaded, name)] == []


def test_public_api_import_is_light_and_ships_py_typed() -> None:
    """`import sitrep` loads neither spaCy nor the database drivers (every command starts with
    it), and the package marks itself typed."""
    code = "import sys, sitrep; print(sorted(m for m in ('spacy', 'sqlalchemy') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    assert (Path(sitrep.__file__).parent / "py.typed").is_file()


@pytest.fixture(scope="module")
def events() -> list[sitrep.Event]:
    return sitrep.extract(TEXT, published="2024-05-02", outlet="Radio Okapi")


def test_public_api_extract_keeps_the_record_contract(events: list[sitrep.Event], event_schema) -> None:  # type: ignore[no-untyped-def]
    assert events and all(isinstance(e, sitrep.Event) for e in events)
    clash = next(e for e in events if e.sub_event_type == "Armed clash")
    assert (clash.event_date, clash.location.name, clash.fatalities) == (date(2024, 4, 30), "Rubaya", 12)
    for event in events:
        record = event.to_dict()
        assert not [e.message for e in event_schema.iter_errors(record)]
        assert sitrep.Event.from_dict(record) == event


def test_public_api_extract_matches_the_pipeline(events: list[sitrep.Event]) -> None:
    from sitrep.pipeline import extract as pipeline_extract

    article = sitrep.make_article(TEXT, published=date(2024, 5, 2), outlet="Radio Okapi")
    assert [e.to_dict() for e in pipeline_extract(article)] == [e.to_dict() for e in events]


def test_public_api_read_text_survives_the_read_module_import() -> None:
    import sitrep.read  # noqa: F401  (the submodule of the same stem must not shadow anything)

    reading = sitrep.read_text(TEXT, published="2024-05-02")
    assert isinstance(reading, sitrep.Reading) and reading.events and reading.annotation.places


@pytest.mark.parametrize(("text", "published", "message"), [
    ("", None, "<text>: no article text"),
    ("   \n ", None, "<text>: no article text"),
    (b"bytes", None, "<text>: the text must be a str, not bytes"),
    (TEXT, "yesterday", "published: 'yesterday' is not a date (expected YYYY-MM-DD)"),
    (TEXT, "2024-02-30", "published: '2024-02-30' is not a date"),
])
def test_public_api_bad_input_is_a_one_line_input_error(text: object, published: str | None,
                                                        message: str) -> None:
    with pytest.raises(sitrep.InputError) as caught:
        sitrep.extract(text, published=published)  # type: ignore[arg-type]
    assert str(caught.value).startswith(message) and "\n" not in str(caught.value)


@pytest.mark.parametrize("url", ["missing.db", "sqlite:///{tmp}/missing.db", "{tmp}/sub/missing.db"])
def test_public_api_store_refuses_a_missing_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     url: str) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(sitrep.StoreError, match="no database at"):
        sitrep.Store(url.format(tmp=tmp_path))
    assert list(tmp_path.rglob("*")) == []


def test_public_api_store_refuses_a_file_that_is_no_database(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a database\n")
    for create in (False, True):
        with pytest.raises(sitrep.StoreError, match="is not a SQLite database"):
            sitrep.Store(str(tmp_path / "notes.txt"), create=create)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, seed_path: Path) -> sitrep.Store:
    path = tmp_path_factory.mktemp("store") / "lib.db"
    with sitrep.Store(str(path), create=True) as fresh:
        assert fresh.ingest(TEXT, published="2024-05-02", outlet="Radio Okapi",
                            url="https://www.radiookapi.net/rubaya")
        assert not fresh.ingest(TEXT + "\n", published="2024-05-02")  # the same text, stored once
        body = seed_path.read_text().split("\n", 1)[1]
        assert fresh.ingest(body, published="2026-02-12", outlet="Reuters")
    opened = sitrep.Store(f"sqlite:///{path}")
    yield opened
    opened.close()


def test_public_api_store_queries_with_filters(store: sitrep.Store) -> None:
    everything = store.events()
    congo = store.events(country="cd", since="2024-04-01", until=date(2024, 5, 31))
    assert congo and {e.id for e in congo} < {e.id for e in everything}
    assert all(e.location.country == "CD" for e in congo)
    assert store.events(type="Armed clash", actor="M23", limit=1)[0].location.name == "Rubaya"
    assert store.event(congo[0].id) == congo[0] and store.event("nope") is None
    with pytest.raises(sitrep.InputError, match="since: 'May' is not a date"):
        store.events(since="May")


def test_public_api_store_situation_is_the_picture(store: sitrep.Store) -> None:
    facts = store.situation()
    assert facts and all(isinstance(f, sitrep.Fact) for f in facts)
    assert {f.kind for f in store.situation(kind="force_level")} == {"force_level"}


def test_public_api_store_csv_names_the_outlet(store: sitrep.Store) -> None:
    text = store.to_csv(store.events(country="CD", since="2024-04-01", until="2024-05-31"))
    header, *rows = text.splitlines()
    assert header.split(",")[: len(ACLED_COLUMNS)] == ACLED_COLUMNS
    assert rows and all("Radio Okapi" in row for row in rows)


def _readme_example() -> str:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## The Python library", 1)[1]
    block = re.search(r"```python\n(.*?)```", section, re.S)
    assert block, "the README's Python library section must hold a python code block"
    return block.group(1)


def test_public_api_readme_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    scope: dict[str, object] = {}
    exec(compile(_readme_example(), "README.md", "exec"), scope)  # the documented code, as written
    assert scope["events"] and all(isinstance(e, sitrep.Event) for e in scope["events"])  # type: ignore[attr-defined]
    csv_text = str(scope["csv_text"])
    assert csv_text.startswith(",".join(ACLED_COLUMNS)) and "Radio Okapi" in csv_text
    assert (tmp_path / "example.db").is_file()


@pytest.mark.parametrize("published", [date(2024, 5, 2), "2024-05-02", " 2024-05-02 ",
                                       datetime(2024, 5, 2, 13, 30)])
def test_public_api_make_article_takes_a_day_in_any_form(published: object) -> None:
    article = sitrep.make_article(" Text. ", published=published, outlet="Reuters")  # type: ignore[arg-type]
    assert (article.published, article.text, article.outlet) == (date(2024, 5, 2), "Text.", "Reuters")
    assert article.id == sitrep.make_article("Text.").id
