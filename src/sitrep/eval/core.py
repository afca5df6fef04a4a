"""What every eval task shares: finding the data, distances, ratios, running the pipeline."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, Protocol, TypeVar

from ..errors import EvalError
from ..geometry import haversine_km

__all__ = ["default_data_dir", "require", "haversine_km", "ratio", "f1", "median", "track", "indexed_near",
           "capitalised_names"]

T = TypeVar("T")


class Progress(Protocol):
    def __call__(self, items: Iterable[T], *, total: int | None, label: str) -> Iterator[T]: ...


def default_data_dir() -> Path:
    """``$SITREP_EVAL_DATA``, else ``../shared/eval`` from the working directory or the checkout."""
    env = os.environ.get("SITREP_EVAL_DATA")
    if env:
        return Path(env)
    here = Path(__file__).resolve()
    for base in (Path.cwd(), *here.parents):
        candidate = base.parent / "shared" / "eval"
        if candidate.is_dir():
            return candidate
    return Path.cwd().parent / "shared" / "eval"


def require(path: Path) -> Path:
    if not path.exists():
        raise EvalError(f"{path}: evaluation data not found; pass --data DIR (the shared/eval folder)")
    return path


def ratio(num: float, den: float) -> float | None:
    return round(num / den, 4) if den else None


def f1(precision: float | None, recall: float | None) -> float | None:
    if not precision or not recall:
        return 0.0 if precision is not None and recall is not None else None
    return round(2 * precision * recall / (precision + recall), 4)


def median(values: list[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    value = ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
    return round(value, 2)


def track(
    items: Iterable[T], progress: Callable[..., Iterator[T]] | None, *, total: int | None, label: str
) -> Iterable[T]:
    return progress(items, total=total, label=label) if progress else items


def indexed_near(names: Iterable[str], lat: float, lon: float, km: float) -> bool:
    """Whether the place index holds, under one of ``names``, an entry within ``km`` of the point.

    This bounds what choosing can do: where no entry of any name lies near the gold point, no
    resolver over this index gets the place right, however well it reads the context.
    """
    from .. import geo

    for name in {n.strip() for n in names if n and n.strip()}:
        if any(haversine_km(c.lat, c.lon, lat, lon) <= km for c in geo.lookup(name)):
            return True
    return False


_WORD = re.compile(r"[^\W\d_][\w'’]*(?:-[\w'’]+)*")
_ARTICLE = re.compile(r"(?:al|el|ash|as|ad|ar|at|an|az)-", re.IGNORECASE)


def capitalised_names(text: str, max_words: int = 4) -> set[str]:
    """Every run of up to ``max_words`` capitalised words in ``text`` ("Deir Ezzor", "Ezzor",
    "al-Sham"): the names a reader could take for places, for the ceilings (a bound, not a guess)."""
    names: set[str] = set()
    run: list[str] = []
    last_end = 0
    for m in _WORD.finditer(text):
        word = m.group()
        if run and text[last_end:m.start()].strip():  # punctuation between words ends a name
            names |= _runs(run, max_words)
            run = []
        last_end = m.end()
        if word[:1].isupper() or _ARTICLE.match(word):
            run.append(word)
        elif run:
            names |= _runs(run, max_words)
            run = []
    return names | _runs(run, max_words)


def _runs(words: list[str], longest: int) -> set[str]:
    return {" ".join(words[i:j]) for i in range(len(words))
            for j in range(i + 1, min(len(words), i + longest) + 1)}


def shared_root(data_dir: Path) -> Path:
    """The shared/ folder that holds ``eval/`` (for the seed and gold files)."""
    return data_dir.parent


Figures = dict[str, Any]
