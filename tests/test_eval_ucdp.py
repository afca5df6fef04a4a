"""`sitrep eval ucdp-syria`: reading rows, governorate names, one row's scoring."""

from __future__ import annotations

from datetime import date

import pytest

from sitrep.eval import ucdp_syria as ucdp
from sitrep.records import PlaceMention


def _row(**over: str) -> dict[str, str]:
    row = {"id": "1.0", "source_date": "2016-09-21;2016-09-22", "source_headline": "Clashes in Manbij;Shelling on Aleppo",
           "where_prec": "1.0", "adm_1": "Aleppo Governorate", "latitude": "36.53", "longitude": "37.95",
           "date_start": "2016-09-20", "date_end": "2016-09-21"}
    row.update(over)
    return row


def test_article_of_joins_headlines_and_takes_the_first_date() -> None:
    article = ucdp.article_of(_row())
    assert article.text == "Clashes in Manbij\nShelling on Aleppo"
    assert article.published == date(2016, 9, 21)


def test_article_of_decodes_references_before_splitting_headlines() -> None:
    article = ucdp.article_of(_row(source_headline="The &#8220;Islamic State&#8221; shells Manbij;Clashes in Bab"))
    assert article.text == "The \u201cIslamic State\u201d shells Manbij\nClashes in Bab"


@pytest.mark.parametrize("ours, gold, same", [
    ("Aleppo", "Aleppo Governorate", True),
    ("Deir ez-Zor", "Deir ez Zor Governorate", True),
    ("Idlib", "Hamah Governorate", False),
    (None, "", True),
    (None, "Idlib Governorate", False),
])
def test_same_admin1(ours: str | None, gold: str, same: bool) -> None:
    assert ucdp.same_admin1(ours, gold) is same


def test_score_row(event_factory) -> None:  # type: ignore[no-untyped-def]
    event = event_factory("1.0", day="2016-09-21", place=("Manbij", 36.53, 37.95))
    event.location.admin1 = "Aleppo"
    out = ucdp.score_row(_row(), event)
    assert out["detected"] and out["admin1"] and out["date"] and out["km"] < 1
    assert ucdp.score_row(_row(), None) == {"detected": False, "precise": True, "admin1": False}


@pytest.mark.parametrize("ours, gold, similar", [
    ("Hama", "Hamah Governorate", True), ("Dayr az Zawr", "Deir ez Zor Governorate", True),
    ("Dimashq", "Damascus Governorate", False), ("Idlib", "Hamah Governorate", False),
])
def test_similar_admin1_ignores_transliteration(ours: str, gold: str, similar: bool) -> None:
    assert ucdp.similar_admin1(ours, gold) is similar


def test_main_event_wants_violence(event_factory) -> None:  # type: ignore[no-untyped-def]
    deal = event_factory("a", kind="Strategic developments", sub="Agreement", confidence=0.9)
    assert ucdp.main_event([deal]) is None


def test_run_on_a_few_rows(eval_data) -> None:  # type: ignore[no-untyped-def]
    figures = ucdp.run(eval_data, limit=4, workers=1)
    assert figures["rows"] == 4 and 0 <= figures["detection"] <= 1
    assert figures["seconds_per_article"] > 0


def test_heldout_rows_are_those_no_headline_trained_on() -> None:
    from sitrep.events.classify import is_heldout
    from sitrep.eval.ucdp_syria import heldout

    rows = [{"id": str(i), "source_headline": "a; b"} for i in range(200)]
    for row in rows:
        both = is_heldout("ucdp-syria", f"{row['id']}:0") and is_heldout("ucdp-syria", f"{row['id']}:1")
        assert heldout(row) is both
    assert 0 < sum(map(heldout, rows)) < len(rows)


def _outcome(text: str, gold: str, areas: list[str]) -> dict[str, object]:
    return {"detected": True, "precise": False, "admin1": False, "text": text, "gold_area": gold,
            "areas": areas}


def test_admin1_ceiling_takes_one_governorate_per_text() -> None:
    # one headline naming two governorates is two UCDP rows: one reading gets one of them;
    # a headline naming no place gets none
    outcomes = [_outcome("Shelling on Idlib and Hama", "idlib", ["hamah", "idlib"]),
                _outcome("Shelling on Idlib and Hama", "hamah", ["hamah", "idlib"]),
                _outcome("Shelling on Idlib and Hama", "idlib", ["hamah", "idlib"]),
                _outcome("Clashes continue", "aleppo", [])]
    assert ucdp.admin1_ceiling(outcomes) == 0.5
    assert ucdp.summarise(outcomes)["admin1_ceiling"] == 0.5
    assert ucdp.admin1_ceiling([{"detected": False, "precise": False, "admin1": False}]) is None


def _place(name: str, admin1: str | None) -> PlaceMention:
    return PlaceMention(text=name, start=0, end=len(name), name=name, geonameid=None, lat=None, lon=None,
                        country="SY", admin1=admin1, admin2=None)


def test_choices_names_the_governorates_of_the_places_read() -> None:
    places = [_place("Manbij", "Aleppo"), _place("Syria", None)]
    got = ucdp.choices(_row(adm_1="Aleppo Governorate"), "Clashes in Manbij", places)
    assert got == {"text": "Clashes in Manbij", "gold_area": "aleppo", "areas": ["aleppo"]}
