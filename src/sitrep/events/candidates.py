"""Candidate events of one sentence: trigger words grouped by ACLED precedence, gated and
weighed by the sentence classifier (``classify.predict``), or, where no ACLED event fits, read
by the PLOVER classifier. Thresholds live in ``data/events/gating.yaml``.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from spacy.tokens import Span

from ..datafiles import load_yaml
from ..errors import SitrepError
from ..records import Annotation
from .attribution import SourceMention
from .cues import TriggerEntry
from .factuality import factuality, role
from .taxonomy import EVENT_TYPE_OF
from .triggers import Candidate, Trigger, find_triggers, group_triggers, victims_contradict

__all__ = ["candidates_in", "gating", "plover_candidate", "token_range", "VIOLENT",
           "CLASSIFIER_ALONE", "CLASSIFIER_OVERRULES"]

# A sentence the classifier alone calls an event (no trigger word) must be this sure.
CLASSIFIER_ALONE = 0.6
# The classifier overrules the trigger words' type when it is this sure.
CLASSIFIER_OVERRULES = 0.7
_AMBIGUOUS = {"attack", "kill", "bombverb", "loot", "deploy", "change", "classifier"}
VIOLENT = {"Battles", "Explosions/Remote violence", "Violence against civilians", "Riots", "Protests"}


def candidates_in(sentence: Span, annotation: Annotation, prediction: Any,
                sources: list[SourceMention]) -> list[Candidate]:
    verbs = {s.verb.i for s in sources}
    triggers = [t for t in find_triggers(sentence) if t.anchor.i not in verbs and role(t.anchor) == "event"]
    types = {i: m.type for m in annotation.actors if sentence.start_char <= m.start < sentence.end_char
             for i in token_range(sentence, m.start, m.end)}
    cands = [part for c in group_triggers(sentence, triggers, actor_types=types) for part in _split_unreal(c)]
    if prediction is not None and getattr(prediction, "scores", None):
        cands = [c for c in cands if not _vetoed(c, prediction)]
    if prediction is not None and getattr(prediction, "event_type", None):
        cands = _weigh(cands, sentence, prediction)
    return cands


@cache
def gating() -> dict[str, Any]:
    return load_yaml("events/gating.yaml", version=1)


def _vetoed(cand: Candidate, prediction: Any) -> bool:
    """A disaster or crime story uses war words ("fire killed", "gang attacked"): when the
    classifier is sure the sentence tells no political event, a trigger word alone is not enough."""
    gate = gating()
    if prediction.scores.get("none", 0.0) < gate["none_veto"]:
        return False
    support = sum(p for sub, p in prediction.scores.items() if EVENT_TYPE_OF.get(sub) == cand.event_type)
    if support >= gate["type_support"]:
        return False
    armed, words = set(gate["armed_types"]), set(gate["armed_words"])
    if any(kind in armed for kind in cand.actor_types.values()):
        return False
    return not any(t.lemma_.lower() in words or t.lower_ in words for t in cand.sentence)


def plover_candidate(sentence: Span) -> tuple[Candidate, dict[str, str]] | None:
    """A sentence with no ACLED event may still tell a political one PLOVER names (agree, demand,
    reject, accuse ...): a low-confidence strategic development, with actors from the sentence."""
    gate = gating()
    try:
        from .plover import predict_plover

        ptype, mode, probability = predict_plover([sentence.text])[0]
    except (ImportError, SitrepError, ValueError, KeyError, OSError):
        return None
    if ptype is None or probability < gate["plover_floor"] or ptype in gate["plover_skip"]:
        return None
    if any(role(t.anchor) == "reference" for t in find_triggers(sentence)):
        return None  # "the pullout follows a deal": it recalls an event told elsewhere
    sub = "Agreement" if ptype in gate["plover_agreement"] else "Other"
    root = sentence.root
    entry = TriggerEntry((), "plover", "Strategic developments", sub, gate["plover_confidence"],
                         "first", frozenset())
    trig = Trigger(entry, root, root.i, root.i, "")
    cand = Candidate(sentence, trig, [trig], "Strategic developments", sub, entry.weight)
    return cand, {"event_type": ptype, "mode": mode or ""}


def _split_unreal(cand: Candidate) -> list[Candidate]:
    """"Units began deploying, while guards would be deployed": what is only planned (negated,
    hypothetical) is an event of its own, not part of what happened."""
    unreal = {"planned", "negated", "hypothetical"}
    moods = {id(t): factuality(t.anchor, cand.sentence, attributed=False) in unreal for t in cand.triggers}
    later = [t for t in cand.triggers if moods[id(t)] and t.kind != "kill"]
    if not later or len(later) == len(cand.triggers) or moods[id(cand.main)]:
        return [cand]
    cand.triggers = [t for t in cand.triggers if not moods[id(t)]]
    other = Candidate(cand.sentence, later[0], later, cand.event_type, cand.sub_event_type,
                      cand.weight * 0.8, cand.actor_types)
    return [cand, other]


def _deadly(cand: Candidate) -> bool:
    return any(t.deadly for t in cand.triggers)


def token_range(sentence: Span, start: int, end: int) -> range:
    span = sentence.doc.char_span(start, end, alignment_mode="expand")
    return range(span.start, span.end) if span is not None else range(0)


def _weigh(cands: list[Candidate], sentence: Span, prediction: Any) -> list[Candidate]:
    """The classifier confirms, corrects (ambiguous words only) or adds the sentence's event."""
    if not cands:
        if prediction.probability >= CLASSIFIER_ALONE:
            entry = TriggerEntry((), "classifier", prediction.event_type, prediction.sub_event_type,
                                 prediction.probability * 0.8, "first", frozenset())
            root = sentence.root
            trig = Trigger(entry, root, root.i, root.i, "")
            return [Candidate(sentence, trig, [trig], prediction.event_type,
                              prediction.sub_event_type, entry.weight)]
        return []
    top = max(cands, key=lambda c: c.weight)
    sure = prediction.probability >= CLASSIFIER_OVERRULES
    if prediction.event_type == top.event_type:
        top.weight = min(1.0, top.weight + 0.1)
        if (sure or top.main.kind in _AMBIGUOUS) and prediction.sub_event_type:
            top.sub_event_type = prediction.sub_event_type
    elif sure and (agree := [c for c in cands if c.event_type == prediction.event_type]):
        best = max(agree, key=lambda c: c.weight)
        best.weight = min(1.0, top.weight + 0.05)
        best.sub_event_type = prediction.sub_event_type or best.sub_event_type
    elif sure and not (_deadly(top) and prediction.event_type not in VIOLENT) \
            and not victims_contradict(top, prediction.event_type):
        # the words fit several types (who was hit, by what); the model read the whole sentence
        top.event_type, top.sub_event_type = prediction.event_type, prediction.sub_event_type
    return cands
