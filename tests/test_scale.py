"""The scale path: articles to Parquet and back, batch extraction (local and Ray), loading."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from sitrep.errors import InputError, ModelError
from sitrep.ingest import read_paths
from sitrep.pipeline import extract, read_article
from sitrep.records import Article
from sitrep.scale import (
    articles_to_parquet,
    extract_parquet,
    load_parquet_into_store,
    read_articles_parquet,
    read_output,
)
from sitrep.store import open_store


@pytest.fixture(scope="module")
def articles(sample_dir: Path) -> list[Article]:
    found = [a for a in read_paths([sample_dir]) if isinstance(a, Article)]
    assert len(found) >= 8
    return found


@pytest.fixture(scope="module")
def source(articles: list[Article], tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("src") / "articles.parquet"
    articles_to_parquet(articles, path)
    return path


@pytest.fixture(scope="module")
def local_run(source: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    dst = tmp_path_factory.mktemp("out")
    report = extract_parquet(source, dst, batch_size=5)
    assert report.errors == 0 and report.skipped == 0
    return dst


@pytest.fixture(scope="module")
def expected(articles: list[Article]) -> dict[str, list[dict]]:
    return {a.id: [e.to_dict() for e in extract(a)] for a in articles}


def _records(dst: Path) -> dict[str, list[dict]]:
    table = read_output(dst, "events", columns=["article_id", "record"])
    found: dict[str, list[dict]] = {}
    for article_id, record in zip(table["article_id"].to_pylist(), table["record"].to_pylist()):
        found.setdefault(article_id, []).append(json.loads(record))
    return found


@pytest.mark.parametrize("parts", [1, 3])
def test_articles_round_trip(articles: list[Article], tmp_path: Path, parts: int) -> None:
    # One file, or a folder of several: both read back as the same articles in order.
    target = tmp_path / "one.parquet" if parts == 1 else tmp_path / "dataset"
    for i in range(parts):
        path = target if parts == 1 else target / f"part-{i}.parquet"
        assert articles_to_parquet(articles[i::parts], path) == len(articles[i::parts])
    back = list(read_articles_parquet(target))
    key = (lambda a: a.id)
    assert sorted(back, key=key) == sorted(articles, key=key)
    assert all(isinstance(a.published, date) for a in back)


def test_articles_parquet_types(source: Path) -> None:
    schema = pq.read_schema(source)
    assert str(schema.field("published").type) == "date32[day]"
    assert {"id", "published", "title", "url", "outlet", "text"} <= set(schema.names)


@pytest.mark.parametrize("columns", [["id", "title"], ["text"]])
def test_read_articles_needs_id_and_text(tmp_path: Path, columns: list[str]) -> None:
    import pyarrow as pa

    path = tmp_path / "bad.parquet"
    pq.write_table(pa.table({c: ["x"] for c in columns}), path)
    with pytest.raises(InputError):
        list(read_articles_parquet(path))


def test_missing_source(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        list(read_articles_parquet(tmp_path / "nowhere.parquet"))
    with pytest.raises(InputError):
        extract_parquet(tmp_path / "nowhere.parquet", tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_local_events_validate(local_run: Path, event_schema: object) -> None:
    records = [r for rs in _records(local_run).values() for r in rs]
    assert records
    for record in records:
        event_schema.validate(record)  # type: ignore[attr-defined]


def test_local_events_equal_extract(local_run: Path, expected: dict[str, list[dict]]) -> None:
    found = _records(local_run)
    assert {k: v for k, v in expected.items() if v} == found


def test_flat_columns_match_record(local_run: Path) -> None:
    for row in read_output(local_run, "events").to_pylist():
        record = json.loads(row["record"])
        assert row["event_date"].isoformat() == record["event_date"]
        assert row["sub_event_type"] == record["sub_event_type"]
        assert row["lat"] == record["location"]["lat"]
        assert row["actor1"] == (record["actor1"] or {}).get("name")
        assert row["article_id"] in record["article_ids"]


def test_facts_written(local_run: Path) -> None:
    facts = read_output(local_run, "facts").to_pylist()
    assert facts, "the sample should give at least one situation fact"
    assert all(json.loads(f["record"])["kind"] == f["kind"] for f in facts)


def test_resume_skips_done(articles: list[Article], tmp_path: Path) -> None:
    src = tmp_path / "src.parquet"
    articles_to_parquet(articles[:2], src)
    first = extract_parquet(src, tmp_path / "out", batch_size=1)
    assert (first.read, first.skipped) == (2, 0)
    articles_to_parquet(articles[:3], src)  # the source grew by one article
    again = extract_parquet(src, tmp_path / "out", batch_size=1)
    assert (again.read, again.skipped) == (1, 2)
    done = read_output(tmp_path / "out", "done")["article_id"].to_pylist()
    assert sorted(done) == sorted(a.id for a in articles[:3])


def test_orphan_parts_are_dropped(articles: list[Article], tmp_path: Path) -> None:
    # A run killed after writing a batch's events but before its done part left an orphan.
    src, dst = tmp_path / "src.parquet", tmp_path / "out"
    articles_to_parquet(articles[:1], src)
    extract_parquet(src, dst)
    orphan = dst / "events.parquet" / "part-00007.parquet"
    (dst / "events.parquet" / "part-00000.parquet").rename(orphan)
    (dst / "done.parquet" / "part-00000.parquet").unlink()
    report = extract_parquet(src, dst)
    assert report.read == 1 and not orphan.exists()
    assert read_output(dst, "events").num_rows == report.events


def test_bad_article_goes_to_errors(articles: list[Article], tmp_path: Path) -> None:
    bad = Article(id="no-text", text=None)  # type: ignore[arg-type]
    src = tmp_path / "src.parquet"
    articles_to_parquet([articles[0], bad, articles[1]], src)
    report = extract_parquet(src, tmp_path / "out", batch_size=8)
    assert (report.read, report.errors) == (3, 1)
    errors = read_output(tmp_path / "out", "errors").to_pylist()
    assert [e["article_id"] for e in errors] == ["no-text"] and errors[0]["message"]
    assert set(_records(tmp_path / "out")) <= {articles[0].id, articles[1].id}


@pytest.mark.parametrize("engine, size", [("spark", 8), ("local", 0)])
def test_bad_options(source: Path, tmp_path: Path, engine: str, size: int) -> None:
    with pytest.raises(InputError):
        extract_parquet(source, tmp_path / "out", **{"engine": engine, "batch_size": size})
    assert not (tmp_path / "out").exists(), "options are checked before anything is written"


def test_local_processes_match_extract(articles: list[Article], tmp_path: Path,
                                       expected: dict[str, list[dict]]) -> None:
    subset = articles[:3]
    src = tmp_path / "src.parquet"
    articles_to_parquet(subset, src)
    report = extract_parquet(src, tmp_path / "out", batch_size=1, workers=2)
    assert (report.read, report.batches) == (3, 3)
    assert _records(tmp_path / "out") == {a.id: expected[a.id] for a in subset if expected[a.id]}


def test_ray_missing_says_how_to_install(source: Path, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # makes `import ray` fail
    with pytest.raises(ModelError, match=r"sitrep\[scale\]"):
        extract_parquet(source, tmp_path / "out", engine="ray")
    assert not (tmp_path / "out").exists()


def test_load_into_store(local_run: Path, articles: list[Article], tmp_path: Path,
                        db_url: str) -> None:
    store = open_store(db_url)
    assert load_parquet_into_store(local_run, store) == len(articles)
    assert load_parquet_into_store(local_run, store) == 0  # idempotent
    # The same store as reading and adding each article directly, merged events included.
    direct = open_store(f"sqlite:///{tmp_path / 'direct.db'}")
    for article in articles:
        reading = read_article(article)
        direct.add_article(article, reading.events, reading.facts)
    assert store.stats() == direct.stats()
    key = (lambda e: e.id)
    assert sorted(store.events(), key=key) == sorted(direct.events(), key=key)
    assert len(store.facts()) == len(direct.facts())
    store.close()
    direct.close()


def test_load_needs_a_source(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        load_parquet_into_store(tmp_path / "empty", object())


@pytest.fixture(scope="module")
def ray_session():  # type: ignore[no-untyped-def]
    ray = pytest.importorskip("ray", reason="Ray is not installed (pip install 'sitrep[scale]')")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()


def test_ray_engine_matches_local(ray_session: object, articles: list[Article], tmp_path: Path,
                                  expected: dict[str, list[dict]]) -> None:
    subset = articles[:4]
    src = tmp_path / "src.parquet"
    articles_to_parquet(subset, src)
    report = extract_parquet(src, tmp_path / "ray", engine="ray", batch_size=1)
    assert (report.read, report.errors, report.batches) == (4, 0, 4)
    want = {a.id: expected[a.id] for a in subset if expected[a.id]}
    assert _records(tmp_path / "ray") == want
    again = extract_parquet(src, tmp_path / "ray", engine="ray")
    assert (again.read, again.skipped) == (0, 4)
