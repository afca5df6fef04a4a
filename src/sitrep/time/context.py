"""The text around a date: the parse, the publication date, the last date read, and tense."""

from __future__ import annotations

import bisect
import re
from datetime import date

from spacy.attrs import IDX
from spacy.tokens import Doc, Token

from .calendar import Tense, period
from .lexicon import words

__all__ = ["Context"]

# Words right before a date that put it ahead of the writer.
_FUTURE_LEAD = r"(?i:as\s+(?:soon|early)\s+as|until|till|by|no\s+later\s+than|starting)\s+$"
FIRM = 2  # a verb this close (date -> preposition -> verb) gives a tense to trust
_WALK = 5  # head steps from a date to the verb whose tense it takes


class Context:
    """What a pattern's handler may consult: the parse, the publication date, the last date read."""

    def __init__(self, doc: Doc, published: date) -> None:
        self.doc = doc
        self.text = doc.text  # Doc.text joins every token on each call: read it once
        self.published = published
        self.anchor = period("day", published)
        self.anchor_sentence = -1  # where the anchor was read; -1: the publication date
        self._starts = doc.to_array(IDX).tolist()  # each token's offset, without a Token each
        self._sentences: list[int] | None = None  # first token of each sentence, on demand

    def token(self, char: int) -> Token | None:
        i = bisect.bisect_right(self._starts, char) - 1
        return self.doc[i] if 0 <= i < len(self.doc) else None

    def word_before(self, char: int) -> str:
        match = re.search(r"([\w'-]+)\W*$", self.text[max(0, char - 40) : char])
        return match.group(1).lower().strip("-") if match else ""

    def sentence(self, char: int) -> int:
        """The index of the first token of the sentence holding ``char`` (0 if unparsed)."""
        if self._sentences is None:
            parsed = self.doc.has_annotation("SENT_START")
            self._sentences = [s.start for s in self.doc.sents] if parsed else [0]
        tok = self.token(char)
        i = bisect.bisect_right(self._sentences, tok.i if tok is not None else 0) - 1
        return self._sentences[max(i, 0)]

    def tense(self, char: int, *, steps: int = _WALK) -> Tense:
        """Whether the clause holding ``char`` speaks of the future, the past, or cannot tell;
        ``steps`` bounds the walk up the parse to the verb."""
        tok = self.token(char)
        for _ in range(steps):
            if tok is None or tok.pos_ in ("VERB", "AUX") or tok.head is tok:
                break
            tok = tok.head
        verb = tok if tok is not None and tok.pos_ in ("VERB", "AUX") else None
        tense = _verb_tense(verb, words().future_cues) if verb is not None else "unknown"
        lead = re.search(_FUTURE_LEAD, self.text[max(0, char - 20) : char])
        if lead and (tense != "past" or lead.group(0).strip().lower() != "by"):
            return "future"  # "as soon as Tuesday", "postponed until Friday": a time ahead
        return tense


def _verb_tense(verb: Token, cues: frozenset[str]) -> Tense:
    # "plans to meet on Friday", "is expected to vote Monday": the cue governs the verb
    if _future(verb, cues) or (verb.dep_ in ("xcomp", "advcl") and _future(verb.head, cues)):
        return "future"
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if any(c.tag_ in ("MD", "TO") for c in auxes):
        return "unknown"  # "must be returned by", "to be completed on": not told as done
    if verb.tag_ == "VBD" or any(c.tag_ == "VBD" or c.lemma_ == "have" for c in auxes):
        return "past"
    if verb.tag_ == "VBN" and not auxes:
        return "past"  # "the year ended March 31", "a high set on Aug. 6"
    return "unknown"


def _future(verb: Token, cues: frozenset[str]) -> bool:
    if verb.lemma_.lower() in cues:
        return True
    return any(c.lower_ in cues for c in verb.children if c.dep_ in ("aux", "auxpass"))
