"""Whether a change left sitrep's output byte for byte as it was: a guard for speed work.

    python benchmarks/same_output.py --save DIR     # before the change: write the reference
    python benchmarks/same_output.py DIR            # after it: compare, exit 1 on a difference

The outputs compared are ``sitrep extract`` (JSON Lines) on ``sample/`` and on the benchmark
articles of ``benchmarks/cpu.py`` (its defaults, or ``--lgl``/``--gwn``), each run with
``--workers 1`` and, where ``--workers N`` is given, also with N workers. Keep DIR outside the
repository: the benchmark articles' text comes from ../shared/eval and is not ours to copy.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from cpu import ROOT, read_articles, sitrep_command, one_worker


def outputs(data: Path, lgl: int, gwn: int, workers: int, folder: Path) -> dict[str, bytes]:
    corpus = folder / "articles.jsonl"
    with corpus.open("w", encoding="utf-8") as handle:
        for row in read_articles(data, lgl, gwn):
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    out = {}
    for name, path in (("sample", ROOT / "sample"), ("articles", corpus)):
        out[f"{name}.jsonl"] = _extract(path, one_worker())
        if workers > 1:
            out[f"{name}-workers{workers}.jsonl"] = _extract(path, ["--workers", str(workers)])
    return out


def _extract(path: Path, options: list[str]) -> bytes:
    run = subprocess.run(sitrep_command() + ["extract", str(path)] + options, cwd=ROOT,
                         capture_output=True, env={"PYTHONPATH": str(ROOT / "src"), **_env()})
    if run.returncode != 0:
        raise SystemExit(f"sitrep extract {path} failed:\n{run.stderr.decode()[-2000:]}")
    return run.stdout


def _env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ref", type=Path, help="folder of the reference outputs")
    parser.add_argument("--save", action="store_true", help="write the reference instead")
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "eval")
    parser.add_argument("--lgl", type=int, default=100)
    parser.add_argument("--gwn", type=int, default=100)
    parser.add_argument("--workers", type=int, default=0, help="also compare N workers' output")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        got = outputs(args.data, args.lgl, args.gwn, args.workers, Path(tmp))
    if args.save:
        args.ref.mkdir(parents=True, exist_ok=True)
        for name, data in got.items():
            (args.ref / name).write_bytes(data)
        print(f"reference written to {args.ref}: {', '.join(sorted(got))}")
        return
    differ = []
    for name, data in got.items():
        want = (args.ref / name.replace(f"-workers{args.workers}", "")).read_bytes()
        same = data == want
        records = len(data.splitlines())
        print(f"{name}: {'same' if same else 'DIFFERENT'} ({records} records)")
        differ += [] if same else [name]
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
