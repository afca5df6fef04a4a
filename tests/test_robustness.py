"""Hostile inputs and busy operators (issue 19): `sitrep ingest` as a real process on a folder of
every bad input, three processes started together on a new database, and Hypothesis feeding
generated and mutated articles and JSON Lines records to ingest; on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitrep.cli import cli
from sitrep.ingest import article_id
from sitrep.store import open_store

from conftest import SAMPLE, _drop_postgres, _postgres_url

SRC = Path(__file__).resolve().parents[1] / "src"
GOOD = "Soldiers clashed with armed men near the town of Kidal on Monday, the army said."
# What `sitrep ingest` may write on stderr: errors, skip notes and the closing count.
STDERR_LINE = re.compile(r"^(error: \S.*|skipped: \S.*|\d+ input\(s\) could not be read)$")


def sitrep(*args: str, timeout: int = 300) -> subprocess.Popen[str]:
    """`sitrep ARGS` as its own process, with this tree's sources first on the path."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}
    return subprocess.Popen([sys.executable, "-m", "sitrep.cli", *args], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def finished(proc: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=300)
    return proc.returncode, out, err


def stored(url: str) -> dict[str, Any]:
    """Everything a run leaves in the store, in a form two runs can be compared by."""
    store = open_store(url)
    try:
        events = sorted(json.dumps(e.to_dict(), sort_keys=True) for e in store.events())
        facts = sorted(json.dumps(f.to_dict(), sort_keys=True, default=str) for f in store.facts())
        return {"stats": store.stats(), "events": events, "facts": facts}
    finally:
        store.close()


# --- every bad input of the issue in one folder, and a good article after them ---

def bad_folder(folder: Path) -> int:
    """Write each bad input of issue 19 into ``folder``, then good ones; return how many
    error lines `sitrep ingest` must print."""
    def line(**record: Any) -> str:
        return json.dumps({"published": "2024-05-03", "text": f"{GOOD} ({len(record)})", **record})

    files: dict[str, str | bytes] = {
        "01_nested.jsonl": "[" * 100_000 + "]" * 100_000,
        "02_title.jsonl": line(id="t", title=[1]),
        "03_url.jsonl": line(id="u", url=5),
        "04_outlet.jsonl": line(id="o", outlet={}),
        "05_surrogate.jsonl": '{"id": "\\ud800", "published": "2024-05-03", "text": "Attack."}',
        "06_nul.txt": b"date 2024-05-03 Late NUL\n\n" + b"Soldiers clashed. " * 600 + b"\x00",
        "07_nul.jsonl": line(id="n", title="x" * 9000 + "\u0000"),
        "08_long_id.jsonl": line(id="x" * 200),
        "09_year_one.jsonl": line(id="y", published="0001-01-01"),
        "10_huge_text.jsonl": json.dumps({"published": "2024-05-03", "text": "war " * 300_000}),
        "11_no_date.html": ("<html><head><title>Goma</title></head><body><article><p>Fighting "
                            "broke out near Goma in 2019 and residents fled, the army said in a "
                            "long statement.</p><p>Since 2019 the town has changed hands twice and "
                            "many have not returned.</p></article></body></html>"),
        "12_binary.jsonl": bytes(range(256)) * 200,
        "13_conflict.jsonl": "\n".join([line(id="same"), line(id="same", outlet="Another text")]),
        "14_notes.md": "an unknown type: one 'skipped' line, no failure",
        "15_utf16.txt": f"\ufeffdate 2024-05-04 UTF-16\n\nHundreds protested in Bamako on Saturday."
                        .encode("utf-16-le"),
        "zz_good.txt": f"date 2024-05-03 Good\n\n{GOOD}",
    }
    for name, content in files.items():
        path = folder / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass"))
    (folder / "16_loop.txt").symlink_to(folder / "16_loop.txt")
    # 01-12 but for the unknown type, 13's second line and 16's loop
    return 12 + 1 + 1


def test_ingest_folder_of_every_bad_input_exits_1_and_stores_the_good(db_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    expected_errors = bad_folder(folder)
    code, out, err = finished(sitrep("ingest", str(folder), "--db", db_url))
    assert code == 1, err
    assert "Traceback" not in err and "internal error" not in err, err
    lines = err.splitlines()
    assert all(STDERR_LINE.match(text) for text in lines), err
    errors = [text for text in lines if text.startswith("error: ")]
    assert len(errors) == expected_errors, err
    assert all(str(folder) in text for text in errors), err
    assert sum(text.startswith("skipped: ") for text in lines) == 1
    assert f"error: {folder}/13_conflict.jsonl:2: the id 'same' is already stored with a different text; skipped" in err
    assert lines[-1] == f"{expected_errors} input(s) could not be read"
    assert out.startswith("3 new article(s)"), out  # the good one, UTF-16's and "same"'s first
    store = open_store(db_url)
    assert store.stats()["articles"] == 3
    assert store.article(article_id(GOOD)).title == "Good"  # type: ignore[union-attr]
    assert store.article(article_id("Hundreds protested in Bamako on Saturday.")) is not None
    assert store.article("same").text == f"{GOOD} (1)"  # type: ignore[union-attr]


# --- three processes started together on a new database ---

@pytest.fixture(scope="module")
def small_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sample")
    for name in ("001_sudan-rsf-el-fasher.txt", "009_yemen-ras-isa-strikes.txt"):
        shutil.copy(SAMPLE / name, folder / name)
    return folder


@pytest.fixture(scope="module")
def reference(small_sample: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """What one process alone stores."""
    url = f"sqlite:///{tmp_path_factory.mktemp('reference') / 'ref.db'}"
    code, _, err = finished(sitrep("ingest", str(small_sample), "--db", url))
    assert code == 0, err
    return stored(url)


def new_database(kind: str, folder: Path, round_: int) -> str | None:
    if kind == "sqlite":
        return f"sqlite:///{folder / f'round{round_}.db'}"
    return _postgres_url()


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_three_ingests_started_together_on_a_new_database_all_succeed(
        kind: str, small_sample: Path, reference: dict[str, Any], tmp_path: Path) -> None:
    for round_ in range(3):
        url = new_database(kind, tmp_path, round_)
        if url is None:
            pytest.skip("PostgreSQL server at 127.0.0.1:5432 not reachable")
        try:
            procs = [sitrep("ingest", str(small_sample), "--db", url) for _ in range(3)]
            results = [finished(proc) for proc in procs]
            for code, _, err in results:
                assert code == 0 and "Traceback" not in err, f"round {round_}: {err}"
            assert stored(url) == reference, f"round {round_}"
        finally:
            if kind == "postgresql":
                _drop_postgres(url)


# --- Hypothesis: generated and mutated records, never a traceback ---

WORDS = ["troops", "clashed", "with", "rebels", "near", "Goma", "Kidal", "on", "Monday", "army",
         "said", "killed", "3", "people", "protesters", "in", "Bamako", "police", "fired", "the"]
VALID = {"id": "ok-1", "published": "2024-05-03", "title": "Clashes", "url": "http://x.org/a",
         "outlet": "Wire", "text": GOOD}
# Any JSON value, nested a little, for fields of the wrong type.
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6)
ODD_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=40) | st.sampled_from(
    ["\x00", "\ud800", "\udfff x", "x" * 200, "0001-01-01", "9999-12-31", "2024-02-30", " ", ""])


@st.composite
def records(draw: st.DrawFn) -> dict[str, Any]:
    """A valid article record with some of its fields replaced, removed or added."""
    record = dict(VALID)
    record["text"] = " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=25))) + "."
    for key in draw(st.lists(st.sampled_from([*VALID, "extra"]), max_size=3, unique=True)):
        change = draw(st.sampled_from(["value", "odd", "drop"]))
        if change == "drop":
            record.pop(key, None)
        else:
            record[key] = draw(JSON_VALUES if change == "value" else ODD_TEXT)
    return record


@st.composite
def jsonl_lines(draw: st.DrawFn) -> bytes:
    """One JSON Lines line: a record, or its bytes mutated (cut, flipped, spliced)."""
    line = json.dumps(draw(records()), ensure_ascii=draw(st.booleans())).encode("utf-8", "surrogatepass")
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(line)))
        line = draw(st.sampled_from([
            line[:at], line[:at] + draw(st.binary(min_size=1, max_size=4)) + line[at:],
            line[:at] + line[at + 1:], line]))
    return line.replace(b"\n", b" ")


def ingest_in_process(runner: CliRunner, folder: Path, db: str) -> tuple[int, str, str]:
    # catch_exceptions=False: an unhandled exception fails the test with its traceback
    result = runner.invoke(cli, ["ingest", str(folder), "--db", db], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


HYPOTHESIS = settings(max_examples=25, deadline=None, derandomize=True,
                      suppress_health_check=[HealthCheck.function_scoped_fixture,
                                             HealthCheck.too_slow, HealthCheck.data_too_large])


@HYPOTHESIS
@given(lines=st.lists(jsonl_lines(), min_size=1, max_size=6))
def test_ingest_generated_jsonl_never_crashes_and_stores_good_records(
        db_url: str, tmp_path_factory: pytest.TempPathFactory, lines: list[bytes]) -> None:
    folder = tmp_path_factory.mktemp("jsonl")
    (folder / "a.jsonl").write_bytes(b"\n".join(lines))
    marker = uuid.uuid4().hex
    good_id = f"good-{marker}"
    good = {"id": good_id, "published": "2024-05-03", "text": f"{GOOD} Report {marker}."}
    (folder / "b.jsonl").write_text(json.dumps(good))
    code, out, err = ingest_in_process(CliRunner(), folder, db_url)
    assert code in (0, 1), err
    assert all(STDERR_LINE.match(text) for text in err.splitlines()), err
    # at most one line per bad line of a.jsonl, and the count
    assert sum(text.startswith("error: ") for text in err.splitlines()) <= len(lines)
    assert "internal error" not in err, err
    assert open_store(db_url).article(good_id) is not None, err


@HYPOTHESIS
@given(text=st.text(st.characters(codec=None, exclude_categories=()), max_size=300), name=st.sampled_from(["a.txt", "a.html", "a.rss", "a.jsonl"]),
       head=st.sampled_from(["date 2024-05-03 T\n\n", "", "date 0001-01-01 T\n", "\ufeff"]),
       encoding=st.sampled_from(["utf-8", "utf-16", "latin-1", "surrogatepass"]))
def test_ingest_generated_files_never_crash(db_url: str, tmp_path_factory: pytest.TempPathFactory,
                                            text: str, name: str, head: str, encoding: str) -> None:
    folder = tmp_path_factory.mktemp("files")
    content = head + text
    if encoding == "surrogatepass":
        raw = content.encode("utf-8", "surrogatepass")
    else:
        raw = content.encode(encoding, "replace" if encoding == "latin-1" else "surrogatepass")
    (folder / name).write_bytes(raw)
    code, _, err = ingest_in_process(CliRunner(), folder, db_url)
    assert code in (0, 1), err
    lines = err.splitlines()
    assert all(STDERR_LINE.match(text) for text in lines), err
    assert sum(text.startswith("error: ") for text in lines) <= 1 or name.endswith((".jsonl", ".rss"))
    assert "internal error" not in err, err


@pytest.mark.parametrize("value,message", [("0001-01-01", "before 1800-01-01"), ("2999-01-01", "in the future"),
                                           ("yesterday", "is not a date")])
def test_ingest_impossible_published_option_is_a_usage_error(tmp_path: Path, value: str, message: str) -> None:
    (tmp_path / "a.txt").write_text(GOOD)
    result = CliRunner().invoke(cli, ["ingest", str(tmp_path), "--db", f"sqlite:///{tmp_path / 'x.db'}",
                                      "--published", value], catch_exceptions=False)
    assert result.exit_code == 2 and message in result.stderr
    assert not (tmp_path / "x.db").exists()
