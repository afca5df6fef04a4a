"""The web page: static files shipped as package data, and the base map's country outlines."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from .basemap import basemap, basemap_json

__all__ = ["basemap", "basemap_json", "static_dir"]


def static_dir() -> Path:
    """The folder holding index.html, app.js and style.css."""
    return Path(str(files(__package__) / "static"))
