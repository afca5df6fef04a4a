"""`sitrep eval acled`: the 2016 type mapping, one row's scoring, the summary."""

from __future__ import annotations

import pytest

from sitrep.eval import acled


def _row(**over: str) -> dict[str, str]:
    row = {"EVENT_ID_CNTY": "1DRC", "EVENT_DATE": "11/01/2016", "EVENT_TYPE": "Battle-No change of territory",
           "ACTOR1": "Military Forces of Democratic Republic of Congo (2001-)", "ACTOR2": "FDLR: Democratic Forces for the Liberation of Rwanda",
           "LATITUDE": "-1.68", "LONGITUDE": "29.22", "FATALITIES": "0", "NOTES": "FARDC clashed with the FDLR.",
           "COUNTRY": "Democratic Republic of Congo"}
    row.update(over)
    return row


@pytest.mark.parametrize("old, new, sub, right", [
    ("Battle-No change of territory", "Battles", "Armed clash", True),
    ("Battle-No change of territory", "Battles", "Government regains territory", False),
    ("Remote violence", "Explosions/Remote violence", "Shelling/artillery/missile attack", True),
    ("Riots/Protests", "Riots", "Violent demonstration", True),
    ("Riots/Protests", "Battles", "Armed clash", False),
    ("Non-violent transfer of territory", "Strategic developments", "Non-violent transfer of territory", True),
    ("Non-violent transfer of territory", "Strategic developments", "Other", False),
    ("Strategic development", "Strategic developments", "Arrests", True),
])
def test_type_mapping(event_factory, old: str, new: str, sub: str, right: bool) -> None:  # type: ignore[no-untyped-def]
    assert acled.type_right(event_factory("a", kind=new, sub=sub), old) is right


def test_score_row_counts_null_fatalities_as_zero_and_actors_either_order(event_factory) -> None:  # type: ignore[no-untyped-def]
    event = event_factory("1DRC", day="2016-01-11", actors=("FDLR: Democratic Forces for the Liberation of Rwanda",
                                                             "military forces of democratic republic of congo (2001-)"))
    out = acled.score_row(_row(), event)
    assert out["type"] and out["date"] and out["fatalities"] and out["actor1"] and out["actor2"]
    assert out["country"] and not acled.score_row(_row(COUNTRY="Rwanda"), event)["country"]
    assert out["km"] < 1


def test_main_event_skips_planned_and_background(event_factory) -> None:  # type: ignore[no-untyped-def]
    planned = event_factory("a", id="p", confidence=0.99)
    planned.factuality = "planned"
    old = event_factory("a", id="b", confidence=0.9)
    old.background = True
    real = event_factory("a", id="r", confidence=0.3)
    assert acled.main_event([planned, old, real]) is real
    assert acled.main_event([planned]) is None
    verbal = event_factory("a", id="v", confidence=0.95)
    verbal.acled_event = False  # only PLOVER codes it
    assert acled.main_event([verbal, real]) is real


def test_summarise_counts_misses_as_wrong() -> None:
    figures = acled.summarise([{"detected": False, "has_actor2": True},
                               {"detected": True, "has_actor2": False, "type": True, "km": 10.0, "date": True,
                                "fatalities": True, "actor1": True, "actor2": False}])
    assert figures["detection"] == 0.5 and figures["type_accuracy"] == 0.5
    assert figures["type_accuracy_of_detected"] == 1.0 and figures["median_km"] == 10.0
    assert figures["actor2_match"] == 0.0


def test_run_on_a_few_rows(eval_data) -> None:  # type: ignore[no-untyped-def]
    figures = acled.run(eval_data, limit=5, workers=1)
    assert figures["rows"] == 5
    assert 0 <= figures["detection"] <= 1 and figures["seconds_per_article"] > 0
    assert "heldout" in figures and "by_type" in figures


def test_ceiling_counts_rows_some_reading_could_place(event_factory) -> None:  # type: ignore[no-untyped-def]
    palmyra = _row(LOCATION="Palmyra", LATITUDE="34.56", LONGITUDE="38.28")
    assert acled.reachable(palmyra, [], {"km": 300.0})  # the index knows a Palmyra there
    nowhere = _row(LOCATION="Palmyra", LATITUDE="0.5", LONGITUDE="-30.0")  # mid-Atlantic
    assert not acled.reachable(nowhere, [], {"km": 300.0})
    assert acled.reachable(nowhere, [], {"km": 3.0})  # placed right is reachable
    figures = acled.summarise([{"detected": True, "has_actor2": False, "km": 300.0, "reachable": True},
                               {"detected": False, "has_actor2": False, "reachable": False}])
    assert figures["location_within_25km"] == 0.0 and figures["location_within_25km_ceiling"] == 0.5
    assert acled.summarise([{"detected": False, "has_actor2": False}])["location_within_25km_ceiling"] is None
