"""sitrep: news articles in, geolocated, dated, source-attributed conflict events out.

The public API, all of it here (see ``sitrep.library``)::

    import sitrep

    events = sitrep.extract(text, published="2024-05-02", outlet="Radio Okapi")
    with sitrep.Store("sitrep.db") as store:
        rows = store.to_csv(store.events(country="CD"))
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import EvalError, GazetteerError, InputError, ModelError, SitrepError, StoreError
from .library import Store, extract, make_article, read_text
from .output import to_csv, to_geojson, to_jsonl
from .records import Actor, Article, Attribution, Event, Evidence, Fact, Location

if TYPE_CHECKING:
    from .pipeline import Reading

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "extract",
    "read_text",
    "make_article",
    "Reading",
    "Store",
    "to_csv",
    "to_geojson",
    "to_jsonl",
    "Article",
    "Event",
    "Fact",
    "Actor",
    "Location",
    "Attribution",
    "Evidence",
    "SitrepError",
    "InputError",
    "GazetteerError",
    "ModelError",
    "StoreError",
    "EvalError",
]


def __getattr__(name: str) -> Any:
    # Reading lives beside the language model; importing it on first use keeps `import sitrep`
    # (and every `sitrep` command's start) from loading spaCy.
    if name == "Reading":
        from .pipeline import Reading

        return Reading
    raise AttributeError(f"module 'sitrep' has no attribute {name!r}")
