"""The typed records that pass between sitrep's stages.

Each record serialises with ``to_dict()`` to exactly the shape that ../shared/spec/event-record.md
describes (dates as ``YYYY-MM-DD`` strings), and ``from_dict()`` reads that shape back.
Fields may be added here; a field named in the spec is never renamed.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal, TypeVar

__all__ = [
    "Article",
    "Sentence",
    "DateMention",
    "PlaceMention",
    "ActorMention",
    "Quantity",
    "Annotation",
    "Actor",
    "Location",
    "Attribution",
    "Evidence",
    "Event",
    "Fact",
    "Precision",
    "Factuality",
]

Precision = Literal["day", "week", "month", "year"]
Factuality = Literal["asserted", "reported", "ongoing", "planned", "negated", "hypothetical"]
ActorType = Literal[
    "State forces",
    "Rebel group",
    "Political militia",
    "Identity militia",
    "Rioters",
    "Protesters",
    "Civilians",
    "External/Other forces",
    "Unidentified",
]
PlaceFeature = Literal["country", "admin1", "admin2", "city", "site", "region", "other"]

T = TypeVar("T")


def _plain(value: Any) -> Any:
    """Turn dates into ISO strings and records into dicts, recursively."""
    if isinstance(value, date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return value.to_dict() if hasattr(value, "to_dict") else _fields(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _fields(record: Any) -> dict[str, Any]:
    return {
        f.name: _plain(getattr(record, f.name))
        for f in dataclasses.fields(record)
        if f.metadata.get("serialise", True)
    }


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


class _Record:
    def to_dict(self) -> dict[str, Any]:
        return _fields(self)


@dataclass
class Article(_Record):
    """One news article. ``id`` is the input's own id, else a hash of the normalised text."""

    id: str
    text: str
    published: date | None = None
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    source: str | None = field(default=None, metadata={"serialise": False})

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        return cls(
            id=str(data["id"]),
            text=data["text"],
            published=_as_date(data.get("published")),
            title=data.get("title"),
            url=data.get("url"),
            outlet=data.get("outlet"),
        )


@dataclass
class Sentence(_Record):
    start: int
    end: int
    text: str


@dataclass
class DateMention(_Record):
    """A date expression; ``value`` as TIMEX3 writes it (2026-02-12, 2026-W07, 2026-01, 2014)."""

    text: str
    start: int
    end: int
    value: str
    precision: Precision
    first_day: date
    last_day: date


@dataclass
class PlaceMention(_Record):
    text: str
    start: int
    end: int
    name: str
    geonameid: int | None
    lat: float | None
    lon: float | None
    country: str | None
    admin1: str | None
    admin2: str | None
    feature: PlaceFeature = "other"
    score: float = field(default=1.0, metadata={"serialise": False})


@dataclass
class ActorMention(_Record):
    text: str
    start: int
    end: int
    name: str
    country: str | None
    type: ActorType


@dataclass
class Quantity(_Record):
    """A number and what it counts; ``value`` is None for vague counts given only as a range."""

    text: str
    start: int
    end: int
    value: float | None
    low: float | None
    high: float | None
    unit: str | None
    approximate: bool
    of: str | None = None


@dataclass
class Annotation(_Record):
    """Everything the reading stage found in one article."""

    article: Article
    sentences: list[Sentence] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    places: list[PlaceMention] = field(default_factory=list)
    actors: list[ActorMention] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    # The parsed spaCy Doc, for the event stage's syntax features; never serialised.
    doc: Any = field(default=None, repr=False, compare=False, metadata={"serialise": False})

    def to_dict(self) -> dict[str, Any]:
        data = _fields(self)
        data.pop("sentences", None)
        return data


@dataclass
class Actor(_Record):
    name: str
    mention: str | None
    country: str | None
    type: ActorType

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Actor | None:
        return None if data is None else cls(**data)


@dataclass
class Location(_Record):
    name: str
    geonameid: int | None
    lat: float | None
    lon: float | None
    country: str | None
    admin1: str | None
    admin2: str | None
    geo_precision: Literal[1, 2, 3]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Location:
        given: dict[str, Any] = {f.name: data.get(f.name) for f in dataclasses.fields(cls)}
        return cls(**given)


@dataclass
class Attribution(_Record):
    source: str
    kind: Literal["official statement", "media report", "correspondent", "other"]


@dataclass
class Evidence(_Record):
    article_id: str
    sentence: str
    start: int
    end: int


@dataclass
class Event(_Record):
    """One event record, as ../shared/spec/event-record.md defines it."""

    id: str
    event_date: date
    date_end: date
    date_precision: Precision
    event_type: str
    sub_event_type: str
    actor1: Actor | None
    actor2: Actor | None
    location: Location
    evidence: list[Evidence]
    article_ids: list[str]
    plover: dict[str, str] | None = None
    fatalities: int | None = None
    quantities: list[dict[str, Any]] = field(default_factory=list)
    attribution: list[Attribution] = field(default_factory=list)
    factuality: Factuality = "asserted"
    background: bool = False
    confidence: float = 0.5
    # Added to the contract: independent sources behind the event (syndicated copies count once).
    source_count: int = 1
    # Added to the contract: false for an event only PLOVER codes (a meeting, a demand, a threat,
    # sanctions), which ACLED's codebook records nowhere; its event_type is then ACLED's nearest,
    # "Strategic developments", because the contract requires one.
    acled_event: bool = True
    # Added to the contract: the event head's probability that the text reports this event at
    # all (``sitrep.events.decide``), for analysts to filter on; None where no head weighed it.
    event_probability: float | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Event:
        return cls(
            id=data["id"],
            event_date=_as_date(data["event_date"]),  # type: ignore[arg-type]
            date_end=_as_date(data["date_end"]),  # type: ignore[arg-type]
            date_precision=data["date_precision"],
            event_type=data["event_type"],
            sub_event_type=data["sub_event_type"],
            actor1=Actor.from_dict(data.get("actor1")),
            actor2=Actor.from_dict(data.get("actor2")),
            location=Location.from_dict(data["location"]),
            evidence=[Evidence(**e) for e in data["evidence"]],
            article_ids=list(data["article_ids"]),
            plover=data.get("plover"),
            fatalities=data.get("fatalities"),
            quantities=list(data.get("quantities") or []),
            attribution=[Attribution(**a) for a in data.get("attribution") or []],
            factuality=data.get("factuality", "asserted"),
            background=bool(data.get("background", False)),
            confidence=float(data.get("confidence", 0.5)),
            source_count=int(data.get("source_count", 1)),
            acled_event=bool(data.get("acled_event", True)),
            event_probability=data.get("event_probability"),
        )


@dataclass
class Fact(_Record):
    """A situation fact: ``kind`` is ``control`` or ``force_level``; ``body`` holds its fields.

    ``to_dict()`` flattens ``body`` next to ``kind``, ``evidence`` and ``attribution``, giving the
    shapes of the spec's situation table.
    """

    kind: Literal["control", "force_level"]
    body: dict[str, Any]
    evidence: list[Evidence] = field(default_factory=list)
    attribution: list[Attribution] = field(default_factory=list)
    article_ids: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind}
        data.update(_plain(self.body))
        data["evidence"] = _plain(self.evidence)
        data["attribution"] = _plain(self.attribution)
        data["article_ids"] = list(self.article_ids)
        return data
