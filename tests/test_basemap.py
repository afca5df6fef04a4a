"""The page's country outlines: built once, then read from sitrep's cache folder by every
server process."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest

# the module, not the function of the same name that sitrep.web exports
bm = importlib.import_module("sitrep.web.basemap")


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SITREP_CACHE", str(tmp_path))
    bm.basemap_json.cache_clear()
    yield tmp_path
    bm.basemap_json.cache_clear()


def test_basemap_is_built_once_and_kept(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    built = bm.basemap_json()
    [kept] = cache.glob("basemap-*.json")
    assert kept.read_bytes() == built
    assert {"FR", "SY"} <= {f["properties"]["iso_a2"] for f in json.loads(built)["features"]}
    # a new process finds the file and never simplifies the shapes again
    bm.basemap_json.cache_clear()
    monkeypatch.setattr(bm, "basemap", lambda: pytest.fail("rebuilt the outlines"))
    assert bm.basemap_json() == built


def test_basemap_in_a_read_only_cache_is_built_each_time(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: Path, data: bytes) -> int:
        raise PermissionError("read-only")

    monkeypatch.setattr(Path, "write_bytes", refuse)
    assert json.loads(bm.basemap_json())["type"] == "FeatureCollection"
    assert not list(cache.glob("basemap-*"))
