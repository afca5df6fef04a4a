"""Numbers -> Quantity: what a text counts, how many, how exactly (deaths: ``fatalities``).

Reads digits ("1,500", "1.5 million"), number words ("twenty-one", "a dozen"), ranges ("between 10
and 20", "50-55"), floors and ceilings ("at least 12", "up to 30") and vague counts ("thousands of
prisoners"), with the noun each counts. Years, dates, times, ages, percentages, money, ordinals and
measures are not counts and are left out. Word tables live in ``data/quantities.yaml``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc, Token

from .datafiles import load_yaml
from .records import Quantity

__all__ = ["read_quantities", "vague_count", "parse_number", "scan_counts", "singletons", "word_table",
           "Count"]

DIGITS = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")
DIGITS_SCALE = re.compile(r"^(\d+(?:\.\d+)?)(k|m|bn)$", re.IGNORECASE)
DIGIT_RANGE = re.compile(r"^(\d+)[-–](\d+)$")
NOUN_POS = ("NOUN", "PROPN")


@functools.lru_cache(maxsize=1)
def word_table() -> dict[str, Any]:
    return load_yaml("quantities.yaml")


@functools.lru_cache(maxsize=1)
def _vague_first_words() -> frozenset[str]:
    """The first word of every vague phrase ("dozens" of "dozens of")."""
    return frozenset(str(phrase).split(" ", 1)[0] for phrase in word_table()["vague"])


def vague_count(words: str) -> int | None:
    """The count ACLED codes for a vague quantity word ("dozens" -> 12, "several" -> 3)."""
    entry = word_table()["vague"].get(words.lower().strip())
    return None if entry is None else int(entry["acled"])


@dataclass
class Count:
    """A number found in the text, by token indices (start includes "about", "at least")."""

    start: int
    end: int  # end of the number phrase
    value: float | None
    low: float | None = None
    high: float | None = None
    approximate: bool = False
    vague: str | None = None
    unit: Token | None = None

    @property
    def deaths(self) -> int | None:
        """The figure to count as deaths: the number, else ACLED's figure for the vague word."""
        if self.value is not None:
            return int(self.value)
        if self.vague is not None:
            return vague_count(self.vague)
        return None if self.low is None else int(self.low)


# ---- numbers ----------------------------------------------------------------------------------


def parse_number(words: list[str]) -> float | None:
    """The value of a number phrase's words (["twenty", "-", "one"], ["1.5", "million"])."""
    table = word_table()
    total = current = 0.0
    seen = False
    for word in (w.lower() for w in words):
        if word in ("-", "and", "a", "an"):
            continue
        if DIGITS.match(word):
            current += float(word.replace(",", ""))
        elif word in table["number_words"]:
            n = table["number_words"][word]
            current = (current or 1) * n if word == "dozen" else current + n
        elif word in table["scales"] or word.rstrip("s") in table["scales"]:
            scale = table["scales"].get(word) or table["scales"][word.rstrip("s")]
            current = (current or 1) * scale
            if scale >= 1000:
                total, current = total + current, 0.0
        else:
            return None
        seen = True
    return total + current if seen else None


_A_NUMBER = ("dozen", "hundred", "thousand", "million")


def _is_number_word(tok: Token) -> bool:
    table = word_table()
    word = tok.lower_
    return bool(DIGITS.match(word)) or word in table["number_words"] or word in table["scales"]


def _number_phrase(toks: Doc, i: int) -> tuple[int, float] | None:
    """(end, value) of the number phrase starting at token i, or None."""
    first = toks[i]
    scaled = DIGITS_SCALE.match(first.text)
    if scaled:
        return i + 1, float(scaled.group(1)) * {"k": 1e3, "m": 1e6, "bn": 1e9}[
            scaled.group(2).lower()
        ]
    a_number = first.lower_ in ("a", "an") and i + 1 < len(toks) and toks[i + 1].lower_ in _A_NUMBER
    if not a_number and (not _is_number_word(first) or first.lower_ in word_table()["scales"]):
        return None
    end = i + 1
    while end < len(toks) and (
        _is_number_word(toks[end])
        or (
            toks[end].text in ("-", "and")
            and end + 1 < len(toks)
            and _is_number_word(toks[end + 1])
            and not DIGITS.match(toks[end + 1].text)
        )
    ):
        end += 1
    value = parse_number([t.text for t in toks[i:end]])
    return None if value is None else (end, value)


def _vague_phrase(doc: Doc, i: int) -> tuple[int, str] | None:
    # most tokens start no vague phrase: one set look-up instead of five joined slices
    if doc[i].lower_.split(" ", 1)[0] not in _vague_first_words():
        return None
    vague = word_table()["vague"]
    for size in (5, 4, 3, 2, 1):
        words = " ".join(t.lower_ for t in doc[i : i + size])
        if words in vague and i + size <= len(doc):
            return i + size, words
    return None


def _modifier_before(doc: Doc, start: int) -> tuple[int, str | None]:
    """(new start, kind) for "about", "at least", "up to" before a number.

    kind is approximate, floor or ceiling."""
    table = word_table()
    for size in (3, 2, 1):
        if start - size < 0:
            continue
        words = " ".join(t.lower_ for t in doc[start - size : start])
        for kind in ("floor", "ceiling", "approximate"):
            if words in table[kind]:
                return start - size, kind
    return start, None


def scan_counts(doc: Doc) -> list[Count]:
    """Every count in the doc, left to right (read once per doc: kept in ``doc.user_data``)."""
    cached = doc.user_data.get(_SCANNED)
    if cached is None:
        cached = doc.user_data[_SCANNED] = _scan(doc)
    return list(cached)


_SCANNED = "sitrep.quantities.counts"


def _scan(doc: Doc) -> list[Count]:
    found: list[Count] = []
    i = 0
    while i < len(doc):
        count = _count_at(doc, i)
        if count is None:
            i += 1
            continue
        count.unit = _unit(doc, count)
        if _is_count(doc, count) and (
            count.unit is None or count.unit.lower_ not in word_table()["not_counts"]
        ):
            found.append(count)
        i = max(count.end, i + 1)
    return found


def _count_at(doc: Doc, i: int) -> Count | None:
    vague = _vague_phrase(doc, i)
    number = None if vague else _number_phrase(doc, i)
    if vague is None and number is None:
        return _digit_range(doc, i)
    if vague is not None:
        end, words = vague
        plural_next = end < len(doc) and doc[end].tag_ == "NNS"
        standalone = doc[i].dep_ in ("nsubj", "nsubjpass", "dobj")  # "many were killed"
        if words in word_table()["weak_vague"] and not (plural_next or standalone):
            return None  # "some" counts only before a plural noun ("some soldiers") or alone
        low = float(word_table()["vague"][words]["low"])
        return Count(i, end, None, low=low, approximate=True, vague=words)
    end, value = number  # type: ignore[misc]
    start, kind = _modifier_before(doc, i)
    count = Count(start, end, value, approximate=kind is not None)
    if kind == "floor":
        count.low = value
    elif kind == "ceiling":
        count.high = value
    return _range_after(doc, count)


def _digit_range(doc: Doc, i: int) -> Count | None:
    """A range written as one token: "50-55"."""
    match = DIGIT_RANGE.match(doc[i].text)
    if not match or doc[i].ent_type_ in ("DATE", "TIME"):
        return None
    low, high = float(match.group(1)), float(match.group(2))
    return Count(i, i + 1, None, low=low, high=high, approximate=True) if low < high else None


def _range_after(doc: Doc, count: Count) -> Count:
    """ "10 to 20", "between 10 and 20", "10-20": a range, not two counts."""
    end = count.end
    if end + 1 >= len(doc) or doc[end].lower_ not in word_table()["range_joiners"]:
        return count
    second = _number_phrase(doc, end + 1)
    between = count.start > 0 and doc[count.start - 1].lower_ == "between"
    if (
        second is None
        or (doc[end].lower_ == "and" and not between)
        or second[1] <= (count.value or 0)
    ):
        return count
    start = count.start - 1 if between else count.start
    return Count(start, second[0], None, low=count.value, high=second[1], approximate=True)


def _is_count(doc: Doc, count: Count) -> bool:
    """Not a year, date, time, age, percentage, sum of money, ordinal or label ("Brigade 166")."""
    toks = doc[count.start : count.end]
    labels = {t.ent_type_ for t in toks if _is_number_word(t)} & set(word_table()["not_count_entities"])
    counted = count.unit is not None and count.unit.tag_ == "NNS"
    # spaCy calls "between 10 and 20 soldiers" a DATE; a plural noun after it says otherwise
    if count.vague is None and labels and not (counted and labels <= {"DATE", "TIME"}):
        return False
    last = doc[count.end - 1]
    if re.fullmatch(r"1[89]\d\d|20\d\d", last.text) and count.vague is None:
        after = doc[count.end] if count.end < len(doc) else None
        if after is None or after.tag_ != "NNS":
            return False
    if count.end < len(doc) and doc[count.end].lower_ in (
        "-year",
        "-year-old",
        "%",
        "per",
        "percent",
    ):
        return False
    if (
        count.end + 1 < len(doc)
        and doc[count.end].text == "-"
        and doc[count.end + 1].lower_.startswith("year")
    ):
        return False
    if count.start > 0 and doc[count.start - 1].text in ("$", "€", "£", "#", "No.", "no."):
        return False
    head = last.head  # "Brigade 166", "Resolution 2254": a label, not a count
    return not (last.dep_ in ("nummod", "appos") and head.i == count.start - 1 and head.is_title)


def _unit(doc: Doc, count: Count) -> Token | None:
    """The noun the number counts; never a date word ("1,500 last summer" counts no summers)."""
    unit = _counted_noun(doc, count)
    return None if unit is not None and unit.ent_type_ in {"DATE", "TIME"} else unit


def _counted_noun(doc: Doc, count: Count) -> Token | None:
    """The noun the number counts: "1,500 American soldiers", "thousands of ISIL prisoners"."""
    last = doc[count.end - 1]
    # "563 of the drones", "thousands of ISIL prisoners": a partitive names what is counted
    if last.pos_ in NOUN_POS or count.vague or last.like_num:
        of = last if last.lower_ == "of" else None
        of = of or next((c for c in last.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        if of is None and count.end < len(doc) and doc[count.end].lower_ == "of":
            of = doc[count.end]
        pobj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        if pobj is not None:
            return pobj
    head = last.head
    if head.i > last.i and head.pos_ in NOUN_POS and head.i - count.end <= 4:
        return head
    nxt = doc[count.end] if count.end < len(doc) else None
    if nxt is not None and nxt.pos_ == "NOUN":
        return nxt
    return None


# ---- records ----------------------------------------------------------------------------------


def read_quantities(doc: Doc) -> list[Quantity]:
    """Every count in ``doc`` with the noun it counts, as Quantity records."""
    weak = set(word_table()["weak_vague"])  # "many operations" counts nothing worth keeping
    counts = [c for c in scan_counts(doc) if c.vague not in weak]
    counts += singletons(doc, counts)
    return [_record(doc, c) for c in sorted(counts, key=lambda c: c.start)]


def _record(doc: Doc, count: Count) -> Quantity:
    end = count.end
    unit, of = None, None
    if count.unit is not None:
        unit = count.unit.lower_
        of = _of_text(doc, count)
        if count.end <= count.unit.i < count.end + 5:
            end = count.unit.i + 1
    span = doc[count.start : end]
    return Quantity(
        text=span.text,
        start=span.start_char,
        end=span.end_char,
        value=count.value,
        low=count.low,
        high=count.high,
        unit=unit,
        approximate=count.approximate,
        of=of,
    )


def _of_text(doc: Doc, count: Count) -> str:
    """The counted noun with its modifiers and a short place ("US troops in Syria")."""
    noun = count.unit
    assert noun is not None
    start = max(noun.left_edge.i, count.end if noun.i >= count.end else noun.left_edge.i)
    while start < noun.i and doc[start].pos_ in ("ADP", "DET", "PUNCT"):
        start += 1
    end = noun.i + 1
    for prep in (
        c for c in noun.rights if c.dep_ == "prep" and c.lower_ in ("in", "from", "inside")
    ):
        if prep.right_edge.i - prep.i < 4:
            end = prep.right_edge.i + 1
    return doc[start:end].text


def singletons(doc: Doc, counts: list[Count]) -> list[Count]:
    """ "two US soldiers and a civilian interpreter": the interpreter is a count of one too."""
    out = []
    for count in counts:
        if count.unit is None:
            continue
        for conj in count.unit.conjuncts:
            det = next(
                (c for c in conj.children if c.dep_ == "det" and c.lower_ in ("a", "an")), None
            )
            if det is not None and conj.i > count.unit.i and conj.pos_ == "NOUN":
                out.append(Count(det.i, det.i + 1, 1.0, unit=conj))
    return out
