"""Loading the lexicons and tables under ``sitrep/data/``: one place that reads, validates and
reports a broken file as a ModelError naming it."""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml

from .errors import ModelError

__all__ = ["cache_dir", "load_yaml"]

# libyaml's parser where PyYAML was built with it: the same data as safe_load, read ten times
# faster (a tenth of a second of every start-up).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(relative: str, *, version: int | None = None) -> dict[str, Any]:
    """The mapping in ``sitrep/data/<relative>``; with ``version``, its ``version:`` must match."""
    path = files("sitrep").joinpath("data", *relative.split("/"))
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except (OSError, yaml.YAMLError) as exc:
        raise ModelError(f"data file {relative} cannot be read: {exc}") from exc
    if not isinstance(data, dict):
        raise ModelError(f"data file {relative} is not a mapping")
    if version is not None and data.get("version") != version:
        raise ModelError(f"data file {relative} lacks 'version: {version}'")
    return data


def cache_dir() -> Path:
    """Where sitrep keeps what it builds on first use (the place index, the map's outlines):
    ``$SITREP_CACHE``, else ``~/.cache/sitrep``."""
    path = Path(os.environ.get("SITREP_CACHE") or Path.home() / ".cache" / "sitrep")
    path.mkdir(parents=True, exist_ok=True)
    return path
