"""The endpoints under ``/api``: reads call the store only; the one write runs the same reading
as ``sitrep ingest`` and stores the article, its events and its situation facts.

Records leave through their own ``to_dict()``, so the API carries exactly the contract of
../shared/spec/event-record.md. Every parameter is bounded; a value that names nothing (an
unknown country, type or cursor) is a 422, never an empty answer.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from pydantic import BaseModel, Field, field_validator

from .. import __version__
from ..ingest import article_id
from ..library import articles_of
from ..output import to_csv
from ..records import Article, Event
from ..store import Store
from ..store.queries import (MAX_FATALITIES, MAX_OFFSET, EventPage, country_code, decode_cursor,
                             encode_cursor, parse_bbox, parse_near)
from .auth import require_writer

__all__ = ["router", "ArticleIn", "DEFAULT_LIMIT", "MAX_LIMIT", "MAX_CSV_LIMIT", "MAX_TEXT"]

router = APIRouter(prefix="/api")

# A page small enough to answer in milliseconds; the page and scripts follow `next`.
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
DEFAULT_CSV_LIMIT = 10_000
MAX_CSV_LIMIT = 50_000
# A news article is a few thousand characters; spaCy refuses texts over 1,000,000.
MAX_TEXT = 500_000
MAX_FIELD = 10_000
# Outside these years a date is a typo, and date arithmetic near year 1 overflows.
EARLIEST = date(1900, 1, 1)
LATEST = date(2100, 12, 31)
_TEXT_PARAM = 200  # the longest free-text filter value


# The dependencies below do no I/O, so they are async: FastAPI runs a sync dependency on a
# worker thread, and three thread hops a request cost more than the page's query.
async def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


class ArticleIn(BaseModel):
    """An article to read and store; ``id`` defaults to a hash of the normalised text."""

    id: str | None = Field(None, min_length=1, max_length=128)
    published: date = Field(description=f"between {EARLIEST} and {LATEST}")
    text: str = Field(min_length=1, max_length=MAX_TEXT)
    title: str | None = Field(None, max_length=MAX_FIELD)
    url: str | None = Field(None, max_length=MAX_FIELD)
    outlet: str | None = Field(None, max_length=MAX_FIELD)

    @field_validator("published")
    @classmethod
    def _plausible(cls, value: date) -> date:
        if not EARLIEST <= value <= LATEST:
            raise ValueError(f"must be between {EARLIEST} and {LATEST}")
        return value

    @field_validator("id", "text", "title", "url", "outlet")
    @classmethod
    def _storable(cls, value: str | None) -> str | None:
        # Neither SQLite nor PostgreSQL stores a lone surrogate; PostgreSQL stores no NUL.
        if value is not None:
            if "\x00" in value:
                raise ValueError("holds a NUL character")
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise ValueError("holds a lone surrogate (not valid Unicode text)") from None
        return value

    def to_article(self) -> Article:
        return Article(id=self.id or article_id(self.text), text=self.text,
                       published=self.published, title=self.title, url=self.url,
                       outlet=self.outlet)


TextParam = Annotated[str | None, Query(max_length=_TEXT_PARAM)]


class EventFilters:
    """The query parameters shared by every events endpoint, checked."""

    def __init__(self, query: dict[str, Any], background: str | None) -> None:
        self.query = query
        self.background = background


async def event_filters(
    since: Annotated[date | None, Query(description="events ending on or after")] = None,
    until: Annotated[date | None, Query(description="events starting on or before")] = None,
    type: Annotated[str | None, Query(max_length=_TEXT_PARAM,
                                      description="ACLED event type or sub-event type")] = None,
    actor: Annotated[str | None, Query(max_length=_TEXT_PARAM,
                                       description="part of an actor's name")] = None,
    near: Annotated[str | None, Query(max_length=100,
                                      description="lat,lon,km (km up to 20038)")] = None,
    bbox: Annotated[str | None, Query(max_length=200,
                                      description="minlon,minlat,maxlon,maxlat")] = None,
    country: Annotated[str | None, Query(max_length=_TEXT_PARAM,
                                         description="ISO alpha-2, alpha-3 or name")] = None,
    admin1: Annotated[str | None, Query(max_length=_TEXT_PARAM,
                                        description="first-level division, any case")] = None,
    min_fatalities: Annotated[int | None, Query(ge=0, le=MAX_FATALITIES)] = None,
    q: Annotated[str | None, Query(max_length=_TEXT_PARAM,
                                   description="words in the place, actors or evidence")] = None,
    acled_only: Annotated[bool, Query(description="only events ACLED codes")] = False,
    background: Annotated[Literal["include", "exclude", "only"] | None, Query(
        description="background events (told as context): include, exclude or only")] = None,
) -> EventFilters:
    return EventFilters({
        "since": since, "until": until, "event_type": type or None, "actor": actor or None,
        "near": parse_near(near) if near and near.strip() else None,
        "bbox": parse_bbox(bbox) if bbox and bbox.strip() else None,
        "country": country.strip() or None if country else None,
        "admin1": admin1.strip() or None if admin1 else None,
        "min_fatalities": min_fatalities, "text": q or None, "acled_only": acled_only,
    }, background)


class Paging:
    def __init__(self, limit: int | None, offset: int, after: tuple[date, str] | None) -> None:
        self.limit = limit
        self.offset = offset
        self.after = after

    def query(self, default: int, most: int) -> dict[str, Any]:
        limit = default if self.limit is None else self.limit
        if limit > most:
            raise HTTPException(422, f"limit: at most {most} on this endpoint")
        return {"limit": limit, "offset": self.offset, "after": self.after}


async def page_params(
    limit: Annotated[int | None, Query(ge=1, le=MAX_CSV_LIMIT, description=(
        f"events per page: default {DEFAULT_LIMIT}, at most {MAX_LIMIT} "
        f"({DEFAULT_CSV_LIMIT} and {MAX_CSV_LIMIT} for CSV)"))] = None,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    after: Annotated[str | None, Query(max_length=400, description=(
        "the cursor from a previous page's `next` link (keyset paging, any depth)"))] = None,
) -> Paging:
    return Paging(limit, offset, decode_cursor(after) if after else None)


def _next_link(request: Request, page: EventPage) -> str | None:
    if page.next_after is None:
        return None
    url = request.url.remove_query_params("offset").include_query_params(
        after=encode_cursor(page.next_after))
    return f"{url.path}?{url.query}"


def _page(request: Request, store: Store, filters: EventFilters, paging: Paging, *,
          background: str, default: int, most: int, raw: bool = False
          ) -> tuple[EventPage, str | None]:
    page = store.event_page(**filters.query, background=filters.background or background,
                            raw=raw, **paging.query(default, most))
    return page, _next_link(request, page)


def _json(body: dict[str, Any], *, media_type: str = "application/json",
          link: str | None = None) -> Response:
    # Serialised here: FastAPI's encoder walks every value again, a third of the time per page.
    headers = {"Link": f'<{link}>; rel="next"'} if link else None
    return Response(json.dumps(body, ensure_ascii=False, separators=(",", ":")),
                    media_type=media_type, headers=headers)


_CONTRACT_FIELDS = frozenset(f.name for f in dataclasses.fields(Event)
                             if f.metadata.get("serialise", True))


_QUOTED_FIELDS = tuple(f'"{name}"' for name in sorted(_CONTRACT_FIELDS))


def _contract_text(text: str) -> str:
    """Stored JSON text in the current contract: as it is when every field's quoted name is in
    it (a quote inside a JSON string is escaped, so a quoted name is a key), else rebuilt."""
    if all(name in text for name in _QUOTED_FIELDS):
        return text
    return json.dumps(_contract(json.loads(text)), ensure_ascii=False)


def _contract(record: dict[str, Any]) -> dict[str, Any]:
    """A stored record in the current contract. Records are stored as ``to_dict()`` wrote them,
    so one with every field passes as is (rebuilding a page of them costs more than the query);
    one stored by an older version, lacking fields added since, is rebuilt."""
    if _CONTRACT_FIELDS <= record.keys():
        return record
    return Event.from_dict(record).to_dict()


@router.get("/events", summary="Events matching the filters, newest first, a page at a time")
def list_events(request: Request, filters: Annotated[EventFilters, Depends(event_filters)],
                paging: Annotated[Paging, Depends(page_params)],
                store: Annotated[Store, Depends(get_store)]) -> Response:
    page, link = _page(request, store, filters, paging, background="include",
                       default=DEFAULT_LIMIT, most=MAX_LIMIT, raw=True)
    # The stored JSON goes out as it is: parsing and re-writing a page cost more than its query.
    events = ",".join(map(_contract_text, page.records))
    tail = json.dumps({"count": len(page.records), "total": page.total,
                       "total_exact": page.total_exact,
                       "limit": paging.query(DEFAULT_LIMIT, MAX_LIMIT)["limit"],
                       "offset": paging.offset, "next": link}, ensure_ascii=False)
    headers = {"Link": f'<{link}>; rel="next"'} if link else None
    return Response(f'{{"events":[{events}],{tail[1:]}', media_type="application/json",
                    headers=headers)


@router.get("/events.geojson", summary="Events as a GeoJSON FeatureCollection, a page at a time")
def events_geojson(request: Request, filters: Annotated[EventFilters, Depends(event_filters)],
                   paging: Annotated[Paging, Depends(page_params)],
                   store: Annotated[Store, Depends(get_store)]) -> Response:
    page, link = _page(request, store, filters, paging, background="include",
                       default=DEFAULT_LIMIT, most=MAX_LIMIT)
    features = [f for f in map(_feature, page.records) if f is not None]
    return _json({"type": "FeatureCollection", "features": features, "total": page.total,
                  "total_exact": page.total_exact, "next": link},
                 media_type="application/geo+json", link=link)


@router.get("/events.csv", summary="Events as ACLED-style CSV (background events left out)",
            response_class=Response, responses={200: {"content": {"text/csv": {}}}})
def events_csv(request: Request, filters: Annotated[EventFilters, Depends(event_filters)],
               paging: Annotated[Paging, Depends(page_params)],
               store: Annotated[Store, Depends(get_store)]) -> Response:
    # An export is read as ACLED's: an event told only as background is no new event.
    page, link = _page(request, store, filters, paging, background="exclude",
                       default=DEFAULT_CSV_LIMIT, most=MAX_CSV_LIMIT)
    headers = {"Content-Disposition": 'attachment; filename="sitrep-events.csv"',
               "X-Total-Count": str(page.total) + ("" if page.total_exact else "+")}
    if link:
        headers["Link"] = f'<{link}>; rel="next"'
    events = [Event.from_dict(r) for r in page.records]
    # the outlets the articles came from belong in ACLED's source column; the query has already
    # chosen whether background events are in (``background=``), so the writer keeps what it gets
    return Response(to_csv(events, articles=articles_of(store, events), background=True),
                    media_type="text/csv; charset=utf-8", headers=headers)


@router.get("/trend", summary="Events per week (from Monday) by event type, over all that match")
def trend(filters: Annotated[EventFilters, Depends(event_filters)],
          store: Annotated[Store, Depends(get_store)]) -> Response:
    # A trend of what happened: background events are left out unless asked for.
    weeks = store.event_weeks(**filters.query, background=filters.background or "exclude")
    return _json({"weeks": weeks, "first": weeks[0]["week"] if weeks else None,
                  "last": weeks[-1]["week"] if weeks else None})


def _feature(record: dict[str, Any]) -> dict[str, Any] | None:
    loc = record.get("location") or {}
    if loc.get("lat") is None or loc.get("lon") is None:
        return None
    return {"type": "Feature", "id": record["id"],
            "geometry": {"type": "Point", "coordinates": [loc["lon"], loc["lat"]]},
            "properties": _contract(record)}


@router.get("/events/{event_id:path}", summary="One event")
def get_event(event_id: str,
              store: Annotated[Store, Depends(get_store)]) -> dict[str, Any]:
    event = store.event(event_id) if len(event_id) <= 400 else None
    if event is None:
        raise HTTPException(404, f"no event with id {event_id[:100]!r}")
    return event.to_dict()


@router.get("/articles", summary="Stored articles, newest first")
def list_articles(request: Request, store: Annotated[Store, Depends(get_store)],
                  limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100,
                  offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0) -> dict[str, Any]:
    articles = store.articles(limit=limit, offset=offset)
    total = store.count_articles()
    following = None
    if offset + len(articles) < total and offset + limit <= MAX_OFFSET:
        url = request.url.include_query_params(offset=offset + limit)
        following = f"{url.path}?{url.query}"
    return {"articles": [a.to_dict() for a in articles], "count": len(articles),
            "total": total, "limit": limit, "offset": offset, "next": following}


@router.get("/articles/{article_id:path}", summary="One article")
def get_article(article_id: str, store: Annotated[Store, Depends(get_store)]) -> dict[str, Any]:
    article = store.article(article_id) if len(article_id) <= 400 else None
    if article is None:
        raise HTTPException(404, f"no article with id {article_id[:100]!r}")
    return article.to_dict()


@router.post("/articles", status_code=201, dependencies=[Depends(require_writer)],
             summary="Read an article, store it, its events and situation facts (needs the token)")
def post_article(body: ArticleIn, response: Response,
                 store: Annotated[Store, Depends(get_store)]) -> dict[str, Any]:
    from ..pipeline import read_article

    article = body.to_article()
    reading = read_article(article)  # what `sitrep ingest` runs: events and situation facts
    stored = store.add_article(article, reading.events, reading.facts)
    if not stored:
        response.status_code = 200  # the same text was stored before: nothing new
    return {"article": article.to_dict(), "stored": stored,
            "events": [e.to_dict() for e in reading.events], "count": len(reading.events),
            "facts": [f.to_dict() for f in reading.facts]}


@router.get("/situation", summary="Control and force-level facts")
def situation(store: Annotated[Store, Depends(get_store)],
              kind: Annotated[str | None, Query(pattern="^(control|force_level)$")] = None,
              country: TextParam = None, place: TextParam = None,
              actor: TextParam = None, as_of: date | None = None) -> dict[str, Any]:
    # An unknown country is a 422 here, as on the events (the library takes any code).
    country = country_code(country) if country and country.strip() else None
    facts = store.facts(kind=kind, country=country, place=place or None,
                        actor=actor or None, as_of=as_of)
    return {"facts": [f.to_dict() for f in facts], "count": len(facts)}


@router.get("/stats", summary="Counts of what is stored")
def stats(store: Annotated[Store, Depends(get_store)]) -> dict[str, Any]:
    return dict(store.stats())


@router.get("/health", summary="Liveness")
def health() -> dict[str, str]:
    return {"status": "ok", "version": __version__}
