"""The place index: a SQLite file in the cache dir, built on first use, rebuilt when its sources change.

``lookup("Hasakah")`` gives every place known by that name (normalised), each a ``Candidate``.
``import_geonames(path)`` adds a full GeoNames dump (allCountries.txt or a country file) for users
who have one; the index remembers the files it imported and loads them again when it is rebuilt
(a file that has gone since is skipped with a warning).
"""

from __future__ import annotations

import functools
import logging
import math
import re
import sqlite3
import threading
from difflib import SequenceMatcher
from dataclasses import dataclass
from pathlib import Path

from ..datafiles import cache_dir
from ..errors import GazetteerError
from .build import Row, build_index, source_version, write_rows
from .names import normalise, sound

__all__ = ["Candidate", "Gazetteer", "cache_dir", "get_gazetteer", "import_geonames"]

log = logging.getLogger(__name__)
# GeoNames feature codes -> sitrep's place features (anything else of class P is a city)
_FEATURES = {"PCLI": "country", "PCLD": "country", "PCLS": "country", "PCLF": "country",
             "PCL": "country", "ADM1": "admin1", "ADM2": "admin2"}
_SITE_CLASSES = {"S", "R"}


@dataclass(frozen=True)
class Candidate:
    """One place a name may refer to."""

    id: int
    geonameid: int | None
    name: str
    feature: str
    country: str | None
    admin1: str | None
    admin2: str | None
    lat: float
    lon: float
    population: int
    main: bool
    code: str | None = None
    box: tuple[float, float, float, float] | None = None
    prominence: float = 0.0


class Gazetteer:
    """Read access to one index file; ``ensure()`` builds it when missing or stale."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()

    def ensure(self, *, force: bool = False) -> bool:
        """Build the index if needed; returns True when it was (re)built."""
        if not force and self.path.exists() and self._version() == source_version():
            return False
        imported = self.imported() if self.path.exists() else []
        try:
            build_index(self.path)
        except (OSError, sqlite3.Error, ValueError, KeyError) as exc:
            raise GazetteerError(f"cannot build the place index at {self.path}: {exc}") from exc
        self.forget()
        for dump in imported:
            if dump.exists():
                import_geonames(dump, gazetteer=self)
            else:
                log.warning("GeoNames dump %s, imported before, is gone: not reloaded", dump)
        return True

    def forget(self) -> None:
        """Drop what was read from the file (connections, caches): it has changed."""
        self._local.__dict__.clear()
        self.__dict__.pop("demonyms", None)
        Gazetteer.lookup_key.cache_clear()
        Gazetteer.spelled.cache_clear()
        Gazetteer.sounding.cache_clear()
        Gazetteer.by_code.cache_clear()

    def imported(self) -> list[Path]:
        """The GeoNames dumps imported into this index, in the order they were."""
        try:
            with sqlite3.connect(self.path) as db:
                rows = db.execute("SELECT value FROM meta WHERE key LIKE 'import:%' ORDER BY key").fetchall()
        except sqlite3.Error:
            return []
        return [Path(r[0]) for r in rows]

    def _version(self) -> str | None:
        try:
            with sqlite3.connect(self.path) as db:
                row = db.execute("SELECT value FROM meta WHERE key='source'").fetchone()
        except sqlite3.Error:
            return None
        return row[0] if row else None

    @property
    def db(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
            self._local.conn = conn
        return conn

    @functools.lru_cache(maxsize=50_000)
    def lookup_key(self, key: str) -> tuple[Candidate, ...]:
        found = self._exact(key)
        if not found and (bare := _fused_article(key)):
            found = self._exact(bare)  # "Albukamal", "Alraqqa": the article written joined
        return found

    def _exact(self, key: str) -> tuple[Candidate, ...]:
        rows = self.db.execute(
            "SELECT p.id, geonameid, name, feature, cc, admin1, admin2, lat, lon, population,"
            " max(main), code, s, w, n, e, prominence FROM names JOIN places p ON p.id = names.place"
            " WHERE key = ? GROUP BY p.id", (key,)).fetchall()
        return tuple(_candidate(r) for r in rows)

    @functools.lru_cache(maxsize=50_000)
    def sounding(self, key: str) -> str | None:
        """The indexed key that sounds like ``key`` (``names.sound``) and shares most of its
        letters, for a name the index lacks under its own key ("Tarhouna" gives "tarhuna");
        None when no key sounds alike."""
        loose = sound(key)
        if not loose:
            return None
        keys = [r[0] for r in self.db.execute("SELECT DISTINCT key FROM names WHERE sound = ?", (loose,))]
        return max(keys, key=lambda k: (SequenceMatcher(None, key, k).ratio(), k), default=None)

    @functools.lru_cache(maxsize=50_000)
    def spelled(self, key: str, written: str) -> frozenset[int]:
        """Ids of the places under ``key`` that have a name spelled exactly ``written``."""
        rows = self.db.execute("SELECT DISTINCT place FROM names WHERE key = ? AND spelling = ?",
                               (key, written)).fetchall()
        return frozenset(r[0] for r in rows)

    def lookup(self, name: str, *, country: str | None = None) -> list[Candidate]:
        found = self.lookup_key(normalise(name))
        return [c for c in found if country is None or c.country == country]

    @functools.cached_property
    def demonyms(self) -> dict[str, str]:
        """'syrian' -> 'SY', 'europeans' -> 'CONT.EU'."""
        return dict(self.db.execute("SELECT word, code FROM demonyms").fetchall())

    def has_key(self, key: str) -> bool:
        return bool(key) and bool(self.lookup_key(key))

    def nearest_town(self, country: str, lat: float, lon: float) -> Candidate | None:
        """The town of ``country`` nearest (lat, lon) (by degrees, scaled for latitude)."""
        scale = max(0.1, math.cos(math.radians(lat))) ** 2
        row = self.db.execute(
            "SELECT id, geonameid, name, feature, cc, admin1, admin2, lat, lon, population, 1,"
            " code, s, w, n, e, prominence FROM places WHERE cc = ? AND feature = 'city'"
            " ORDER BY (lat - ?) * (lat - ?) + ? * (lon - ?) * (lon - ?) LIMIT 1",
            (country, lat, lat, scale, lon, lon)).fetchone()
        return _candidate(row) if row else None

    @functools.lru_cache(maxsize=10_000)
    def by_code(self, code: str, feature: str | None = None) -> Candidate | None:
        """The country ('SY'), admin area ('SY.01', 'US.LA') or continent ('CONT.EU'); read
        once per process (every article's resolver asks for its main country's, many times)."""
        row = self.db.execute(
            "SELECT id, geonameid, name, feature, cc, admin1, admin2, lat, lon, population, 1,"
            " code, s, w, n, e, prominence FROM places WHERE code = ? AND feature = coalesce(?,"
            " feature)", (code, feature)).fetchone()
        return _candidate(row) if row else None


_FUSED = re.compile(r"^(?:al|el)(?=[bcdfghjklmnpqrstvwxz]{0,2}[a-z]{4,}$)")


def _fused_article(key: str) -> str | None:
    """The key without an Arabic article joined to a one-word name, if there is one."""
    return _FUSED.sub("", key) if " " not in key and _FUSED.match(key) else None


def _candidate(r: tuple) -> Candidate:
    box = None if r[12] is None else (r[12], r[13], r[14], r[15])
    return Candidate(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9] or 0,
                     bool(r[10]), r[11], box, r[16] or 0.0)


@functools.lru_cache(maxsize=1)
def get_gazetteer() -> Gazetteer:
    gaz = Gazetteer(cache_dir() / "places.sqlite")
    gaz.ensure()
    return gaz


def _geonames_row(cols: list[str], gaz: Gazetteer) -> Row | None:
    if len(cols) < 19 or not cols[0].isdigit():
        return None
    fclass, fcode, cc = cols[6], cols[7], cols[8] or None
    feature = _FEATURES.get(fcode) or ("city" if fclass == "P" else
                                       "site" if fclass in _SITE_CLASSES else "other")
    area = gaz.by_code(f"{cc}.{cols[10]}", "admin1") if cc and cols[10] else None
    names = {cols[1], cols[2], *cols[3].split(",")} - {""}
    return Row(int(cols[0]), cols[2] or cols[1], feature, cc, area.name if area else None, None,
               float(cols[4]), float(cols[5]), int(cols[14] or 0), names)


def import_geonames(path: Path, *, gazetteer: Gazetteer | None = None) -> int:
    """Load a GeoNames dump (19 tab-separated columns) into the index; returns places added."""
    gaz = gazetteer or get_gazetteer()
    try:
        with path.open(encoding="utf-8") as handle:
            rows = [r for line in handle if (r := _geonames_row(line.rstrip("\n").split("\t"), gaz))]
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise GazetteerError(f"{path}: not a readable GeoNames dump ({exc})") from exc
    with sqlite3.connect(gaz.path) as db:
        count = write_rows(db, rows)
        known = db.execute("SELECT count(*) FROM meta WHERE key LIKE 'import:%'").fetchone()[0]
        db.execute("INSERT INTO meta SELECT ?, ? WHERE NOT EXISTS (SELECT 1 FROM meta WHERE"
                   " key LIKE 'import:%' AND value = ?)",
                   (f"import:{known:04d}", str(path.resolve()), str(path.resolve())))
    gaz.forget()
    return count
