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

Beside them, ``training/invented_roles.yaml``: sentences written for sitrep in many shapes
(passive and active voice, "by X", victims as the subjects of passive harm verbs, "X said its
fighters..."), each mention labelled by its words, weight ``INVENTED_WEIGHT``: ACLED's notes
alone taught ACLED's naming order more than the syntax of who acts.

The model is a multinomial logistic regression over the named features, C chosen by 5-fold
cross-validation grouped by note (training rows only). The same out-of-fold probabilities choose
the least probability a mention needs for each role (``--floors``; the choice is printed, and
``data/events/constraints.yaml`` keeps it by hand). Written as plain arrays
(``data/models/role_head.npz``) and a JSON header, loaded by ``sitrep.events.decide``.
"""

from __future__ import annotations

import argparse
import csv
import json
import time
from collections import Counter
from datetime import date, datetime
from multiprocessing import Pool
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, cross_val_predict

from sitrep.eval.core import default_data_dir
from sitrep.events.classify import is_heldout, model_dir
from sitrep.events.decide import ACTOR1, ACTOR2, OTHER, ROLE_HEAD, LinearHead, recording
from sitrep.pipeline import read_article
from sitrep.records import Article

ROOT = Path(__file__).resolve().parent.parent
INVENTED = ROOT / "training" / "invented_roles.yaml"
INVENTED_WEIGHT = 3.0
FLOOR_GRID = (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6)
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


def label_row(row: dict[str, str]) -> list[tuple[dict[str, float], str, str, str, float, str]]:
    """(features, label, note id, event type, weight, candidate) of every mention sitrep weighs
    as an actor in one note."""
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
        out.append((r["features"], label, article.id, row["EVENT_TYPE"].strip(), 1.0, _candidate(article.id, r)))
    return out


def _candidate(key: str, record: dict[str, Any]) -> str:
    """Which candidate event of a text a mention was weighed for: the mentions that compete."""
    return f"{key}@{record['sentence']}:{record.get('event_type', '')}:{record.get('anchor', '')}"


def _names(text: str, words: str) -> bool:
    """A mention's text names the labelled actor: the same words, or the one inside the other
    ("Several villagers" for "villagers")."""
    a, b = f" {' '.join(text.lower().split())} ", f" {' '.join(words.split())} "
    return a in b or b in a


def invented_sentences() -> list[dict[str, str]]:
    table = yaml.safe_load(INVENTED.read_text(encoding="utf-8"))
    if table.get("version") != 1:
        raise SystemExit(f"{INVENTED} lacks 'version: 1'")
    return list(table["sentences"])


def label_invented(item: tuple[int, dict[str, str]]) -> list[tuple[dict[str, float], str, str, str, float, str]]:
    """The mentions of one invented sentence: the one whose words are ``actor1`` is actor1, ``actor2``
    actor2, any other other; nothing when a labelled mention was not found."""
    i, entry = item
    key = f"invented:{i}"
    with recording() as records:
        read_article(Article(id=key, text=entry["text"], published=date(2026, 1, 15)))
    wanted = {role: entry[role].strip().lower() for role in (ACTOR1, ACTOR2) if entry.get(role)}
    if not records or any(not any(_names(r["text"], w) for r in records) for w in wanted.values()):
        return []
    out = []
    for r in records:
        label = next((role for role, w in wanted.items() if _names(r["text"], w)), OTHER)
        out.append((r["features"], label, key, "invented", INVENTED_WEIGHT, _candidate(key, r)))
    return out


def collect(rows: list[dict[str, str]], workers: int) -> list[tuple[dict[str, float], str, str, str, float, str]]:
    with Pool(workers) as pool:
        chunks = pool.map(label_row, rows, chunksize=32)
        chunks += pool.map(label_invented, list(enumerate(invented_sentences())))
    return [item for chunk in chunks for item in chunk]


def fit(samples: list[tuple[dict[str, float], str, str, str, float, str]]) -> tuple[LinearHead, dict[str, Any]]:
    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform([s[0] for s in samples])
    y = np.array([s[1] for s in samples])
    groups = np.array([s[2] for s in samples])
    w = np.array([s[4] for s in samples])
    scores, oof = {}, {}
    for c in C_GRID:
        model = LogisticRegression(C=c, max_iter=3000)
        proba = cross_val_predict(model, x, y, cv=GroupKFold(5), groups=groups, method="predict_proba",
                                  params={"sample_weight": w})
        classes = sorted(set(y.tolist()))
        predicted = np.array(classes)[proba.argmax(axis=1)]
        scores[c] = float((predicted == y).mean())
        oof[c] = (proba, classes)
    best = max(scores, key=scores.__getitem__)
    floors = choose_floors(samples, *oof[best])
    model = LogisticRegression(C=best, max_iter=3000).fit(x, y, sample_weight=w)
    sources = Counter("invented" if g.startswith("invented:") else "acled" for g in groups)
    meta = {"trained_on": "ACLED Africa 2016 notes, training split, and training/invented_roles.yaml",
            "samples": len(samples), "notes": len(set(groups)), "sources": dict(sources),
            "labels": dict(Counter(y.tolist())), "C": best,
            "cv_accuracy": {str(k): round(v, 4) for k, v in scores.items()}, "cv_floors": floors}
    head = LinearHead(list(model.classes_), list(vectorizer.get_feature_names_out()),
                      model.coef_, model.intercept_, meta=meta)
    return head, meta


def choose_floors(samples: list[tuple[dict[str, float], str, str, str, float, str]], proba: np.ndarray,
                  classes: list[str]) -> dict[str, Any]:
    """The least P(actor1) and P(actor2) a mention needs, chosen on out-of-fold probabilities: within
    each candidate event, the most probable actor1 above the floor is picked (then actor2 among
    the rest); a pick is right when its label is that role. The floor with the best F1 of picks
    (ACLED rows only, the invented sentences being few and easy) for each role; actor2's floor
    is chosen with actor1's picks made at actor1's floor."""
    by_cand: dict[str, list[int]] = {}
    for i, s in enumerate(samples):
        if not s[2].startswith("invented:"):
            by_cand.setdefault(s[5], []).append(i)
    c1, c2 = classes.index(ACTOR1), classes.index(ACTOR2)
    labels = [s[1] for s in samples]

    def f1(role: str, col: int, floor: float, taken: dict[str, int | None]) -> tuple[float, dict[str, int | None]]:
        tp = fp = fn = 0
        picks: dict[str, int | None] = {}
        for cand, rows in by_cand.items():
            rows = [i for i in rows if i != taken.get(cand)]
            best = max(rows, key=lambda i: proba[i, col], default=None)
            pick = best if best is not None and proba[best, col] >= floor else None
            picks[cand] = pick
            has = any(labels[i] == role for i in rows)
            if pick is not None and labels[pick] == role:
                tp += 1
            else:
                fp += pick is not None
                fn += has
        return (2 * tp / (2 * tp + fp + fn) if tp else 0.0), picks

    out: dict[str, Any] = {}
    table1 = {f: f1(ACTOR1, c1, f, {}) for f in FLOOR_GRID}
    floor1 = max(FLOOR_GRID, key=lambda f: table1[f][0])
    table2 = {f: f1(ACTOR2, c2, f, table1[floor1][1]) for f in FLOOR_GRID}
    floor2 = max(FLOOR_GRID, key=lambda f: table2[f][0])
    out[ACTOR1] = {"floor": floor1, "f1": {str(f): round(v[0], 4) for f, v in table1.items()}}
    out[ACTOR2] = {"floor": floor2, "f1": {str(f): round(v[0], 4) for f, v in table2.items()}}
    return out


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
    samples = [(_kept(s[0]), *s[1:]) for s in samples if s[3] in ORDERED or s[3] == "invented"]
    missing = [e["text"] for i, e in enumerate(invented_sentences()) if not any(s[2] == f"invented:{i}" for s in samples)]
    if missing:
        print(f"{len(missing)} invented sentences teach nothing (a labelled mention not found):", *missing, sep="\n  ")
    head, meta = fit(samples)
    head.save(out, ROLE_HEAD)
    print({**meta, "seconds": round(time.perf_counter() - started, 1)})


if __name__ == "__main__":
    main()
