"""The store on SQLite and on the PostgreSQL server: idempotent writes, transactions, queries."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from sitrep.errors import StoreError
from sitrep.records import Article, Fact
from sitrep.store import normalise_url, open_store


def article(text: str, id: str | None = None, day: date = date(2024, 1, 3)) -> Article:
    from sitrep.ingest import article_id

    return Article(id=id or article_id(text), text=text, published=day, title="t")


def test_store_add_article_once(db_url: str, event_factory) -> None:  # type: ignore[no-untyped-def]
    store = open_store(db_url)
    a = article("Troops clashed with M23 near Goma on Monday.")
    assert store.add_article(a, [event_factory(a.id)]) is True
    assert store.add_article(a, [event_factory(a.id)]) is False
    same_text_other_id = article("Troops clashed with M23 near Goma on Monday.", id="other")
    assert store.add_article(same_text_other_id, []) is False
    assert store.stats() == {"articles": 1, "mentions": 1, "events": 1, "facts": 0}
    assert store.article(a.id).text == a.text  # type: ignore[union-attr]


def test_store_migrate_twice_is_harmless(db_url: str) -> None:
    open_store(db_url)
    store = open_store(db_url)
    with store.engine.connect() as conn:
        assert conn.execute(sa.text("select version_num from alembic_version")).scalar_one() == "0003"


def _index_names(store) -> set[str]:  # type: ignore[no-untyped-def]
    return {i["name"] for i in sa.inspect(store.engine).get_indexes("events")}


# SQLite's reflection skips the expression index on lower(admin1), with a warning.
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection")
def test_store_upgrade_from_0002_swaps_the_country_index(db_url: str, event_factory) -> None:  # type: ignore[no-untyped-def]
    from importlib import resources

    from alembic import command
    from alembic.config import Config

    store = open_store(db_url)
    a = article("Fighting near Goma.")
    store.add_article(a, [event_factory(a.id)])
    config = Config(str(resources.files("sitrep.store").joinpath("alembic.ini")))
    config.set_main_option("script_location", str(resources.files("sitrep.store") / "migrations"))
    with store.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0002")
    assert "ix_events_country_date" in _index_names(store)
    assert "ix_events_country_date_bg" not in _index_names(store)
    store = open_store(db_url)
    names = _index_names(store)
    assert "ix_events_country_date_bg" in names and "ix_events_country_date" not in names
    assert [e.id for e in store.events(country="CD")] == ["e1"]


def test_store_failed_write_leaves_nothing(db_url: str, event_factory) -> None:  # type: ignore[no-untyped-def]
    store = open_store(db_url)
    good = article("First article about fighting near Goma.")
    store.add_article(good, [event_factory(good.id)])
    bad = article("Second article whose event is broken.")
    broken = event_factory(bad.id, id="e2", place=("Bukavu", -2.5, 28.86))
    broken.location = None  # type: ignore[assignment]
    with pytest.raises(Exception):
        store.add_article(bad, [broken])
    assert not store.has_article(bad)
    assert store.stats()["articles"] == 1 and store.stats()["events"] == 1


def test_store_event_filters(db_url: str, event_factory) -> None:  # type: ignore[no-untyped-def]
    store = open_store(db_url)
    a = article("Article one.")
    store.add_article(a, [
        event_factory(a.id, id="e1", day="2024-01-01"),
        event_factory(a.id, id="e2", day="2024-02-01", sub="Peaceful protest", kind="Protests",
                      place=("Kinshasa", -4.32, 15.31), actors=("Protesters (Democratic Republic of Congo)", None)),
    ])
    assert [e.id for e in store.events(since=date(2024, 1, 15))] == ["e2"]
    assert [e.id for e in store.events(until=date(2024, 1, 15))] == ["e1"]
    assert [e.id for e in store.events(event_type="protests")] == ["e2"]
    assert [e.id for e in store.events(event_type="Armed clash")] == ["e1"]
    assert [e.id for e in store.events(actor="m23")] == ["e1"]
    assert [e.id for e in store.events(near=(-1.7, 29.2, 20))] == ["e1"]
    assert store.events(near=(-1.7, 29.2, 1)) == []
    assert [e.id for e in store.events(text="kinshasa")] == ["e2"]
    assert len(store.events(limit=1)) == 1 and store.count_events(country="CD") == 2


def test_store_facts_round_trip(db_url: str) -> None:
    store = open_store(db_url)
    a = article("Article with a fact.")
    fact = Fact(kind="force_level", body={
        "actor": {"name": "Military Forces of the United States", "mention": "US troops", "country": "USA",
                  "type": "State forces"}, "country": "SY", "value": 900, "low": None, "high": None,
        "approximate": False, "as_of": date(2026, 2, 12), "precision": "day"}, article_ids=[a.id])
    store.add_article(a, [], [fact])
    [back] = store.facts(kind="force_level", country="sy")
    assert back.body["value"] == 900 and back.body["as_of"] == "2026-02-12"
    assert store.facts(as_of=date(2026, 1, 1)) == []


def test_store_url_forms() -> None:
    assert normalise_url("x.db") == "sqlite:///x.db"
    assert normalise_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url(None) == "sqlite:///sitrep.db"


def test_store_unreachable_server_is_a_clear_error() -> None:
    with pytest.raises(StoreError, match="cannot reach database"):
        open_store("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2")


def test_store_filters_out_events_only_plover_codes(db_url: str, event_factory) -> None:  # type: ignore[no-untyped-def]
    store = open_store(db_url)
    a = article("Article two.")
    verbal = event_factory(a.id, id="v1", day="2024-03-01", sub="Other", kind="Strategic developments")
    verbal.acled_event = False
    store.add_article(a, [event_factory(a.id, id="k1", day="2024-01-01"), verbal])
    assert len(store.events()) == 2
    kept = store.events(acled_only=True)
    assert len(kept) == 1 and kept[0].acled_event and kept[0].event_type == "Battles"


def test_store_same_id_with_another_text_is_a_conflict_and_keeps_the_first(db_url: str) -> None:
    store = open_store(db_url)
    first = article("Troops clashed with M23 near Goma on Monday.", id="wire-1")
    assert store.article_state(first) == "new" and store.add_article(first, [])
    assert store.article_state(first) == "stored"
    respaced = article("Troops  clashed with M23 near Goma on Monday. ", id="wire-1")
    assert store.article_state(respaced) == "stored"  # the same text, spaced differently
    other = article("Rebels shelled Bukavu on Tuesday.", id="wire-1")
    assert store.article_state(other) == "conflict" and store.has_article(other)
    assert store.add_article(other, []) is False
    assert store.article("wire-1").text == first.text  # type: ignore[union-attr]


def test_store_article_stored_meanwhile_by_another_process_is_no_error(db_url: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    store = open_store(db_url)
    a = article("Troops clashed with M23 near Goma on Monday.")
    assert store.add_article(a, [])
    # Both processes saw the article as new; the second's insert then meets the first's row.
    monkeypatch.setattr(type(store), "_state", lambda self, conn, art: "new")
    monkeypatch.setattr(type(store), "has_article", lambda self, art: True)
    assert store.add_article(a, []) is False
    assert store.stats()["articles"] == 1


def test_store_write_the_database_refuses_is_a_store_error(db_url: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    store = open_store(db_url)
    a = article("Troops clashed with M23 near Goma on Monday.")
    store.add_article(a, [])
    monkeypatch.setattr(type(store), "_state", lambda self, conn, art: "new")
    monkeypatch.setattr(type(store), "has_article", lambda self, art: False)
    with pytest.raises(StoreError, match=r"^cannot store article '[0-9a-f]+': .*(UNIQUE|unique|duplicate)"):
        store.add_article(a, [])
    assert "\n" not in str(StoreError("x"))


def _hold_migration_lock(url: str):  # type: ignore[no-untyped-def]
    """A connection holding the lock a migration takes: SQLite's write lock, PostgreSQL's
    advisory lock."""
    from sitrep.store import MIGRATION_LOCK, Store

    engine = Store(url).engine
    conn = engine.connect()
    if engine.dialect.name == "sqlite":
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        conn.exec_driver_sql("BEGIN EXCLUSIVE")
        return conn, lambda: conn.exec_driver_sql("COMMIT")
    conn = conn.execution_options(isolation_level="AUTOCOMMIT")
    conn.execute(sa.text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
    return conn, lambda: conn.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK})


def test_store_migration_waits_for_the_lock(db_url: str) -> None:
    import threading
    import time

    conn, release = _hold_migration_lock(db_url)
    done: list[object] = []
    worker = threading.Thread(target=lambda: done.append(open_store(db_url)))
    worker.start()
    time.sleep(1.5)
    assert not done, "the migration ran while another process held the lock"
    release()
    worker.join(timeout=30)
    conn.close()
    assert done and done[0].stats()["articles"] == 0  # type: ignore[attr-defined]
