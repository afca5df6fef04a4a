"""The date patterns, each with its handler and the words a text must hold for it to be tried."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Any

from .lexicon import names_pattern, words, words_pattern
from .rules import (
    Handler,
    read_ago,
    read_bare_year,
    read_day_word,
    read_holiday,
    read_iso,
    read_month,
    read_month_day,
    read_month_year,
    read_neighbour,
    read_numeric,
    read_offset,
    read_part_of,
    read_quarter,
    read_same,
    read_spelled_year,
    read_this_unit,
    read_week_of,
    read_weekday,
)

__all__ = ["patterns"]

_UNITS = r"(?i:day|week|month|year)"
UNITS = ("day", "week", "month", "year")
_MOD = (
    r"(?i:early|late|mid|earlier|later|the\s+(?:middle|end|beginning|start|close)\s+of"
    r"|the\s+(?:first|second)\s+half\s+of)"
)

Row = tuple[str, Handler, tuple[str, ...]]  # pattern, handler, words one of which it needs


@functools.lru_cache(maxsize=1)
def patterns() -> list[tuple[re.Pattern[str], Handler, tuple[str, ...]]]:
    """Each date pattern with its handler; built once from the word tables."""
    p = _pieces()
    rows = _calendar_rows(p) + _relative_rows(p) + _chained_rows(p)
    return [(re.compile(pattern), h, needs) for pattern, h, needs in rows]


def _pieces() -> dict[str, Any]:
    """Regex pieces from the word tables, and the lower-case words the cheap pre-test looks for."""
    w = words()
    month = names_pattern(list(w.months))
    full_month = names_pattern(
        [n for n in w.months if len(n) > 3 and not n.endswith(".")] + ["May"]
    )
    weekday = names_pattern(list(w.weekdays))
    count = r"(?:\d{1,3}|" + words_pattern(list(w.numbers))[:-2] + r")"
    hedge = r"(?:" + words_pattern(w.hedges) + r"\s+)?"
    holiday = names_pattern(list(w.holidays))
    ordinal = words_pattern(list(w.ordinals))[:-2]
    tens = words_pattern(list(w.tens))[:-2]
    units = words_pattern(
        [k for k, v in w.numbers.items() if 1 <= v <= 9 and k not in ("a", "an")]
    )[:-2]
    # each pattern with the lower-case words one of which a text must hold for it to match
    months, weekdays = _lower(w.months), _lower(w.weekdays)
    holidays = _lower(w.holidays)
    return dict(
        month=month,
        full_month=full_month,
        weekday=weekday,
        count=count,
        hedge=hedge,
        holiday=holiday,
        ordinal=ordinal,
        tens=tens,
        units=units,
        months=months,
        weekdays=weekdays,
        holidays=holidays,
    )


def _calendar_rows(p: dict[str, Any]) -> list[Row]:
    """Dates named outright: ISO, numeric, month and day, month and year, years."""
    month = p["month"]
    full_month = p["full_month"]
    weekday = p["weekday"]
    months = p["months"]
    return [
        (r"\b(?P<y>\d{4})-(?P<m>\d\d)(?:-(?P<d>\d\d))?\b(?![-/]\d)", read_iso, ("-",)),
        (
            r"(?<![\d/.])(?P<a>\d{1,2})/(?P<b>\d{1,2})(?:/(?P<y>\d{4}|\d\d))?(?![\d/])",
            read_numeric,
            (),
        ),
        (r"(?<![\d.])(?P<a>\d{1,2})[.-](?P<b>\d{1,2})[.-](?P<y>\d{4})\b", read_numeric, ()),
        (
            rf"(?:{weekday},?\s+)?(?P<mon>{month})\s*(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?!\s*%)"
            rf"(?:,?\s+(?P<y>\d{{4}})\b)?",
            read_month_day,
            months,
        ),
        (
            rf"(?:{weekday},?\s+)?\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?i:of\s+)?(?P<mon>{month})"
            rf"(?:,?\s+(?P<y>\d{{4}})\b)?",
            read_month_day,
            months,
        ),
        (rf"(?P<mon>{month}),?\s+(?i:of\s+)?(?P<y>\d{{4}})\b", read_month_year, months),
        (
            rf"(?P<mon>{full_month})\s+(?i:of\s+)?(?P<rel>(?i:last|this|next))\s+(?i:year)\b",
            read_month_year,
            months,
        ),
        (
            rf"(?:(?P<mod>{_MOD})[\s-]+)?(?:(?P<rel>(?i:last|this|next|past))\s+)?(?P<mon>{full_month})",
            read_month,
            months,
        ),
        (
            rf"(?:(?P<mod>{_MOD})[\s-]+)?(?P<fiscal>(?i:fiscal(?:\s+year)?|FY)\s*)?"
            r"(?<!\$)\b(?P<y>1[6-9]\d\d|20\d\d)\b(?!s\b|'s\b|-\d|/\d|,\d|\.\d|\s*%)",
            read_bare_year,
            (),
        ),
    ]


def _relative_rows(p: dict[str, Any]) -> list[Row]:
    """Dates named from publication: today, weekdays, this week, two weeks ago."""
    month = p["month"]
    weekday = p["weekday"]
    tens = p["tens"]
    units = p["units"]
    weekdays = p["weekdays"]
    return [
        (
            r"(?:(?i:early|late|earlier|later)\s+)?(?P<w>(?i:today|tonight|yesterday|tomorrow))\b",
            read_day_word,
            ("today", "tonight", "yesterday", "tomorrow"),
        ),
        (
            rf"(?:(?i:early|late|earlier|later)\s+)?(?:(?P<rel>(?i:last|past|this|next|coming|the\s+"
            rf"(?:previous|preceding|following|next)))\s+)?(?P<wd>{weekday})",
            read_weekday,
            weekdays,
        ),
        (
            rf"(?:{_MOD}[\s-]+)?(?P<rel>(?i:this|last|next|the\s+current|the\s+coming))\s+"
            rf"(?i:fiscal\s+)?(?P<unit>{_UNITS})\b",
            read_this_unit,
            UNITS,
        ),
        (
            rf"(?i:(?:the\s+)?(?:end|beginning|start|middle|close|rest)\s+of\s+the|(?:earlier|later)"
            rf"\s+in\s+the)\s+(?P<unit>{_UNITS})\b",
            read_part_of,
            ("of the", "in the"),
        ),
        (r"(?P<unit>)(?i:year[\s-]end|year's\s+end)\b", read_part_of, ("year",)),
        (
            rf"(?i:the\s+week\s+of)\s+(?P<mon>{month})\s*(?P<d>\d{{1,2}})(?:,?\s+(?P<y>\d{{4}})\b)?",
            read_week_of,
            ("week of",),
        ),
        (
            rf"(?:(?i:the\s+year)\s+)?(?P<c>(?i:nineteen|twenty))[\s-]+(?P<t>{tens})"
            rf"(?:[\s-]+(?P<u>{units}))?\b",
            read_spelled_year,
            ("nineteen", "twenty"),
        ),
        (
            rf"(?i:the\s+year\s+two\s+thousand)(?:\s+(?i:and)\s+(?P<u>{units}))?\b(?P<c>)",
            read_spelled_year,
            ("two thousand",),
        ),
    ]


def _chained_rows(p: dict[str, Any]) -> list[Row]:
    """Dates named from the previous date: a year earlier, the next day; quarters."""
    count = p["count"]
    hedge = p["hedge"]
    holiday = p["holiday"]
    ordinal = p["ordinal"]
    holidays = p["holidays"]
    return [
        (
            rf"{hedge}(?P<n>{count})\s+(?P<unit>{_UNITS})s?\s+(?P<dir>(?i:ago))\b",
            read_ago,
            ("ago",),
        ),
        (
            rf"{hedge}(?P<n>{count})\s+(?P<unit>{_UNITS})s?\s+(?P<dir>(?i:earlier|later|before|after))\b",
            read_offset,
            ("earlier", "later", "before", "after"),
        ),
        (
            r"(?i:the\s+)?(?P<unit>(?i:year))-(?P<dir>(?i:earlier|ago))(?P<n>)",
            read_offset,
            ("year-",),
        ),
        (
            rf"(?i:the)\s+(?P<rel>(?i:following|next|previous|preceding|prior))\s+(?P<unit>{_UNITS})\b",
            read_neighbour,
            ("following", "next", "previous", "preceding", "prior"),
        ),
        (
            r"(?i:the)\s+(?P<rel>(?i:following|next|previous))\s+(?P<unit>)"
            r"(?i:morning|afternoon|evening|night)\b",
            read_neighbour,
            ("following", "next", "previous"),
        ),
        (
            rf"(?i:the)\s+(?P<unit>{_UNITS})\s+(?P<rel>(?i:before|after))(?=\s*[,.;:)]|$)",
            read_neighbour,
            ("before", "after"),
        ),
        (
            rf"(?:(?i:earlier|later)\s+)?(?i:that|the\s+same|that\s+same)\s+(?P<unit>{_UNITS})\b",
            read_same,
            ("that", "same"),
        ),
        (
            rf"(?:(?P<rel>(?i:last|this|next))\s+)?(?P<h>{holiday})(?:,?\s+(?P<y>\d{{4}})\b)?",
            read_holiday,
            holidays,
        ),
        (
            rf"(?i:the\s+)?(?P<q>{ordinal})(?:[\s-]+(?i:fiscal\s+)?)(?i:quarter)\b"
            r"(?:\s+(?i:of\s+)?(?P<y>\d{4})\b)?",
            read_quarter,
            ("quarter",),
        ),
    ]


def _lower(names: Iterable[str]) -> tuple[str, ...]:
    return tuple({n.lower().split()[0].rstrip(".") for n in names})
