"""Reading the store: events, articles and facts, filtered in SQL."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa

from ..geometry import haversine_km
from ..records import Article, Event, Fact
from .schema import articles, events, facts, mentions

__all__ = ["Reader", "EventFilter", "FactFilter"]


@dataclass(frozen=True)
class EventFilter:
    since: date | None = None
    until: date | None = None
    event_type: str | None = None
    actor: str | None = None
    near: tuple[float, float, float] | None = None  # lat, lon, km
    country: str | None = None
    text: str | None = None
    acled_only: bool = False  # leave out events only PLOVER codes (``acled_event`` false)
    limit: int | None = None
    offset: int = 0


@dataclass(frozen=True)
class FactFilter:
    kind: str | None = None
    country: str | None = None
    place: str | None = None
    actor: str | None = None
    as_of: date | None = None


def _event_conditions(f: EventFilter) -> list[sa.ColumnElement[bool]]:
    c = events.c
    conds: list[sa.ColumnElement[bool]] = []
    if f.since:
        conds.append(c.date_end >= f.since)
    if f.until:
        conds.append(c.event_date <= f.until)
    if f.event_type:
        conds.append(sa.or_(sa.func.lower(c.event_type) == f.event_type.lower(),
                            sa.func.lower(c.sub_event_type) == f.event_type.lower()))
    if f.actor:
        pattern = f"%{f.actor.lower()}%"
        conds.append(sa.or_(sa.func.lower(c.actor1).like(pattern),
                            sa.func.lower(c.actor2).like(pattern)))
    if f.country:
        conds.append(sa.func.upper(c.country) == f.country.upper())
    if f.text:
        conds.append(c.search_text.like(f"%{f.text.lower()}%"))
    if f.near:
        conds.extend(_bbox(*f.near))
    if f.acled_only:  # records stored before the field existed are ACLED's
        conds.append(sa.func.coalesce(c.record["acled_event"].as_boolean(), sa.true()))
    return conds


def _bbox(lat: float, lon: float, km: float) -> list[sa.ColumnElement[bool]]:
    """A box around the circle, for the index; the exact distance is checked afterwards."""
    dlat = km / 111.0
    dlon = km / max(1e-6, 111.0 * math.cos(math.radians(lat)))
    return [events.c.lat.between(lat - dlat, lat + dlat), events.c.lon.between(lon - dlon, lon + dlon)]


class Reader:
    engine: sa.Engine

    def events(self, **filters: Any) -> list[Event]:
        f = EventFilter(**filters)
        query = (sa.select(events.c.record).where(*_event_conditions(f))
                 .order_by(events.c.event_date.desc(), events.c.id))
        if f.limit is not None and not f.near:
            query = query.limit(f.limit).offset(f.offset)
        with self.engine.connect() as conn:
            found = [Event.from_dict(r.record) for r in conn.execute(query)]
        if f.near:
            found = _within(found, *f.near)[f.offset:]
            found = found[: f.limit] if f.limit is not None else found
        return found

    def count_events(self, **filters: Any) -> int:
        f = EventFilter(**filters)
        if f.near:
            return len(self.events(**{**filters, "limit": None, "offset": 0}))
        query = sa.select(sa.func.count()).select_from(events).where(*_event_conditions(f))
        with self.engine.connect() as conn:
            return int(conn.execute(query).scalar_one())

    def event(self, event_id: str) -> Event | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(events.c.record).where(events.c.id == event_id)).first()
        return Event.from_dict(row.record) if row else None

    def articles(self, *, limit: int | None = None, offset: int = 0) -> list[Article]:
        query = (sa.select(articles).order_by(articles.c.published.desc(), articles.c.id)
                 .limit(limit).offset(offset))
        with self.engine.connect() as conn:
            return [_article(row) for row in conn.execute(query)]

    def article(self, article_id: str) -> Article | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(articles).where(articles.c.id == article_id)).first()
        return _article(row) if row else None

    def facts(self, **filters: Any) -> list[Fact]:
        f = FactFilter(**filters)
        c = facts.c
        conds: list[sa.ColumnElement[bool]] = []
        if f.kind:
            conds.append(c.kind == f.kind)
        if f.country:
            conds.append(sa.func.upper(c.country) == f.country.upper())
        if f.actor:
            conds.append(sa.func.lower(c.actor).like(f"%{f.actor.lower()}%"))
        if f.as_of:
            conds.append(sa.or_(c.as_of.is_(None), c.as_of <= f.as_of))
        query = sa.select(c.record, c.article_id).where(*conds).order_by(c.subject, c.as_of, c.id)
        with self.engine.connect() as conn:
            found = [_fact(r.record) for r in conn.execute(query)]
        if f.place:
            needle = f.place.lower()
            found = [x for x in found if needle in str((x.body.get("place") or {}).get("name", "")).lower()]
        return found

    def stats(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            def count(table: sa.Table) -> int:
                return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())
            return {"articles": count(articles), "mentions": count(mentions),
                    "events": count(events), "facts": count(facts)}


def _within(found: list[Event], lat: float, lon: float, km: float) -> list[Event]:

    return [e for e in found if e.location.lat is not None and e.location.lon is not None
            and haversine_km(lat, lon, e.location.lat, e.location.lon) <= km]


def _article(row: sa.Row[Any]) -> Article:
    return Article(id=row.id, text=row.text, published=row.published, title=row.title,
                   url=row.url, outlet=row.outlet, source=row.source)


def _fact(record: dict[str, Any]) -> Fact:
    from ..records import Attribution, Evidence

    body = {k: v for k, v in record.items()
            if k not in ("kind", "evidence", "attribution", "article_ids")}
    return Fact(kind=record["kind"], body=body,
                evidence=[Evidence(**e) for e in record.get("evidence", [])],
                attribution=[Attribution(**a) for a in record.get("attribution", [])],
                article_ids=list(record.get("article_ids", [])))
