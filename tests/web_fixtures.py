"""A small store for the API and page tests: two invented articles, their events and facts.

Built from records directly (not through extraction) so the tests know exactly what is stored.
Imported by test_api.py and test_web.py; the texts are written for these tests.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sitrep.records import Actor, Article, Attribution, Event, Evidence, Fact, Location
from sitrep.store import Store, open_store

__all__ = ["ARTICLES", "fill_store", "make_store", "sentence_of"]

ARMY = Actor("Military Forces of Syria (2024-)", "Syrian army", "SYR", "State forces")
SDF = Actor("SDF: Syrian Democratic Forces", "the SDF", "SYR", "Rebel group")
USA = Actor("Military Forces of the United States", "US forces", "USA", "External/Other forces")
CIVILIANS = Actor("Civilians (Syria)", "residents", "SYR", "Civilians")
PROTESTERS = Actor("Protesters (Syria)", "demonstrators", "SYR", "Protesters")

TEXT_A = (
    "Fighting broke out near Raqqa on Monday between the Syrian army and the SDF, leaving "
    "four fighters dead. "
    "A drone strike hit a depot outside Deir ez-Zor on Tuesday, officials said. "
    "US forces, about 900 troops, remain at the Tanf garrison, the Pentagon said."
)
TEXT_B = (
    "Hundreds of demonstrators gathered in Damascus on Friday to demand the release of detainees. "
    "Gunmen <script>alert(1)</script> shot two residents in Homs last month. "
    "The foreign ministry expelled two diplomats on Friday."
)


def sentence_of(article_id: str, text: str, needle: str) -> Evidence:
    """The evidence record for the sentence of ``text`` that contains ``needle``."""
    at = text.index(needle)
    start = text.rfind(". ", 0, at)
    start = 0 if start < 0 else start + 2
    end = text.find(". ", at)
    end = len(text) if end < 0 else end + 1
    return Evidence(article_id, text[start:end], start, end)


def _place(name: str, lat: float, lon: float, admin1: str, precision: int = 1) -> Location:
    return Location(name, None, lat, lon, "SY", admin1, None, precision)  # type: ignore[arg-type]


def _event(eid: str, article: Article, needle: str, day: date, kind: tuple[str, str],
           actors: tuple[Actor | None, Actor | None], place: Location, **extra: object) -> Event:
    evidence = sentence_of(article.id, article.text, needle)
    return Event(id=eid, event_date=day, date_end=extra.pop("date_end", day),  # type: ignore[arg-type]
                 date_precision=extra.pop("date_precision", "day"),  # type: ignore[arg-type]
                 event_type=kind[0], sub_event_type=kind[1], actor1=actors[0], actor2=actors[1],
                 location=place, evidence=[evidence], article_ids=[article.id], **extra)  # type: ignore[arg-type]


def _article_a() -> tuple[Article, list[Event], list[Fact]]:
    art = Article("art-a", TEXT_A, date(2026, 2, 12), "Clashes in the east", None, "Test Wire")
    events = [
        _event("ev-battle", art, "Fighting broke out", date(2026, 2, 9),
               ("Battles", "Armed clash"), (ARMY, SDF),
               _place("Raqqa", 35.95, 39.01, "Ar-Raqqah"), fatalities=4),
        _event("ev-drone", art, "A drone strike", date(2026, 2, 10),
               ("Explosions/Remote violence", "Air/drone strike"), (None, None),
               _place("Deir ez-Zor", 35.33, 40.14, "Deir ez-Zor", 2), factuality="reported",
               attribution=[Attribution("Officials", "official statement")]),
    ]
    force = Fact("force_level", {"actor": USA.to_dict(), "country": "SY", "value": 900,
                                 "low": None, "high": None, "approximate": True,
                                 "as_of": date(2026, 2, 12), "precision": "day"},
                 evidence=[sentence_of(art.id, TEXT_A, "about 900 troops")],
                 attribution=[Attribution("Pentagon", "official statement")])
    control = Fact("control", {"place": _place("Al-Tanf", 33.5, 38.66, "Homs").to_dict(),
                               "controller": USA.to_dict(), "since": date(2016, 3, 1),
                               "precision": "month"},
                   evidence=[sentence_of(art.id, TEXT_A, "Tanf garrison")])
    return art, events, [force, control]


def _article_b() -> tuple[Article, list[Event], list[Fact]]:
    art = Article("art-b", TEXT_B, date(2026, 3, 20), "Protest in the capital", None, "Other Daily")
    events = [
        _event("ev-protest", art, "Hundreds of demonstrators", date(2026, 3, 20),
               ("Protests", "Peaceful protest"), (PROTESTERS, None),
               _place("Damascus", 33.51, 36.29, "Damascus")),
        _event("ev-civilians", art, "Gunmen", date(2026, 2, 1),
               ("Violence against civilians", "Attack"), (None, CIVILIANS),
               _place("Homs", 34.73, 36.71, "Homs"), fatalities=2, date_end=date(2026, 2, 28),
               date_precision="month", background=True),
        # an event only PLOVER codes (acled_event false)
        _event("ev-expel", art, "expelled two diplomats", date(2026, 3, 20),
               ("Strategic developments", "Other"), (None, None),
               _place("Damascus", 33.51, 36.29, "Damascus"), acled_event=False,
               plover={"event_type": "SANCTION", "mode": "expel"}),
    ]
    return art, events, []


ARTICLES = (_article_a, _article_b)


def fill_store(store: Store) -> Store:
    """Add the two articles above, their events and facts, to ``store``."""
    for build in ARTICLES:
        article, events, facts = build()
        store.add_article(article, events, facts)
    return store


def make_store(folder: Path) -> Store:
    """A SQLite store in ``folder`` holding the two articles above."""
    return fill_store(open_store(f"sqlite:///{folder / 'sitrep.db'}"))
