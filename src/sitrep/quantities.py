"""Numbers -> Quantity: what a text counts, how many, how exactly; and the deaths a text reports.

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

from spacy.tokens import Doc, Span, Token

from .datafiles import load_yaml
from .records import Quantity

__all__ = ["read_quantities", "fatalities", "vague_count", "parse_number"]

DIGITS = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")
DIGITS_SCALE = re.compile(r"^(\d+(?:\.\d+)?)(k|m|bn)$", re.IGNORECASE)
DIGIT_RANGE = re.compile(r"^(\d+)[-–](\d+)$")
NOUN_POS = ("NOUN", "PROPN")


@functools.lru_cache(maxsize=1)
def _table() -> dict[str, Any]:
    return load_yaml("quantities.yaml")


def vague_count(words: str) -> int | None:
    """The count ACLED codes for a vague quantity word ("dozens" -> 12, "several" -> 3)."""
    entry = _table()["vague"].get(words.lower().strip())
    return None if entry is None else int(entry["acled"])


@dataclass
class _Count:
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
    table = _table()
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
    table = _table()
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
    if not a_number and (not _is_number_word(first) or first.lower_ in _table()["scales"]):
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
    vague = _table()["vague"]
    for size in (5, 4, 3, 2, 1):
        words = " ".join(t.lower_ for t in doc[i : i + size])
        if words in vague and i + size <= len(doc):
            return i + size, words
    return None


def _modifier_before(doc: Doc, start: int) -> tuple[int, str | None]:
    """(new start, kind) for "about", "at least", "up to" before a number.

    kind is approximate, floor or ceiling."""
    table = _table()
    for size in (3, 2, 1):
        if start - size < 0:
            continue
        words = " ".join(t.lower_ for t in doc[start - size : start])
        for kind in ("floor", "ceiling", "approximate"):
            if words in table[kind]:
                return start - size, kind
    return start, None


def _scan(doc: Doc) -> list[_Count]:
    """Every count in the doc, left to right."""
    found: list[_Count] = []
    i = 0
    while i < len(doc):
        count = _count_at(doc, i)
        if count is None:
            i += 1
            continue
        count.unit = _unit(doc, count)
        if _is_count(doc, count) and (
            count.unit is None or count.unit.lower_ not in _table()["not_counts"]
        ):
            found.append(count)
        i = max(count.end, i + 1)
    return found


def _count_at(doc: Doc, i: int) -> _Count | None:
    vague = _vague_phrase(doc, i)
    number = None if vague else _number_phrase(doc, i)
    if vague is None and number is None:
        return _digit_range(doc, i)
    if vague is not None:
        end, words = vague
        plural_next = end < len(doc) and doc[end].tag_ == "NNS"
        standalone = doc[i].dep_ in ("nsubj", "nsubjpass", "dobj")  # "many were killed"
        if words in _table()["weak_vague"] and not (plural_next or standalone):
            return None  # "some" counts only before a plural noun ("some soldiers") or alone
        low = float(_table()["vague"][words]["low"])
        return _Count(i, end, None, low=low, approximate=True, vague=words)
    end, value = number  # type: ignore[misc]
    start, kind = _modifier_before(doc, i)
    count = _Count(start, end, value, approximate=kind is not None)
    if kind == "floor":
        count.low = value
    elif kind == "ceiling":
        count.high = value
    return _range_after(doc, count)


def _digit_range(doc: Doc, i: int) -> _Count | None:
    """A range written as one token: "50-55"."""
    match = DIGIT_RANGE.match(doc[i].text)
    if not match or doc[i].ent_type_ in ("DATE", "TIME"):
        return None
    low, high = float(match.group(1)), float(match.group(2))
    return _Count(i, i + 1, None, low=low, high=high, approximate=True) if low < high else None


def _range_after(doc: Doc, count: _Count) -> _Count:
    """ "10 to 20", "between 10 and 20", "10-20": a range, not two counts."""
    end = count.end
    if end + 1 >= len(doc) or doc[end].lower_ not in _table()["range_joiners"]:
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
    return _Count(start, second[0], None, low=count.value, high=second[1], approximate=True)


def _is_count(doc: Doc, count: _Count) -> bool:
    """Not a year, date, time, age, percentage, sum of money, ordinal or label ("Brigade 166")."""
    toks = doc[count.start : count.end]
    labels = {t.ent_type_ for t in toks if _is_number_word(t)} & set(_table()["not_count_entities"])
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


def _unit(doc: Doc, count: _Count) -> Token | None:
    """The noun the number counts; never a date word ("1,500 last summer" counts no summers)."""
    unit = _counted_noun(doc, count)
    return None if unit is not None and unit.ent_type_ in {"DATE", "TIME"} else unit


def _counted_noun(doc: Doc, count: _Count) -> Token | None:
    """The noun the number counts: "1,500 American soldiers", "thousands of ISIL prisoners"."""
    last = doc[count.end - 1]
    if last.pos_ in NOUN_POS or count.vague:
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
    weak = set(_table()["weak_vague"])  # "many operations" counts nothing worth keeping
    counts = [c for c in _scan(doc) if c.vague not in weak]
    counts += _singletons(doc, counts)
    return [_record(doc, c) for c in sorted(counts, key=lambda c: c.start)]


def _record(doc: Doc, count: _Count) -> Quantity:
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


def _of_text(doc: Doc, count: _Count) -> str:
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


def _singletons(doc: Doc, counts: list[_Count]) -> list[_Count]:
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
                out.append(_Count(det.i, det.i + 1, 1.0, unit=conj))
    return out


# ---- fatalities -------------------------------------------------------------------------------


def fatalities(text: Doc | Span) -> int | None:
    """Deaths a sentence reports; None where it gives none.

    "killed two US soldiers and a civilian interpreter" -> 3, "dozens killed" -> 12,
    "no casualties" -> 0, "deadly clashes" -> None. Over several sentences the largest figure
    stands, since news restates a toll more often than it adds separate ones.
    """
    doc = text if isinstance(text, Doc) else text.doc
    counts = _scan(doc)
    sents = list(text.sents)
    if len(sents) > 1:
        found = [n for n in (_sentence_fatalities(s, counts) for s in sents) if n is not None]
        return max(found) if found else None
    return _sentence_fatalities(text[:] if isinstance(text, Doc) else text, counts)


def _sentence_fatalities(span: Span, every: list[_Count]) -> int | None:
    doc, lo, hi = span.doc, span.start, span.end
    counts = [c for c in every if lo <= c.start < hi]
    counts += _singletons(doc, counts)
    total, seen, toll = 0, False, 0
    for count in counts:
        anchor = count.unit if count.unit is not None else doc[count.end - 1]
        if count.deaths is not None and _is_death(anchor):
            if _states_toll(anchor):
                toll, seen = max(toll, count.deaths), True
            else:
                total, seen = total + count.deaths, True
    for tok in span:
        if _single_victim(tok, counts):
            total, seen = total + 1, True
    if not seen and _none_killed(span):
        return 0
    # "two soldiers and a civilian were killed ..., bringing the toll to four": the toll is the
    # sum restated, not one more group of dead
    return max(total, toll) if seen else None


NONE_KILLED = re.compile(
    r"\b(?:no|without|zero|nobody|none|no one)\b(?:\s+[\w-]+){0,3}?\s*"
    r"(?:casualt|causalt|fatalit|deaths?\b|dead\b|killed|died|injur|loss of life|lives)",
    re.IGNORECASE,
)
_VICTIM_DEPS = {"nsubjpass": "kill", "dobj": "kill", "nsubj": "die"}


def _trigger(tok: Token) -> bool:
    table = _table()
    if tok.dep_ == "xcomp" and tok.head.lemma_.lower() in table["attempt_verbs"]:
        return False  # "tried to kill himself", "threatened to kill"
    if tok.pos_ in ("VERB", "AUX"):
        # "shot dead", "found dead": the verb reports a death through its complement
        return tok.lemma_.lower() in table["death_verbs"] or any(
            c.lower_ in table["death_adjectives"]
            or (
                c.lower_ == "to" and any(g.lower_ == "death" for g in c.children)
            )  # beaten to death
            for c in tok.children
            if c.dep_ in ("oprd", "acomp", "advmod", "xcomp", "prep")
        )
    return tok.lower_ in table["death_nouns"] or tok.lower_ in table["death_adjectives"]


def _is_death(anchor: Token) -> bool:
    """Whether a counted noun (or bare number) is the dead of a death the sentence reports."""
    if anchor.lower_ in _table()["death_nouns"] or anchor.lower_ in _table()["death_adjectives"]:
        return True  # "12 deaths", "five dead"
    subsets, harm = _table()["subset_words"], _table()["harm_verbs"]
    if any(
        c.dep_ in ("acl", "amod", "relcl") and c.lemma_.lower() in harm for c in anchor.children
    ):
        return False  # "four injured"
    for sibling in anchor.conjuncts:  # "3 soldiers and 3 civilians killed"
        if any(c.dep_ in ("acl", "relcl") and _trigger(c) for c in sibling.children):
            return True
    tok = anchor
    for _ in range(5):
        if tok.lower_ in subsets:
            return False  # "... including two children": already in the total
        if any(
            c.dep_ in ("acl", "amod", "relcl", "acomp", "oprd") and _trigger(c)
            for c in tok.children
        ):
            return True  # "37 soldiers killed", "soldiers who died", "found dead"
        if tok is not anchor and _trigger(tok):
            return True
        if tok is not anchor and tok.pos_ in ("VERB", "AUX"):
            # "the death toll rose to 12", "12 people lost their lives", "left five dead",
            # "three were shot and killed" (the killing verb shares the first verb's victims)
            return any(
                c.dep_ in ("nsubj", "dobj", "oprd", "acomp", "xcomp", "conj") and _trigger(c)
                for c in tok.children
            )
        if tok.head is tok:
            return False
        tok = tok.head
    return False


def _states_toll(anchor: Token) -> bool:
    """Whether a count gives a toll: "the toll rose to 12", "bringing the death toll to four"."""
    tok = anchor
    for _ in range(4):
        if tok.lemma_.lower() == "toll" or any(c.lemma_.lower() == "toll" and c.dep_ in
                                                 ("nsubj", "dobj", "nsubjpass") for c in tok.children):
            return True
        if tok.head.i == tok.i:
            return False
        tok = tok.head
    return False


def _single_victim(tok: Token, counts: list[_Count]) -> bool:
    """ "The driver was killed", "Man killed by gunmen": one dead, with no number given."""
    counted = {c.unit.i for c in counts if c.unit is not None}
    if tok.i in counted or any(c.start <= tok.i < c.end for c in counts):
        return False
    singular = tok.tag_ in ("NN", "NNP") or tok.lower_ in _table()["single_pronouns"]
    plural_det = any(
        c.dep_ in ("nummod", "det") and c.lower_ in ("no", "some", "many") for c in tok.children
    )
    if not singular or plural_det or tok.lower_ in _table()["collective_nouns"]:
        return False
    return _victim_role(tok)


def _victim_role(tok: Token) -> bool:
    """Whether a noun stands where the dead stand: object or passive subject of a killing."""
    if any(c.dep_ == "acl" and c.pos_ == "VERB" and _trigger(c) for c in tok.children):
        return True  # headline style: "Soldier shot dead in Juba"
    role = tok
    while role.dep_ == "conj" and role.head.i != role.i:
        role = role.head
    verb, need = role.head, _VICTIM_DEPS.get(role.dep_)
    if need is None or verb.pos_ != "VERB" or not _kills(verb):
        return False
    return need != "die" or verb.lemma_.lower() in ("die", "perish")


def _kills(verb: Token) -> bool:
    """A killing verb, or one joined to it: "was shot and killed", "stabbed and killed"."""
    return _trigger(verb) or any(c.dep_ == "conj" and c.pos_ == "VERB" and _trigger(c)
                                 for c in verb.children)


def _none_killed(span: Span) -> bool:
    return bool(NONE_KILLED.search(span.text))
