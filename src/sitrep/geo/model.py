"""The place resolver's weights: a conditional logit over a toponym's readings and "no place".

``data/models/place_resolver.json`` holds one weight per named feature (``sitrep.geo.features``),
fitted by ``scripts/train_place_resolver.py`` on the training split of LGL, GeoWebNews, ACLED
and UCDP GED rows. A missing or inconsistent file raises ``ModelError``: there is no fallback.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from ..errors import ModelError
from .features import CANDIDATE_FEATURES, NULL_FEATURES

__all__ = ["PlaceModel", "get_model", "MODEL_FILE"]

MODEL_FILE = "place_resolver.json"


@dataclass(frozen=True)
class PlaceModel:
    """Weights for ``CANDIDATE_FEATURES`` (a reading's score) and ``NULL_FEATURES`` ("no place")."""

    weights: tuple[float, ...]
    null_weights: tuple[float, ...]

    def score(self, values: list[float]) -> float:
        return math.fsum(w * v for w, v in zip(self.weights, values))

    def null_score(self, values: list[float]) -> float:
        return math.fsum(w * v for w, v in zip(self.null_weights, values))

    @classmethod
    def from_dict(cls, data: dict, *, source: str = "place model") -> PlaceModel:
        try:
            names, weights = tuple(data["features"]), tuple(float(w) for w in data["weights"])
            null_names = tuple(data["null_features"])
            null_weights = tuple(float(w) for w in data["null_weights"])
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelError(f"{source}: not a place resolver model ({exc})") from exc
        # the file names its features so that a reordered or renamed feature cannot slip through
        if names != CANDIDATE_FEATURES or null_names != NULL_FEATURES \
                or len(weights) != len(names) or len(null_weights) != len(null_names):
            raise ModelError(f"{source}: its features do not match sitrep.geo.features; "
                             "retrain with scripts/train_place_resolver.py")
        return cls(weights, null_weights)

    def to_dict(self, meta: dict | None = None) -> dict:
        return {"features": list(CANDIDATE_FEATURES), "weights": [round(w, 6) for w in self.weights],
                "null_features": list(NULL_FEATURES),
                "null_weights": [round(w, 6) for w in self.null_weights], "meta": meta or {}}


def load_model(path: Path) -> PlaceModel:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot read the place resolver model {path}: {exc}") from exc
    return PlaceModel.from_dict(data, source=str(path))


@functools.cache
def get_model() -> PlaceModel:
    """The shipped model (read once per process)."""
    return load_model(Path(str(files("sitrep") / "data" / "models" / MODEL_FILE)))
