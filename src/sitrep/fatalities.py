"""The deaths a sentence reports, by ACLED's rules: counted dead, single victims, tolls restated,
vague counts ("dozens" = 12), "no casualties" = 0, and None where the text gives no figure."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

from .quantities import Count, scan_counts, singletons, word_table

__all__ = ["fatalities"]



def fatalities(text: Doc | Span) -> int | None:
    """Deaths a sentence reports; None where it gives none.

    "killed two US soldiers and a civilian interpreter" -> 3, "dozens killed" -> 12,
    "no casualties" -> 0, "deadly clashes" -> None. Over several sentences the largest figure
    stands, since news restates a toll more often than it adds separate ones.
    """
    doc = text if isinstance(text, Doc) else text.doc
    counts = scan_counts(doc)
    sents = list(text.sents)
    if len(sents) > 1:
        found = [n for n in (_sentence_fatalities(s, counts) for s in sents) if n is not None]
        return max(found) if found else None
    return _sentence_fatalities(text[:] if isinstance(text, Doc) else text, counts)


def _sentence_fatalities(span: Span, every: list[Count]) -> int | None:
    doc, lo, hi = span.doc, span.start, span.end
    counts = [c for c in every if lo <= c.start < hi]
    counts += singletons(doc, counts)
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
    table = word_table()
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
    if anchor.lower_ in word_table()["death_nouns"] or anchor.lower_ in word_table()["death_adjectives"]:
        return True  # "12 deaths", "five dead"
    subsets, harm = word_table()["subset_words"], word_table()["harm_verbs"]
    if any(
        c.dep_ in ("acl", "amod", "relcl") and c.lemma_.lower() in harm for c in anchor.children
    ):
        return False  # "four injured"
    for sibling in anchor.conjuncts:  # "3 soldiers and 3 civilians killed"
        if any(c.dep_ in ("acl", "relcl") and _trigger(c) for c in sibling.children):
            return True
    tok = came_from = anchor
    for _ in range(5):
        if tok.lower_ in subsets:
            return False  # "... including two children": already in the total
        if any(
            c.dep_ in ("acl", "amod", "relcl", "acomp", "oprd") and _trigger(c)
            for c in tok.children
        ):
            return True  # "37 soldiers killed", "soldiers who died", "found dead"
        if tok is not anchor and _trigger(tok):
            return not _doer_of(came_from, tok)
        if tok is not anchor and tok.pos_ in ("VERB", "AUX"):
            # "the death toll rose to 12", "12 people lost their lives", "left five dead",
            # "three were shot and killed" (the killing verb shares the first verb's victims)
            return any(
                c.dep_ in ("nsubj", "dobj", "oprd", "acomp", "xcomp", "conj") and _trigger(c)
                for c in tok.children
            )
        if tok.head is tok:
            return False
        came_from, tok = tok, tok.head
    return False


def _doer_of(child: Token, verb: Token) -> bool:
    """"200 air strikes killed 85 people": the subject of a killing verb with an object did it
    ("Dozens killed in clashes" is a headline's passive; "12 people died" a dying)."""
    return (child.dep_ == "nsubj" and verb.pos_ == "VERB" and verb.lemma_.lower() not in _DYING
            and any(c.dep_ == "dobj" for c in verb.children))


_DYING = {"die", "perish", "drown", "starve"}


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


def _single_victim(tok: Token, counts: list[Count]) -> bool:
    """ "The driver was killed", "Man killed by gunmen": one dead, with no number given."""
    counted = {c.unit.i for c in counts if c.unit is not None}
    if tok.i in counted or any(c.start <= tok.i < c.end for c in counts):
        return False
    singular = tok.tag_ in ("NN", "NNP") or tok.lower_ in word_table()["single_pronouns"]
    plural_det = any(
        c.dep_ in ("nummod", "det") and c.lower_ in ("no", "some", "many") for c in tok.children
    )
    if not singular or plural_det or tok.lower_ in word_table()["collective_nouns"]:
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
