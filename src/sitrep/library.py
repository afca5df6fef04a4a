"""sitrep's Python API: what ``import sitrep`` offers, in one place.

    events = sitrep.extract(text, published="2024-05-02", outlet="Radio Okapi")
    with sitrep.Store("sitrep.db") as store:
        recent = store.events(since="2024-05-01", country="CD")

The records returned are those of ``sitrep.records`` (``Event.to_dict()`` is the JSON contract
the command line prints); failures raise ``sitrep.errors`` exceptions with a one-line message.
The heavy parts (the language model, the database drivers) load on first use, so importing
sitrep stays quick.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Literal

from .errors import InputError, StoreError
from .records import Article, Event, Fact

if TYPE_CHECKING:
    from .pipeline import Reading
    from .store import Store as _Backend
    from .store.queries import Reader

__all__ = ["extract", "read_text", "make_article", "Store", "articles_of", "require_database"]

TEXT_SOURCE = "<text>"  # how an InputError names a text given as a string
SQLITE_HEADER = b"SQLite format 3\x00"  # the first bytes of every SQLite database file


def _day(value: date | str | None, what: str) -> date | None:
    if isinstance(value, datetime):  # a datetime is a date too, but the records hold days
        return value.date()
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise InputError(what, f"{value!r} is not a date (expected YYYY-MM-DD)") from exc


def make_article(text: str, *, published: date | str | None = None, title: str | None = None,
                 url: str | None = None, outlet: str | None = None,
                 id: str | None = None) -> Article:
    """An Article from a text: ``id`` defaults to the hash ``sitrep ingest`` gives the same text,
    so a text stored through the library and through the command line is stored once."""
    from .ingest.text import article_id, decode_entities

    if not isinstance(text, str):
        raise InputError(TEXT_SOURCE, f"the text must be a str, not {type(text).__name__}")
    text = decode_entities(text).strip()
    if not text:
        raise InputError(TEXT_SOURCE, "no article text")
    return Article(id=id or article_id(text), text=text, published=_day(published, "published"),
                   title=title, url=url, outlet=outlet, source=url or TEXT_SOURCE)


def read_text(text: str, *, published: date | str | None = None, title: str | None = None,
         url: str | None = None, outlet: str | None = None, id: str | None = None) -> Reading:
    """Everything sitrep reads in one article: its events, situation facts and annotation.

    ``published`` anchors relative dates ("on Tuesday"); without it they are read against today.
    """
    from .pipeline import read_article

    return read_article(make_article(text, published=published, title=title, url=url,
                                     outlet=outlet, id=id))


def extract(text: str, *, published: date | str | None = None, title: str | None = None,
            url: str | None = None, outlet: str | None = None,
            id: str | None = None) -> list[Event]:
    """The event records in one article, as ``sitrep extract`` prints them."""
    return read_text(text, published=published, title=title, url=url, outlet=outlet, id=id).events


def require_database(url: str | None, *, exists: bool = True) -> None:
    """Check a SQLite URL before opening it: with ``exists``, a file that does not exist is an
    error rather than a new, empty database (reading commands and ``Store(url)`` must not
    create one); a file that is there must be a SQLite database, not some other file."""
    import sqlalchemy as sa

    from .store import normalise_url

    try:
        parsed = sa.engine.make_url(normalise_url(url))
    except sa.exc.ArgumentError as exc:
        raise StoreError(f"cannot open database {url!r}: not a database URL") from exc
    if not parsed.drivername.startswith("sqlite") or parsed.database in (None, "", ":memory:"):
        return
    path = Path(parsed.database)
    if not path.exists():
        if exists:
            raise StoreError(f"no database at {path}: check the path (`sitrep ingest` creates one)")
        return
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise StoreError(f"cannot open database {path}: {exc.strerror or exc}") from exc
    if header and header != SQLITE_HEADER:  # an empty file is an empty database to SQLite
        raise StoreError(f"{path} is not a SQLite database")


def articles_of(reader: Reader, events: Iterable[Event]) -> dict[str, Article]:
    """The stored articles behind the events, by id: what ``output.to_csv(articles=...)`` needs
    to name each event's outlets. ``reader`` is a ``sitrep.store.Store``."""
    return _stored_articles(reader, (i for e in events for i in e.article_ids))


def _stored_articles(reader: Reader, ids: Iterable[str]) -> dict[str, Article]:
    found: dict[str, Article] = {}
    for article_id in dict.fromkeys(ids):
        article = reader.article(article_id)
        if article is not None:
            found[article_id] = article
    return found


class Store:
    """A sitrep database: SQLite (a path or ``sqlite:///FILE``) or ``postgresql://...``.

    An existing database is required unless ``create=True``. Use it as a context manager, or
    call ``close()``.
    """

    def __init__(self, url: str | None = None, *, create: bool = False) -> None:
        from .store import open_store

        require_database(url, exists=not create)
        self._backend: _Backend = open_store(url)

    @property
    def url(self) -> str:
        """The database URL, password hidden."""
        return self._backend.safe_url

    def events(self, *, since: date | str | None = None, until: date | str | None = None,
               type: str | None = None, actor: str | None = None, country: str | None = None,
               near: tuple[float, float, float] | None = None, text: str | None = None,
               acled_only: bool = False, limit: int | None = None,
               offset: int = 0) -> list[Event]:
        """Stored events, merged across articles, newest first.

        ``type`` is an event or sub-event type, ``actor`` part of an actor's name, ``country``
        an ISO alpha-2 code, ``near`` (lat, lon, km), ``text`` words of the evidence.
        """
        return self._backend.events(
            since=_day(since, "since"), until=_day(until, "until"), event_type=type, actor=actor,
            country=country, near=near, text=text, acled_only=acled_only, limit=limit,
            offset=offset)

    def event(self, event_id: str) -> Event | None:
        return self._backend.event(event_id)

    def situation(self, *, kind: Literal["control", "force_level"] | None = None,
                  country: str | None = None, place: str | None = None, actor: str | None = None,
                  as_of: date | str | None = None) -> list[Fact]:
        """The situation picture, as ``sitrep situation`` prints it: with ``as_of``, what held
        that day (conflicting claims side by side); without it, the whole history."""
        from .situation import picture

        day = _day(as_of, "as_of")
        facts = self._backend.facts(kind=kind, country=country, place=place, actor=actor,
                                    as_of=day)
        return picture(facts, as_of=day)

    def ingest(self, text: str, *, published: date | str | None = None, title: str | None = None,
               url: str | None = None, outlet: str | None = None, id: str | None = None) -> bool:
        """Read one article and store it with its events and facts, merging the events with
        those stored; False when the same text was stored before."""
        from .pipeline import read_article

        article = make_article(text, published=published, title=title, url=url, outlet=outlet,
                               id=id)
        if self._backend.has_article(article):
            return False
        reading = read_article(article)
        return bool(self._backend.add_article(article, reading.events, reading.facts))

    def articles(self, ids: Iterable[str]) -> dict[str, Article]:
        """The stored articles with these ids, by id (an id not stored is left out)."""
        return _stored_articles(self._backend, ids)

    def to_csv(self, events: Iterable[Event], *, background: bool = False) -> str:
        """ACLED-compatible CSV of the events, with the outlets of their stored articles."""
        from .output import to_csv

        chosen = list(events)
        return to_csv(chosen, articles=articles_of(self._backend, chosen), background=background)

    def close(self) -> None:
        self._backend.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()
