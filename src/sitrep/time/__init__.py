"""Date expressions -> ``DateMention``: calendar values normalised against the publication date.

``read_dates(doc, published)`` finds date phrases with patterns built from the word tables in
``data/time/words.yaml`` and values them with English news conventions:

- a bare weekday or month is the latest one on or before publication ("on Thursday" in a Thursday
  article is that day), unless its clause is future ("will meet on Friday": the next one);
- "last/this/next week|month|year", "earlier this month", "late last year" are calendar periods
  around publication; "two weeks ago" keeps the unit as its precision;
- "the following day", "a year earlier", "that day" count from the previous date in the text;
- "04/03" is day-first (ACLED style); month-first only when day-first cannot be a date.

Durations ("two years", "months"), seasons, quarters and decades are not calendar dates and are not
reported; quarters are still followed, so that "a year earlier" after one is not misread.
"""

from __future__ import annotations

from datetime import date

from spacy.tokens import Doc

from ..records import DateMention
from .calendar import Span, period, shift
from .context import Context
from .patterns import patterns
from .rules import Handler, Match

__all__ = ["read_dates", "Span", "period", "shift"]


def _candidates(text: str) -> list[tuple[int, int, Match, Handler]]:
    lowered = text.lower()
    found = [
        (m.start(), m.end(), m, handler)
        for pattern, handler, needs in patterns()
        if not needs or any(word in lowered for word in needs)  # a cheap test before the regex
        for m in pattern.finditer(text)
        if m.end() > m.start()
    ]
    found.sort(key=lambda item: (item[0], -item[1]))
    return found


def read_dates(doc: Doc, published: date) -> list[DateMention]:
    """Every calendar date the text names, valued against ``published``, in text order."""
    context = Context(doc, published)
    mentions: list[DateMention] = []
    taken = 0
    for start, end, match, handler in _candidates(context.text):
        if start < taken:
            continue
        span = handler(match, context)
        if span is None:
            continue
        taken = end
        context.anchor = span
        context.anchor_sentence = context.sentence(start)
        if span.grain != "quarter":  # quarters are followed, not reported (no such precision)
            mentions.append(_mention(context.text, start, end, span))
    return mentions


def _mention(text: str, start: int, end: int, span: Span) -> DateMention:
    return DateMention(
        text=text[start:end],
        start=start,
        end=end,
        value=span.value,
        precision=span.grain,  # type: ignore[arg-type]
        first_day=span.first,
        last_day=span.last,
    )
