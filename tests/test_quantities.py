"""Tests for sitrep.quantities: counts, ranges, vague words, non-counts and fatalities."""

from __future__ import annotations

import csv
import re

import pytest

from sitrep.eval.core import default_data_dir
from sitrep.nlp import get_nlp, parse
from sitrep.fatalities import fatalities
from sitrep.quantities import parse_number, read_quantities, vague_count


def only(text: str):
    found = read_quantities(parse(text))
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "value", "low", "high", "unit", "approximate"),
    [
        ("There were about 1,500 American soldiers in Syria.", 1500, None, None, "soldiers", True),
        ("The deployment stands at 900.", 900, None, None, None, False),
        ("They moved thousands of ISIL prisoners.", None, 2000, None, "prisoners", True),
        ("At least 12 people were hurt.", 12, 12, None, "people", True),
        ("Between 10 and 20 soldiers died.", None, 10, 20, "soldiers", True),
        ("More than 100 protesters gathered.", 100, 100, None, "protesters", True),
        ("Up to 30 fighters fled.", 30, None, 30, "fighters", True),
        ("Twenty-one villagers returned.", 21, None, None, "villagers", False),
        ("A dozen fighters surrendered.", 12, None, None, "fighters", False),
        ("Some 1.5 million people fled.", 1_500_000, None, None, "people", True),
        ("Between 50-55 people were killed.", None, 50, 55, "people", True),
        ("Dozens of police were deployed.", None, 24, None, "police", True),
    ],
)
def test_quantities_reads_counts(text, value, low, high, unit, approximate):
    q = only(text)
    assert (q.value, q.low, q.high, q.unit, q.approximate) == (value, low, high, unit, approximate)
    assert text[q.start : q.end] == q.text


def test_quantities_of_keeps_modifiers():
    q = only("There were about 1,500 American soldiers in Syria.")
    assert q.of == "American soldiers in Syria"
    assert q.text == "about 1,500 American soldiers"


def test_quantities_counts_article_nouns_beside_counted_ones():
    found = read_quantities(parse("An ambush killed two US soldiers and a civilian interpreter."))
    assert [(q.value, q.unit) for q in found] == [(2, "soldiers"), (1, "interpreter")]


@pytest.mark.parametrize(
    "text",
    [
        "The base was established in 2014.",
        "A 30-year-old man was arrested.",
        "Prices rose 30% last year.",
        "The fund is worth $5 million.",
        "It was the first attack on 12 March.",
        "The fighting lasted 24 hours.",
        "The town lies 15 km north of the city.",
        "Fighters of Brigade 166 withdrew.",
    ],
)
def test_quantities_skips_non_counts(text):
    assert read_quantities(parse(text)) == []


@pytest.mark.parametrize(
    ("words", "value"),
    [
        (["two"], 2),
        (["twenty", "-", "one"], 21),
        (["1,500"], 1500),
        (["1.5", "million"], 1.5e6),
        (["two", "hundred", "and", "fifty"], 250),
        (["a", "dozen"], 12),
        (["two", "dozen"], 24),
        (["soldiers"], None),
    ],
)
def test_parse_number(words, value):
    assert parse_number(words) == value


@pytest.mark.parametrize(
    ("word", "count"),
    [("dozens", 12), ("hundreds", 100), ("a few", 3), ("several", 10), ("blue", None)],
)
def test_vague_count_follows_acled_convention(word, count):
    assert vague_count(word) == count


@pytest.mark.parametrize(
    ("text", "deaths"),
    [
        (
            "The US carried out attacks following an ambush that killed two US soldiers and a civilian "
            "interpreter in the city of Palmyra in December.",
            3,
        ),
        ("12 people were killed in the attack.", 12),
        ("Gunmen stormed the village, killing at least five.", 5),
        ("Dozens killed in clashes.", 12),
        ("There were deadly clashes with the SDF.", None),
        ("No casualties were reported.", 0),
        ("At least two killed and four injured in an attack on the market.", 2),
        ("Twenty-one people, including two children, were killed.", 21),
        ("A man was shot dead near the checkpoint.", 1),
        ("37 soldiers killed.", 37),
        ("The death toll rose to 40.", 40),
        ("Five soldiers were wounded.", None),
        ("The bodies of three young men were found.", 3),
        ("Man killed by gunmen in his house.", 1),
        ("3 soldiers and 3 civilians killed, 12 wounded.", 6),
        ("A man tried to kill himself in protest.", None),
        ("Many were killed when the bridge collapsed.", 10),
        ("Four herders were shot and killed near the well.", 4),
        ("Two guards and a driver were killed and the gunman was shot dead, bringing the toll to four.", 4),
        ("Three more bodies were found, bringing the death toll to 15.", 15),
        ("A trader was stabbed and killed at the market.", 1),
        ("Two drivers were shot and wounded on the highway.", None),
    ],
)
def test_fatalities(text, deaths):
    assert fatalities(parse(text)) == deaths


def test_fatalities_of_a_span_reads_that_sentence_only():
    doc = parse("Three soldiers were killed. Nine others were wounded.")
    first, second = list(doc.sents)
    assert (fatalities(first), fatalities(second)) == (3, None)


DEATH = re.compile(r"\b(kill\w*|dead|died|deaths?|fatalit\w*|bodies|beheaded|executed)\b", re.I)


@pytest.mark.slow
def test_fatalities_on_acled_notes():
    """Exact match with FATALITIES on the first 600 ACLED rows whose notes mention deaths."""
    folder = default_data_dir() / "ACLED-Africa-2016-JanMay"
    if not folder.is_dir():
        pytest.skip(f"{folder} not found (the shared evaluation data)")
    with next(folder.glob("*.csv")).open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if DEATH.search(r["NOTES"])][:600]
    docs = get_nlp().pipe(r["NOTES"] for r in rows)
    right = sum(fatalities(d) == int(r["FATALITIES"] or 0) for r, d in zip(rows, docs))
    assert right / len(rows) > 0.55
