"""The output folder of a batch run: one Parquet dataset per table, written a part per batch.

    DST/events.parquet/part-00012.parquet   one row per event
    DST/facts.parquet/part-00012.parquet    one row per situation fact
    DST/errors.parquet/part-00012.parquet   one row per article that could not be read
    DST/done.parquet/part-00012.parquet     the article ids batch 12 finished (the manifest)
    DST/manifest.json                       where the articles came from

A batch's done part is written last, and each file appears by an atomic rename, so a run
killed half-way leaves whole parts only; parts with no done part are orphans and are removed
before a rerun, which then skips every article the done parts name.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from ..errors import InputError
from .tables import DONE, ERRORS, EVENTS, FACTS

__all__ = ["Outputs", "read_output", "SCHEMAS"]

SCHEMAS: dict[str, pa.Schema] = {"events": EVENTS, "facts": FACTS, "errors": ERRORS, "done": DONE}
_PART = re.compile(r"part-(\d+)\.parquet$")


def read_output(dst: Path | str, name: str, *, columns: list[str] | None = None) -> pa.Table:
    """One output table of a run (``events``, ``facts``, ``errors`` or ``done``), empty if none."""
    schema = SCHEMAS[name]
    folder = Path(dst) / f"{name}.parquet"
    files = sorted(folder.glob("part-*.parquet")) if folder.is_dir() else []
    if not files:
        return schema.empty_table().select(columns or schema.names)
    dataset = ds.dataset([str(f) for f in files], schema=schema, format="parquet")
    return dataset.to_table(columns=columns)


class Outputs:
    """Writes and reads back the parts of one output folder."""

    def __init__(self, dst: Path | str) -> None:
        self.dst = Path(dst)
        if self.dst.exists() and not self.dst.is_dir():
            raise InputError(str(self.dst), "output must be a folder")
        for name in SCHEMAS:
            (self.dst / f"{name}.parquet").mkdir(parents=True, exist_ok=True)

    def done_ids(self) -> set[str]:
        return set(read_output(self.dst, "done", columns=["article_id"])["article_id"].to_pylist())

    def prepare(self, *, source: Path) -> int:
        """Drop orphan parts, note the source, and return the first free part number."""
        finished = self._numbers("done")
        for name in ("events", "facts", "errors"):
            for number, path in self._parts(name):
                if number not in finished:
                    path.unlink()
        for temp in self.dst.glob("*.parquet/.part-*.tmp"):
            temp.unlink()
        manifest = {"source": str(source.resolve()), "layout": 1}
        (self.dst / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
        return max(finished, default=-1) + 1

    def write(self, number: int, rows: dict[str, list[dict[str, Any]]]) -> None:
        """Write one batch's parts; the done part goes last so it vouches for the others."""
        for name in ("events", "facts", "errors", "done"):
            if rows.get(name) or name == "done":
                table = pa.Table.from_pylist(rows.get(name, []), schema=SCHEMAS[name])
                self._write_part(name, number, table)

    def source(self) -> Path | None:
        manifest = self.dst / "manifest.json"
        if not manifest.is_file():
            return None
        return Path(json.loads(manifest.read_text())["source"])

    def _write_part(self, name: str, number: int, table: pa.Table) -> None:
        final = self.dst / f"{name}.parquet" / f"part-{number:05d}.parquet"
        temp = final.with_name(f".{final.name}.tmp")
        pq.write_table(table, temp)
        os.replace(temp, final)

    def _parts(self, name: str) -> list[tuple[int, Path]]:
        found = []
        for path in (self.dst / f"{name}.parquet").glob("part-*.parquet"):
            match = _PART.search(path.name)
            if match:
                found.append((int(match.group(1)), path))
        return sorted(found)

    def _numbers(self, name: str) -> set[int]:
        return {number for number, _ in self._parts(name)}
