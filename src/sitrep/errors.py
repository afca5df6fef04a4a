"""Errors sitrep raises, each with a one-line message that says what went wrong and what to do.

    SitrepError
     ├── InputError        an input file or record cannot be read (names the file, and line)
     ├── GazetteerError    the place index is missing or broken
     ├── ModelError        a packaged model or lexicon cannot be loaded
     ├── StoreError        the database cannot be opened or written
     └── EvalError         evaluation data is missing or malformed

Only ``cli.py`` turns these into exit codes; the API maps them to one JSON shape.
"""

from __future__ import annotations

__all__ = ["SitrepError", "InputError", "GazetteerError", "ModelError", "StoreError", "EvalError"]


class SitrepError(Exception):
    """Base class: ``str(err)`` is a single line fit to show a user."""

    code = "E000"

    def __str__(self) -> str:
        text = super().__str__().replace("\n", " ").strip()
        return f"{text}"


class InputError(SitrepError):
    """An input cannot be read; ``source`` names the file (and line) at fault."""

    code = "E100"

    def __init__(self, source: str, reason: str, *, line: int | None = None) -> None:
        self.source = source
        self.line = line
        self.reason = reason
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {reason}")


class GazetteerError(SitrepError):
    code = "E200"


class ModelError(SitrepError):
    code = "E300"


class StoreError(SitrepError):
    code = "E400"


class EvalError(SitrepError):
    code = "E500"
