"""Calendar periods (day, ISO week, month, quarter, year) and the arithmetic the rules need."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

__all__ = ["Grain", "Tense", "ORDER", "Span", "period", "shift", "valid", "pick"]

Grain = Literal["day", "week", "month", "quarter", "year"]
Tense = Literal["past", "future", "unknown"]
ORDER: dict[str, int] = {"day": 0, "week": 1, "month": 2, "quarter": 3, "year": 4}
# A date a tense sends more than _FAR days away loses to one within _NEAR days (see pick).
_FAR, _NEAR = 183, 45


@dataclass(frozen=True)
class Span:
    """A calendar period: its grain and the days it covers."""

    grain: Grain
    first: date
    last: date

    @property
    def value(self) -> str:
        """The period as TIMEX3 writes it."""
        if self.grain == "day":
            return self.first.isoformat()
        if self.grain == "week":
            year, week, _ = self.first.isocalendar()
            return f"{year}-W{week:02d}"
        if self.grain == "month":
            return f"{self.first.year}-{self.first.month:02d}"
        if self.grain == "quarter":
            return f"{self.first.year}-Q{(self.first.month - 1) // 3 + 1}"
        return str(self.first.year)


# --- calendar arithmetic ------------------------------------------------------------------------


def period(grain: Grain, day: date) -> Span:
    """The period of ``grain`` that contains ``day``."""
    if grain == "day":
        return Span("day", day, day)
    if grain == "week":
        monday = day - timedelta(days=day.weekday())
        return Span("week", monday, monday + timedelta(days=6))
    if grain == "year":
        return Span("year", date(day.year, 1, 1), date(day.year, 12, 31))
    first_month = day.month if grain == "month" else 3 * ((day.month - 1) // 3) + 1
    first = date(day.year, first_month, 1)
    after = _add_months(first, 1 if grain == "month" else 3)
    return Span(grain, first, after - timedelta(days=1))


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # unreachable: day 28 exists in every month


def shift(day: date, unit: str, n: int) -> date:
    """``day`` moved ``n`` units (day, week, month, year; negative is back)."""
    if unit == "day":
        return day + timedelta(days=n)
    if unit == "week":
        return day + timedelta(weeks=n)
    return _add_months(day, n * (12 if unit == "year" else 1))


def valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def pick(
    candidates: list[date], published: date, tense: Tense, *, firm: bool = False
) -> date | None:
    """Of same-named dates in different years or weeks, the one the tense points to."""
    if not candidates:
        return None
    before = [d for d in candidates if d <= published]
    after = [d for d in candidates if d >= published]
    nearest = min(candidates, key=lambda d: (abs((d - published).days), d > published))
    chosen = min(after) if tense == "future" and after else None
    if tense == "past" and before:
        chosen = max(before)
    # A tense read from far up the parse is weak: a date a year off loses to one close by.
    far = abs((chosen - published).days) > _FAR if chosen else True
    if chosen is None or (not firm and far and abs((nearest - published).days) <= _NEAR):
        return nearest
    return chosen
