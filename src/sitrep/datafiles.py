"""Loading the lexicons and tables under ``sitrep/data/``: one place that reads, validates and
reports a broken file as a ModelError naming it."""

from __future__ import annotations

from importlib.resources import files
from typing import Any

import yaml

from .errors import ModelError

__all__ = ["load_yaml"]


def load_yaml(relative: str, *, version: int | None = None) -> dict[str, Any]:
    """The mapping in ``sitrep/data/<relative>``; with ``version``, its ``version:`` must match."""
    path = files("sitrep").joinpath("data", *relative.split("/"))
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ModelError(f"data file {relative} cannot be read: {exc}") from exc
    if not isinstance(data, dict):
        raise ModelError(f"data file {relative} is not a mapping")
    if version is not None and data.get("version") != version:
        raise ModelError(f"data file {relative} lacks 'version: {version}'")
    return data
