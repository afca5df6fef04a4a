"""Admin-area names: one spelling per area (UCDP GED's), for towns, areas and UCDP sites alike;
and the site-list script that derives those names and site spellings."""

from __future__ import annotations

import importlib.util
from collections import Counter
from pathlib import Path

import pytest

from sitrep import geo
from sitrep.geo import build
from sitrep.nlp import parse

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def build_sites():
    path = ROOT / "scripts" / "build_sites.py"
    spec = importlib.util.spec_from_file_location("build_sites", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_geo_admin_names_table_is_shipped_and_one_name_per_area():
    rows = build._csv("admin_names.csv")
    codes = Counter(r["code"] for r in rows)
    assert rows and max(codes.values()) == 1
    names = Counter((r["code"].count("."), r["country"], r["name"]) for r in rows)
    assert max(names.values()) == 1  # no two areas of one level share a name


@pytest.mark.parametrize("town,area", [("Deir ez-Zor", "Deir ez Zor"), ("Hama", "Hamah"),
                                       ("Douma", "Rif Dimashq"), ("Raqqa", "Ar Raqqah")])
def test_geo_towns_report_the_ucdp_admin1_spelling(town, area):
    found = [c for c in geo.lookup(town, country="SY") if c.feature in {"city", "admin1"}]
    assert found and area in {c.admin1 for c in found}
    assert {c.admin1 for c in found if c.feature == "admin1"} <= {area}


def test_geo_every_place_in_a_syrian_governorate_shares_its_name():
    admin1 = {c.name for c in geo.lookup("Aleppo", country="SY") if c.feature == "admin1"}
    assert admin1 == {"Aleppo"}
    spellings = {c.admin1 for name in ("Manbij", "Al-Bab", "Azaz", "Aleppo")
                 for c in geo.lookup(name, country="SY") if c.feature != "admin1"}
    assert spellings == {"Aleppo"}


def test_geo_damascus_city_is_in_damascus_not_dimashq():
    places = geo.read_places(parse("Shells fell on the old city of Damascus on Sunday."))
    assert places[0].admin1 == "Damascus"


def test_geo_admin_name_is_searchable_as_a_name():
    assert any(c.feature == "admin1" for c in geo.lookup("Deir ez Zor Governorate"))


def test_geo_site_areas_map_onto_index_names():
    builder = build._Builder()
    builder.load_countries()
    builder.load_subdivisions()
    rec = {"country": "SY", "admin1": "Hamah", "admin2": "", "lat": "35.1", "lon": "36.7"}
    assert builder._site_areas(rec)[0] == "Hamah"
    rec["admin1"] = "Dayr az Zawr"  # GeoNames' own spelling maps onto the same area
    assert builder._site_areas(rec)[0] == "Deir ez Zor"


def test_build_sites_votes_pick_ucdp_spelling(build_sites):
    known = {"XX.01": {"Dayr az Zawr", "Deir ez-Zor"}, "XX.02": {"Alpha"}}
    votes = {"XX.01": Counter({"Deir ez Zor": 40, "Homs": 2}),
             "XX.02": Counter({"Beta": 2})}  # too few votes for a name GeoNames lacks
    table = build_sites.admin_names(votes, known)
    assert table == [["XX", "XX.01", "Deir ez Zor", "40"]]


def test_build_sites_new_name_needs_clear_majority(build_sites):
    votes = {"XX.05": Counter({"Gamma": 7, "Delta": 5})}
    assert build_sites.admin_names(votes, {"XX.05": {"Epsilon"}}) == []
    votes = {"XX.05": Counter({"Gamma": 9, "Delta": 1})}
    assert build_sites.admin_names(votes, {"XX.05": {"Epsilon"}})[0][2] == "Gamma"


@pytest.mark.parametrize("raw,name", [("Nad Ali district (Marja)", "Nad Ali"),
                                      ("Donetsk oblast", "Donetsk"),
                                      ("Hamah Governorate", "Hamah")])
def test_build_sites_area_names_drop_level_words(build_sites, raw, name):
    assert build_sites.area_name(raw) == name


@pytest.mark.parametrize("raw,names,feature", [
    ("Jabal Foo mountain", ["Jabal Foo mountain", "Jabal Foo"], "site"),
    ("Qaryat Bar camp", ["Qaryat Bar camp", "Qaryat Bar"], "site"),
    ("Tell Baz village", ["Tell Baz"], "city"),
    ("Kweires Airbase", ["Kweires Airbase"], "site"),  # capitalised: part of the name
])
def test_build_sites_kind_words_give_a_short_spelling(build_sites, raw, names, feature):
    assert build_sites.split_names(raw) == (names, feature)


def test_geo_site_known_without_its_kind_word():
    found = geo.lookup("Jabal al-Akrad", country="SY")
    assert found and found[0].admin1 == "Latakia"
