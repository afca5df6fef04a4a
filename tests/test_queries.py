"""The query layer: names resolved, values checked, LIKE literal, keyset pages, the 0002 upgrade."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from sitrep.store import open_store
from sitrep.store.queries import (FilterError, country_code, decode_cursor, encode_cursor,
                                  event_type_name, parse_bbox, parse_near)


@pytest.mark.parametrize(("given", "code"), [
    ("SY", "SY"), ("sy", "SY"), ("SYR", "SY"), ("syria", "SY"), ("Syria", "SY"),
    ("Ukraine", "UA"), ("UKR", "UA"), ("ua", "UA"), ("United Kingdom", "GB"), ("UK", "GB"),
    ("the United States", "US"), ("U.S.", "US"), ("Democratic Republic of the Congo", "CD"),
    ("  south   sudan ", "SS"),
])
def test_country_code_takes_iso2_iso3_and_names(given: str, code: str) -> None:
    assert country_code(given) == code


@pytest.mark.parametrize("given", ["Atlantis", "XX", "", "Damascus", "S", "%"])
def test_country_code_refuses_unknown(given: str) -> None:
    with pytest.raises(FilterError):
        country_code(given)


@pytest.mark.parametrize(("given", "name"), [
    ("battles", "Battles"), ("AIR/DRONE STRIKE", "Air/drone strike"),
    ("Violence  against civilians", "Violence against civilians"),
])
def test_event_type_name(given: str, name: str) -> None:
    assert event_type_name(given) == name


@pytest.mark.parametrize("given", ["Nonsense", "battle", ""])
def test_event_type_name_refuses_unknown(given: str) -> None:
    with pytest.raises(FilterError):
        event_type_name(given)


@pytest.mark.parametrize("given", ["1,2,3", "a,b,c,d", "0,10,5,5", "0,0,181,1", "inf,0,1,1",
                                   "1,2,3,4,5", ""])
def test_parse_bbox_refuses(given: str) -> None:
    with pytest.raises(FilterError):
        parse_bbox(given)


@pytest.mark.parametrize("given", ["0,0,inf", "0,0,nan", "0,0,0", "0,0,20039", "91,0,1", "0,0",
                                   "x,y,z"])
def test_parse_near_refuses(given: str) -> None:
    with pytest.raises(FilterError):
        parse_near(given)


def test_cursor_round_trip() -> None:
    after = (date(2026, 3, 1), "ev/with|bar")
    assert decode_cursor(encode_cursor(after)) == after
    with pytest.raises(FilterError):
        decode_cursor("%%%")


def _fill(db_url: str, event_factory):  # type: ignore[no-untyped-def]
    from sitrep.records import Article

    store = open_store(db_url)
    places = [("Goma", -1.68, 29.22), ("Suva", -18.14, 178.44), ("Apia", -13.83, -171.76),
              ("Bukavu", -2.5, 28.86)]
    actors = [("Rebels 100% pure", None), ("a_b militia", None), ("Army", "Civilians"),
              ("Rebels 100 pure", None)]
    for i, (place, actor) in enumerate(zip(places, actors, strict=True)):
        art = Article(f"a{i}", f"Article {i} about {place[0]} and fighting there.", date(2024, 1, 9))
        event = event_factory(art.id, id=f"e{i}", place=place, actors=actor,
                              day=f"2024-01-0{i + 1}", fatalities=i * 3)
        store.add_article(art, [event])
    return store


@pytest.mark.parametrize(("filters", "expected"), [
    ({"actor": "100%"}, {"e0"}),  # % is a literal percent sign
    ({"actor": "a_b"}, {"e1"}),  # _ is a literal underscore
    ({"actor": "a%b"}, set()),
    ({"near": (-16.0, 179.9, 400.0)}, {"e1"}),  # Suva, from across the antimeridian
    ({"bbox": (170.0, -20.0, -170.0, -10.0)}, {"e1", "e2"}),  # a box across it
    ({"min_fatalities": 6}, {"e2", "e3"}),
    ({"admin1": "NORTH KIVU"}, {"e0", "e1", "e2", "e3"}),
    ({"country": "COD"}, {"e0", "e1", "e2", "e3"}),
])
def test_event_filters_on_every_backend(db_url: str, event_factory, filters, expected) -> None:  # type: ignore[no-untyped-def]
    store = _fill(db_url, event_factory)
    try:
        assert {e.id for e in store.events(**filters)} == expected
        assert store.count_events(**filters) == len(expected)
    finally:
        store.close()


def test_keyset_pages_match_offset_pages(db_url: str, event_factory) -> None:  # type: ignore[no-untyped-def]
    store = _fill(db_url, event_factory)
    try:
        everything = [e.id for e in store.events()]
        assert everything == ["e3", "e2", "e1", "e0"]  # newest first
        seen, after = [], None
        while True:
            page = store.event_page(limit=1, after=after)
            assert page.total == 4
            seen += [r["id"] for r in page.records]
            if page.next_after is None:
                break
            after = page.next_after
        assert seen == everything
    finally:
        store.close()


def test_upgrade_from_0001_fills_the_new_columns(tmp_path: Path, event_factory) -> None:  # type: ignore[no-untyped-def]
    """A database made before 0002: the columns are added and filled from the records."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    store = _fill(url, event_factory)
    with store.engine.begin() as conn:
        for name in ("ix_events_order", "ix_events_admin1", "ix_events_background_date",
                     "ix_events_span_days", "ix_events_country_date_bg"):
            conn.execute(sa.text(f"DROP INDEX {name}"))  # fixed names, not input
        for column in ("admin1", "background", "acled_event", "span_days"):
            conn.execute(sa.text(f"ALTER TABLE events DROP COLUMN {column}"))
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '0001'"))
    store.close()
    store = open_store(url)
    try:
        assert {e.id for e in store.events(admin1="north kivu", background="exclude")} == \
            {"e0", "e1", "e2", "e3"}
        assert {e.id for e in store.events(since=date(2024, 1, 3))} == {"e2", "e3"}
        with store.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT max(span_days) FROM events")).scalar() == 0
        with store.engine.connect() as conn:
            names = {r[0] for r in conn.execute(sa.text(
                "SELECT name FROM sqlite_master WHERE type = 'index'"))}
        assert {"ix_events_order", "ix_events_admin1", "ix_events_background_date"} <= names
    finally:
        store.close()


def test_default_page_uses_the_order_index(tmp_path: Path, event_factory) -> None:  # type: ignore[no-untyped-def]
    store = _fill(f"sqlite:///{tmp_path / 'plan.db'}", event_factory)
    with store.engine.connect() as conn:
        plan = " ".join(str(r[-1]) for r in conn.execute(sa.text(
            "EXPLAIN QUERY PLAN SELECT record FROM events ORDER BY event_date DESC, id LIMIT 100")))
    store.close()
    assert "ix_events_order" in plan and "TEMP B-TREE" not in plan


# --- the same filters on the command line (`sitrep events`) -----------------------------------

@pytest.mark.parametrize(("args", "expected"), [
    (["--country", "Syria"], {"ev-battle", "ev-drone", "ev-protest", "ev-civilians", "ev-expel"}),
    (["--country", "SYR", "--fatalities", "3"], {"ev-battle"}),
    (["--admin1", "homs"], {"ev-civilians"}),
    (["--bbox", "38,35,41,36.5"], {"ev-battle", "ev-drone"}),
    (["--background", "exclude", "--near", "33.5,36.3,50"], {"ev-protest", "ev-expel"}),
    (["--actor", "%"], set()),
])
def test_cli_events_filters(tmp_path: Path, args: list[str], expected: set[str]) -> None:
    import json

    from click.testing import CliRunner

    from sitrep.cli import cli
    from web_fixtures import make_store

    make_store(tmp_path).close()
    result = CliRunner().invoke(cli, ["events", "--db", f"sqlite:///{tmp_path / 'sitrep.db'}",
                                      "--format", "jsonl", *args])
    assert result.exit_code == 0, result.output
    assert {json.loads(line)["id"] for line in result.output.splitlines()} == expected


@pytest.mark.parametrize("args", [["--country", "Atlantis"], ["--near", "0,0,inf"],
                                  ["--bbox", "1,2"], ["--type", "Nonsense"],
                                  ["--fatalities", "-1"], ["--limit", "0"]])
def test_cli_events_refuses_bad_filters(tmp_path: Path, args: list[str]) -> None:
    from click.testing import CliRunner

    from sitrep.cli import cli
    from web_fixtures import make_store

    make_store(tmp_path).close()
    result = CliRunner().invoke(cli, ["events", "--db", f"sqlite:///{tmp_path / 'sitrep.db'}",
                                      *args])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


def test_cli_events_help_explains_dates_and_near() -> None:
    from click.testing import CliRunner

    from sitrep.cli import cli

    text = " ".join(CliRunner().invoke(cli, ["events", "--help"]).output.split())
    for phrase in ("end date counts", "begun on or before", "kilometres of LAT,LON",
                   "alpha-3 (SYR) or English name", "at least N reported deaths"):
        assert phrase in text


def test_count_stops_at_the_cap(tmp_path: Path, event_factory) -> None:  # type: ignore[no-untyped-def]
    from sitrep.store.queries import EventFilter

    store = _fill(f"sqlite:///{tmp_path / 'cap.db'}", event_factory)
    try:
        assert store._count(EventFilter(), most=2) == 2
        assert store._count(EventFilter(), most=10) == 4
        assert store.count_events() == 4
    finally:
        store.close()


def test_near_pages_larger_than_one_id_query(db_url: str, event_factory) -> None:  # type: ignore[no-untyped-def]
    """1,200 events in the circle: more ids than one IN (...) query takes, order kept."""
    from sitrep.store.schema import events as table

    store = open_store(db_url)
    rows = []
    for i in range(1200):
        event = event_factory("a", id=f"n{i:04d}", day=f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}")
        record = event.to_dict()
        rows.append({"id": event.id, "event_date": event.event_date, "date_end": event.date_end,
                     "event_type": event.event_type, "sub_event_type": event.sub_event_type,
                     "country": "CD", "lat": -1.68, "lon": 29.22, "confidence": 0.8,
                     "search_text": "goma", "record": record})
    try:
        with store.engine.begin() as conn:
            conn.execute(table.insert(), rows)
        near = (-1.7, 29.2, 20.0)
        found = [e.id for e in store.events(near=near)]
        assert found == [e.id for e in store.events()] and len(found) == 1200
        page = store.event_page(near=near, limit=1000)
        assert len(page.records) == 1000 and page.total == 1200 and page.next_after is not None
        weeks = store.event_weeks(near=near)
        assert sum(w["total"] for w in weeks) == 1200
    finally:
        store.close()


@pytest.mark.postgres
def test_postgres_substring_filters_have_trigram_indexes(db_url: str, event_factory) -> None:  # type: ignore[no-untyped-def]
    if not db_url.startswith("postgresql"):
        pytest.skip("trigram indexes are PostgreSQL's")
    store = _fill(db_url, event_factory)
    try:
        with store.engine.connect() as conn:
            names = {r[0] for r in conn.execute(sa.text(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'events'"))}
            if not conn.execute(sa.text(
                    "SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")).first():
                pytest.skip("pg_trgm could not be created on this server")
        assert {"ix_events_actor1_trgm", "ix_events_actor2_trgm", "ix_events_search_trgm"} <= names
        assert {e.id for e in store.events(actor="100%")} == {"e0"}
    finally:
        store.close()


def test_since_finds_events_that_began_long_before(db_url: str, event_factory) -> None:  # type: ignore[no-untyped-def]
    """``since`` also bounds event_date by the longest stored span; a long event still counts."""
    from sitrep.records import Article

    store = open_store(db_url)
    try:
        for i, (day, end) in enumerate([("2022-01-01", "2023-02-05"), ("2023-02-03", None),
                                        ("2022-06-01", None)]):
            art = Article(f"s{i}", f"Article {i} about fighting near Goma.", date(2023, 3, 1))
            store.add_article(art, [event_factory(art.id, id=f"s{i}", day=day, end=end,
                                                  place=("Goma", -1.68 + i, 29.22))])
        assert {e.id for e in store.events(since=date(2023, 2, 1))} == {"s0", "s1"}
        assert store.count_events(since=date(2023, 2, 1), country="CD") == 2
        assert {e.id for e in store.events(since=date(2023, 2, 6))} == set()
        assert store.events(since=date(1, 1, 1))  # no bound before year 1, and no error
    finally:
        store.close()
