"""What the text commits to about an event, and whether a trigger names an event at all.

``role(trigger)`` says whether a trigger word reports an event (``event``), states an intention
or opinion (``intention``: "an interest in withdrawing"), refers back to an event told
elsewhere (``reference``: "the pullout follows a deal"), or tells what a measure does
(``measure``: "sanctions targeting ten officials"). ``factuality(...)`` grades what the
text commits to; ``is_background(...)`` tells context ("established in 2014") from news. The cue
words live in ``data/events/factuality.yaml`` and ``context.yaml``.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

from spacy.tokens import Span, Token

from ..records import DateMention, Factuality
from .cues import cues

__all__ = ["role", "factuality", "is_background", "clause_head"]

Role = Literal["event", "intention", "reference", "measure"]
# Dependency labels that keep us inside the clause that governs a word.
_PLAN_LINKS = {"xcomp", "ccomp", "pcomp"}
_CLIMB = {"xcomp", "pcomp", "pobj", "prep", "dobj", "acl", "amod", "compound", "conj", "appos",
          "nsubj", "nsubjpass", "relcl", "advcl", "ccomp"}


def _words(key: str, table: str = "context") -> frozenset[str]:
    return cues().words(table, key)


def clause_head(token: Token) -> Token:
    """The verb that heads the clause ``token`` is in (itself if it is a verb)."""
    while token.pos_ not in {"VERB", "AUX"} and token.head.i != token.i and token.dep_ != "prep":
        token = token.head
    return token


def _governors(token: Token, depth: int = 4) -> list[Token]:
    found: list[Token] = []
    while token.head.i != token.i and len(found) < depth and token.dep_ in _CLIMB:
        if token.dep_ == "prep" and token.lower_ in _DONE_BY_THEN:
            break  # "calls for protests after an attack on a woman": the attack is no call
        verb_conjunct = token.dep_ == "conj" and token.pos_ == "VERB"
        token = token.head
        # "stopping traffic and clashing with police": a second act, which the first does not
        # govern; what governs both ("denied attacking and looting") still counts
        if not verb_conjunct:
            found.append(token)
    return found


def role(anchor: Token) -> Role:
    """Whether a trigger word reports an event, voices an intention, or refers back."""
    intention = _words("intention_heads")
    if any(g.lemma_.lower() in intention for g in _governors(anchor, 3)):
        return "intention"
    if anchor.pos_ == "NOUN" and (_is_reference(anchor) or _blamed(anchor) or _names_hardware(anchor)):
        return "reference"
    if _done_by_a_measure(anchor):
        return "measure"
    return "event"


def _done_by_a_measure(verb: Token) -> bool:
    """"sanctions targeting ten officials", "the law targets protesters": a measure hits, no one
    attacks."""
    doers = [c for c in verb.children if c.dep_ == "nsubj"]
    if verb.dep_ in {"acl", "relcl"}:
        doers.append(verb.head)
    elif verb.dep_ == "advcl":  # "unveiled sanctions, targeting ten officials"
        doers += [c for c in verb.head.children if c.dep_ == "dobj"]
    return any(d.lemma_.lower() in _words("measure_nouns") for d in doers)


def _blamed(noun: Token) -> bool:
    """"responsibility for the attack", "sanctions over the bombing", "accused of murder": told
    to blame or charge someone, not as news."""
    prep = noun.head
    share = prep.head.lemma_.lower() in _words("share_nouns")
    if noun.dep_ == "pobj" and prep.lower_ == "in" and share:
        return _blamed(prep.head)  # "suspected of involvement in the riots"
    if noun.dep_ != "pobj" or prep.lower_ not in {"for", "over", "of", "with"}:
        return False
    words = _words("blame_heads") if prep.lower_ in {"for", "over"} else _words("charge_heads")
    # "sanctions imposed over the bombing", "accuses him of the crime of murder": the blame may
    # sit a few words up, or be the object of the verb the preposition hangs on
    verb = prep.head
    up = [t for t in prep.ancestors if t.pos_ != "ADP"][:3]
    heads = [*up, *(c for c in verb.children if c.dep_ in {"dobj", "nsubjpass"})]
    return any(h.lemma_.lower() in words or h.lower_ in words for h in heads)


def _names_hardware(noun: Token) -> bool:
    """"missile programme", "nuclear and missile development": a weapon named, no attack."""
    token = noun
    for _ in range(3):
        if token.dep_ not in {"compound", "amod", "conj", "nmod"} or token.head.i == token.i:
            return False
        token = token.head
        if token.lemma_.lower() in _words("hardware_nouns"):
            return True
    return False


def _is_reference(noun: Token) -> bool:
    while noun.dep_ in {"conj", "appos"} and noun.head.i != noun.i:
        noun = noun.head
    head = noun.head
    if noun.dep_ == "pobj" and head.dep_ == "prep":
        if head.head.lemma_.lower() in _words("reference_nouns"):
            # "the size of the deployment", "a partner in the fight"; but "the number of
            # casualties rose to 13" tells new casualties
            return not _rising_count(head.head)
        head = head.head
    if any(c.lower_ == "more" for c in noun.children if c.dep_ in {"amod", "advmod"}):
        return False  # "more casualties raise the toll": new deaths, told as they add up
    if noun.dep_ in {"nsubj", "dobj", "pobj", "nsubjpass"} and head.pos_ == "VERB":
        if noun.dep_ == "nsubj" and _adds_to_toll(head):
            return False  # "clashes and strikes raise the death toll to 27": new dead, told as they add up
        return head.dep_ != "prep" and head.lemma_.lower() in _words("reference_verbs")
    return False


def _rising_count(noun: Token) -> bool:
    return (noun.lemma_.lower() in _words("toll_nouns") and noun.dep_ == "nsubj"
            and noun.head.lemma_.lower() in _words("rising_verbs"))


def _adds_to_toll(verb: Token) -> bool:
    tolls = _words("toll_nouns")
    near = [t for c in verb.children for t in (c, *c.children)]
    return any(t.lemma_.lower() in tolls for t in near)


def factuality(anchor: Token, sentence: Span, *, attributed: bool) -> Factuality:
    """negated > hypothetical > planned > reported > ongoing > asserted."""
    verb = clause_head(anchor)
    chain = [anchor, verb, *_governors(verb, 2)]
    if _negated(anchor, verb):
        return "negated"
    if any(_has_child(t, _words("hypothetical_markers", "factuality"), {"mark", "aux"}) for t in chain[:2]):
        return "hypothetical"
    if _planned(chain, sentence):
        return "planned"
    if attributed or _reported(chain, sentence):
        return "reported"
    if _ongoing(verb):
        return "ongoing"
    return "asserted"


def _has_child(token: Token, words: frozenset[str], deps: set[str]) -> bool:
    return any(c.dep_ in deps and c.lower_ in words for c in token.children)


def _negated(anchor: Token, verb: Token) -> bool:
    if any(c.dep_ == "neg" for c in verb.children) or any(c.dep_ == "neg" for c in anchor.children):
        return True
    if anchor.pos_ == "NOUN" and any(c.dep_ == "det" and c.lower_ == "no" for c in anchor.children):
        return True  # "no clashes were reported"
    if any(c.dep_ == "preconj" and c.lower_ == "neither" for c in anchor.children):
        return True
    # "failed to reach a deal" denies it; "failed in the battle for the city" fought it
    below = [verb, *_governors(verb, 2)]
    return any(g.lemma_.lower() in _words("negating_verbs", "factuality") and not _through_prep(b, g)
               for b, g in zip(below, below[1:]))


def _through_prep(below: Token, governor: Token) -> bool:
    """Whether ``below`` hangs on ``governor`` by a preposition ("failed in the battle")."""
    while below.head.i != below.i and below.head.i != governor.i:
        below = below.head
    return below.dep_ == "prep"


def _planned(chain: list[Token], sentence: Span) -> bool:
    modals = _words("planned_modals", "factuality")
    if any(_has_child(t, modals, {"aux", "auxpass"}) for t in chain[:2]):
        return True
    # "set to attack", "plans to march": the plan governs the event's verb as its complement;
    # "set on fire during protests" or "set alight as protests erupted" plans nothing
    planned = _words("planned_verbs", "factuality")
    if any(t.lemma_.lower() in planned and below.dep_ in _PLAN_LINKS
           for below, t in zip(chain[1:], chain[2:])):
        return True
    clause = chain[1]  # "Protesters are expected to rally": the actor's own verb is the plan
    if clause.lemma_.lower() in planned and any(c.dep_ == "xcomp" for c in clause.children) \
            and not _done_for_a_purpose(chain[0], clause):
        return True
    span = sentence.doc[clause.left_edge.i: clause.right_edge.i + 1].text.lower()
    return any(p in span for p in _words("planned_phrases", "factuality"))


def _done_for_a_purpose(anchor: Token, clause: Token) -> bool:
    """"Counterattacks aim to prevent the advance": the event is the subject of a verb of purpose,
    so it happened; what it aims at is the plan."""
    noun = anchor
    while noun.dep_ == "conj" and noun.head.i != noun.i:  # "tension and clashes ... seek to"
        noun = noun.head
    return (noun.dep_ == "nsubj" and noun.head.i == clause.i
            and clause.lemma_.lower() in _words("purpose_verbs", "factuality")
            and anchor.lemma_.lower() in _words("event_nouns"))


def _reported(chain: list[Token], sentence: Span) -> bool:
    adverbs = _words("reported_adverbs", "factuality")
    if any(c.lower_ in adverbs for t in chain[:2] for c in t.children):
        return True
    return any(t.lemma_.lower() in {"appear", "seem"} for t in chain[1:])


def _ongoing(verb: Token) -> bool:
    if verb.tag_ == "VBG" and any(c.dep_ == "aux" and c.lemma_ == "be" for c in verb.children):
        return True
    return verb.head.lemma_.lower() == "continue" and verb.dep_ == "xcomp"


def is_background(anchor: Token, sentence: Span, own_date: DateMention | None, *, published: date) -> bool:
    """A dated event long before publication, or one told as "at the time" context."""
    if own_date is not None:
        limit = published - timedelta(days=int(cues().context.get("background_days", 120)))
        if own_date.last_day < limit:
            return True
    words = [t.lower_ for t in _own_clause(clause_head(anchor))]
    # "in the past" recalls; "in the past 36 hours" is a window reaching up to now
    words = [w for i, w in enumerate(words) if not (w == "past" and i + 1 < len(words)
                                                     and _counts_time(words[i + 1]))]
    span = " ".join(words)
    return any(f" {w} " in f" {span} " for w in _words("background_words"))


def _counts_time(word: str) -> bool:
    return word.isdigit() or word in _words("window_words")


# clauses inside a clause tell their own time: "a teacher accused of selling milk originally
# meant for pupils" makes the protest about her no background, nor does "the SCPT (formerly OCPT)"
_NESTED = {"acl", "relcl", "advcl", "ccomp", "csubj", "parataxis", "appos"}
_BEFORE_AFTER = {"after", "before", "following", "since"}
# prepositions whose object has happened (or is under way) by the time of what they hang on
_DONE_BY_THEN = {"after", "following", "since", "during"}


def _own_clause(head: Token) -> list[Token]:
    """The clause headed by ``head``, less the clauses nested in it."""
    return [t for t in head.subtree if not _nested_in(t, head)]


def _nested_in(token: Token, head: Token) -> bool:
    while token.i != head.i:
        if token.dep_ in _NESTED or token.dep_ == "dep" and token.pos_ == "VERB":
            return True
        if token.dep_ == "prep" and token.lower_ in _BEFORE_AFTER:
            return True  # "after the death of his father years ago, battles kill him": the death's time
        token = token.head
    return False
