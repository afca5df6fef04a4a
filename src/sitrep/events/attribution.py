"""Who says so: the sources a sentence attributes its news to.

A source is the subject of a reporting verb ("the ministry said", "The Associated Press
reported"), the object of "according to", or the maker of "a statement". Its kind comes from the
head noun (``data/events/reporting.yaml``): a ministry or spokesman gives an official
statement, an agency or outlet a media report, a correspondent a correspondent's report. A bare
"the ministry" names the ministry the article named before (``Sources`` keeps that memory).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from ..records import Attribution
from .cues import cues

__all__ = ["Sources", "sources_in", "SourceMention"]

_STRIP = {"the", "a", "an", "its", "their", "his", "her", "'s", "’s"}


@dataclass
class SourceMention:
    attribution: Attribution
    head: str  # head noun lemma, for resolving "the ministry" later
    start: int  # character span of the source phrase, so actors inside it are not event actors
    end: int
    verb: Token


@dataclass
class Sources:
    """The named sources an article has used so far, for "the ministry" and the like."""

    named: dict[str, str] = field(default_factory=dict)

    def resolve(self, head: str, name: str, *, definite_bare: bool) -> str:
        if definite_bare and head in self.named:
            return self.named[head]
        if not definite_bare:
            self.named[head] = name
        return name


def _kinds() -> dict[str, frozenset[str]]:
    table = cues().reporting["kinds"]
    return {kind: frozenset(w.lower() for w in words) for kind, words in table.items()}


def _kind(words: list[str]) -> str:
    kinds = _kinds()
    for kind in ("correspondent", "official statement", "media report", "other"):
        if kinds[kind] & set(words[-1:]):
            return kind
    media = {m.lower() for m in cues().reporting.get("media_names", ())}
    if " ".join(words) in media or any(w in kinds["media report"] for w in words):
        return "media report"
    return "other"


def sources_in(sentence: Span, memory: Sources) -> list[SourceMention]:
    """Every attributed source in one sentence, in order."""
    found: list[SourceMention] = []
    verbs = cues().words("reporting", "verbs")
    for token in sentence:
        if token.lemma_.lower() not in verbs or token.pos_ not in {"VERB", "AUX"}:
            continue
        subject = _subject(token)
        if subject is not None:
            found.append(_mention(subject, token, memory))
    return [m for m in found if m.attribution.source]


def _subject(verb: Token) -> Token | None:
    if verb.lemma_.lower() == "accord":  # "according to X"
        return next((c for p in verb.children if p.lower_ == "to" for c in p.children
                     if c.dep_ == "pobj"), None)
    subject = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    if subject is None or subject.pos_ == "PRON":
        return None
    return subject


def _mention(head: Token, verb: Token, memory: Sources) -> SourceMention:
    words = [t for t in head.subtree if t.dep_ not in {"relcl", "prep"} or t is head]
    words = [t for t in words if head.left_edge.i <= t.i <= head.i or t.head is head and t.dep_ == "compound"]
    lemmas = [t.lemma_.lower() for t in words if t.lower_ not in _STRIP and not t.is_punct]
    kind = _kind(lemmas)
    name = _name(words, head, kind)
    bare = all(t.lower_ in _STRIP or t is head for t in words)
    name = memory.resolve(head.lemma_.lower(), name, definite_bare=bare)
    span = (words[0].idx, head.idx + len(head.text)) if words else (head.idx, head.idx + len(head))
    return SourceMention(Attribution(name, kind), head.lemma_.lower(), span[0], span[1], verb)  # type: ignore[arg-type]


def _name(words: list[Token], head: Token, kind: str) -> str:
    if kind == "correspondent":
        # "an Al Jazeera correspondent": the outlet speaks through its correspondent
        outlet = [t.text for t in words if t.pos_ == "PROPN" and t is not head]
        if outlet:
            return " ".join(outlet)
    if head.lemma_.lower() == "ministry":
        return _ministry(words) or _plain(words)
    return _plain(words)


def _plain(words: list[Token]) -> str:
    kept = [t for t in words if t.lower_ not in _STRIP and not (t.is_punct and t.text not in "-")]
    text = " ".join(t.text for t in kept).replace(" - ", "-")
    return text[:1].upper() + text[1:]


def _ministry(words: list[Token]) -> str | None:
    """"the Syrian defence ministry" -> "Ministry of Defence of Syria" (ACLED's style)."""
    departments = {k.lower(): v for k, v in cues().reporting.get("departments", {}).items()}
    dept = next((departments[t.lower_] for t in words if t.lower_ in departments), None)
    country = next((_country_of(t.text) for t in words if t.ent_type_ in {"NORP", "GPE"}), None)
    if dept and country:
        return f"Ministry of {dept} of {country}"
    return None


def _country_of(adjective: str) -> str | None:
    from .arguments import country_name_like

    return country_name_like(adjective)
