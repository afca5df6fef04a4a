"""Output formats: the ACLED-compatible CSV (read back as ACLED users read it, with pandas),
GeoJSON features and situation facts in CSV and GeoJSON."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re

import pytest

from sitrep.output import (
    ACLED_COLUMNS,
    SITREP_COLUMNS,
    event_id_cnty,
    facts_to_csv,
    facts_to_geojson,
    to_acled_rows,
    to_csv,
    to_geojson,
)
from sitrep.records import Actor, Article, Attribution, Evidence, Fact


def test_output_acled_row_codes(event_factory) -> None:  # type: ignore[no-untyped-def]
    [row] = to_acled_rows([event_factory("a", fatalities=4)])
    assert list(row) == ACLED_COLUMNS + SITREP_COLUMNS
    assert (row["inter1"], row["inter2"], row["interaction"]) == (1, 2, 12)
    assert row["disorder_type"] == "Political violence" and row["time_precision"] == 1
    assert row["iso"] == 180 and row["country"] == "Democratic Republic of Congo"
    assert row["region"] == "Middle Africa" and row["admin1"] == "North Kivu"
    assert row["fatalities"] == 4 and row["year"] == 2024 and row["sitrep_fatalities"] == 4


def test_output_unknown_fatalities_are_acled_zero_and_sitrep_empty(event_factory) -> None:  # type: ignore[no-untyped-def]
    rows = list(csv.DictReader(io.StringIO(to_csv([event_factory("a")]))))
    assert rows[0]["fatalities"] == "0" and rows[0]["sitrep_fatalities"] == ""
    assert rows[0]["actor2"] == "M23: March 23 Movement"


@pytest.mark.parametrize(("event_id", "country", "prefix"), [
    ("e1", "CD", "COD"), ("8bc2ee5e6bfecf5a", "SD", "SDN"), ("x", "UA", "UKR"), ("y", None, "XXX"),
])
def test_output_event_id_cnty_is_iso3_and_a_stable_number(event_factory, event_id: str,  # type: ignore[no-untyped-def]
                                                          country: str | None, prefix: str) -> None:
    event = event_factory("a", id=event_id)
    event.location.country = country
    first = event_id_cnty(event)
    assert re.fullmatch(prefix + r"\d{1,12}", first)
    assert event_id_cnty(event_factory("b", id=event_id, sentence="Other words.")) [3:] == first[3:]
    assert first != event_id_cnty(event_factory("a", id=event_id + "x"))


@pytest.mark.parametrize(("types", "interaction", "targeting"), [
    (("State forces", "Rebel group"), 12, ""),
    (("Rebel group", "State forces"), 12, ""),
    (("Rebel group", "Civilians"), 27, "Civilian targeting"),
    (("Protesters", None), 60, ""),
    (("Unidentified", "Civilians"), 37, "Civilian targeting"),
    ((None, None), 0, ""),
])
def test_output_interaction_and_civilian_targeting_follow_actor_types(
        event_factory, types: tuple[str | None, str | None], interaction: int, targeting: str) -> None:  # type: ignore[no-untyped-def]
    event = event_factory("a")
    event.actor1, event.actor2 = (Actor(t, t, "COD", t) if t else None for t in types)  # type: ignore[arg-type]
    [row] = to_acled_rows([event])
    assert (row["interaction"], row["civilian_targeting"]) == (interaction, targeting)


@pytest.mark.parametrize(("quantity", "tag"), [
    ({"value": 300.0, "low": None, "high": None, "unit": "protesters", "approximate": True}, "around 300"),
    ({"value": 45.0, "low": None, "high": None, "unit": "students", "approximate": False}, "45"),
    ({"value": 2000.0, "low": 2000.0, "high": None, "unit": "demonstrators", "approximate": True},
     "more than 2000"),
    ({"value": None, "low": 2000.0, "high": None, "unit": "people", "approximate": True}, "at least 2000"),
    ({"value": None, "low": 50.0, "high": 100.0, "unit": "people", "approximate": False}, "between 50-100"),
    ({"value": 3.0, "low": None, "high": None, "unit": "vehicles", "approximate": False}, "no report"),
])
def test_output_crowd_size_tag(event_factory, quantity: dict[str, object], tag: str) -> None:  # type: ignore[no-untyped-def]
    event = event_factory("a", kind="Riots", sub="Violent demonstration")
    event.quantities = [{**quantity, "of": quantity["unit"]}]
    assert to_acled_rows([event])[0]["tags"] == f"crowd size={tag}"


def test_output_protest_tags_carry_crowd_size_not_factuality(event_factory) -> None:  # type: ignore[no-untyped-def]
    counted = event_factory("a", kind="Protests", sub="Peaceful protest")
    counted.quantities = [{"value": 300.0, "low": None, "high": None, "unit": None,
                           "of": "protesters", "approximate": True}]
    counted.factuality = "reported"
    silent = event_factory("b", id="e2", kind="Protests", sub="Peaceful protest")
    rows = to_acled_rows([counted, silent, event_factory("c", id="e3")])
    assert [r["tags"] for r in rows] == ["crowd size=around 300", "crowd size=no report", ""]
    assert rows[0]["sitrep_factuality"] == "reported" and rows[0]["disorder_type"] == "Demonstrations"


def test_output_source_names_the_outlet_then_the_quoted_source(event_factory) -> None:  # type: ignore[no-untyped-def]
    event = event_factory("a")
    event.attribution = [Attribution("the army", "official statement"),
                         Attribution("Reuters", "media report")]
    articles = {"a": Article("a", "text", outlet="Reuters", url="https://www.reuters.com/x")}
    [row] = to_acled_rows([event], articles=articles)
    assert row["source"] == "Reuters; the army" and row["source_scale"] == "International"


@pytest.mark.parametrize(("outlet", "url", "scale"), [
    ("Radio Okapi", "https://www.radiookapi.net/a", ""),
    ("Actualite.cd", "https://actualite.cd/a", "National"),
    ("Al Jazeera", None, "International"),
    (None, "https://twitter.com/x", "New media"),
])
def test_output_source_scale_only_where_known(event_factory, outlet: str | None, url: str | None,  # type: ignore[no-untyped-def]
                                              scale: str) -> None:
    articles = {"a": Article("a", "text", outlet=outlet or "someone", url=url)}
    [row] = to_acled_rows([event_factory("a")], articles=articles)
    assert row["source_scale"] == scale


def test_output_csv_leaves_out_background_unless_asked(event_factory) -> None:  # type: ignore[no-untyped-def]
    recalled = dataclasses.replace(event_factory("a", id="old", day="2014-06-01"), background=True)
    news = event_factory("a", id="new")
    assert [r["sitrep_id"] for r in to_acled_rows([recalled, news])] == ["new"]
    assert [r["sitrep_id"] for r in to_acled_rows([recalled, news], background=True)] == ["old", "new"]


def test_output_acled_csv_leaves_out_events_only_plover_codes(event_factory) -> None:  # type: ignore[no-untyped-def]
    verbal = event_factory("a", id="v")
    verbal.acled_event = False
    assert [r["sitrep_id"] for r in to_acled_rows([verbal, event_factory("a", id="k")])] == ["k"]


def test_output_csv_reads_in_pandas_as_an_acled_file(event_factory) -> None:  # type: ignore[no-untyped-def]
    """What an ACLED user's script relies on: the columns, numeric codes and coordinates, dates
    that parse, integer fatalities, and no background rows."""
    pd = pytest.importorskip("pandas")
    namibia = event_factory("a", id="na", place=("Windhoek", -22.56, 17.08), fatalities=2)
    namibia.location.country = "NA"  # "NA" must not turn into a missing value anywhere
    unplaced = event_factory("a", id="nowhere")
    unplaced.location.lat = unplaced.location.lon = None
    stateless = event_factory("a", id="stateless")
    stateless.location.country = None
    recalled = dataclasses.replace(event_factory("a", id="old"), background=True)
    frame = pd.read_csv(io.StringIO(to_csv([namibia, unplaced, recalled, stateless],
                                           timestamp=1_700_000_000)))
    assert list(frame.columns) == ACLED_COLUMNS + SITREP_COLUMNS
    assert list(frame["sitrep_id"]) == ["na", "nowhere", "stateless"]
    assert not frame["sitrep_background"].any()
    for column in ("year", "time_precision", "inter1", "inter2", "interaction", "iso",
                   "geo_precision", "fatalities", "timestamp"):
        assert pd.api.types.is_integer_dtype(frame[column]), column
    assert pd.api.types.is_float_dtype(frame["latitude"])
    assert frame["latitude"].isna().tolist() == [False, True, False]
    assert list(frame["country"][:2]) == ["Namibia", "Democratic Republic of Congo"]
    assert list(frame["iso"]) == [516, 180, 0]
    assert pd.to_datetime(frame["event_date"]).dt.year.tolist() == frame["year"].tolist()
    assert frame["fatalities"].sum() == 2 and frame["event_id_cnty"].str.match(r"^[A-Z]{3}\d+$").all()


def test_output_geojson_point_is_lon_lat(event_factory) -> None:  # type: ignore[no-untyped-def]
    feature = to_geojson([event_factory("a")])["features"][0]
    assert feature["geometry"] == {"type": "Point", "coordinates": [29.22, -1.68]}
    assert feature["properties"]["id"] == "e1"


def _facts() -> list[Fact]:
    place = {"name": "Goma", "geonameid": 216281, "lat": -1.67409, "lon": 29.22845,
             "country": "CD", "admin1": "North Kivu", "admin2": None, "geo_precision": 1}
    evidence = [Evidence("a", "M23 took Goma.", 0, 14)]
    control = Fact("control", {"place": place, "since": "2025-01-27", "until": None,
                               "precision": "day",
                               "controller": {"name": "M23: March 23 Movement", "mention": "M23",
                                              "country": "COD", "type": "Rebel group"}},
                   evidence=evidence, attribution=[Attribution("Reuters", "media report")],
                   article_ids=["a"])
    troops = Fact("force_level", {"actor": {"name": "Military Forces of Rwanda"}, "country": "CD",
                                  "value": 4000, "low": None, "high": None, "approximate": True,
                                  "as_of": "2025-02-01", "precision": "day"},
                  evidence=evidence, article_ids=["a"])
    return [control, troops]


def test_output_facts_csv_has_one_flat_row_per_fact() -> None:
    rows = list(csv.DictReader(io.StringIO(facts_to_csv(_facts()))))
    assert [(r["kind"], r["place"], r["controller"], r["actor"], r["value"]) for r in rows] == [
        ("control", "Goma", "M23: March 23 Movement", "", ""),
        ("force_level", "", "", "Military Forces of Rwanda", "4000")]
    assert rows[0]["latitude"] == "-1.67409" and rows[0]["source"] == "Reuters"
    assert rows[1]["country"] == "CD" and rows[1]["as_of"] == "2025-02-01"


def test_output_facts_geojson_places_control_at_its_place() -> None:
    data = json.loads(json.dumps(facts_to_geojson(_facts())))
    control, troops = data["features"]
    assert control["geometry"] == {"type": "Point", "coordinates": [29.22845, -1.67409]}
    assert control["properties"]["controller"]["name"] == "M23: March 23 Movement"
    assert troops["geometry"] is None and troops["properties"]["value"] == 4000
