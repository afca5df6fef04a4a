"""Train sitrep's event head: is a drafted event one the text reports, or no event at all?

    .venv/bin/python scripts/train_event_head.py [--data DIR] [--out DIR] [--per-source N] [--workers N]

sitrep reads each training text with its decisions recorded (``sitrep.events.decide.recording``):
every event the trigger words and rules draft, with its named features (``sitrep.events.
features.event_features``: the trigger, the sentence classifier's reading, factuality,
actors, place and date found, the sentence's shape, and the spaCy pipeline's own token vectors
averaged over the sentence). Labels, from training splits only (``is_heldout`` false; the
held-out rows of each set are never read here):

* ACLED Africa 2016 notes: a draft of the note's (mapped) event type is an event;
* CASE 2021 snippets: a draft of the gold's event type is an event; every draft of a snippet
  whose gold is no ACLED event (crime, disaster, diplomacy) is none;
* UCDP GED Syria headlines: a violent draft is an event;
* LGL local news and GeoWebNews articles: a draft naming an armed actor or a weapon of war is an
  event, any other none (local crime, sport, politics); weight 0.5, the labels being weak both
  ways so that the style of news prose tells neither;
* ``training/invented_events.yaml``: sentences written for sitrep (figures of speech, reactions,
  generalities, disease and accidents, politics), weight 3.

Other drafts teach nothing and are left out. The model is a logistic regression over the named
features, C chosen by 5-fold cross-validation grouped by text. WikiEvents is never read.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import random
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

from sitrep.eval import acled, case2021, geo, ucdp_syria
from sitrep.eval.core import default_data_dir
from sitrep.events.classify import EVENT_TYPE_OF, is_heldout, model_dir
from sitrep.events.decide import EVENT, EVENT_HEAD, NO_EVENT, LinearHead, recorded_events, recording
from sitrep.events.candidates import gating
from sitrep.pipeline import read_article
from sitrep.records import Article

ROOT = Path(__file__).resolve().parent.parent
INVENTED = ROOT / "training" / "invented_events.yaml"
C_GRID = (0.03, 0.1, 0.3, 1.0)
SEED = 20261204
# Which sources train, which feature names are left out (named by their part before "=" or ":"),
# and the class weights. Chosen on the seed article (a dev text) among three variants, each
# also scored by 5-fold CV on the training rows: with the sentence's shape and token vectors the
# head learned the style of notes against news (the seed lost required events), so those stay
# out; "balanced" class weights dropped seed events too.
SOURCES = {"invented", "case", "acled", "ucdp", "lgl", "gwn"}
DROPPED = {"t2v", "length", "root_tag", "anchor_dep", "anchor_pos", "heading", "copula_root", "anchor_is_root"}
CLASS_WEIGHT: str | None = None
VIOLENT = {"Battles", "Explosions/Remote violence", "Violence against civilians"}
ARMED_TYPES = {"State forces", "Rebel group", "Political militia", "Identity militia", "External/Other forces"}

# one text to read: (id, text, published, labelling rule name, rule argument, weight)
Job = tuple[str, str, date, str, Any, float]


def acled_jobs(data: Path, n: int) -> list[Job]:
    rows = [r for r in acled.read_rows(data) if not is_heldout("acled", r["EVENT_ID_CNTY"])]
    random.Random(SEED).shuffle(rows)
    return [(f"acled:{r['EVENT_ID_CNTY']}", r["NOTES"].strip(), acled.article_of(r).published or date(2016, 1, 1),
             "types", [t for t, _ in acled.ALLOWED.get(r["EVENT_TYPE"].strip(), ())], 1.0) for r in rows[:n]]


def case_jobs(data: Path) -> list[Job]:
    jobs = []
    for r in case2021.load(data):
        if is_heldout("case2021", r["id"]):
            continue
        label = case2021.case2021_label(r["SubType"])
        types = [] if label == case2021.NONE else [EVENT_TYPE_OF.get(label)]
        jobs.append((f"case:{r['id']}", r["EventSnippet"], case2021.PUBLISHED,
                     "none" if not types else "types", types, 1.0))
    return jobs


def ucdp_jobs(data: Path, n: int) -> list[Job]:
    rows = [r for r in ucdp_syria.read_rows(data)
            if not any(is_heldout("ucdp-syria", f"{r['id']}:{k}") for k in range(len(r["source_headline"].split(";"))))]
    random.Random(SEED).shuffle(rows)
    out = []
    for r in rows[:n]:
        article = ucdp_syria.article_of(r)
        out.append((f"ucdp:{r['id']}", article.text, article.published or date(2017, 1, 1), "types", sorted(VIOLENT), 1.0))
    return out


def news_jobs(data: Path, n: int) -> list[Job]:
    docs = [(f"lgl:{d}", t) for d, t, _ in geo.read_lgl(data / "LGL" / "lgl.xml")]
    docs += [(f"gwn:{d}", t) for d, t, _ in geo.read_gwn(data / "GeoWebNews" / "GWN.xml")]
    docs = [d for d in docs if not is_heldout("geo", d[0].split(":", 1)[1]) and d[1].strip()]
    random.Random(SEED).shuffle(docs)
    return [(i, t, date(2011, 12, 31), "news", None, 0.5) for i, t in docs[:n]]


def invented_jobs() -> list[Job]:
    table = yaml.safe_load(INVENTED.read_text(encoding="utf-8"))
    jobs: list[Job] = [(f"invented:none:{i}", t, date(2026, 1, 15), "none", None, 3.0)
                       for i, t in enumerate(table["none"])]
    jobs += [(f"invented:event:{i}", e["text"], date(2026, 1, 15), "types", [e["type"]], 3.0)
             for i, e in enumerate(table["event"])]
    return jobs


def label(record: dict[str, Any], rule: str, arg: Any) -> str | None:
    if rule == "none":
        return NO_EVENT
    if rule == "types":
        return EVENT if record["type"] in arg else None
    if rule == "news":
        # weak labels both ways, so that the head cannot tell events from non-events by the
        # style of news prose: an armed actor or a weapon of war is an event, anything else none
        features = record["features"]
        armed = any(features.get(f"actor{k}={t}") for k in (1, 2) for t in ARMED_TYPES)
        weapon = any(features.get(f"trigger={w}") for w in gating()["war_weapons"])
        return EVENT if armed or weapon else NO_EVENT
    raise ValueError(rule)


def read_job(job: Job) -> list[tuple[dict[str, float], str, str, float]]:
    key, text, published, rule, arg, weight = job
    with recording():
        read_article(Article(id=key, text=text, published=published))
        records = recorded_events()
    out = []
    for r in records:
        y = label(r, rule, arg)
        if y is not None:
            out.append((r["features"], y, key, weight))
    return out


def _kept(features: dict[str, float]) -> dict[str, float]:
    return {k: v for k, v in features.items() if k.split("=", 1)[0].split(":", 1)[0] not in DROPPED}


def fit(samples: list[tuple[dict[str, float], str, str, float]]) -> LinearHead:
    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform([s[0] for s in samples])
    y = np.array([s[1] for s in samples])
    groups = np.array([s[2] for s in samples])
    w = np.array([s[3] for s in samples])
    scores = {}
    for c in C_GRID:
        model = LogisticRegression(C=c, max_iter=3000, class_weight=CLASS_WEIGHT)
        predicted = cross_val_predict(model, x, y, cv=GroupKFold(5), groups=groups,
                                      params={"sample_weight": w})
        none = y == NO_EVENT
        scores[c] = {"accuracy": float((predicted == y).mean()),
                     "none_recall": float((predicted[none] == NO_EVENT).mean()),
                     "event_recall": float((predicted[~none] == EVENT).mean())}
    best = max(scores, key=lambda c: scores[c]["accuracy"])
    model = LogisticRegression(C=best, max_iter=3000, class_weight=CLASS_WEIGHT).fit(x, y, sample_weight=w)
    sources = Counter(g.split(":", 1)[0] for g in groups)
    meta = {"trained_on": "training splits of ACLED 2016 notes, CASE 2021, UCDP GED Syria, LGL and "
                          "GeoWebNews (weak labels both ways), and training/invented_events.yaml",
            "samples": len(samples), "labels": dict(Counter(y.tolist())), "sources": dict(sources),
            "C": best, "cv": {str(k): {m: round(v, 4) for m, v in s.items()} for k, s in scores.items()}}
    coef, intercept = model.coef_, model.intercept_
    if len(model.classes_) == 2:
        # a binary model keeps one row of weights w for its second class; softmax over
        # (-w/2, w/2) gives the same probability, and the head wants one row per class
        coef, intercept = np.vstack([-coef[0] / 2, coef[0] / 2]), np.array([-intercept[0] / 2, intercept[0] / 2])
    return LinearHead(list(model.classes_), list(vectorizer.get_feature_names_out()), coef, intercept, meta=meta)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--per-source", type=int, default=1200, help="texts read per large source")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--cache", type=Path, default=None,
                        help="JSON Lines file of the recorded samples: written after reading, read instead of reading when it exists")
    args = parser.parse_args()
    data = args.data or default_data_dir()
    started = time.perf_counter()
    if args.cache and args.cache.exists():
        samples = [tuple(json.loads(line)) for line in args.cache.open(encoding="utf-8")]
    else:
        jobs = (invented_jobs() + case_jobs(data) + acled_jobs(data, args.per_source)
                + ucdp_jobs(data, args.per_source) + news_jobs(data, args.per_source // 4))
        with Pool(args.workers) as pool:
            samples = list(itertools.chain.from_iterable(pool.imap(read_job, jobs, chunksize=16)))
        if args.cache:
            with args.cache.open("w", encoding="utf-8") as handle:
                handle.writelines(json.dumps(s) + "\n" for s in samples)
    samples = [(_kept(f), y, g, w) for f, y, g, w in samples if g.split(":", 1)[0] in SOURCES]
    head = fit(samples)
    head.save(args.out or Path(str(model_dir())), EVENT_HEAD)
    print({**head.meta, "seconds": round(time.perf_counter() - started, 1)})


if __name__ == "__main__":
    main()
