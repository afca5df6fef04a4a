"""`sitrep eval timex`: dates against TempEval-3 TimeBank and AQUAINT (../shared/eval/README.md).

Each .tml file's <TEXT> becomes the article (tags stripped, entities decoded) and its creation time
the publication date. Gold: TIMEX3 of type DATE with a calendar value. A gold date is found when a
reported date overlaps it; a reported date overlapping any TIMEX3 (any type) is no false alarm.
"""

from __future__ import annotations

import html
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..errors import EvalError
from ..nlp import parse
from ..records import DateMention
from ..time import read_dates
from .core import Figures, Progress, f1, ratio, require, track

__all__ = ["NAME", "DESCRIPTION", "run", "Timex", "Document", "read_tml", "score", "Tally"]

NAME = "timex"
DESCRIPTION = "dates (TIMEX3 DATE, calendar values) in TempEval-3 TimeBank + AQUAINT"

CALENDAR = re.compile(r"\d{4}(?:-\d\d(?:-\d\d)?|-W\d\d)?")
_TAG = re.compile(r"<(/?)(\w+)([^>]*?)(/?)>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')
FOLDERS = {"tbaq": Path("TempEval3/TBAQ-cleaned"), "platinum": Path("TempEval3/te3-platinum")}


@dataclass(frozen=True)
class Timex:
    start: int
    end: int
    type: str
    value: str

    @property
    def calendar_date(self) -> bool:
        return self.type == "DATE" and CALENDAR.fullmatch(self.value) is not None


@dataclass
class Document:
    name: str
    text: str
    published: date
    timexes: list[Timex]


def read_tml(path: Path) -> Document:
    """The plain body text of a TimeML file, its creation date and its TIMEX3 spans in that text."""
    raw = path.read_text(encoding="utf-8")
    dct = re.search(r"<TIMEX3[^>]*functionInDocument=\"CREATION_TIME\"[^>]*>", raw)
    body = re.search(r"<TEXT>(.*)</TEXT>", raw, re.S)
    if dct is None or body is None:
        raise EvalError(f"{path}: no creation time or no <TEXT> in this TimeML file")
    value = dict(_ATTR.findall(dct.group(0)))["value"]
    text, timexes = _strip(body.group(1))
    return Document(path.stem, text, date.fromisoformat(value[:10]), timexes)


def _strip(markup: str) -> tuple[str, list[Timex]]:
    parts: list[str] = []
    length = 0
    open_timex: tuple[int, dict[str, str]] | None = None
    timexes: list[Timex] = []
    pos = 0
    for tag in _TAG.finditer(markup):
        chunk = html.unescape(markup[pos : tag.start()])
        parts.append(chunk)
        length += len(chunk)
        pos = tag.end()
        if tag.group(2) != "TIMEX3" or tag.group(4):
            continue
        if not tag.group(1):
            open_timex = (length, dict(_ATTR.findall(tag.group(3))))
        elif open_timex is not None:
            start, attrs = open_timex
            timexes.append(Timex(start, length, attrs.get("type", ""), attrs.get("value", "")))
            open_timex = None
    parts.append(html.unescape(markup[pos:]))
    return "".join(parts), timexes


@dataclass
class Tally:
    """Counts over documents; ``figures()`` turns them into the task's figures."""

    n_gold: int = 0
    found: int = 0
    right: int = 0
    n_pred: int = 0
    pred_ok: int = 0
    seconds: float = 0.0
    docs: int = 0

    def figures(self) -> Figures:
        recall, precision = ratio(self.found, self.n_gold), ratio(self.pred_ok, self.n_pred)
        accuracy = ratio(self.right, self.found)
        span_f1 = f1(precision, recall)
        return {
            "span_recall": recall,
            "span_precision": precision,
            "value_accuracy": accuracy,
            "value_f1": round(span_f1 * accuracy, 4) if span_f1 is not None and accuracy else 0.0,
            "n_gold": self.n_gold,
            "n_pred": self.n_pred,
            "documents": self.docs,
            "ms_per_article": round(1000 * self.seconds / self.docs, 1) if self.docs else None,
        }


def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def score(tally: Tally, gold: list[Timex], predicted: list[DateMention]) -> None:
    """Add one document's gold TIMEX3s and reported dates to ``tally``."""
    for timex in (t for t in gold if t.calendar_date):
        tally.n_gold += 1
        hits = [p for p in predicted if _overlaps(p.start, p.end, timex.start, timex.end)]
        tally.found += bool(hits)
        tally.right += any(p.value == timex.value for p in hits)
    tally.n_pred += len(predicted)
    tally.pred_ok += sum(
        any(_overlaps(p.start, p.end, t.start, t.end) for t in gold) for p in predicted
    )


def evaluate(paths: Iterable[Path]) -> Tally:
    tally = Tally()
    for path in paths:
        doc = read_tml(path)
        started = time.perf_counter()
        predicted = read_dates(parse(doc.text), doc.published)
        tally.seconds += time.perf_counter() - started
        tally.docs += 1
        score(tally, doc.timexes, predicted)
    return tally


def run(data_dir: Path, *, limit: int | None = None, progress: Progress | None = None) -> Figures:
    """Figures for TBAQ-cleaned, and for te3-platinum as a second check when it is there."""
    require(data_dir / FOLDERS["tbaq"])
    figures: Figures = {}
    for name, sub in FOLDERS.items():
        if not (data_dir / sub).is_dir():
            continue
        paths = sorted((data_dir / sub).rglob("*.tml"))[:limit]
        if not paths:
            raise EvalError(
                f"{data_dir / sub}: no .tml files; pass --data DIR (the shared/eval folder)"
            )
        tally = evaluate(track(paths, progress, total=len(paths), label=f"timex {name}"))
        figures[name] = tally.figures()
    return figures
