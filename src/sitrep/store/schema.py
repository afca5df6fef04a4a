"""The tables. Alembic migrations (migrations/versions) create them; this module is their one
description for queries. Full records are kept as JSON next to the columns queries filter on."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import sqlalchemy as sa

__all__ = ["metadata", "articles", "article_bands", "mentions", "events", "facts"]

metadata = sa.MetaData()

articles = sa.Table(
    "articles", metadata,
    sa.Column("id", sa.String(128), primary_key=True),
    sa.Column("text_hash", sa.String(32), nullable=False, unique=True),
    sa.Column("published", sa.Date, index=True),
    sa.Column("title", sa.Text),
    sa.Column("url", sa.Text),
    sa.Column("outlet", sa.Text),
    sa.Column("source", sa.Text),
    sa.Column("text", sa.Text, nullable=False),
    # Near-duplicates (syndicated copies) share a group: the smallest article id among them.
    sa.Column("dup_group", sa.String(128), nullable=False, index=True),
    sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
)

# MinHash LSH bands of each article, so near-duplicates are found by an indexed lookup.
article_bands = sa.Table(
    "article_bands", metadata,
    sa.Column("article_id", sa.String(128), sa.ForeignKey("articles.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("band", sa.Integer, primary_key=True),
    sa.Column("hash", sa.String(32), nullable=False),
    sa.Index("ix_article_bands_band_hash", "band", "hash"),
)

# One row per event as one article reports it; merged events are built from these.
mentions = sa.Table(
    "mentions", metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("article_id", sa.String(128), sa.ForeignKey("articles.id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("cluster_id", sa.String(64), nullable=False, index=True),
    sa.Column("family", sa.String(64), nullable=False),
    sa.Column("event_date", sa.Date, nullable=False),
    sa.Column("date_end", sa.Date, nullable=False),
    sa.Column("lat", sa.Float),
    sa.Column("lon", sa.Float),
    sa.Column("country", sa.String(8)),
    sa.Column("admin1", sa.Text),
    sa.Column("geo_precision", sa.Integer),
    sa.Column("actor1", sa.Text),
    sa.Column("actor2", sa.Text),
    sa.Column("background", sa.Boolean, nullable=False),
    sa.Column("published", sa.Date),
    sa.Column("record", sa.JSON, nullable=False),
    sa.Index("ix_mentions_family_dates", "family", "event_date", "date_end"),
)



def _from_record(key: str, default: Any = None) -> Callable[[Any], Any]:
    """A column default read from the row's JSON record, so that every writer fills the query
    columns the same way without naming them (the writer passes ``record`` and the basics)."""
    def fill(context: Any) -> Any:
        record = context.get_current_parameters().get("record") or {}
        if key == "admin1":
            return (record.get("location") or {}).get("admin1")
        if key == "span_days":
            return span_days(record)
        value = record.get(key)
        return default if value is None else bool(value)
    return fill


def span_days(record: dict[str, Any]) -> int:
    """How many days an event record's interval runs past its first day."""
    try:
        return (date.fromisoformat(str(record["date_end"]))
                - date.fromisoformat(str(record["event_date"]))).days
    except (KeyError, ValueError):
        return 0


# Merged events: what `sitrep events` and the API return.
events = sa.Table(
    "events", metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("event_date", sa.Date, nullable=False, index=True),
    sa.Column("date_end", sa.Date, nullable=False),
    sa.Column("event_type", sa.String(64), nullable=False, index=True),
    sa.Column("sub_event_type", sa.String(64), nullable=False),
    sa.Column("actor1", sa.Text),
    sa.Column("actor2", sa.Text),
    sa.Column("country", sa.String(8), index=True),
    sa.Column("lat", sa.Float),
    sa.Column("lon", sa.Float),
    sa.Column("fatalities", sa.Integer),
    sa.Column("confidence", sa.Float, nullable=False),
    sa.Column("search_text", sa.Text, nullable=False),
    sa.Column("record", sa.JSON, nullable=False),
    # Filter columns added by migration 0002; filled from ``record`` when a writer leaves them.
    sa.Column("admin1", sa.Text, default=_from_record("admin1")),
    sa.Column("background", sa.Boolean, default=_from_record("background", False)),
    sa.Column("acled_event", sa.Boolean, default=_from_record("acled_event", True)),
    # date_end - event_date: its indexed maximum bounds event_date below for a `since` filter.
    sa.Column("span_days", sa.Integer, default=_from_record("span_days")),
    # One index per filter (migration 0002); the first serves the default order and keyset pages.
    sa.Index("ix_events_order", sa.desc("event_date"), "id"),
    sa.Index("ix_events_date_end", "date_end"),
    sa.Index("ix_events_sub_event_type", "sub_event_type"),
    # Covering the date, box and background tests, so that rows are read only for the events
    # that match (migration 0003 added background).
    sa.Index("ix_events_country_date_bg", "country", "event_date", "date_end", "lat", "lon",
             "background"),
    sa.Index("ix_events_lat_lon", "lat", "lon", "event_date", "date_end"),
    sa.Index("ix_events_fatalities", "fatalities"),
    sa.Index("ix_events_admin1", sa.func.lower(sa.column("admin1"))),
    sa.Index("ix_events_background_date", "background", "event_date"),
    sa.Index("ix_events_span_days", "span_days"),
)

# Situation facts as each article states them; `situation` reads them back in order.
facts = sa.Table(
    "facts", metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("article_id", sa.String(128), sa.ForeignKey("articles.id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("subject", sa.Text, nullable=False, index=True),
    sa.Column("country", sa.String(8)),
    sa.Column("actor", sa.Text),
    sa.Column("as_of", sa.Date),
    sa.Column("record", sa.JSON, nullable=False),
    sa.Index("ix_facts_kind_country", "kind", "country"),  # migration 0002
)
