"""`sitrep eval wikievents`: whole news articles with KAIROS event mentions (WikiEvents dev).

As ../shared/eval/README.md defines the task: each document is one article, its ``sentences``
joined by newlines, ``published`` the date in the doc_id (``..._2015.06.24...``) or else
December 31 of the latest year the text names. The gold is not exhaustive, so precision is a
lower bound. Figures:

* ``precision``: of sitrep's reportable events (not background; factuality not planned, negated
  or hypothetical), those whose evidence overlaps a sentence holding a gold trigger of a conflict,
  death, injury, arrest or damage type;
* ``recall``: of sentences holding a Conflict.Attack, Life.Die or Life.Injure trigger, those that
  some sitrep event's evidence overlaps (``recall_reportable`` counts reportable events only);
* ``actor1_attacker``: of violent events on a sentence whose gold attack, death or injury names
  an Attacker, Killer, Injurer or Perpetrator, those whose actor1 mention shares a word with it;
* ``victim_as_actor1``: of violent events on a sentence with a gold Victim or Target, those whose
  actor1 mention names the victim and not the attacker: the worst error an analyst can get;
* ``place_in_text``: of reportable events with a location, those whose location name (or a
  word of it) appears in the article.

Words are compared case- and accent-folded, ignoring words of two letters or fewer. WikiEvents
is for evaluation only: no model of sitrep trains or tunes on it.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..pipeline import extract
from ..records import Article, Event
from .core import Figures, Progress, ratio, require, track

__all__ = ["NAME", "DESCRIPTION", "run", "Document", "load", "score_document", "words"]

NAME = "wikievents"
DESCRIPTION = "whole news articles (WikiEvents dev): precision, recall, attacker and victim roles, places"
FILE = Path("WikiEvents") / "dev.jsonl"

PRECISION_TYPES = ("Conflict.", "Life.Die", "Life.Injure", "Justice.ArrestJailDetain",
                   "ArtifactExistence.DamageDestroyDisableDismantle")
RECALL_TYPES = ("Conflict.Attack", "Life.Die", "Life.Injure")
ATTACKER_ROLES = {"Attacker", "Killer", "Injurer", "Perpetrator"}
VICTIM_ROLES = {"Victim", "Target"}
VIOLENT = {"Battles", "Explosions/Remote violence", "Violence against civilians"}
NOT_REPORTABLE = {"planned", "negated", "hypothetical"}


@dataclass
class Document:
    """One WikiEvents article: its text, sentence offsets and what the gold marks per sentence."""

    id: str
    text: str
    published: date
    spans: list[tuple[int, int]]  # character span of each sentence in ``text``
    precision_sentences: set[int] = field(default_factory=set)
    recall_sentences: set[int] = field(default_factory=set)
    attackers: dict[int, set[str]] = field(default_factory=dict)  # sentence -> attacker words
    victims: dict[int, set[str]] = field(default_factory=dict)  # sentence -> victim words


def words(text: str | None) -> set[str]:
    """Case- and accent-folded words of three letters or more."""
    if not text:
        return set()
    folded = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return {w for w in re.findall(r"\w+", plain) if len(w) > 2}


_DOC_DATE = re.compile(r"(\d{4})\.(\d{2})\.(\d{2})")
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


def published_of(doc_id: str, text: str) -> date:
    m = _DOC_DATE.search(doc_id)
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            pass
    years = [int(y) for y in _YEAR.findall(text)]
    return date(max(years), 12, 31) if years else date(2000, 12, 31)


def document(record: dict[str, Any]) -> Document:
    texts = [s[1] for s in record["sentences"]]
    spans, offset = [], 0
    for t in texts:
        spans.append((offset, offset + len(t)))
        offset += len(t) + 1
    text = "\n".join(texts)
    doc = Document(record["doc_id"], text, published_of(record["doc_id"], text), spans)
    for mention in record["event_mentions"]:
        kind, sent = mention["event_type"], mention["trigger"]["sent_idx"]
        if kind.startswith(PRECISION_TYPES):
            doc.precision_sentences.add(sent)
        if kind.startswith(RECALL_TYPES):
            doc.recall_sentences.add(sent)
            for arg in mention["arguments"]:
                if arg["role"] in ATTACKER_ROLES:
                    doc.attackers.setdefault(sent, set()).update(words(arg["text"]))
        for arg in mention["arguments"]:
            if arg["role"] in VICTIM_ROLES:
                doc.victims.setdefault(sent, set()).update(words(arg["text"]))
    return doc


def load(data_dir: Path, *, limit: int | None = None) -> list[Document]:
    path = require(data_dir / FILE)
    with path.open(encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    return [document(r) for r in records[:limit] if r.get("sentences")]


def reportable(event: Event) -> bool:
    return not event.background and event.factuality not in NOT_REPORTABLE


def sentences_of(event: Event, doc: Document) -> set[int]:
    """The gold sentences that the event's evidence overlaps."""
    return {i for e in event.evidence for i, (a, b) in enumerate(doc.spans) if e.start < b and a < e.end}


@dataclass
class Tally:
    reportable: int = 0
    precise: int = 0
    recall_gold: int = 0
    recalled: int = 0
    recalled_reportable: int = 0
    attacker_events: int = 0
    attacker_right: int = 0
    victim_events: int = 0
    victim_as_actor1: int = 0
    located: int = 0
    place_in_text: int = 0
    events: int = 0
    failures: list[dict[str, Any]] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        for name in self.__dataclass_fields__:
            if name != "failures":
                setattr(self, name, getattr(self, name) + getattr(other, name))
        self.failures.extend(other.failures)


def score_document(doc: Document, events: list[Event]) -> Tally:
    tally = Tally(events=len(events), recall_gold=len(doc.recall_sentences))
    text_words = words(doc.text)
    covered: set[int] = set()
    covered_reportable: set[int] = set()
    for event in events:
        hit = sentences_of(event, doc)
        covered |= hit
        if reportable(event):
            covered_reportable |= hit
            _precision(tally, event, hit, doc)
            _place(tally, event, text_words)
        if event.event_type in VIOLENT:
            _roles(tally, event, hit, doc)
    tally.recalled = len(doc.recall_sentences & covered)
    tally.recalled_reportable = len(doc.recall_sentences & covered_reportable)
    return tally


def _precision(tally: Tally, event: Event, hit: set[int], doc: Document) -> None:
    tally.reportable += 1
    if hit & doc.precision_sentences:
        tally.precise += 1
    else:
        tally.failures.append({"doc": doc.id, "kind": "unsupported", "type": event.sub_event_type,
                               "evidence": event.evidence[0].sentence[:160]})


def _place(tally: Tally, event: Event, text_words: set[str]) -> None:
    if event.location.lat is None:
        return
    tally.located += 1
    if words(event.location.name) & text_words:
        tally.place_in_text += 1


def _roles(tally: Tally, event: Event, hit: set[int], doc: Document) -> None:
    mention = words(event.actor1.mention or event.actor1.name) if event.actor1 else set()
    attackers = set().union(*(doc.attackers.get(i, set()) for i in hit))
    victims = set().union(*(doc.victims.get(i, set()) for i in hit))
    if attackers:
        tally.attacker_events += 1
        tally.attacker_right += bool(mention & attackers)
    if victims:
        tally.victim_events += 1
        wrong = bool(mention & victims) and not mention & attackers
        tally.victim_as_actor1 += wrong
        if wrong:
            tally.failures.append({"doc": doc.id, "kind": "victim_as_actor1",
                                   "actor1": event.actor1.mention if event.actor1 else None,
                                   "evidence": event.evidence[0].sentence[:160]})


def figures(tally: Tally) -> Figures:
    return {
        "events": tally.events,
        "reportable_events": tally.reportable,
        "precision": ratio(tally.precise, tally.reportable),
        "recall": ratio(tally.recalled, tally.recall_gold),
        "recall_reportable": ratio(tally.recalled_reportable, tally.recall_gold),
        "actor1_attacker": ratio(tally.attacker_right, tally.attacker_events),
        "actor1_attacker_events": tally.attacker_events,
        "victim_as_actor1": ratio(tally.victim_as_actor1, tally.victim_events),
        "victim_events": tally.victim_events,
        "place_in_text": ratio(tally.place_in_text, tally.located),
        "located_events": tally.located,
    }


def run(data_dir: Path, *, limit: int | None = None, progress: Progress | None = None,
        failures: bool = False) -> Figures:
    docs = load(data_dir, limit=limit)
    total = Tally()
    for doc in track(docs, progress, total=len(docs), label=NAME):
        events = extract(Article(id=doc.id, text=doc.text, published=doc.published))
        total.add(score_document(doc, events))
    result = {"documents": len(docs), **figures(total)}
    if failures:
        result["failures"] = total.failures
    return result
