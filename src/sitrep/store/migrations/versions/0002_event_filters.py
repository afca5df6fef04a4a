"""Filter columns and indexes on events: admin1, background, acled_event and span_days as
columns, and an index for every filter the API and `sitrep events` offer.

Revision 0001 builds its tables from schema.py as it is now, so a new database already has all
of this when this revision runs; an older one gets what it lacks. Hence each step checks first.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.schema import CreateIndex

from sitrep.store.schema import events, facts, span_days

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_COLUMNS: dict[str, sa.types.TypeEngine[Any]] = {
    "admin1": sa.Text(),
    "background": sa.Boolean(),
    "acled_event": sa.Boolean(),
    "span_days": sa.Integer(),
}
_BATCH = 2000


def _values(record: Any) -> dict[str, Any]:
    if isinstance(record, str):  # a driver that hands JSON back as text
        record = json.loads(record)
    record = record if isinstance(record, dict) else {}
    location = record.get("location") or {}
    return {"admin1": location.get("admin1") if isinstance(location, dict) else None,
            "background": bool(record.get("background") or False),
            "acled_event": record.get("acled_event") is not False,
            "span_days": span_days(record)}


def _backfill(bind: sa.Connection) -> None:
    """Fill the new columns of stored events from their records, a batch at a time."""
    table = sa.table("events", sa.column("id", sa.String), sa.column("record", sa.JSON),
                     *(sa.column(name, kind) for name, kind in _COLUMNS.items()))
    update = (table.update().where(table.c.id == sa.bindparam("event_id"))
              .values({name: sa.bindparam(name) for name in _COLUMNS}))
    last = ""
    while True:
        rows = list(bind.execute(sa.select(table.c.id, table.c.record).where(table.c.id > last)
                                 .order_by(table.c.id).limit(_BATCH)))
        if not rows:
            return
        bind.execute(update, [{"event_id": r.id, **_values(r.record)} for r in rows])
        last = rows[-1].id


def upgrade() -> None:
    bind = op.get_bind()
    inspector = sa.inspect(bind)
    have = {c["name"] for c in inspector.get_columns("events")}
    missing = [name for name in _COLUMNS if name not in have]
    for name in missing:
        op.add_column("events", sa.Column(name, _COLUMNS[name]))
    if missing:
        _backfill(bind)
    for index in [*events.indexes, *facts.indexes]:
        # IF NOT EXISTS, by name: reflection does not see expression indexes on SQLite.
        bind.execute(CreateIndex(index, if_not_exists=True))
    if bind.dialect.name == "postgresql":
        _trigram_indexes(bind)


# Substring filters (actor, q: LIKE '%...%') can use a trigram index on PostgreSQL; SQLite has
# none, and scans. Creating the extension needs the right to; without it the filters still work.
_TRIGRAM = {"ix_events_actor1_trgm": "lower(actor1)", "ix_events_actor2_trgm": "lower(actor2)",
            "ix_events_search_trgm": "search_text"}


def _trigram_indexes(bind: sa.Connection) -> None:
    try:
        with bind.begin_nested():  # a savepoint: a refusal must not abort the migration
            bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except sa.exc.DBAPIError:
        return
    for name, expression in _TRIGRAM.items():  # fixed names and expressions, not input
        bind.execute(sa.text(f"CREATE INDEX IF NOT EXISTS {name} ON events "
                             f"USING gin ({expression} gin_trgm_ops)"))


def downgrade() -> None:
    for name in ("ix_events_order", "ix_events_date_end", "ix_events_sub_event_type",
                 "ix_events_country_date", "ix_events_lat_lon", "ix_events_fatalities",
                 "ix_events_admin1", "ix_events_background_date", "ix_events_span_days",
                 *_TRIGRAM):
        op.drop_index(name, table_name="events", if_exists=True)
    op.drop_index("ix_facts_kind_country", table_name="facts", if_exists=True)
    with op.batch_alter_table("events") as batch:
        for name in _COLUMNS:
            batch.drop_column(name)
