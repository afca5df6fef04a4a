"""The `plover` eval task: scorer on a hand-made case, and a short run on the real file."""

from __future__ import annotations

from datetime import date

import pytest

from sitrep.eval import plover, task
from sitrep.eval.core import default_data_dir
from sitrep.records import Event, Location


def _event(ptype: str | None, confidence: float) -> Event:
    place = Location("X", None, None, None, None, None, None, 3)
    day = date(2021, 1, 1)
    return Event(id=str(ptype), event_date=day, date_end=day, date_precision="day",
                 event_type="Strategic developments", sub_event_type="Other", actor1=None,
                 actor2=None, location=place, evidence=[], article_ids=["a"],
                 plover={"event_type": ptype, "mode": ""} if ptype else None, confidence=confidence)


def test_top_plover():
    assert plover.top_plover([]) == "none"
    assert plover.top_plover([_event("AGREE", 0.3), _event("FIGHT", 0.8)]) == "FIGHT"
    assert plover.top_plover([_event(None, 0.9), _event("AGREE", 0.3)]) == "none"


def test_accuracy_with_and_without_a_mask():
    gold, pred = ["AGREE", "FIGHT", "DEMAND"], ["AGREE", "none", "DEMAND"]
    assert plover.accuracy(gold, pred) == round(2 / 3, 4)
    assert plover.accuracy(gold, pred, [False, True, False]) == 0.0
    assert plover.accuracy([], []) is None


def test_classifier_only_reads_the_sentence():
    text = "Rebels and soldiers fought a fierce gun battle near the airport."
    out = plover.classifier_only([text])
    assert out == ["FIGHT"]


def test_registered():
    assert task("plover").NAME == "plover"


def test_run_on_a_few_rows():
    data = default_data_dir()
    if not (data / plover.FOLDER).is_dir():
        pytest.skip(f"PLOVER data not found under {data}")
    figures = plover.run(data, limit=5)
    assert figures["rows"] == 5
    assert 0.0 <= figures["classifier_only_accuracy"] <= 1.0
