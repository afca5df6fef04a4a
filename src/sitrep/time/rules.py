"""Date patterns and their handlers: each handler turns one match into a calendar period or None.

Handlers read news conventions off the ``Context``: tense for bare weekdays and months, the
previous date for "the following day", spaCy's tags to tell "May" the month from "May" the name.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from .calendar import ORDER, Span, Tense, period, pick, shift, valid
from .context import FIRM, Context
from .lexicon import words

__all__ = [
    "Handler",
    "Match",
    "read_ago",
    "read_bare_year",
    "read_day_word",
    "read_holiday",
    "read_iso",
    "read_month",
    "read_month_day",
    "read_month_year",
    "read_neighbour",
    "read_numeric",
    "read_offset",
    "read_part_of",
    "read_quarter",
    "read_same",
    "read_spelled_year",
    "read_this_unit",
    "read_week_of",
    "read_weekday",
]


Match = re.Match[str]
Handler = Callable[[Match, Context], "Span | None"]
_TWO_PART_LEAD = frozenset(
    {
        "on",
        "since",
        "from",
        "until",
        "till",
        "by",
        "before",
        "after",
        "of",
        "between",
        "and",
        "to",
        "dated",
    }
)
_DETERMINERS = frozenset({"the", "its", "his", "her", "their", "our", "this", "that"})
_NOT_DATES = frozenset({"PERSON", "ORG", "NORP", "FAC", "PRODUCT", "WORK_OF_ART", "LAW"})


def _count(text: str) -> int | None:
    text = text.lower()
    return int(text) if text.isdigit() else words().numbers.get(text)


def _year(text: str, published: date) -> int:
    value = int(text)
    if len(text) == 2:  # two-digit years: the century that keeps them near publication
        value += 2000 if value <= published.year % 100 + 1 else 1900
    return value


def _in_years(published: date, make: Callable[[int], date | None]) -> list[date]:
    found = (make(y) for y in (published.year - 1, published.year, published.year + 1))
    return [d for d in found if d is not None]


def read_iso(m: Match, c: Context) -> Span | None:
    if m["d"]:
        day = valid(int(m["y"]), int(m["m"]), int(m["d"]))
        return period("day", day) if day else None
    month = int(m["m"])
    return period("month", date(int(m["y"]), month, 1)) if 1 <= month <= 12 else None


def read_numeric(m: Match, c: Context) -> Span | None:
    if not m["y"] and c.word_before(m.start()) not in _TWO_PART_LEAD:
        return None  # a bare "3/4" is as likely a fraction or a score
    first, second = int(m["a"]), int(m["b"])
    order = [(second, first), (first, second)]  # (month, day): day-first unless impossible
    for month, day in order:
        if m["y"]:
            found = valid(_year(m["y"], c.published), month, day)
            if found:
                return period("day", found)
        elif 1 <= month <= 12 and valid(2000, month, day):
            days = _in_years(c.published, lambda y: valid(y, month, day))
            picked = pick(days, c.published, c.tense(m.start()))
            return period("day", picked) if picked else None
    return None


def read_month_day(m: Match, c: Context) -> Span | None:
    month, day = words().months[m["mon"]], int(m["d"])
    if m["y"]:
        found = valid(int(m["y"]), month, day)
        return period("day", found) if found else None
    days = _in_years(c.published, lambda y: valid(y, month, day))
    picked = pick(days, c.published, c.tense(m.start()))
    return period("day", picked) if picked else None


def _pick_by_tense(
    candidates: list[date], reference: date, c: Context, char: int, *, default: Tense = "unknown"
) -> date | None:
    tense = c.tense(char)
    firm = tense != "unknown" and c.tense(char, steps=FIRM) == tense
    return pick(candidates, reference, default if tense == "unknown" else tense, firm=firm)


def read_month_year(m: Match, c: Context) -> Span | None:
    if m.groupdict().get("rel"):  # "July last year", "April next year"
        year = c.published.year + {"last": -1, "this": 0, "next": 1}[m["rel"].lower()]
    else:
        year = int(m["y"])
    return period("month", date(year, words().months[m["mon"]], 1))


def read_month(m: Match, c: Context) -> Span | None:
    if not (m["mod"] or m["rel"] or _date_context(m, c, "mon")):
        return None
    month = words().months[m["mon"]]
    this = date(c.published.year, c.published.month, 1)
    starts = _in_years(c.published, lambda y: date(y, month, 1))
    rel = (m["rel"] or "").lower()
    if rel == "this":
        return period("month", date(c.published.year, month, 1))
    if rel in ("last", "past"):
        return period("month", max(d for d in starts if d < this))
    if rel == "next":
        return period("month", min(d for d in starts if d > this))
    picked = _pick_by_tense(starts, this, c, m.start(), default="past")
    return period("month", picked) if picked else None


def _date_context(m: Match, c: Context, group: str) -> bool:
    """A bare month or year is a date after a date word, or where spaCy calls it one."""
    tok = c.token(m.start(group))
    if tok is None or tok.ent_type_ in _NOT_DATES or tok.tag_ == "MD":
        return False
    before = c.word_before(m.start(group))
    lead = " ".join(c.text[max(0, m.start(group) - 30): m.start(group)].lower().split())
    if lead.endswith(words().count_openers):
        return False  # "more than 1725 air strikes" counts
    owned = before in _DETERMINERS or before.endswith("'s")  # "the 1992 protests", "its 1990 ..."
    if tok.dep_ == "nummod" and tok.head.tag_ in ("NNS", "NNPS") and not owned:
        return False  # "2000 troops" is a count; "the 1992 protests" is not
    if before in words().prepositions or tok.ent_type_ == "DATE":
        return True
    # "the 1996 law", "its 1990 invasion": a year that qualifies a single thing
    return group == "y" and tok.head.tag_ in ("NN", "NNP") and tok.head.i > tok.i


def read_bare_year(m: Match, c: Context) -> Span | None:
    year = int(m["y"])
    if not (m["mod"] or m["fiscal"] or _date_context(m, c, "y")):
        return None
    if year > c.published.year + 30:
        return None
    return period("year", date(year, 1, 1))


def read_spelled_year(m: Match, c: Context) -> Span | None:
    w = words()
    units = w.numbers.get((m["u"] or "").lower(), 0)
    if m["c"]:  # "nineteen ninety-six"
        year = (1900 if m["c"].lower() == "nineteen" else 2000) + w.tens[m["t"].lower()] + units
    else:  # "two thousand and one"
        year = 2000 + units
    return period("year", date(year, 1, 1))


def read_part_of(m: Match, c: Context) -> Span | None:
    """ "the end of the year", "earlier in the month", "year-end": the current period."""
    unit = (m["unit"] or "year").lower()
    return period(unit, c.published)  # type: ignore[arg-type]


def read_week_of(m: Match, c: Context) -> Span | None:
    day = read_month_day(m, c)
    return period("week", day.first) if day else None


def read_day_word(m: Match, c: Context) -> Span | None:
    offset = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[m["w"].lower()]
    return period("day", c.published + timedelta(days=offset))


def read_weekday(m: Match, c: Context) -> Span | None:
    tok = c.token(m.start("wd"))
    if tok is not None and tok.ent_type_ in _NOT_DATES:
        return None  # "The Sunday Times", "Black Friday Sales Inc."
    wanted = words().weekdays[m["wd"]]
    rel = " ".join((m["rel"] or "").lower().split())
    base = c.anchor.first if rel.startswith("the ") and c.anchor.grain == "day" else c.published
    back = (base.weekday() - wanted) % 7
    ahead = (wanted - base.weekday()) % 7
    if rel in ("last", "past", "the previous", "the preceding"):
        return period("day", base - timedelta(days=back or 7))
    if rel in ("next", "coming", "the following", "the next"):
        return period("day", base + timedelta(days=ahead or 7))
    if rel == "this":
        return period("day", base + timedelta(days=wanted - base.weekday()))
    if c.tense(m.start("wd")) == "future":
        return period("day", base + timedelta(days=ahead))
    return period("day", base - timedelta(days=back))


def read_this_unit(m: Match, c: Context) -> Span | None:
    rel = " ".join(m["rel"].lower().split())
    if rel == "last" and c.word_before(m.start()) == "the":
        return None  # "the last year": a stretch of time, not a calendar year
    step = {"last": -1, "next": 1, "the coming": 1}.get(rel, 0)
    unit = m["unit"].lower()
    return period(unit, shift(c.published, unit, step))  # type: ignore[arg-type]


def read_ago(m: Match, c: Context) -> Span | None:
    n = _count(m["n"])
    unit = m["unit"].lower()
    return period(unit, shift(c.published, unit, -n)) if n else None  # type: ignore[arg-type]


def _anchored(c: Context, unit: str, n: int, *, grain: str | None = None) -> Span | None:
    """The previous date in the text moved ``n`` units, kept at its own grain (or ``grain``)."""
    anchor = c.anchor
    target = grain or anchor.grain
    if ORDER[unit] < ORDER[anchor.grain] or ORDER[target] < ORDER[anchor.grain]:
        return None  # "the following day" after "in March" names no day
    return period(target, shift(anchor.first, unit, n))  # type: ignore[arg-type]


def read_offset(m: Match, c: Context) -> Span | None:
    direction = m["dir"].lower()
    if direction in ("before", "after") and c.text[m.end() :].lstrip()[:1] not in ",.;:)'\"":
        return None  # "two days after the attack" counts from an event, not a date
    n = _count(m["n"]) if m["n"] else 1
    sign = -1 if direction in ("earlier", "before", "ago") else 1
    unit = m["unit"].lower()
    if not n:
        return None
    if unit == "year" and c.sentence(m.start()) != c.anchor_sentence:
        # "up 5% from a year earlier" with no date before it in its sentence compares with the
        # same period a year before publication; "two days later" goes on from the last date
        return period(unit, shift(c.published, unit, sign * n))  # type: ignore[arg-type]
    return _anchored(c, unit, sign * n)


def read_neighbour(m: Match, c: Context) -> Span | None:
    if c.word_before(m.start()) in ("over", "for", "during", "within", "in", "throughout"):
        return None  # "over the next year": a stretch ahead, not a calendar period
    unit = m["unit"].lower() or "day"  # "the next morning": the day after
    sign = -1 if m["rel"].lower() in ("previous", "preceding", "prior", "before") else 1
    return _anchored(c, unit, sign, grain=unit)


def read_same(m: Match, c: Context) -> Span | None:
    unit = m["unit"].lower()
    return _anchored(c, unit, 0, grain=unit)


def read_holiday(m: Match, c: Context) -> Span | None:
    rule = words().holidays[" ".join(m["h"].split())]
    if m["y"]:
        return period("day", _holiday_date(rule, int(m["y"])))
    days = _in_years(c.published, lambda y: _holiday_date(rule, y))
    rel = (m["rel"] or "").lower()
    tense: Tense = "future" if rel == "next" or c.tense(m.start("h")) == "future" else "past"
    if rel == "last":
        days = [d for d in days if d < c.published]
    picked = pick(days, c.published, tense)
    return period("day", picked) if picked else None


def _holiday_date(rule: dict[str, int], year: int) -> date:
    if "day" in rule:
        return date(year, rule["month"], rule["day"])
    first = date(year, rule["month"], 1)
    return first + timedelta(days=(rule["weekday"] - first.weekday()) % 7 + 7 * (rule["nth"] - 1))


def read_quarter(m: Match, c: Context) -> Span | None:
    q = words().ordinals[m["q"].lower()]
    year = int(m["y"]) if m["y"] else c.published.year
    start = date(year, 3 * q - 2, 1)
    if not m["y"] and start > c.published:
        start = date(year - 1, 3 * q - 2, 1)  # a quarter not begun yet is last year's
    return period("quarter", start)
