"""The store: SQLite by default, PostgreSQL by URL, through SQLAlchemy with Alembic migrations.

Each article is written in one transaction together with its event mentions, the merged events
they touch and its situation facts, so an interrupted run loses at most the article in flight
and a rerun skips what is already stored. Knows SQL, nothing of language.
"""

from __future__ import annotations

import contextlib
from importlib import resources
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from ..errors import StoreError
from .queries import EventFilter, FactFilter
from .writer import Writer

__all__ = ["Store", "open_store", "normalise_url", "DEFAULT_URL", "EventFilter", "FactFilter"]

DEFAULT_URL = "sqlite:///sitrep.db"
# The key of sitrep's migration lock among PostgreSQL's advisory locks: any fixed number.
MIGRATION_LOCK = 0x5173_7265_7001
# SQLite: how long a process waits for another's migration (ms), and for a write otherwise
# (the driver's default).
MIGRATION_WAIT_MS = 120_000
SQLITE_WAIT_MS = 5_000


def normalise_url(url: str | None) -> str:
    """Accept a URL or a plain file path; use psycopg 3 for PostgreSQL."""
    url = url or DEFAULT_URL
    if "://" not in url:
        return f"sqlite:///{Path(url)}"
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _engine(url: str) -> sa.Engine:
    try:
        engine = sa.create_engine(url, future=True)
        if engine.dialect.name == "sqlite":
            sa.event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    except Exception as exc:  # bad URL, missing driver
        raise StoreError(f"cannot open database {url!r}: {exc}") from exc


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


class Store(Writer):
    """Read and write sitrep's records. Use ``open_store(url)``."""

    def __init__(self, url: str | None = None) -> None:
        self.url = normalise_url(url)
        self.engine = _engine(self.url)

    def migrate(self) -> None:
        """Bring the schema up to the newest Alembic revision, under a lock: processes started
        together on a new database would otherwise all try to create it, and all but one fail."""
        config = Config(str(resources.files("sitrep.store").joinpath("alembic.ini")))
        config.set_main_option("script_location", str(resources.files("sitrep.store") / "migrations"))
        try:
            if self.engine.dialect.name == "sqlite":
                self._migrate_sqlite(config)
            else:
                self._migrate_locked(config)
        except sa.exc.OperationalError as exc:
            raise StoreError(f"cannot reach database {self.safe_url}: {_first_line(exc.orig)}") \
                from exc

    def _migrate_locked(self, config: Config) -> None:
        """One transaction holding PostgreSQL's advisory lock: whoever waited for it finds the
        schema made, as the lock is released only when the migration is committed."""
        with self.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
            config.attributes["connection"] = conn
            command.upgrade(config, "head")

    def _migrate_sqlite(self, config: Config) -> None:
        """SQLite has no advisory locks: the migration runs inside BEGIN EXCLUSIVE, issued by hand
        (the driver would begin a deferred transaction, whose lock comes too late)."""
        with self.engine.connect() as conn:
            conn = conn.execution_options(isolation_level="AUTOCOMMIT")
            conn.exec_driver_sql(f"PRAGMA busy_timeout = {MIGRATION_WAIT_MS}")
            conn.exec_driver_sql("BEGIN EXCLUSIVE")
            try:
                config.attributes["connection"] = conn
                command.upgrade(config, "head")
            except BaseException:
                with contextlib.suppress(sa.exc.DBAPIError):  # the error raised says more
                    conn.exec_driver_sql("ROLLBACK")
                raise
            conn.exec_driver_sql("COMMIT")
            conn.exec_driver_sql(f"PRAGMA busy_timeout = {SQLITE_WAIT_MS}")

    @property
    def safe_url(self) -> str:
        return sa.engine.make_url(self.url).render_as_string(hide_password=True)

    def close(self) -> None:
        self.engine.dispose()


def _first_line(error: object) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def open_store(url: str | None = None) -> Store:
    store = Store(url)
    store.migrate()
    return store
