"""The geo scorer on hand-made cases: found, resolved within 161 km, precision."""

from __future__ import annotations

import pytest

from sitrep.eval import geo as geo_eval
from sitrep.eval.core import capitalised_names, default_data_dir
from sitrep.records import PlaceMention


def _place(start: int, end: int, lat: float | None, lon: float | None) -> PlaceMention:
    return PlaceMention(text="x", start=start, end=end, name="x", geonameid=None, lat=lat,
                        lon=lon, country=None, admin1=None, admin2=None)


def test_eval_geo_scores_a_tiny_case():
    gold = [geo_eval.Gold(0, 5, 33.5, 38.65),      # found, right
            geo_eval.Gold(10, 15, 36.05, 40.73),   # found, 300+ km off
            geo_eval.Gold(20, 25, 34.56, 38.28)]   # missed
    places = [_place(0, 7, 33.6, 38.7), _place(12, 14, 33.5, 38.65), _place(40, 45, 0.0, 0.0)]
    tally = geo_eval.Tally()
    geo_eval.score_document(places, gold, tally)
    figures = tally.figures(with_precision=True)
    assert (tally.gold, tally.found, tally.resolved) == (3, 2, 1)
    assert figures["recall"] == pytest.approx(0.6667)
    assert figures["accuracy_161km_of_found"] == 0.5
    assert figures["recall_161km"] == pytest.approx(0.3333)
    assert figures["precision"] == pytest.approx(0.6667)
    assert "precision" not in tally.figures(with_precision=False)


def test_eval_geo_ceiling_asks_whether_the_index_could_have_placed_it():
    text = "Fighting in Palmyra and in Atlantis."
    gold = [geo_eval.Gold(12, 19, 34.56, 38.28),    # a Palmyra near there is indexed
            geo_eval.Gold(27, 35, 34.56, 38.28)]    # no place called Atlantis is
    tally = geo_eval.Tally()
    geo_eval.score_document([_place(12, 19, 0.0, 0.0), _place(27, 35, 0.0, 0.0)], gold, tally, text)
    assert (tally.found, tally.resolved, tally.reachable) == (2, 0, 1)
    assert tally.figures(with_precision=False)["accuracy_161km_ceiling"] == 0.5
    # a building the index lacks is reachable through the town in its name
    museum = geo_eval.Tally()
    geo_eval.score_document([_place(0, 14, 0.0, 0.0)], [geo_eval.Gold(0, 14, 34.56, 38.28)], museum,
                            "Palmyra Museum was shelled.")
    assert museum.reachable == 1


def test_capitalised_names_are_runs_of_capitalised_words():
    names = capitalised_names("Shelling hit Deir Ezzor, al-Mayadin and the Euphrates Dam.")
    assert {"Shelling", "Deir Ezzor", "Ezzor", "al-Mayadin", "Euphrates Dam"} <= names
    assert "Ezzor al-Mayadin" not in names  # a comma ends a name
    assert not capitalised_names("no names here")


def test_eval_geo_place_without_coordinates_is_found_not_resolved():
    tally = geo_eval.Tally()
    geo_eval.score_document([_place(0, 5, None, None)], [geo_eval.Gold(0, 5, 1.0, 1.0)], tally)
    assert (tally.found, tally.resolved, tally.errors_km) == (1, 0, [])


def test_eval_geo_reads_lgl_spans():
    path = default_data_dir() / "LGL" / "lgl.xml"
    if not path.exists():
        pytest.skip("LGL data not found (set SITREP_EVAL_DATA)")
    _doc_id, text, gold = next(iter(geo_eval.read_lgl(path)))
    assert gold and all(text[g.start:g.end].strip() for g in gold)


@pytest.mark.slow
def test_eval_geo_runs_on_a_subset():
    data = default_data_dir()
    if not (data / "LGL").exists() or not (data / "GeoWebNews").exists():
        pytest.skip("geo eval data not found (set SITREP_EVAL_DATA)")
    figures = geo_eval.run(data, limit=10)
    assert figures["lgl"]["n_articles"] == 10 and figures["gwn"]["precision"] is not None
