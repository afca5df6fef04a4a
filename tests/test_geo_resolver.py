"""The trained place resolver: its model file, and the places it must never invent.

Sentences here are written for these tests (none comes from an evaluation set)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitrep import geo
from sitrep.errors import ModelError
from sitrep.geo.features import CANDIDATE_FEATURES, NULL_FEATURES
from sitrep.geo.model import PlaceModel, get_model, load_model
from sitrep.nlp import parse


def _places(text: str):
    return geo.read_places(parse(text))


def test_geo_model_ships_a_weight_for_every_named_feature():
    model = get_model()
    assert len(model.weights) == len(CANDIDATE_FEATURES)
    assert len(model.null_weights) == len(NULL_FEATURES)
    assert any(w != 0 for w in model.weights)


def test_geo_model_with_other_features_is_refused(tmp_path: Path):
    data = get_model().to_dict()
    data["features"] = data["features"][1:] + data["features"][:1]  # reordered
    path = tmp_path / "m.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ModelError, match="retrain"):
        load_model(path)
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ModelError):
        load_model(path)
    with pytest.raises(ModelError):
        load_model(tmp_path / "missing.json")


def test_geo_model_round_trips():
    model = get_model()
    assert PlaceModel.from_dict(model.to_dict()) == PlaceModel(
        tuple(round(w, 6) for w in model.weights), tuple(round(w, 6) for w in model.null_weights))


@pytest.mark.parametrize("text", [
    "A spokeswoman for the White House declined to comment on the report.",
    "The White House said it was studying the proposal.",
])
def test_geo_white_house_is_not_casablanca(text):
    assert all(p.country != "MA" for p in _places(text))


@pytest.mark.parametrize("text", [
    "Two rockets landed near Bagram Air Base on Sunday.",
    "A convoy was hit outside Bagram Air Base, north of Kabul.",
])
def test_geo_bagram_air_base_is_in_afghanistan(text):
    places = _places(text)
    assert all(p.country == "AF" for p in places), places
    base = next(p for p in places if p.text.startswith("Bagram"))
    assert base.admin1 == "Parwan"


@pytest.mark.parametrize("text", [
    "US strikes on Ras Isa port in Yemen killed dozens of people, the Houthis said.",
    "Warplanes struck the Ras Isa fuel port on the Red Sea coast of Yemen.",
])
def test_geo_ras_isa_stays_in_yemen(text):
    places = _places(text)
    assert not any(p.country == "JP" for p in places), places
    assert any(p.country == "YE" for p in places)


def test_geo_named_admin_area_is_the_area_with_its_own_point():
    places = _places("Airstrikes hit several villages in Idlib governorate on Friday.")
    idlib = next(p for p in places if p.text == "Idlib")
    assert (idlib.feature, idlib.country, idlib.admin1) == ("admin1", "SY", "Idlib")
    assert 35.0 < idlib.lat < 36.7 and 36.0 < idlib.lon < 37.2


def test_geo_named_district_carries_its_governorate():
    places = _places("Clashes were reported in the Manbij district of northern Syria.")
    manbij = next(p for p in places if p.text == "Manbij")
    assert manbij.feature == "admin2" and manbij.admin1 == "Aleppo"


def test_geo_town_carries_admin_names():
    places = _places("Gunmen attacked a police checkpoint in Charikar on Tuesday night.")
    town = next(p for p in places if p.text == "Charikar")
    assert (town.country, town.admin1, town.feature) == ("AF", "Parwan", "city") and town.admin2


def test_geo_scores_are_probabilities():
    places = _places("Protesters marched from Aleppo to Homs and on to Damascus.")
    assert places and all(0.0 < p.score <= 1.0 for p in places)


def test_geo_village_the_index_lacks_falls_back_to_the_area_named():
    places = _places("Militants attacked Zarqunabad in Idlib province on Monday.")
    village = next(p for p in places if p.text == "Zarqunabad")
    # the governorate's point and name, and a feature that says only the area is known
    assert (village.feature, village.country, village.admin1, village.geonameid) == (
        "admin1", "SY", "Idlib", next(p for p in places if p.text == "Idlib").geonameid)


def test_geo_a_list_after_a_comma_is_no_container():
    places = _places("Protesters gathered in Kasserine, Tunis, Gafsa and Sfax.")
    assert [p.feature for p in places] == ["city"] * 4


def test_geo_a_countrys_sea_coast_lies_in_that_country():
    places = _places("Air strikes on a fuel port on Yemen's Red Sea coast killed dozens.")
    coast = next(p for p in places if p.text == "Red Sea")
    assert (coast.country, coast.feature, coast.admin1) == ("YE", "region", None)
    assert 12.0 < coast.lat < 19.0 and 42.0 < coast.lon < 54.0  # inside Yemen, not mid-sea


def test_geo_a_sea_alone_belongs_to_no_country():
    places = _places("Pirates attacked a tanker in the Red Sea on Monday.")
    assert next(p for p in places if p.text == "Red Sea").country is None


@pytest.mark.parametrize("text", [
    "Gunmen attacked Long Beach in the Somali capital, Mogadishu, on Friday. "
    "Long Beach was crowded at the time.",
    "A car bomb exploded near Venice Beach in the Libyan capital, Tripoli, on Friday.",
])
def test_geo_a_place_said_to_lie_in_a_capital_is_not_a_namesake_abroad(text: str) -> None:
    # the container is named past an article and a demonym ("in the Somali capital,
    # Mogadishu"), and the same name later in the article is the same place
    countries = {p.country for p in _places(text)}
    assert len(countries) == 1 and "US" not in countries


def test_geo_an_in_phrase_that_names_no_place_is_no_container():
    places = _places("Three people were killed in Khan Younis in Israeli strikes on Tuesday.")
    assert any(p.text == "Khan Younis" for p in places)
