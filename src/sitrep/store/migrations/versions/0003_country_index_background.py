"""The country + date index also holds `background`, so that a country, date and box page
(which leaves background events out by default) is answered from the index alone.

Without the column each of the thousands of index entries a country and date range match sent
the query to its table row to read `background`: at 1,000,000 events the filtered page took
p50 7.8 / p95 15.3 ms in process, and 2.9 / 5.5 ms with it (benchmarks/api.py).

Revision 0001 builds its tables from schema.py as it is now, so a new database has the new
index already; each step checks first.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from alembic import op
from sqlalchemy.schema import CreateIndex

from sitrep.store.schema import events

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_OLD = "ix_events_country_date"
_NEW = "ix_events_country_date_bg"


def upgrade() -> None:
    index = next(i for i in events.indexes if i.name == _NEW)
    op.get_bind().execute(CreateIndex(index, if_not_exists=True))
    op.drop_index(_OLD, table_name="events", if_exists=True)


def downgrade() -> None:
    op.create_index(_OLD, "events", ["country", "event_date", "date_end", "lat", "lon"],
                    if_not_exists=True)
    op.drop_index(_NEW, table_name="events", if_exists=True)
