"""sitrep eval timex: TimeML reading and the scorer, on a hand-made file and a few TBAQ files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from sitrep.eval import timex
from sitrep.eval.timex import Tally, Timex, evaluate, read_tml, score
from sitrep.records import DateMention

TML = """<?xml version="1.0" ?>
<TimeML>
<DOCID>TEST0001</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="1998-02-13" functionInDocument="CREATION_TIME">1998-02-13</TIMEX3></DCT>
<TEXT>
Talks &amp; strikes resumed <TIMEX3 tid="t1" type="DATE" value="1998-02-12">Thursday</TIMEX3>, <EVENT eid="e1">weeks</EVENT>
after a truce in <TIMEX3 tid="t2" type="DATE" value="1997-12">December</TIMEX3> that lasted
<TIMEX3 tid="t3" type="DURATION" value="P2W">two weeks</TIMEX3>, officials said <TIMEX3 tid="t4" type="DATE" value="PRESENT_REF">now</TIMEX3>.
</TEXT>
</TimeML>
"""


def mention(text: str, body: str, value: str) -> DateMention:
    start = body.index(text)
    day = date(1998, 1, 1)
    return DateMention(text, start, start + len(text), value, "day", day, day)


@pytest.fixture()
def tml(tmp_path: Path) -> Path:
    path = tmp_path / "TEST0001.tml"
    path.write_text(TML, encoding="utf-8")
    return path


def test_eval_timex_reads_text_offsets_and_creation_time(tml: Path) -> None:
    doc = read_tml(tml)
    assert doc.published == date(1998, 2, 13)
    assert "Talks & strikes" in doc.text and "<" not in doc.text
    assert [doc.text[t.start : t.end] for t in doc.timexes] == [
        "Thursday",
        "December",
        "two weeks",
        "now",
    ]
    assert [t.calendar_date for t in doc.timexes] == [True, True, False, False]


def test_eval_timex_scorer_counts_misses_wrong_values_and_false_alarms(tml: Path) -> None:
    doc = read_tml(tml)
    predicted = [
        mention("Thursday", doc.text, "1998-02-12"),  # found, right
        mention("two weeks", doc.text, "1998-W05"),  # overlaps a DURATION: no false alarm
        mention("officials", doc.text, "1998"),  # overlaps nothing: a false alarm
    ]  # "December" is missed
    tally = Tally()
    score(tally, doc.timexes, predicted)
    figures = tally.figures()
    assert (tally.n_gold, tally.found, tally.right, tally.n_pred, tally.pred_ok) == (2, 1, 1, 3, 2)
    assert figures["span_recall"] == 0.5
    assert figures["span_precision"] == 0.6667
    assert figures["value_accuracy"] == 1.0
    assert figures["value_f1"] == pytest.approx(0.5714, abs=1e-4)


def test_eval_timex_wrong_value_lowers_accuracy(tml: Path) -> None:
    doc = read_tml(tml)
    tally = Tally()
    score(tally, doc.timexes, [mention("December", doc.text, "1998-12")])
    assert (tally.found, tally.right) == (1, 0)
    assert tally.figures()["value_f1"] == 0.0


def test_eval_timex_gold_is_calendar_dates_only() -> None:
    kept = [
        Timex(0, 1, "DATE", v).calendar_date for v in ("1998", "1998-02", "1998-02-12", "1998-W07")
    ]
    dropped = [
        Timex(0, 1, t, v).calendar_date
        for t, v in [
            ("DATE", "1998-Q3"),
            ("DATE", "PAST_REF"),
            ("DATE", "1998-W7"),
            ("TIME", "1998-02-12"),
            ("DATE", "199X"),
            ("DURATION", "P1Y"),
        ]
    ]
    assert all(kept) and not any(dropped)


def test_eval_timex_end_to_end_on_a_hand_made_file(tml: Path) -> None:
    tally = evaluate([tml])
    figures = tally.figures()
    assert (figures["n_gold"], figures["documents"]) == (2, 1)
    assert figures["span_recall"] == 1.0 and figures["value_accuracy"] == 1.0


def test_eval_timex_on_a_few_tbaq_files(eval_data: Path) -> None:
    folder = eval_data / timex.FOLDERS["tbaq"]
    if not folder.is_dir():
        pytest.skip(f"no TempEval-3 data at {folder}")
    figures = timex.run(eval_data, limit=4)["tbaq"]
    assert figures["documents"] == 4 and figures["n_gold"] > 0
    assert figures["span_recall"] > 0.7 and figures["value_accuracy"] > 0.7
