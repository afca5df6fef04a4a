"""sitrep: news articles in, geolocated, dated, source-attributed conflict events out."""

from __future__ import annotations

__version__ = "0.1.0"
