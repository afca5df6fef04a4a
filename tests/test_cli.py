"""The command line, end to end through CliRunner: outputs, exit codes, errors, idempotent ingest."""

from __future__ import annotations

import csv
import sys
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitrep.cli import cli
from sitrep.output import ACLED_COLUMNS, FACT_COLUMNS


@pytest.fixture
def run():  # type: ignore[no-untyped-def]
    runner = CliRunner()

    def invoke(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(cli, list(args), catch_exceptions=False)

    return invoke


def test_cli_extract_seed_prints_schema_valid_records(run, seed_path: Path, event_schema) -> None:  # type: ignore[no-untyped-def]
    result = run("extract", str(seed_path))
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) >= 5
    for record in records:
        errors = [e.message for e in event_schema.iter_errors(record)]
        assert not errors, (record["sub_event_type"], errors)


def test_cli_extract_csv_has_acled_columns(run, seed_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = run("extract", str(seed_path), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    header = result.stdout.splitlines()[0].split(",")
    assert header[: len(ACLED_COLUMNS)] == ACLED_COLUMNS
    assert all(name.startswith("sitrep_") for name in header[len(ACLED_COLUMNS):])
    assert rows and all(r["event_date"][:4] == r["year"] for r in rows)


def test_cli_extract_geojson_is_a_feature_collection(run, seed_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(run("extract", str(seed_path), "--format", "geojson").stdout)
    assert data["type"] == "FeatureCollection" and data["features"]
    for feature in data["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert feature["properties"]["location"]["lat"] == lat


def test_cli_annotate_prints_one_object_per_article(run, seed_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = run("annotate", str(seed_path))
    [record] = [json.loads(line) for line in result.stdout.splitlines()]
    assert set(record) == {"article", "dates", "places", "actors", "quantities"}
    assert record["article"]["published"] == "2026-02-12"
    for mention in record["dates"] + record["places"]:
        assert record["article"]["text"][mention["start"]:mention["end"]] == mention["text"]


def test_cli_ingest_twice_stores_once(run, db_url: str, sample_dir: Path) -> None:  # type: ignore[no-untyped-def]
    db = db_url
    first = run("ingest", str(sample_dir), "--db", db)
    assert first.exit_code == 0 and first.stdout.startswith("14 new article(s), 0 already stored")
    second = run("ingest", str(sample_dir), "--db", db)
    assert second.stdout.startswith("0 new article(s), 14 already stored, 0 event report(s) added")
    listing = run("events", "--db", db, "--format", "jsonl")
    assert len(listing.stdout.splitlines()) >= 14


def test_cli_bad_inputs_exit_1_and_keep_what_was_stored(run, tmp_path: Path, seed_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = f"sqlite:///{tmp_path / 'x.db'}"
    run("ingest", str(seed_path), "--db", db)
    before = run("events", "--db", db, "--format", "jsonl").stdout
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "date.txt").write_text("date 2026-02-30 Headline\n\nBody.")
    (bad / "lines.jsonl").write_text('{"published": "2026-02-12", "text": "Protesters gathered in Aleppo on Friday."}\nnope\n')
    result = run("ingest", str(bad), str(seed_path), "--db", db)
    assert result.exit_code == 1
    assert "empty.txt: empty file" in result.stderr
    assert "date.txt:1: '2026-02-30' is not a date" in result.stderr
    assert "lines.jsonl:2: not JSON" in result.stderr
    assert "1 new article(s), 1 already stored" in result.stdout
    after = run("events", "--db", db, "--format", "jsonl").stdout
    assert set(before.splitlines()) <= set(after.splitlines())


@pytest.mark.parametrize("args", [
    ["events", "--since", "yesterday"],
    ["events", "--near", "1,2"],
    ["events", "--format", "xml"],
    ["extract"],
])
def test_cli_usage_errors_exit_2(run, args: list[str]) -> None:  # type: ignore[no-untyped-def]
    assert run(*args).exit_code == 2


def test_cli_eval_unknown_task_is_a_clear_error(run) -> None:  # type: ignore[no-untyped-def]
    result = run("eval", "nonsense")
    assert result.exit_code == 1 and "unknown eval task 'nonsense'" in result.stderr


def test_cli_situation_reports_seed_facts(run, tmp_path: Path, seed_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = f"sqlite:///{tmp_path / 'x.db'}"
    run("ingest", str(seed_path), "--db", db)
    facts = [json.loads(x) for x in run("situation", "--db", db, "--format", "jsonl").stdout.splitlines()]
    kinds = {f["kind"] for f in facts}
    assert kinds == {"control", "force_level"}
    values = sorted(f["value"] for f in facts if f["kind"] == "force_level")
    assert values == [900, 1500]
    early = run("situation", "--db", db, "--format", "jsonl", "--kind", "force_level",
                "--as-of", "2025-08-01").stdout.splitlines()
    assert [json.loads(x)["value"] for x in early] == [1500]


def test_cli_killed_ingest_resumes_without_loss_or_duplicates(tmp_path: Path, sample_dir: Path) -> None:
    """Kill `sitrep ingest` mid-run (SIGKILL), run it again: the store ends as one clean run leaves it."""
    import signal
    import subprocess
    import time

    from sitrep.store import open_store

    exe = Path(sys.executable).with_name("sitrep")
    # three copies of the sample, each article told a little differently: more articles than one
    # batch of readings, so the run is still storing when it is killed
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for k in range(3):
        for path in sample_dir.glob("*.txt"):
            text = path.read_text(encoding="utf-8")
            (corpus / f"{k}-{path.name}").write_text(f"{text.rstrip()}\n\nCopy {k}.\n", encoding="utf-8")
    sample_dir = corpus
    killed, clean = f"sqlite:///{tmp_path / 'killed.db'}", f"sqlite:///{tmp_path / 'clean.db'}"
    subprocess.run([str(exe), "ingest", str(sample_dir), "--db", clean], capture_output=True, check=False)
    total = open_store(clean).stats()["articles"]
    open_store(killed)
    # one reading process: with several, the last articles' readings arrive together and are
    # stored in a blink, leaving no moment to kill the run in
    proc = subprocess.Popen([str(exe), "ingest", str(sample_dir), "--db", killed, "--workers", "1"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while open_store(killed).stats()["articles"] < 3 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.2)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    partial = open_store(killed).stats()["articles"]
    assert 0 < partial < total
    resumed = subprocess.run([str(exe), "ingest", str(sample_dir), "--db", killed], capture_output=True, text=True)
    assert f"{total - partial} new article(s), {partial} already stored" in resumed.stdout
    assert open_store(killed).stats() == open_store(clean).stats()


@pytest.mark.parametrize("command", ["events", "situation"])
@pytest.mark.parametrize("db", ["{tmp}/typo.db", "sqlite:///{tmp}/typo.db", "{tmp}/no/such/dir.db"])
def test_cli_read_commands_refuse_a_missing_database(run, tmp_path: Path, command: str, db: str) -> None:  # type: ignore[no-untyped-def]
    result = run(command, "--db", db.format(tmp=tmp_path))
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith("error: no database at ") and result.stderr.count("\n") == 1
    assert list(tmp_path.rglob("*")) == []


@pytest.mark.parametrize("command", ["events", "situation", "ingest"])
def test_cli_a_file_that_is_no_database_is_an_error(run, tmp_path: Path, command: str, sample_dir: Path) -> None:  # type: ignore[no-untyped-def]
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database\n")
    args = [command] + ([str(sample_dir)] if command == "ingest" else []) + ["--db", str(notes)]
    result = run(*args)
    assert result.exit_code == 1 and result.stderr == f"error: {notes} is not a SQLite database\n"


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory: pytest.TempPathFactory, seed_path: Path) -> str:
    db = f"sqlite:///{tmp_path_factory.mktemp('seed') / 'seed.db'}"
    result = CliRunner().invoke(cli, ["ingest", str(seed_path), "--db", db], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return db


def test_cli_events_csv_loads_in_pandas_without_background_rows(run, seed_db: str) -> None:  # type: ignore[no-untyped-def]
    pd = pytest.importorskip("pandas")
    records = [json.loads(x) for x in run("events", "--db", seed_db, "--format", "jsonl").stdout.splitlines()]
    news = [r["id"] for r in records if r["acled_event"] and not r["background"]]
    everything = [r["id"] for r in records if r["acled_event"]]
    plain = pd.read_csv(io.StringIO(run("events", "--db", seed_db, "--format", "csv").stdout))
    assert list(plain.columns[: len(ACLED_COLUMNS)]) == ACLED_COLUMNS
    assert list(plain["sitrep_id"]) == news and not plain["sitrep_background"].any()
    assert pd.api.types.is_integer_dtype(plain["fatalities"]) and pd.api.types.is_integer_dtype(plain["iso"])
    full = pd.read_csv(io.StringIO(run("events", "--db", seed_db, "--format", "csv", "--background", "include").stdout))
    assert list(full["sitrep_id"]) == everything


def test_cli_situation_csv_and_geojson(run, seed_db: str) -> None:  # type: ignore[no-untyped-def]
    facts = [json.loads(x) for x in run("situation", "--db", seed_db, "--format", "jsonl").stdout.splitlines()]
    rows = list(csv.DictReader(io.StringIO(run("situation", "--db", seed_db, "--format", "csv").stdout)))
    assert rows and list(rows[0]) == FACT_COLUMNS
    assert [r["kind"] for r in rows] == [f["kind"] for f in facts]
    data = json.loads(run("situation", "--db", seed_db, "--format", "geojson").stdout)
    assert data["type"] == "FeatureCollection" and len(data["features"]) == len(facts)
    for fact, feature in zip(facts, data["features"]):
        if fact["kind"] == "control" and fact["place"].get("lat") is not None:
            assert feature["geometry"]["coordinates"] == [fact["place"]["lon"], fact["place"]["lat"]]
        else:
            assert feature["geometry"] is None


def test_cli_extract_csv_source_names_the_articles_outlet(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    article = {"id": "okapi-1", "published": "2024-05-02", "outlet": "Al Jazeera",
               "url": "https://www.aljazeera.com/news/rubaya",
               "text": "M23 rebels seized the town of Rubaya in North Kivu on Tuesday after clashes "
                       "with the Congolese army that killed at least 12 soldiers, a local official said."}
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps(article) + "\n")
    rows = list(csv.DictReader(io.StringIO(run("extract", str(path), "--format", "csv").stdout)))
    assert rows and all(r["source"].startswith("Al Jazeera") for r in rows)
    assert {r["source_scale"] for r in rows} == {"International"}
    assert {r["sitrep_article_ids"] for r in rows} == {"okapi-1"}
