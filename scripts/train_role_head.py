"""Train sitrep's role head: which actor mention of an event is actor1, which actor2.

    .venv/bin/python scripts/train_role_head.py [--data DIR] [--out DIR] [--limit N] [--workers N]

Training data, read in place from the shared eval folder (never copied): the ACLED Africa 2016
notes of the training split (``sitrep.events.classify.is_heldout("acled", id)`` false; the 30 %
held out are never read here). Each note is read by sitrep itself with the role decisions
recorded (``sitrep.events.decide.recording``): for every candidate event, every actor mention of
its sentence with its named features (``sitrep.events.features``). A mention whose canonical
name is ACLED's ACTOR1 is labelled ``actor1``, ACTOR2 ``actor2``; the other mentions of a note
whose actors were all found are ``other``; notes where sitrep names neither of ACLED's actors
teach nothing and are left out, and so do battles and riots/protests, whose ACTOR1/ACTOR2 order
is a convention (a battle's sides, a crowd first) rather than who did what to whom.

The model is a multinomial logistic regression over the named features, C chosen by 5-fold
cross-validation grouped by note (training rows only). Written as plain arrays
(``data/models/role_head.npz``) and a JSON header, loaded by ``sitrep.events.decide``.
"""

from __future__ import annotations

import argparse
import csv
import json
import time
from collections import Counter
from datetime import datetime
from multiprocessing import Pool
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, cross_val_predict

from sitrep.eval.core import default_data_dir
from sitrep.events.classify import is_heldout, model_dir
from sitrep.events.decide import ACTOR1, ACTOR2, OTHER, ROLE_HEAD, LinearHead, recording
from sitrep.pipeline import read_article
from sitrep.records import Article

ACLED = Path("ACLED-Africa-2016-JanMay") / "ACLED-All-Africa-File_20160101-to-20160528.csv"
C_GRID = (0.1, 0.3, 1.0, 3.0)
# the 2016 event types whose ACTOR1 is the doer and ACTOR2 the one done to
ORDERED = {"Violence against civilians", "Remote violence", "Battle-Government regains territory",
           "Battle-Non-state actor overtakes territory", "Strategic development",
           "Headquarters or base established", "Non-violent transfer of territory"}
SEED = 20161


def training_rows(data: Path, limit: int | None) -> list[dict[str, str]]:
    with (data / ACLED).open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle)
                if r["NOTES"].strip() and not is_heldout("acled", r["EVENT_ID_CNTY"])]
    return rows[:limit] if limit else rows


def _kept(features: dict[str, float]) -> dict[str, float]:
    """Leave out the crosses of an event's kind or type with an actor type: with them the head
    learned ACLED's ordering conventions (the state first in a battle it wins) over the words'
    own syntax, and read "X said its fighters overran the army's base" backwards."""
    return {k: v for k, v in features.items() if not (k.startswith(("kind=", "event=")) and "|type=" in k)}


def _same(a: str, b: str) -> bool:
    return bool(a.strip()) and a.strip().lower() == b.strip().lower()


def label_row(row: dict[str, str]) -> list[tuple[dict[str, float], str, str, str]]:
    """(features, label, note id) of every mention sitrep weighs as an actor in one note."""
    published = datetime.strptime(row["EVENT_DATE"], "%d/%m/%Y").date()
    article = Article(id=row["EVENT_ID_CNTY"], text=row["NOTES"], published=published)
    with recording() as records:
        read_article(article)
    a1, a2 = row["ACTOR1"], row["ACTOR2"]
    found1 = any(_same(r["name"], a1) for r in records)
    found2 = any(_same(r["name"], a2) for r in records)
    if not (found1 or found2):
        return []
    complete = found1 and (found2 or not a2.strip())
    out = []
    for r in records:
        if _same(r["name"], a1) and not _same(r["name"], a2):
            label = ACTOR1
        elif _same(r["name"], a2):
            label = ACTOR2
        elif complete:
            label = OTHER
        else:
            continue
        out.append((r["features"], label, article.id, row["EVENT_TYPE"].strip()))
    return out


def collect(rows: list[dict[str, str]], workers: int) -> list[tuple[dict[str, float], str, str, str]]:
    with Pool(workers) as pool:
        chunks = pool.map(label_row, rows, chunksize=32)
    return [item for chunk in chunks for item in chunk]


def fit(samples: list[tuple[dict[str, float], str, str, str]]) -> tuple[LinearHead, dict[str, Any]]:
    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform([s[0] for s in samples])
    y = np.array([s[1] for s in samples])
    groups = np.array([s[2] for s in samples])
    scores = {}
    for c in C_GRID:
        model = LogisticRegression(C=c, max_iter=2000)
        predicted = cross_val_predict(model, x, y, cv=GroupKFold(5), groups=groups)
        scores[c] = float((predicted == y).mean())
    best = max(scores, key=scores.__getitem__)
    model = LogisticRegression(C=best, max_iter=2000).fit(x, y)
    meta = {"trained_on": "ACLED Africa 2016 notes, training split", "samples": len(samples),
            "notes": len(set(groups)), "labels": dict(Counter(y.tolist())), "C": best,
            "cv_accuracy": {str(k): round(v, 4) for k, v in scores.items()}}
    head = LinearHead(list(model.classes_), list(vectorizer.get_feature_names_out()),
                      model.coef_, model.intercept_, meta=meta)
    return head, meta


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--cache", type=Path, default=None,
                        help="JSON Lines file of the recorded samples: written after reading, read instead of reading when it exists")
    args = parser.parse_args()
    data = args.data or default_data_dir()
    out = args.out or Path(str(model_dir()))
    started = time.perf_counter()
    if args.cache and args.cache.exists():
        samples = [tuple(json.loads(line)) for line in args.cache.open(encoding="utf-8")]
    else:
        samples = collect(training_rows(data, args.limit), args.workers)
        if args.cache:
            with args.cache.open("w", encoding="utf-8") as handle:
                handle.writelines(json.dumps(s) + "\n" for s in samples)
    # ACLED orders a battle's sides and a crowd's opponents by convention, not by who acted:
    # only events with a doer and a done-to teach the roles
    samples = [(_kept(s[0]), *s[1:]) for s in samples if s[3] in ORDERED]
    head, meta = fit(samples)
    head.save(out, ROLE_HEAD)
    print({**meta, "seconds": round(time.perf_counter() - started, 1)})


if __name__ == "__main__":
    main()
