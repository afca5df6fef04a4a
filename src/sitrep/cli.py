"""The `sitrep` command line: parse options, call the library, print. The only module that exits.

Exit status: 0 all inputs read; 1 some inputs (or the run) failed; 2 a usage error.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from . import __version__
from .errors import InputError, SitrepError
from .records import Article

T = TypeVar("T")
err_console = Console(stderr=True)

FORMATS_EXTRACT = click.Choice(["jsonl", "csv", "geojson"])
FORMATS_EVENTS = click.Choice(["table", "jsonl", "csv", "geojson"])
background_option = click.option(
    "--background", is_flag=True,
    help="CSV: also the earlier events stories recall (jsonl and geojson always carry them, marked).")


def _date(_ctx: Any, _param: Any, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from exc


def _published(ctx: Any, param: Any, value: str | None) -> date | None:
    """A date for articles that carry none, refused here once rather than with every article."""
    from .ingest import check_published

    when = _date(ctx, param, value)
    try:
        return None if when is None else check_published(when)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _parsed(value: str | None, parse: Callable[[str], T]) -> T | None:
    """A filter option's value read by the query layer's parser; its error is a usage error."""
    from .store.queries import FilterError

    if value is None:
        return None
    try:
        return parse(value)
    except FilterError as exc:
        raise click.BadParameter(str(exc)) from exc


def _near(_ctx: Any, _param: Any, value: str | None) -> tuple[float, float, float] | None:
    from .store.queries import parse_near

    return _parsed(value, parse_near)


def progress(items: Iterable[T], *, total: int | None = None, label: str = "") -> Iterator[T]:
    """A Rich progress bar on stderr, shown only when stderr is a terminal."""
    columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
    with Progress(*columns, console=err_console, transient=True,
                  disable=not err_console.is_terminal) as bar:
        task = bar.add_task(label, total=total)
        for item in items:
            yield item
            bar.advance(task)


def report(err: SitrepError) -> None:
    click.echo(f"error: {err}", err=True)


def articles_from(paths: tuple[str, ...], published: date | None, failures: list[InputError]) -> Iterator[Article]:
    from .ingest import Skipped, read_paths

    for item in read_paths(paths, published=published):
        if isinstance(item, Skipped):
            click.echo(f"skipped: {item}", err=True)
        elif isinstance(item, InputError):
            failures.append(item)
            report(item)
        else:
            yield item


def finish(failures: list[InputError]) -> None:
    if failures:
        click.echo(f"{len(failures)} input(s) could not be read", err=True)
        sys.exit(1)


def read_all(articles: Iterable[Article], workers: int, failures: list[InputError]) -> Iterator[tuple[Article, Any]]:
    """Each article with its reading, in input order; an article whose reading fails is
    reported (and left out) and the batch goes on."""
    from .pipeline import read_articles

    for outcome in read_articles(articles, workers=workers):
        if outcome.error is not None:
            failures.append(InputError(outcome.article.source or outcome.article.id, outcome.error))
            report(failures[-1])
        else:
            yield outcome.article, outcome.reading


def _workers(_ctx: Any, _param: Any, value: int | None) -> int:
    from .pipeline import default_workers

    return value if value is not None else default_workers()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sitrep")
def cli() -> None:
    """sitrep: news articles in; dated, placed, sourced conflict events and a situation picture out."""


workers_option = click.option(
    "--workers", type=click.IntRange(min=1), default=None, callback=_workers, metavar="N",
    help="Processes reading articles (default: this machine's CPUs); the output is the same.")
published_option = click.option("--published", callback=_published, metavar="DATE",
                                help="Publication date for inputs that carry none (YYYY-MM-DD).")
db_option = click.option("--db", "db", envvar="SITREP_DB", default="sqlite:///sitrep.db",
                         show_default=True, help="Database URL: sqlite:///FILE or postgresql://...")


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=FORMATS_EXTRACT, default="jsonl", show_default=True)
@published_option
@background_option
@workers_option
def extract(paths: tuple[str, ...], fmt: str, published: date | None, background: bool, workers: int) -> None:
    """Read articles and print their event records (no database needed)."""
    from .output import to_csv, to_geojson, to_jsonl

    failures: list[InputError] = []
    found = []
    read: dict[str, Article] = {}
    articles = articles_from(paths, published, failures)
    for article, reading in progress(read_all(articles, workers, failures), label="reading"):
        if fmt == "jsonl":
            click.echo(to_jsonl(reading.events), nl=False)
        found.extend(reading.events)
        read[article.id] = article
    if fmt == "csv":
        click.echo(to_csv(found, articles=read, background=background), nl=False)
    elif fmt == "geojson":
        click.echo(json.dumps(to_geojson(found), ensure_ascii=False))
    finish(failures)


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True)
@published_option
def annotate(paths: tuple[str, ...], fmt: str, published: date | None) -> None:
    """Print what sitrep read in each article: dates, places, actors, quantities."""
    from .read import annotate as read

    failures: list[InputError] = []
    for article in progress(articles_from(paths, published, failures), label="reading"):
        click.echo(json.dumps(read(article).to_dict(), ensure_ascii=False))
    finish(failures)


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@db_option
@published_option
@workers_option
def ingest(paths: tuple[str, ...], db: str, published: date | None, workers: int) -> None:
    """Read, extract and store articles; articles already stored are skipped."""

    store = _open(db)
    failures: list[InputError] = []
    new = seen = events = 0

    texts: dict[str, str] = {}  # this run's articles by id: workers read ahead of the store

    def unseen(articles: Iterable[Article]) -> Iterator[Article]:
        nonlocal seen
        for article in articles:
            state = store.article_state(article)
            if state == "new" and article.id in texts:
                state = "stored" if texts[article.id] == article.text else "conflict"
            texts.setdefault(article.id, article.text)
            if state == "stored":
                seen += 1
            elif state == "conflict":  # storing it would lose one text or the other: say so
                _fail(failures, article, f"the id {article.id!r} is already stored with a "
                      "different text; skipped (give this article another id)")
            else:
                yield article

    articles = unseen(articles_from(paths, published, failures))
    # workers only read; this process alone writes, one article per transaction
    for article, reading in progress(read_all(articles, workers, failures), label="ingesting"):
        try:
            added = store.add_article(article, reading.events, reading.facts)
        except SitrepError as exc:
            _fail(failures, article, str(exc))
            continue
        if added:
            new += 1
            events += len(reading.events)
        else:
            seen += 1
    stats = store.stats()
    click.echo(f"{new} new article(s), {seen} already stored, {events} event report(s) added; "
               f"the store now holds {stats['articles']} articles and {stats['events']} events")
    finish(failures)


def _fail(failures: list[InputError], article: Article, reason: str) -> None:
    failures.append(InputError(article.source or article.id, reason))
    report(failures[-1])


def _open(db: str, *, create: bool = True) -> Any:
    """The store at ``db``; a reading command (``create=False``) refuses a missing SQLite file."""
    from .library import require_database
    from .store import open_store

    try:
        require_database(db, exists=not create)
        return open_store(db)
    except SitrepError as exc:
        report(exc)
        sys.exit(1)


def _bbox(_ctx: Any, _param: Any, value: str | None) -> tuple[float, float, float, float] | None:
    from .store.queries import parse_bbox

    return _parsed(value, parse_bbox)


@cli.command()
@db_option
@click.option("--since", callback=_date, metavar="DATE",
              help="Only events still going on at or after DATE (YYYY-MM-DD): their end date counts.")
@click.option("--until", callback=_date, metavar="DATE",
              help="Only events begun on or before DATE (YYYY-MM-DD).")
@click.option("--type", "event_type", metavar="T",
              help="An ACLED event type or sub-event type, any case (e.g. Battles).")
@click.option("--actor", metavar="A", help="Part of an actor's name (% and _ are literal).")
@click.option("--country", metavar="CC",
              help="Country of the location: ISO alpha-2 (SY), alpha-3 (SYR) or English name.")
@click.option("--admin1", metavar="NAME", help="First-level division (province, state), any case.")
@click.option("--fatalities", "min_fatalities", type=click.IntRange(0, 10_000_000), metavar="N",
              help="Only events with at least N reported deaths.")
@click.option("--near", callback=_near, metavar="LAT,LON,KM",
              help="Only events within KM kilometres of LAT,LON (e.g. 36.2,37.1,50).")
@click.option("--bbox", callback=_bbox, metavar="W,S,E,N",
              help="Only events in the box min lon,min lat,max lon,max lat (GeoJSON's order).")
@click.option("--background", type=click.Choice(["include", "exclude", "only"]), default=None,
              help="Events an article recalls as history, not news (default: include them, "
                   "except in CSV, which follows ACLED and leaves them out).")
@click.option("--acled-only", is_flag=True, help="Only events ACLED codes, not PLOVER's verbal ones.")
@click.option("--limit", type=click.IntRange(min=1), help="At most N events, newest first.")
@click.option("--format", "fmt", type=FORMATS_EVENTS, default="table", show_default=True)
def events(db: str, fmt: str, **filters: Any) -> None:
    """List stored events, merged across articles, newest first."""
    from .output import event_table, to_csv, to_geojson, to_jsonl
    from .store.queries import FilterError

    chosen = filters.pop("background")
    # CSV follows ACLED: no recalled history unless asked for
    filters["background"] = chosen or ("exclude" if fmt == "csv" else "include")
    store = _open(db, create=False)
    try:
        found = store.events(**filters)
    except FilterError as exc:
        raise click.UsageError(str(exc)) from exc
    if fmt == "table":
        Console(width=160).print(event_table(found))
    elif fmt == "jsonl":
        click.echo(to_jsonl(found), nl=False)
    elif fmt == "csv":
        from .library import articles_of

        click.echo(to_csv(found, articles=articles_of(store, found),
                          background=filters["background"] != "exclude"), nl=False)
    else:
        click.echo(json.dumps(to_geojson(found), ensure_ascii=False))


@cli.command()
@db_option
@click.option("--kind", type=click.Choice(["control", "force_level"]))
@click.option("--country", metavar="CC")
@click.option("--place", metavar="NAME")
@click.option("--actor", metavar="A")
@click.option("--as-of", "as_of", callback=_date, metavar="DATE", help="The picture as of this date.")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl", "csv", "geojson"]),
              default="table", show_default=True)
def situation(db: str, fmt: str, as_of: date | None, **filters: Any) -> None:
    """Who controls which place since when; force levels over time."""
    from .output import fact_table, facts_to_csv, facts_to_geojson, to_jsonl
    from .situation import picture

    found = picture(_open(db, create=False).facts(as_of=as_of, **filters), as_of=as_of)
    if fmt == "table":
        Console(width=160).print(fact_table(found))
    elif fmt == "jsonl":
        click.echo(to_jsonl(found), nl=False)
    elif fmt == "csv":
        click.echo(facts_to_csv(found), nl=False)
    else:
        click.echo(json.dumps(facts_to_geojson(found), ensure_ascii=False, default=str))


@cli.command("eval")
@click.argument("task")
@click.option("--data", type=click.Path(file_okay=False, path_type=Path),
              help="The shared/eval folder (default: ../shared/eval).")
@click.option("--limit", type=int, help="Score only the first N items (for a quick look).")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Also write the JSON here.")
def eval_(task: str, data: Path | None, limit: int | None, as_json: bool, out: Path | None) -> None:
    """Score sitrep on human-coded data: seed, timex, geo, acled, case2021, plover, ucdp-syria."""
    from .eval import task as load_task
    from .eval.core import default_data_dir

    try:
        figures = load_task(task).run(data or default_data_dir(), limit=limit, progress=progress)
    except SitrepError as exc:
        report(exc)
        sys.exit(1)
    text = json.dumps({"task": task, **figures}, indent=2, default=str)
    if out:
        out.write_text(text + "\n")
    if as_json:
        click.echo(text)
    else:
        _print_figures(task, figures)


def _print_figures(task: str, figures: dict[str, Any], indent: str = "") -> None:
    if not indent:
        click.echo(f"sitrep eval {task}")
    for key, value in figures.items():
        if isinstance(value, dict):
            click.echo(f"{indent}  {key}:")
            _print_figures(task, value, indent + "  ")
        elif isinstance(value, list):
            click.echo(f"{indent}  {key}: {json.dumps(value, default=str)[:400]}")
        else:
            click.echo(f"{indent}  {key}: {value}")


@cli.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--token", envvar="SITREP_API_TOKEN", help="Token that allows writes (POST).")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Server processes; one per core answers concurrent clients fastest.")
def serve(db: str, host: str, port: int, token: str | None, workers: int) -> None:
    """Serve the REST API and the web page with the map."""
    from .api import serve as run

    click.echo(f"serving {db} on http://{host}:{port}/", err=True)
    run(db, host=host, port=port, token=token, workers=workers)


@cli.group()
def gazetteer() -> None:
    """The place index."""


@gazetteer.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def gazetteer_import(file: Path) -> None:
    """Load a GeoNames dump (allCountries.txt or a country file) into the place index."""
    from .geo import import_geonames

    try:
        count = import_geonames(file)
    except SitrepError as exc:
        report(exc)
        sys.exit(1)
    click.echo(f"{count} places imported from {file}")


@cli.group()
def batch() -> None:
    """Past one machine: articles to Parquet, extraction on Ray, loading into the store."""


@batch.command("to-parquet")
@click.argument("paths", nargs=-1, required=True)
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@published_option
def batch_to_parquet(paths: tuple[str, ...], out: Path, published: date | None) -> None:
    """Write the articles under PATHS to one Parquet file OUT."""
    from .scale import articles_to_parquet

    failures: list[InputError] = []
    count = articles_to_parquet(articles_from(paths, published, failures), out)
    click.echo(f"{count} article(s) written to {out}")
    finish(failures)


@batch.command("extract")
@click.argument("src", type=click.Path(exists=True, path_type=Path))
@click.argument("dst", type=click.Path(file_okay=False, path_type=Path))
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True)
@click.option("--address", default=None, help="Ray cluster address (auto, ray://HOST:10001); "
              "default: start Ray on this machine.")
@click.option("--batch-size", type=click.IntRange(min=1), default=64, show_default=True)
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Processes (local) or actors (ray); default: this machine's CPUs / one per "
              "cluster CPU.")
def batch_extract(src: Path, dst: Path, engine: str, address: str | None, batch_size: int,
                  workers: int | None) -> None:
    """Extract events and facts from the Parquet articles SRC into DST/; reruns resume."""
    from .pipeline import default_workers
    from .scale import extract_parquet

    if engine == "local" and workers is None:
        workers = default_workers()
    try:
        done = extract_parquet(src, dst, engine=engine, batch_size=batch_size,  # type: ignore[arg-type]
                               address=address, workers=workers)
    except SitrepError as err:
        report(err)
        sys.exit(1)
    click.echo(f"{done.read} article(s) read ({done.skipped} done before), {done.events} event(s), "
               f"{done.facts} fact(s), {done.errors} error(s) in {done.seconds:.1f} s; see {dst}")


@batch.command("load")
@click.argument("dst", type=click.Path(exists=True, file_okay=False, path_type=Path))
@db_option
@click.option("--articles", type=click.Path(exists=True, path_type=Path), default=None,
              help="The articles' Parquet, if not where the extract run read them.")
def batch_load(dst: Path, db: str, articles: Path | None) -> None:
    """Store the articles, events and facts of a batch run DST/, merging events."""
    from .scale import load_parquet_into_store

    store = _open(db)
    try:
        new = load_parquet_into_store(dst, store, articles=articles)
    except SitrepError as err:
        report(err)
        sys.exit(1)
    click.echo(f"{new} new article(s) stored in {store.safe_url}")


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
