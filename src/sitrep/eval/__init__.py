"""`sitrep eval TASK`: score sitrep against human-coded data (../shared/eval/README.md).

Each task is a module here with ``NAME``, ``DESCRIPTION`` and
``run(data_dir: Path, *, limit: int | None = None, progress: Progress | None = None) -> dict``
returning its figures (floats, ints, or nested dicts of them). ``TASKS`` maps names to modules.
"""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["TASKS", "task"]

# task name -> module name inside sitrep.eval
TASKS: dict[str, str] = {
    "seed": "seed",
    "timex": "timex",
    "geo": "geo",
    "acled": "acled",
    "case2021": "case2021",
    "plover": "plover",
    "ucdp-syria": "ucdp_syria",
    "wikievents": "wikievents",
}


def task(name: str) -> ModuleType:
    from ..errors import EvalError

    if name not in TASKS:
        raise EvalError(f"unknown eval task {name!r}; choose one of: {', '.join(TASKS)}")
    try:
        return importlib.import_module(f"{__name__}.{TASKS[name]}")
    except ModuleNotFoundError as exc:
        raise EvalError(f"eval task {name!r} is not implemented yet") from exc
