"""Where sitrep's actor1/actor2 differ from ACLED's, and why: on ACLED TRAINING rows only.

    .venv/bin/python scripts/diagnose_roles.py [--data DIR] [--limit N] [--workers N] [--show N] [--jsonl FILE]

Each note of the ACLED Africa 2016 training split (``sitrep.events.classify.is_heldout`` false;
held-out rows are never read) is read twice: once as sitrep reads it (the role head deciding),
once with the role decisions recorded (every actor mention each candidate event weighed). Its
main event (as ``sitrep eval acled`` picks it) is compared with ACLED's ACTOR1 and ACTOR2, and
each difference gets one reason:

* ``not recognised``: no actor mention of the note has ACLED's name: a gap of the actor lexicon
  (``src/sitrep/data/actors/*.yaml``, ``named.csv``) or of the mention finder;
* ``recognised, not chosen``: a mention has ACLED's name but the head gave the role to another
  mention, or to none (below the floor in ``constraints.yaml``);
* ``swapped``: both are found, in the other order;
* ``no event``: sitrep reports no ACLED event for the note.

Printed: counts per reason and role, the ACLED names most often not recognised (with one note
each, for a lexicon fix), and ``--show`` examples of the other reasons. ``--jsonl`` writes every
row's diagnosis.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from multiprocessing import Pool
from pathlib import Path
from typing import Any

from sitrep.eval import acled
from sitrep.eval.core import default_data_dir
from sitrep.events.classify import is_heldout
from sitrep.events.decide import recording
from sitrep.pipeline import extract, read_article


def _same(a: str | None, b: str | None) -> bool:
    return bool(a and b) and a.strip().lower() == b.strip().lower()  # type: ignore[union-attr]


def diagnose(row: dict[str, str]) -> dict[str, Any]:
    article = acled.article_of(row)
    events = extract(article)
    event = acled.main_event(events)
    with recording() as records:
        read_article(article)
    mentions = sorted({(r["text"], r["name"]) for r in records})
    names = {n for _, n in mentions}
    picked = {"actor1": event.actor1.name if event and event.actor1 else None,
              "actor2": event.actor2.name if event and event.actor2 else None}
    picked_text = {"actor1": event.actor1.mention if event and event.actor1 else None,
                   "actor2": event.actor2.mention if event and event.actor2 else None}
    gold = {"actor1": row["ACTOR1"].strip(), "actor2": row["ACTOR2"].strip()}
    out: dict[str, Any] = {"id": row["EVENT_ID_CNTY"], "type": row["EVENT_TYPE"].strip(), "notes": row["NOTES"].strip(),
                           "gold": gold, "picked": picked, "picked_text": picked_text,
                           "mentions": mentions, "reasons": {}}
    for role, other in (("actor1", "actor2"), ("actor2", "actor1")):
        want = gold[role]
        if not want or _same(picked[role], want):
            continue
        if event is None:
            reason = "no event"
        elif not any(_same(n, want) for n in names):
            reason = "not recognised"
        elif _same(picked[other], want):
            reason = "swapped"
        else:
            reason = "recognised, not chosen"
        out["reasons"][role] = reason
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--show", type=int, default=8, help="examples shown per reason")
    parser.add_argument("--jsonl", type=Path, default=None)
    args = parser.parse_args()
    rows = [r for r in acled.read_rows(args.data or default_data_dir())
            if not is_heldout("acled", r["EVENT_ID_CNTY"])]
    rows = rows[:args.limit] if args.limit else rows
    with Pool(args.workers) as pool:
        found = pool.map(diagnose, rows, chunksize=16)
    if args.jsonl:
        with args.jsonl.open("w", encoding="utf-8") as handle:
            handle.writelines(json.dumps(d, ensure_ascii=False) + "\n" for d in found)
    counts = Counter((role, reason) for d in found for role, reason in d["reasons"].items())
    gold_counts = Counter(role for d in found for role in ("actor1", "actor2") if d["gold"][role])
    print(f"{len(found)} training notes")
    for role in ("actor1", "actor2"):
        wrong = sum(v for (r, _), v in counts.items() if r == role)
        print(f"{role}: {gold_counts[role] - wrong}/{gold_counts[role]} as ACLED has it;",
              ", ".join(f"{reason} {v}" for (r, reason), v in counts.most_common() if r == role))
    missing: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for d in found:
        for role, reason in d["reasons"].items():
            if reason == "not recognised":
                missing[d["gold"][role]].append(d)
    print("\nACLED names not recognised, most frequent first (one note each):")
    for name, ds in sorted(missing.items(), key=lambda kv: -len(kv[1]))[:40]:
        d = ds[0]
        print(f"  {len(ds):3d}  {name}  | found: {[t for t, _ in d['mentions']]} | {d['notes'][:160]}")
    for reason in ("recognised, not chosen", "swapped"):
        print(f"\n{reason}:")
        shown = [d for d in found if reason in d["reasons"].values()][:args.show]
        for d in shown:
            print(f"  [{d['type']}] gold {d['gold']} picked {d['picked_text']}\n     {d['notes'][:200]}")


if __name__ == "__main__":
    main()
