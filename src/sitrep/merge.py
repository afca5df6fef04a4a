"""Merging: when are two event reports one event, and what does the merged record say.

The rules are pure functions over event records; the store applies them incrementally with its
own indexed queries (``Store.add_article``). Clusters are the connected components of the
pairwise ``compatible`` relation, so the result does not depend on the order articles arrive.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from .datafiles import load_yaml
from .geometry import haversine_km
from .records import Event

__all__ = ["Rules", "rules", "family", "compatible", "combine", "minhash_bands", "same_text"]


@dataclass(frozen=True)
class Rules:
    families: dict[str, str]
    prefer: list[str]
    near_km: float
    coarse_km: float
    slack: timedelta
    jaccard: float
    permutations: int
    bands: int


@functools.lru_cache(maxsize=1)
def rules() -> Rules:
    raw = load_yaml("merge/families.yaml")
    families = {sub: fam for fam, subs in raw["families"].items() for sub in subs}
    return Rules(families=families, prefer=raw["prefer"], near_km=raw["near_km"],
                 coarse_km=raw["coarse_km"], slack=timedelta(days=raw["date_slack_days"]),
                 jaccard=raw["near_duplicate_jaccard"], permutations=raw["minhash_permutations"],
                 bands=raw["minhash_bands"])


def family(sub_event_type: str) -> str:
    return rules().families.get(sub_event_type, "other")


def _coarse(loc: dict[str, Any]) -> bool:
    return loc.get("geo_precision") == 3


def _places_match(a: dict[str, Any], b: dict[str, Any]) -> bool:
    if a.get("country") and b.get("country") and a["country"] != b["country"]:
        return False
    if None in (a.get("lat"), b.get("lat")):
        return a.get("name") == b.get("name")
    km = haversine_km(a["lat"], a["lon"], b["lat"], b["lon"])
    if not (_coarse(a) or _coarse(b)):
        return km <= rules().near_km
    same_admin = not a.get("admin1") or not b.get("admin1") or a["admin1"] == b["admin1"]
    return same_admin or km <= rules().coarse_km


def _dates_overlap(a: dict[str, Any], b: dict[str, Any]) -> bool:
    slack = rules().slack
    a0, a1 = date.fromisoformat(a["event_date"]), date.fromisoformat(a["date_end"])
    b0, b1 = date.fromisoformat(b["event_date"]), date.fromisoformat(b["date_end"])
    return a0 - slack <= b1 and b0 - slack <= a1


def _actor_names(record: dict[str, Any]) -> set[str]:
    return {a["name"].lower() for a in (record.get("actor1"), record.get("actor2")) if a}


def _actors_match(a: dict[str, Any], b: dict[str, Any]) -> bool:
    names_a, names_b = _actor_names(a), _actor_names(b)
    return not names_a or not names_b or bool(names_a & names_b)


def compatible(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Could records ``a`` and ``b`` (contract dicts) report the same event?"""
    return (
        family(a["sub_event_type"]) == family(b["sub_event_type"])
        and a.get("background", False) == b.get("background", False)
        and _dates_overlap(a, b)
        and _places_match(a["location"], b["location"])
        and _actors_match(a, b)
    )


def _interval_days(record: dict[str, Any]) -> int:
    return (date.fromisoformat(record["date_end"]) - date.fromisoformat(record["event_date"])).days


def _fatalities(reports: list[tuple[dict[str, Any], date | None]]) -> int | None:
    """ACLED's rule: the lowest figure, unless a later report revises it (the latest date wins)."""
    given = [(published or date.min, rec["fatalities"]) for rec, published in reports
             if rec.get("fatalities") is not None]
    if not given:
        return None
    latest = max(day for day, _ in given)
    return min(value for day, value in given if day == latest)


def _unique(items: list[Any]) -> list[Any]:
    seen: list[Any] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen


def combine(reports: list[tuple[dict[str, Any], date | None]], *, cluster_id: str,
            source_count: int) -> Event:
    """One merged event from its reports, each ``(record, article published date)``."""
    ordered = sorted(reports, key=lambda r: (-r[0]["confidence"], r[0]["id"]))
    best = dict(ordered[0][0])
    records = [rec for rec, _ in ordered]
    dated = min(records, key=lambda r: (_interval_days(r), r["event_date"], r["id"]))
    placed = min(records, key=lambda r: (r["location"]["geo_precision"], r["id"]))
    prefer = rules().prefer
    subtype = min((r["sub_event_type"] for r in records),
                  key=lambda s: prefer.index(s) if s in prefer else len(prefer))
    best.update(
        id=cluster_id,
        event_date=dated["event_date"], date_end=dated["date_end"],
        date_precision=dated["date_precision"],
        sub_event_type=subtype,
        event_type=next(r["event_type"] for r in records if r["sub_event_type"] == subtype),
        location=placed["location"],
        actor1=best.get("actor1") or next((r["actor1"] for r in records if r.get("actor1")), None),
        actor2=best.get("actor2") or next((r["actor2"] for r in records if r.get("actor2")), None),
        fatalities=_fatalities(ordered),
        attribution=_unique([a for r in records for a in r["attribution"]]),
        evidence=_unique([e for r in sorted(records, key=lambda r: r["id"]) for e in r["evidence"]]),
        article_ids=sorted({i for r in records for i in r["article_ids"]}),
        quantities=_unique([q for r in records for q in r["quantities"]]),
        confidence=round(min(1.0, max(r["confidence"] for r in records)
                             + 0.05 * (source_count - 1)), 3),
        source_count=source_count,
        acled_event=any(r.get("acled_event", True) for r in records),
    )
    return Event.from_dict(best)


_WORD = re.compile(r"\w+")


def _shingles(text: str, size: int = 5) -> set[str]:
    words = _WORD.findall(text.lower())
    return {" ".join(words[i:i + size]) for i in range(max(1, len(words) - size + 1))}


def minhash_bands(text: str) -> list[str]:
    """LSH band keys of the text's MinHash signature: near-duplicates share at least one."""
    from datasketch import MinHash

    cfg = rules()
    signature = MinHash(num_perm=cfg.permutations, seed=7)
    for shingle in _shingles(text):
        signature.update(shingle.encode("utf-8"))
    rows = cfg.permutations // cfg.bands
    values = signature.hashvalues
    return [hashlib.blake2b(values[i * rows:(i + 1) * rows].tobytes(), digest_size=8).hexdigest()
            for i in range(cfg.bands)]


def same_text(a: str, b: str) -> bool:
    """The exact check behind the LSH candidates: Jaccard of word shingles."""
    sa, sb = _shingles(a), _shingles(b)
    return len(sa & sb) / max(1, len(sa | sb)) >= rules().jaccard
