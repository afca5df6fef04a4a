"""Shared fixtures: paths to ../shared, the record schema, and stores on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from sitrep.eval.core import default_data_dir

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
PG_SERVER = "postgresql://postgres@127.0.0.1:5432/test"


@pytest.fixture(scope="session")
def eval_data() -> Path:
    path = default_data_dir()
    if not path.is_dir():
        pytest.skip(f"no evaluation data at {path} (../shared/eval)")
    return path


@pytest.fixture(scope="session")
def shared(eval_data: Path) -> Path:
    return eval_data.parent


@pytest.fixture(scope="session")
def seed_path(shared: Path) -> Path:
    return shared / "seeds" / "000_3960a0e75762fe68.txt"


@pytest.fixture(scope="session")
def event_schema(shared: Path) -> object:
    from jsonschema import Draft202012Validator

    schema = json.loads((shared / "spec" / "event.schema.json").read_text())
    return Draft202012Validator(schema)


def _postgres_url() -> str | None:
    import sqlalchemy as sa

    try:
        engine = sa.create_engine(PG_SERVER.replace("postgresql://", "postgresql+psycopg://"),
                                  isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            name = f"sitrep_test_{uuid.uuid4().hex[:10]}"
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')  # a generated identifier, not input
        engine.dispose()
        return PG_SERVER.rsplit("/", 1)[0] + f"/{name}"
    except Exception as exc:  # no server: the PostgreSQL tests are skipped, saying so
        print(f"PostgreSQL at 127.0.0.1:5432 not reachable ({exc.__class__.__name__}); skipping")
        return None


def _drop_postgres(url: str) -> None:
    import sqlalchemy as sa

    name = url.rsplit("/", 1)[1]
    engine = sa.create_engine(PG_SERVER.replace("postgresql://", "postgresql+psycopg://"),
                              isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database URL: a SQLite file, or a new PostgreSQL database on the server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'sitrep.db'}"
        return
    url = _postgres_url()
    if url is None:
        pytest.skip("PostgreSQL server at 127.0.0.1:5432 not reachable")
    try:
        yield url
    finally:
        _drop_postgres(url)


def make_event(article: str, *, id: str = "e1", sub: str = "Armed clash", kind: str = "Battles",
               day: str = "2024-01-01", end: str | None = None, place: tuple[str, float, float] = ("Goma", -1.68, 29.22),
               actors: tuple[str | None, str | None] = ("Military Forces of the Democratic Republic of Congo (2019-)", "M23: March 23 Movement"),
               fatalities: int | None = None, precision: int = 1, sentence: str = "Troops clashed with M23 near Goma.",
               confidence: float = 0.8) -> "Event":
    """An Event record built by hand, for store, merge, API and output tests."""
    from datetime import date as _date

    from sitrep.records import Actor, Evidence, Event, Location

    def actor(name: str | None, kind: str) -> Actor | None:
        return Actor(name, name, "COD", kind) if name else None

    return Event(
        id=id, event_date=_date.fromisoformat(day), date_end=_date.fromisoformat(end or day),
        date_precision="day", event_type=kind, sub_event_type=sub,
        actor1=actor(actors[0], "State forces"), actor2=actor(actors[1], "Rebel group"),
        location=Location(place[0], None, place[1], place[2], "CD", "North Kivu", None, precision),  # type: ignore[arg-type]
        evidence=[Evidence(article, sentence, 0, len(sentence))], article_ids=[article],
        fatalities=fatalities, confidence=confidence)


@pytest.fixture
def event_factory():  # type: ignore[no-untyped-def]
    return make_event


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return SAMPLE


@pytest.fixture
def every_draft_stands(monkeypatch: pytest.MonkeyPatch) -> None:
    """The event head's floor at 0, for tests of how events are drafted and coded: whether the
    head lets a draft stand is tested on its own (tests/test_encoder.py)."""
    import sitrep.events

    monkeypatch.setattr(sitrep.events, "event_floor", lambda: 0.0)


def load_script(name: str):  # type: ignore[no-untyped-def]
    """A training script of ``scripts/`` imported as a module (scripts are not a package)."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "scripts" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
