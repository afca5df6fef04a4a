"""The `case2021` eval task: scorer on a hand-made case, and a short run on the real file."""

from __future__ import annotations

from datetime import date

import pytest

from sitrep.eval import case2021, task
from sitrep.eval.core import default_data_dir
from sitrep.events.taxonomy import case2021_label
from sitrep.records import Event, Location


def _event(sub: str, confidence: float) -> Event:
    place = Location("X", None, None, None, None, None, None, 3)
    day = date(2021, 1, 1)
    return Event(id=sub, event_date=day, date_end=day, date_precision="day", event_type="Battles",
                 sub_event_type=sub, actor1=None, actor2=None, location=place, evidence=[],
                 article_ids=["a"], confidence=confidence)


def test_macro_f1_and_accuracy_on_a_hand_made_case():
    gold = ["Armed clash", "Armed clash", "none", "Arrests"]
    pred = ["Armed clash", "none", "none", "Armed clash"]
    # Armed clash: tp 1, fp 1, fn 1 -> 0.5; none: tp 1, fp 1 -> 2/3; Arrests: 0.
    assert case2021.macro_f1(gold, pred) == round((0.5 + 2 / 3 + 0.0) / 3, 4)
    assert case2021.accuracy(gold, pred) == 0.5
    assert case2021.macro_f1([], []) is None


def test_score_splits_heldout_rows():
    figures = case2021.score(["a", "b", "c"], ["a", "b", "x"], [False, True, True], prefix="p_")
    assert figures["p_accuracy"] == round(2 / 3, 4)
    assert figures["p_heldout_accuracy"] == 0.5


def test_top_label_takes_the_most_confident_event():
    assert case2021.top_label([]) == "none"
    assert case2021.top_label([_event("Armed clash", 0.4), _event("Attack", 0.9)]) == "Attack"


def test_top_label_counts_no_event_only_plover_codes():
    sanctions = _event("Other", 0.9)
    sanctions.acled_event = False  # a PLOVER SANCTION: CASE's DIPLO, "no event" in ACLED terms
    assert case2021.top_label([sanctions]) == "none"
    assert case2021.top_label([sanctions, _event("Armed clash", 0.2)]) == "Armed clash"


@pytest.mark.parametrize(("code", "label"), [("AIR_STRIKE", "Air/drone strike"), ("DIPLO", "none"),
                                             ("NATURAL_DISASTER", "none"), ("ARREST", "Arrests")])
def test_case_codes(code, label):
    assert case2021_label(code) == label


def test_registered():
    assert task("case2021").NAME == "case2021"


def test_run_on_a_few_rows():
    data = default_data_dir()
    if not (data / case2021.FOLDER).is_dir():
        pytest.skip(f"CASE 2021 data not found under {data}")
    figures = case2021.run(data, limit=6)
    assert figures["rows"] == 6
    assert 0.0 <= figures["classifier_only_accuracy"] <= 1.0
    assert 0.0 <= figures["encoded_classifier_only_accuracy"] <= 1.0
    assert {"accuracy", "macro_f1", "heldout_accuracy", "heldout_macro_f1"} <= set(figures)
