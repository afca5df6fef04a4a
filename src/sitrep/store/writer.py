"""Writing an article with its events and facts, merging events across articles as it goes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timezone
from typing import Any, Literal

import sqlalchemy as sa

from .. import merge
from ..errors import StoreError
from ..ingest.text import article_id as text_hash
from ..records import Article, Event, Fact
from .queries import Reader
from .schema import article_bands, articles, events, facts, mentions

__all__ = ["Writer", "State"]

State = Literal["new", "stored", "conflict"]


class Writer(Reader):
    engine: sa.Engine

    def has_article(self, article: Article) -> bool:
        """Is this article stored already, under its id or as the same text under another?"""
        return self.article_state(article) != "new"

    def article_state(self, article: Article) -> State:
        """'stored' (its id with the same text, or its text under any id), 'conflict' (its id
        holds a different text) or 'new'."""
        with self.engine.connect() as conn:
            return self._state(conn, article)

    def add_article(self, article: Article, events_: Iterable[Event],
                    facts_: Iterable[Fact] = ()) -> bool:
        """Store the article, its events and facts in one transaction; False if already stored,
        or if its id holds another text (which is kept: see ``article_state``)."""
        try:
            with self.engine.begin() as conn:
                if self._state(conn, article) != "new":
                    return False
                self._insert_article(conn, article)
                for event in events_:
                    self._insert_mention(conn, article, event)
                # Read the clusters back: a later mention may have relabelled an earlier one's.
                clusters = conn.execute(sa.select(mentions.c.cluster_id).distinct()
                                        .where(mentions.c.article_id == article.id)).scalars()
                for cluster in sorted(clusters):
                    self._rebuild_cluster(conn, cluster)
                for fact in facts_:
                    self._insert_fact(conn, article, fact)
        except sa.exc.IntegrityError as exc:
            # Another process stored this article between the check and the insert.
            if self.has_article(article):
                return False
            raise StoreError(f"cannot store article {article.id!r}: {_reason(exc)}") from exc
        except (sa.exc.DataError, sa.exc.OperationalError) as exc:
            raise StoreError(f"cannot store article {article.id!r}: {_reason(exc)}") from exc
        return True

    def _state(self, conn: sa.Connection, article: Article) -> State:
        digest = text_hash(article.text)
        query = sa.select(articles.c.id, articles.c.text_hash).where(
            sa.or_(articles.c.id == article.id, articles.c.text_hash == digest))
        rows = list(conn.execute(query.limit(2)))
        if any(row.id == article.id and row.text_hash != digest for row in rows):
            return "conflict"
        return "stored" if rows else "new"

    def _insert_article(self, conn: sa.Connection, article: Article) -> None:
        bands = merge.minhash_bands(article.text)
        group = self._dup_group(conn, article, bands)
        conn.execute(articles.insert().values(
            id=article.id, text_hash=text_hash(article.text), published=article.published,
            title=article.title, url=article.url, outlet=article.outlet, source=article.source,
            text=article.text, dup_group=group, ingested_at=datetime.now(timezone.utc)))
        conn.execute(article_bands.insert(), [
            {"article_id": article.id, "band": i, "hash": h} for i, h in enumerate(bands)])

    def _dup_group(self, conn: sa.Connection, article: Article, bands: list[str]) -> str:
        """The near-duplicate group: the smallest id among this article and its copies."""
        pairs = sa.tuple_(article_bands.c.band, article_bands.c.hash).in_(list(enumerate(bands)))
        query = (sa.select(articles.c.id, articles.c.text, articles.c.dup_group)
                 .join(article_bands, article_bands.c.article_id == articles.c.id)
                 .where(pairs).distinct())
        copies = [row for row in conn.execute(query) if merge.same_text(article.text, row.text)]
        groups = {row.dup_group for row in copies}
        group = min(groups | {article.id})
        if groups - {group}:
            conn.execute(articles.update().where(articles.c.dup_group.in_(groups - {group}))
                         .values(dup_group=group))
        return group

    def _insert_mention(self, conn: sa.Connection, article: Article, event: Event) -> str:
        record = event.to_dict()
        loc = record["location"]
        row = {
            "id": event.id, "article_id": article.id, "cluster_id": event.id,
            "family": merge.family(event.sub_event_type), "event_date": event.event_date,
            "date_end": event.date_end, "lat": loc["lat"], "lon": loc["lon"],
            "country": loc["country"], "admin1": loc["admin1"], "geo_precision": loc["geo_precision"],
            "actor1": event.actor1.name if event.actor1 else None,
            "actor2": event.actor2.name if event.actor2 else None,
            "background": event.background, "published": article.published, "record": record,
        }
        if conn.execute(sa.select(mentions.c.id).where(mentions.c.id == event.id)).first():
            return conn.execute(sa.select(mentions.c.cluster_id)
                                .where(mentions.c.id == event.id)).scalar_one()
        matches = [m.cluster_id for m in self._candidates(conn, row)
                   if merge.compatible(record, m.record)]
        cluster = min([event.id, *matches])
        row["cluster_id"] = cluster
        conn.execute(mentions.insert().values(**row))
        self._relabel(conn, set(matches) - {cluster}, cluster)
        return cluster

    def _candidates(self, conn: sa.Connection, row: dict[str, Any]) -> list[sa.Row[Any]]:
        slack = merge.rules().slack
        query = sa.select(mentions.c.cluster_id, mentions.c.record).where(
            mentions.c.family == row["family"],
            mentions.c.article_id != row["article_id"],
            mentions.c.event_date <= row["date_end"] + slack,
            mentions.c.date_end >= row["event_date"] - slack,
            sa.or_(mentions.c.country.is_(None), row["country"] is None,
                   mentions.c.country == row["country"]),
        )
        return list(conn.execute(query))

    def _relabel(self, conn: sa.Connection, old: set[str], new: str) -> None:
        if not old:
            return
        conn.execute(mentions.update().where(mentions.c.cluster_id.in_(old)).values(cluster_id=new))
        conn.execute(events.delete().where(events.c.id.in_(old)))

    def _rebuild_cluster(self, conn: sa.Connection, cluster: str) -> None:
        query = (sa.select(mentions.c.record, mentions.c.published, articles.c.dup_group)
                 .join(articles, articles.c.id == mentions.c.article_id)
                 .where(mentions.c.cluster_id == cluster))
        rows = list(conn.execute(query))
        reports: list[tuple[dict[str, Any], date | None]] = [(r.record, r.published) for r in rows]
        event = merge.combine(reports, cluster_id=cluster,
                              source_count=len({r.dup_group for r in rows}))
        conn.execute(events.delete().where(events.c.id == cluster))
        conn.execute(events.insert().values(**_event_row(event)))

    def _insert_fact(self, conn: sa.Connection, article: Article, fact: Fact) -> None:
        record = fact.to_dict()
        body = fact.body
        subject = _fact_subject(fact)
        conn.execute(facts.insert().values(
            id=_fact_id(article.id, record), article_id=article.id, kind=fact.kind,
            subject=subject, country=body.get("country") or (body.get("place") or {}).get("country"),
            actor=((body.get("controller") or body.get("actor")) or {}).get("name"),
            as_of=body.get("since") or body.get("as_of"), record=record))


def _event_row(event: Event) -> dict[str, Any]:
    record = event.to_dict()
    names = [a.name for a in (event.actor1, event.actor2) if a]
    words = [event.location.name, *names, *(e.sentence for e in event.evidence)]
    return {
        "id": event.id, "event_date": event.event_date, "date_end": event.date_end,
        "event_type": event.event_type, "sub_event_type": event.sub_event_type,
        "actor1": event.actor1.name if event.actor1 else None,
        "actor2": event.actor2.name if event.actor2 else None,
        "country": event.location.country, "lat": event.location.lat, "lon": event.location.lon,
        "fatalities": event.fatalities, "confidence": event.confidence,
        "search_text": " ".join(w for w in words if w).lower(), "record": record,
    }


def _fact_subject(fact: Fact) -> str:
    body = fact.body
    if fact.kind == "control":
        place = body.get("place") or {}
        return str(place.get("geonameid") or place.get("name") or "?")
    actor = (body.get("actor") or {}).get("name", "?")
    return f"{actor}|{body.get('country') or '?'}"


def _fact_id(article_id: str, record: dict[str, Any]) -> str:
    import hashlib
    import json

    payload = json.dumps([article_id, record], sort_keys=True, default=str).encode()
    return hashlib.sha256(payload).hexdigest()[:24]


def _reason(exc: sa.exc.DBAPIError) -> str:
    """The driver's message, first line only (PostgreSQL adds DETAIL lines)."""
    text = str(exc.orig).strip()
    return text.splitlines()[0] if text else type(exc.orig).__name__
