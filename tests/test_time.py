"""sitrep.time: date phrases in news, valued against the publication date."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from sitrep.nlp import parse
from sitrep.records import DateMention
from sitrep.time import period, read_dates, shift

THU = date(2026, 2, 12)  # a Thursday, the seed article's publication date
SEED = "000_3960a0e75762fe68"


def dates(text: str, published: date = THU) -> list[DateMention]:
    return read_dates(parse(text), published)


def only(text: str, published: date = THU) -> DateMention:
    found = dates(text, published)
    assert len(found) == 1, [(d.text, d.value) for d in found]
    return found[0]


@pytest.fixture(scope="module")
def seed(shared: Path) -> tuple[str, list[DateMention], list[dict[str, str]]]:
    raw = (shared / "seeds" / f"{SEED}.txt").read_text(encoding="utf-8")
    gold = json.loads((shared / "gold" / f"{SEED}.gold.json").read_text(encoding="utf-8"))
    text = re.sub(r"^\s*date \S+ ", "", raw)  # drop the corpus header "date YYYY-MM-DD"
    return text, read_dates(parse(text), date.fromisoformat(gold["published"])), gold["dates"]


@pytest.mark.parametrize("index", range(9))
def test_time_seed_phrases(seed, index: int) -> None:
    text, found, gold = seed
    want = gold[index]
    start = text.index(want["phrase"])
    end = start + len(want["phrase"])
    hits = [d for d in found if d.start < end and start < d.end]
    assert [(d.value, d.precision) for d in hits] == [(want["value"], want["precision"])]


def test_time_seed_reports_nothing_else(seed) -> None:
    text, found, gold = seed
    assert len(found) == len(gold)


@pytest.mark.parametrize(
    "text,value,precision",
    [
        ("The ministry said on Thursday that units had moved.", "2026-02-12", "day"),
        ("Officials said on Tuesday that the talks failed.", "2026-02-10", "day"),
        ("The council will vote on Tuesday.", "2026-02-17", "day"),
        ("Last month, forces captured the town.", "2026-01", "month"),
        ("Earlier this month, a correspondent reported it.", "2026-02", "month"),
        ("Strikes were carried out in January.", "2026-01", "month"),
        ("The ambush happened in July.", "2025-07", "month"),
        ("A report in July 2025 said so.", "2025-07", "month"),
        ("The group has held the town since 2014.", "2014", "year"),
        ("The town fell two weeks ago.", "2026-W05", "week"),
        ("Fighting flared late last year.", "2025", "year"),
        ("The deal was signed on 11/30 in the capital.", "2025-11-30", "day"),
        ("The statement is dated 2025-11-30.", "2025-11-30", "day"),
        ("The base was attacked on March 12, 2025.", "2025-03-12", "day"),
        ("The base was attacked on 12 March 2025.", "2025-03-12", "day"),
        ("Prices rose earlier this year.", "2026", "year"),
        ("Rebels regrouped in late November.", "2025-11", "month"),
        ("The company earned $3 million in fiscal 1989.", "1989", "year"),
        ("Troops arrived this week.", "2026-W07", "week"),
        ("Troops arrived last week.", "2026-W06", "week"),
        ("Troops arrived yesterday.", "2026-02-11", "day"),
        ("Troops are arriving today.", "2026-02-12", "day"),
        ("Elections are due in March.", "2026-03", "month"),
        ("The accord was reached on Christmas Day.", "2025-12-25", "day"),
        ("They met in July last year.", "2025-07", "month"),
        ("A 1996 law tightened the embargo.", "1996", "year"),
    ],
)
def test_time_news_conventions(text: str, value: str, precision: str) -> None:
    found = only(text)
    assert (found.value, found.precision) == (value, precision)


@pytest.mark.parametrize(
    "text,published,value",
    [
        ("The deal was signed on 04/03 in the capital.", date(2026, 3, 10), "2026-03-04"),
        ("Clashes broke out on 04/03/2016 in the north.", date(2016, 3, 10), "2016-03-04"),
        ("Clashes broke out on 12/25/2015 in the north.", date(2016, 3, 10), "2015-12-25"),
    ],
)
def test_time_numeric_dates_are_day_first(text: str, published: date, value: str) -> None:
    assert only(text, published).value == value


def test_time_the_day_before_counts_from_the_date_before_it() -> None:
    found = dates("On Wednesday, the army said it had retaken the town the day before.")
    assert [d.value for d in found] == ["2026-02-11", "2026-02-10"]


def test_time_weekday_with_a_date_is_one_mention() -> None:
    found = only("The ceasefire took effect at midnight on Sunday, February 1.")
    assert (found.text, found.value) == ("Sunday, February 1", "2026-02-01")


def test_time_future_weekday_on_publication_day_is_that_day() -> None:
    assert only("The council will vote on Thursday.").value == "2026-02-12"


@pytest.mark.parametrize(
    "second,value",
    [
        ("The following day, the town fell.", "2024-03-04"),
        ("He appeared in court the next morning.", "2024-03-04"),
        ("That day, the town fell.", "2024-03-03"),
        ("Two days later, the town fell.", "2024-03-05"),
    ],
)
def test_time_anchored_to_previous_date(second: str, value: str) -> None:
    found = dates(f"The siege began on March 3, 2024. {second}")
    assert [d.value for d in found] == ["2024-03-03", value]


def test_time_a_year_earlier_counts_from_the_last_date() -> None:
    found = dates("Exports fell in 2019, after rising a year earlier.")
    assert [d.value for d in found] == ["2019", "2018"]


def test_time_a_year_earlier_alone_counts_from_publication() -> None:
    found = dates("In March, sales rose. They were up 5% from a year earlier.")
    assert [d.value for d in found] == ["2025-03", "2025"]


def test_time_interval_and_span() -> None:
    text = "Clashes erupted last month near the border."
    found = only(text)
    assert (found.first_day, found.last_day) == (date(2026, 1, 1), date(2026, 1, 31))
    assert text[found.start : found.end] == found.text == "last month"


def test_time_week_interval_is_iso() -> None:
    found = only("Troops arrived this week.")
    assert (found.first_day, found.last_day) == (date(2026, 2, 9), date(2026, 2, 15))


@pytest.mark.parametrize(
    "text",
    [
        "May said the government would act.",
        "Thousands of troops march through the city.",
        "The group celebrated Independence Day with a parade.",
        "Fighting has gone on for two years.",
        "It took months to rebuild the bridge.",
        "Over the years, the town changed hands.",
        "About 2000 soldiers were deployed.",
        "The score was 3/4 at half time.",
        "The Sunday Times reported the clash.",
        "The talks will go on in the coming days.",
    ],
)
def test_time_not_dates(text: str) -> None:
    assert dates(text) == []


@pytest.mark.parametrize(
    "grain,day,value,first,last",
    [
        ("week", date(2026, 1, 1), "2026-W01", date(2025, 12, 29), date(2026, 1, 4)),
        ("month", date(2024, 2, 10), "2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        ("quarter", date(2024, 8, 10), "2024-Q3", date(2024, 7, 1), date(2024, 9, 30)),
        ("year", date(2014, 6, 1), "2014", date(2014, 1, 1), date(2014, 12, 31)),
    ],
)
def test_time_period(grain, day: date, value: str, first: date, last: date) -> None:
    span = period(grain, day)
    assert (span.value, span.first, span.last) == (value, first, last)


def test_time_shift_months_clamps_the_day() -> None:
    assert shift(date(2024, 3, 31), "month", -1) == date(2024, 2, 29)
    assert shift(date(2024, 2, 29), "year", 1) == date(2025, 2, 28)
