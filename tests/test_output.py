"""Output formats: ACLED-style CSV rows and GeoJSON features from event records."""

from __future__ import annotations

import csv
import io

from sitrep.output import ACLED_COLUMNS, to_acled_rows, to_csv, to_geojson


def test_output_acled_row_codes(event_factory) -> None:  # type: ignore[no-untyped-def]
    [row] = to_acled_rows([event_factory("a", fatalities=4)])
    assert list(row) == ACLED_COLUMNS
    assert (row["inter1"], row["inter2"], row["interaction"]) == (1, 2, "12")
    assert row["disorder_type"] == "Political violence" and row["time_precision"] == 1
    assert row["iso"] == 180 and row["country"] == "Democratic Republic of the Congo"
    assert row["fatalities"] == 4 and row["year"] == 2024


def test_output_csv_leaves_unknown_fatalities_empty(event_factory) -> None:  # type: ignore[no-untyped-def]
    rows = list(csv.DictReader(io.StringIO(to_csv([event_factory("a")]))))
    assert rows[0]["fatalities"] == "" and rows[0]["actor2"] == "M23: March 23 Movement"


def test_output_geojson_point_is_lon_lat(event_factory) -> None:  # type: ignore[no-untyped-def]
    feature = to_geojson([event_factory("a")])["features"][0]
    assert feature["geometry"] == {"type": "Point", "coordinates": [29.22, -1.68]}
    assert feature["properties"]["id"] == "e1"


def test_output_acled_csv_leaves_out_events_only_plover_codes(event_factory) -> None:  # type: ignore[no-untyped-def]
    verbal = event_factory("a", id="v")
    verbal.acled_event = False
    assert [r["event_id_cnty"] for r in to_acled_rows([verbal, event_factory("a", id="k")])] == ["k"]
