"""The endpoints under ``/api``: reads call the store only; the one write runs ``extract``
and stores what it found.

Records leave through their own ``to_dict()``, so the API carries exactly the contract of
../shared/spec/event-record.md.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from .. import __version__
from ..ingest import article_id
from ..pipeline import extract
from ..records import Article, Event
from ..store import Store
from .auth import require_writer

__all__ = ["router", "ArticleIn", "parse_near"]

router = APIRouter(prefix="/api")

# A page of events large enough for a map, small enough to answer quickly.
DEFAULT_LIMIT = 1000
MAX_LIMIT = 10000
# A news article is a few thousand characters; a body far larger is a mistake (a dump).
MAX_TEXT = 2_000_000


def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


class ArticleIn(BaseModel):
    """An article to read and store; ``id`` defaults to a hash of the normalised text."""

    id: str | None = None
    published: date
    text: str = Field(min_length=1, max_length=MAX_TEXT)
    title: str | None = None
    url: str | None = None
    outlet: str | None = None

    def to_article(self) -> Article:
        return Article(id=self.id or article_id(self.text), text=self.text,
                       published=self.published, title=self.title, url=self.url,
                       outlet=self.outlet)


def parse_near(value: str | None) -> tuple[float, float, float] | None:
    """``"lat,lon,km"`` -> a tuple, or a 422 that says what is wrong."""
    if value is None or not value.strip():
        return None
    parts = value.split(",")
    try:
        lat, lon, km = (float(p) for p in parts)
    except ValueError:
        raise HTTPException(422, f"near must be 'lat,lon,km' (three numbers), not {value!r}") \
            from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180 and km > 0):
        raise HTTPException(422, "near needs -90<=lat<=90, -180<=lon<=180 and km > 0")
    return lat, lon, km


class EventFilters:
    """The query parameters shared by ``/api/events`` and ``/api/events.geojson``."""

    def __init__(
        self,
        since: date | None = None,
        until: date | None = None,
        type: Annotated[str | None, Query(description="ACLED event type")] = None,
        actor: str | None = None,
        near: Annotated[str | None, Query(description="lat,lon,km")] = None,
        country: Annotated[str | None, Query(description="ISO alpha-2 of the location")] = None,
        q: Annotated[str | None, Query(description="free text over the evidence")] = None,
        acled_only: Annotated[bool, Query(description="only events ACLED codes (acled_event)")] = False,
        limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> None:
        self.query: dict[str, Any] = {
            "since": since, "until": until, "event_type": type or None, "actor": actor or None,
            "near": parse_near(near), "country": country or None, "text": q or None,
            "acled_only": acled_only, "limit": limit, "offset": offset,
        }


def _feature(event: Event) -> dict[str, Any] | None:
    loc = event.location
    if loc is None or loc.lat is None or loc.lon is None:
        return None
    return {"type": "Feature", "id": event.id,
            "geometry": {"type": "Point", "coordinates": [loc.lon, loc.lat]},
            "properties": event.to_dict()}


@router.get("/events", summary="Events matching the filters")
def list_events(filters: Annotated[EventFilters, Depends()],
                store: Annotated[Store, Depends(get_store)]) -> dict[str, Any]:
    events = store.events(**filters.query)
    return {"events": [e.to_dict() for e in events], "count": len(events),
            "limit": filters.query["limit"], "offset": filters.query["offset"]}


@router.get("/events.geojson", summary="Events as a GeoJSON FeatureCollection")
def events_geojson(filters: Annotated[EventFilters, Depends()],
                   store: Annotated[Store, Depends(get_store)]) -> Response:
    features = [f for f in map(_feature, store.events(**filters.query)) if f is not None]
    return JSONResponse({"type": "FeatureCollection", "features": features},
                        media_type="application/geo+json")


@router.get("/events/{event_id:path}", summary="One event")
def get_event(event_id: str, store: Annotated[Store, Depends(get_store)]) -> dict[str, Any]:
    event = store.event(event_id)
    if event is None:
        raise HTTPException(404, f"no event with id {event_id!r}")
    return event.to_dict()


@router.get("/articles", summary="Stored articles")
def list_articles(store: Annotated[Store, Depends(get_store)],
                  limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100,
                  offset: Annotated[int, Query(ge=0)] = 0) -> dict[str, Any]:
    articles = store.articles(limit=limit, offset=offset)
    return {"articles": [a.to_dict() for a in articles], "count": len(articles),
            "limit": limit, "offset": offset}


@router.get("/articles/{article_id:path}", summary="One article")
def get_article(article_id: str, store: Annotated[Store, Depends(get_store)]) -> dict[str, Any]:
    article = store.article(article_id)
    if article is None:
        raise HTTPException(404, f"no article with id {article_id!r}")
    return article.to_dict()


@router.post("/articles", status_code=201, dependencies=[Depends(require_writer)],
             summary="Read an article, store it and its events (needs the API token)")
def post_article(body: ArticleIn, response: Response,
                 store: Annotated[Store, Depends(get_store)]) -> dict[str, Any]:
    article = body.to_article()
    events = extract(article)
    stored = store.add_article(article, events)
    if not stored:
        response.status_code = 200  # the same text was stored before: nothing new
    return {"article": article.to_dict(), "stored": stored,
            "events": [e.to_dict() for e in events], "count": len(events)}


@router.get("/situation", summary="Control and force-level facts")
def situation(store: Annotated[Store, Depends(get_store)],
              kind: Annotated[str | None, Query(pattern="^(control|force_level)$")] = None,
              country: str | None = None, place: str | None = None,
              actor: str | None = None, as_of: date | None = None) -> dict[str, Any]:
    facts = store.facts(kind=kind, country=country or None, place=place or None,
                        actor=actor or None, as_of=as_of)
    return {"facts": [f.to_dict() for f in facts], "count": len(facts)}


@router.get("/stats", summary="Counts of what is stored")
def stats(store: Annotated[Store, Depends(get_store)]) -> dict[str, Any]:
    return dict(store.stats())


@router.get("/health", summary="Liveness")
def health() -> dict[str, str]:
    return {"status": "ok", "version": __version__}
