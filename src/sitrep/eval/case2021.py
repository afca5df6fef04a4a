"""`case2021`: ACLED sub-event types of news snippets (CASE 2021 shared task 2).

Each row is one article (published 2021-01-01, text = EventSnippet); the prediction is the
sub-event type of sitrep's highest-confidence ACLED event (``acled_event``), or "none" when it
finds none. The five codes
that are not ACLED events (ORG_CRIME, NATURAL_DISASTER, MAN_MADE_DISASTER, DIPLO, ATTRIB) are
"none" in gold. Figures: accuracy and macro-F1, on all rows and (``heldout_*``) on the 30 % of
rows the event classifier never trained on (``sitrep.events.classify.is_heldout``): the held-out
figures are the honest ones, the all-row ones include training rows. ``classifier_only_*`` score
the n-gram sentence classifier alone on the whole snippet, without the event assembly, and
``encoded_classifier_only_*`` the classifier that also reads the pretrained sentence encoder.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from ..events.classify import is_heldout, predict, predict_encoded
from ..events.taxonomy import NONE, case2021_label
from ..pipeline import extract
from ..records import Article, Event
from .core import Figures, Progress, ratio, require, track

NAME = "case2021"
DESCRIPTION = "ACLED sub-event types of CASE 2021 task-2 snippets: accuracy and macro-F1"
FOLDER = "CASE2021-Task2-ACLED-subtypes"
FILE = "test_set_final_release_with_labels.tsv"
PUBLISHED = date(2021, 1, 1)


def load(data_dir: Path, *, limit: int | None = None) -> list[dict[str, str]]:
    path = require(data_dir / FOLDER / FILE)
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle, delimiter="\t") if r.get("EventSnippet")]
    return rows[:limit] if limit else rows


def top_label(events: Sequence[Event]) -> str:
    """The sub-event type of the highest-confidence ACLED event, "none" for no event (an event
    only PLOVER codes, a sanction or a threat, is no ACLED event: CASE's DIPLO is "none")."""
    acled = [e for e in events if e.acled_event]
    if not acled:
        return NONE
    return max(acled, key=lambda e: e.confidence).sub_event_type


def macro_f1(gold: Sequence[str], pred: Sequence[str]) -> float | None:
    """Mean F1 over every label that occurs in gold or in the predictions."""
    labels = sorted(set(gold) | set(pred))
    if not labels:
        return None
    scores = [_label_f1(gold, pred, label) for label in labels]
    return round(sum(scores) / len(scores), 4)


def _label_f1(gold: Sequence[str], pred: Sequence[str], label: str) -> float:
    tp = sum(1 for g, p in zip(gold, pred) if g == label and p == label)
    fp = sum(1 for g, p in zip(gold, pred) if g != label and p == label)
    fn = sum(1 for g, p in zip(gold, pred) if g == label and p != label)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def accuracy(gold: Sequence[str], pred: Sequence[str]) -> float | None:
    return ratio(sum(1 for g, p in zip(gold, pred) if g == p), len(gold))


def score(gold: Sequence[str], pred: Sequence[str], heldout: Sequence[bool], *,
          prefix: str = "") -> Figures:
    """Accuracy and macro-F1 on all rows and on the held-out ones, keys prefixed by ``prefix``."""
    kept = [i for i, h in enumerate(heldout) if h]
    hg, hp = [gold[i] for i in kept], [pred[i] for i in kept]
    return {
        f"{prefix}accuracy": accuracy(gold, pred),
        f"{prefix}macro_f1": macro_f1(gold, pred),
        f"{prefix}heldout_accuracy": accuracy(hg, hp),
        f"{prefix}heldout_macro_f1": macro_f1(hg, hp),
    }


def _article(row: dict[str, str]) -> Article:
    return Article(id=f"case2021-{row['id']}", text=row["EventSnippet"], published=PUBLISHED)


def run(data_dir: Path, *, limit: int | None = None, progress: Progress | None = None) -> Figures:
    rows = load(data_dir, limit=limit)
    gold = [case2021_label(r["SubType"]) for r in rows]
    heldout = [is_heldout(NAME, r["id"]) for r in rows]
    pipeline = [top_label(extract(_article(r))) for r in track(rows, progress, total=len(rows),
                                                              label=NAME)]
    texts = [r["EventSnippet"] for r in rows]
    alone = [p.sub_event_type or NONE for p in predict(texts)]
    encoded = [p.sub_event_type or NONE for p in predict_encoded(texts)]
    figures: dict[str, Any] = {"rows": len(rows), "heldout_rows": sum(heldout),
                               "rows_with_event": sum(1 for p in pipeline if p != NONE)}
    figures.update(score(gold, pipeline, heldout))
    figures.update(score(gold, alone, heldout, prefix="classifier_only_"))
    figures.update(score(gold, encoded, heldout, prefix="encoded_classifier_only_"))
    return figures
