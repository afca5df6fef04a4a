"""`plover`: PLOVER event types of the PLOVER gold-standard sentences.

Each record's ``text`` is one article (``published`` = its ``date``); the prediction is the PLOVER
type (``event.plover["event_type"]``) of sitrep's highest-confidence event, none when it finds no
event or the event has no PLOVER coding. Figures: accuracy on all records and (``heldout_*``) on
the 30 % the PLOVER classifier never trained on (``sitrep.events.classify.is_heldout``): the
held-out figures are the honest ones. ``classifier_only_*`` score the classifiers alone:
``plover_for`` of the ACLED label where the event classifier finds one and it maps, else
``predict_plover`` on the sentence.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from ..events.classify import is_heldout, predict
from ..events.plover import plover_for, predict_plover
from ..pipeline import extract
from ..records import Article, Event
from .core import Figures, Progress, ratio, require, track

NAME = "plover"
DESCRIPTION = "PLOVER event type of the highest-confidence event, PLOVER gold-standard records"
FOLDER = "PLOVER-GSR"
FILE = "PLOVER_GSR_CAMEO.json"
NONE = "none"
# An ACLED label must be this sure before it decides the PLOVER type over the PLOVER classifier.
ACLED_FIRST = 0.5


def load(data_dir: Path, *, limit: int | None = None) -> list[dict[str, Any]]:
    records = json.loads(require(data_dir / FOLDER / FILE).read_text(encoding="utf-8"))
    rows = [r for r in records if r.get("event") not in (None, "DOCUMENT") and r.get("text")]
    return rows[:limit] if limit else rows


def top_plover(events: Sequence[Event]) -> str:
    """The PLOVER type of the highest-confidence event; "none" for no event or no PLOVER coding."""
    if not events:
        return NONE
    best = max(events, key=lambda e: e.confidence)
    return (best.plover or {}).get("event_type") or NONE


def classifier_only(texts: Sequence[str]) -> list[str]:
    """PLOVER type from the ACLED label where it is sure and maps, else from the PLOVER model."""
    out = []
    for text, acled, (ptype, _mode, _p) in zip(texts, predict(texts), predict_plover(texts)):
        coded = None
        if acled.sub_event_type and acled.probability >= ACLED_FIRST:
            coded = plover_for(acled.event_type or "", acled.sub_event_type, text)
        out.append((coded or {}).get("event_type") or ptype or NONE)
    return out


def accuracy(gold: Sequence[str], pred: Sequence[str],
             keep: Sequence[bool] | None = None) -> float | None:
    pairs = [(g, p) for i, (g, p) in enumerate(zip(gold, pred)) if keep is None or keep[i]]
    return ratio(sum(1 for g, p in pairs if g == p), len(pairs))


def _published(record: dict[str, Any]) -> date | None:
    try:
        return date.fromisoformat(str(record.get("date")))
    except ValueError:
        return None


def run(data_dir: Path, *, limit: int | None = None, progress: Progress | None = None) -> Figures:
    rows = load(data_dir, limit=limit)
    gold = [r["event"] for r in rows]
    heldout = [is_heldout(NAME, r["id"]) for r in rows]
    pipeline = [
        top_plover(extract(Article(id=r["id"], text=r["text"], published=_published(r))))
        for r in track(rows, progress, total=len(rows), label=NAME)
    ]
    alone = classifier_only([r["text"] for r in rows])
    plover_model = [p or NONE for p, _m, _s in predict_plover([r["text"] for r in rows])]
    return {
        "rows": len(rows),
        "heldout_rows": sum(heldout),
        "rows_with_plover": sum(1 for p in pipeline if p != NONE),
        "accuracy": accuracy(gold, pipeline),
        "heldout_accuracy": accuracy(gold, pipeline, heldout),
        "classifier_only_accuracy": accuracy(gold, alone),
        "classifier_only_heldout_accuracy": accuracy(gold, alone, heldout),
        "plover_model_only_accuracy": accuracy(gold, plover_model),
        "plover_model_only_heldout_accuracy": accuracy(gold, plover_model, heldout),
    }
