"""Candidate events of one sentence: trigger words grouped by ACLED precedence, gated and
weighed by the sentence classifier (``classify.predict``), or, where no ACLED event fits, read
by the PLOVER classifier. Thresholds live in ``data/events/gating.yaml``.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from spacy.tokens import Span, Token

from ..datafiles import load_yaml
from ..errors import SitrepError
from ..records import Annotation
from .attribution import SourceMention
from .cues import TriggerEntry, cues
from .factuality import factuality, role
from .taxonomy import EVENT_TYPE_OF
from .triggers import (FAMILY, FROM_AFAR, Candidate, Trigger, find_triggers, group_triggers,
                       victims_contradict)
from .verbal import read_verbal

__all__ = ["candidates_in", "told_elsewhere", "gating", "plover_candidate", "token_range", "VIOLENT",
           "CLASSIFIER_ALONE", "CLASSIFIER_OVERRULES"]

# A sentence the classifier alone calls an event (no trigger word) must be this sure.
CLASSIFIER_ALONE = 0.6
# The classifier overrules the trigger words' type when it is this sure.
CLASSIFIER_OVERRULES = 0.7
_AMBIGUOUS = {"attack", "kill", "bombverb", "loot", "deploy", "change", "classifier"}
TERRITORY_SUBTYPES = {"Government regains territory", "Non-state actor overtakes territory",
                      "Non-violent transfer of territory"}
VIOLENT = {"Battles", "Explosions/Remote violence", "Violence against civilians", "Riots", "Protests"}


def candidates_in(sentence: Span, annotation: Annotation, prediction: Any,
                  sources: list[SourceMention], *, before: Span | None = None) -> list[Candidate]:
    """``before``: the paragraph up to ``sentence``, which may tell what caused its deaths."""
    verbs = {s.verb.i for s in sources}
    triggers = [t for t in find_triggers(sentence) if t.anchor.i not in verbs and role(t.anchor) == "event"]
    types = {i: m.type for m in annotation.actors if sentence.start_char <= m.start < sentence.end_char
             for i in token_range(sentence, m.start, m.end)}
    cands = [c for c in group_triggers(sentence, triggers, actor_types=types) if not _mishap(c, before)]
    cands = [part for c in cands for part in _split_unreal(c)]
    if prediction is not None and getattr(prediction, "scores", None):
        cands = [c for c in cands if not _vetoed(c, prediction)]
    if not cands and told_elsewhere(sentence, before, sources):
        return []
    if prediction is not None and getattr(prediction, "event_type", None):
        cands = _weigh(cands, sentence, prediction)
    return cands


def told_elsewhere(sentence: Span, before: Span | None = None,
                   sources: list[SourceMention] | None = None) -> bool:
    """Whether the sentence's own words say it tells no new event, so that no model may add one:
    it refers back ("The strikes came as talks stalled"), or every event it tells is an accident
    ("the quake killed forty"). Trigger words read as intentions or references do not bar a
    sentence: that reading misfires often enough ("protested and demanded") for the models to
    be worth hearing."""
    verbs = {s.verb.i for s in sources or ()}
    triggers = [t for t in find_triggers(sentence) if t.anchor.i not in verbs]
    if not triggers:
        root = sentence.root
        return root.lemma_.lower() in cues().words("context", "reference_verbs") and any(
            c.dep_ in {"nsubj", "nsubjpass"} and c.lemma_.lower() in cues().words("context", "event_nouns")
            for c in root.children)
    grouped = group_triggers(sentence, [t for t in triggers if role(t.anchor) == "event"])
    return bool(grouped) and all(_mishap(c, before) for c in grouped)


@cache
def gating() -> dict[str, Any]:
    return load_yaml("events/gating.yaml", version=1)


def _vetoed(cand: Candidate, prediction: Any) -> bool:
    """A disaster or crime story uses war words ("fire killed", "gang attacked"): when the
    classifier is sure the sentence tells no political event, a trigger word alone is not enough.

    Kept by ablation (2026-12-05, after the event head began gating): without it, WikiEvents
    precision 0.743 -> 0.733 and recall 0.697 -> 0.688, while ACLED held-out type rose only
    0.859 -> 0.860 and UCDP detection 0.894 -> 0.895."""
    gate = gating()
    if prediction.scores.get("none", 0.0) < gate["none_veto"] or _settles(cand) \
            or any(t.word in gate["war_weapons"] for t in cand.triggers):
        return False
    support = sum(p for sub, p in prediction.scores.items() if EVENT_TYPE_OF.get(sub) == cand.event_type)
    if support >= gate["type_support"]:
        return False
    return not _armed(cand)


def _settles(cand: Candidate) -> bool:
    """"signed a peace agreement", "agreed a ceasefire": no disaster or crime story tells these, so
    no model's "no event" silences them."""
    return any(t.kind == "agreement" and (" " in t.word or t.word in _TRUCE) for t in cand.triggers)


_TRUCE = {"ceasefire", "cease-fire", "truce", "armistice"}
_MISHAP_KINDS = {"kill", "attack", "blast", "loot"}


def _mishap(cand: Candidate, before: Span | None) -> bool:
    """A flood that killed eight, a gas tank that exploded (and the injured told next): deaths or
    damage with no one who caused them on purpose (ACLED codes neither).

    Kept by ablation (2026-12-05, after the event head began gating): without it, CASE 2021
    held-out accuracy 0.777 -> 0.752 and macro-F1 0.686 -> 0.674 (its disaster snippets);
    WikiEvents, ACLED and UCDP unchanged."""
    if not cand.kinds() <= _MISHAP_KINDS or _armed_actor(cand):
        return False
    return _disaster(cand.sentence, before, blew="blast" in cand.kinds())


def _disaster(sentence: Span, before: Span | None, *, blew: bool = False) -> bool:
    """Whether the sentence (or its paragraph so far) names a disaster or an accidental blast,
    and no weapon or armed force."""
    spans = [sentence] + ([before] if before is not None else [])
    forms = frozenset().union(*(_forms(s) for s in spans))
    text = " ".join(s.text.lower() for s in spans)
    if forms & (cues().words("context", "weapon_words") | set(gating()["armed_words"])):
        return False
    if _named(forms, text, cues().words("context", "disasters")):
        return True
    blew = blew or bool(forms & _blast_words())
    return blew and _named(forms, text, cues().words("context", "mishap_things"))


@cache
def _blast_words() -> frozenset[str]:
    return frozenset(w for e in cues().triggers if e.kind == "blast" for w in e.words)


def _forms(sentence: Span) -> frozenset[str]:
    return frozenset(f for t in sentence for f in (t.lemma_.lower(), t.lower_))


def _named(forms: frozenset[str], text: str, words: frozenset[str]) -> bool:
    """Whether one of ``words`` (a phrase where it has a space) is in the text."""
    return any(w in forms if " " not in w else w in text for w in words)


def _armed_actor(cand: Candidate) -> bool:
    return any(kind in set(gating()["armed_types"]) for kind in cand.actor_types.values())


def _armed(cand: Candidate) -> bool:
    return _armed_actor(cand) or bool(_forms(cand.sentence) & set(gating()["armed_words"]))


def plover_candidate(sentence: Span, *, before: Span | None = None
                     ) -> tuple[Candidate, dict[str, str], bool] | None:
    """A sentence with no ACLED event may still tell a political one PLOVER names (agree, demand,
    reject, accuse ...): a low-confidence strategic development, with actors from the sentence,
    its PLOVER coding and whether ACLED records such events at all (``plover_in_acled``). Its
    verbs tell it (``verbal``), else a confident PLOVER model. A disaster's aftermath ("a wide
    area was evacuated" after a plant blew up) is none."""
    gate = gating()
    reading = _plover_reading(sentence)
    if reading is None or _disaster(sentence, before):
        return None
    ptype, mode, anchor, verbal = reading
    if ptype in gate["plover_skip" if not verbal else "plover_verbal_skip"]:
        return None
    # "the pullout follows a deal" recalls an event told elsewhere, and no model may read one
    # into it; a verb that tells its own act about it does ("blamed Israel for the bombing")
    if not verbal and any(role(t.anchor) == "reference" for t in find_triggers(sentence)):
        return None
    acled = ptype in gate["plover_in_acled"] and bool(
        _forms(sentence) & set(gate["plover_conflict_words"] + gate["armed_words"]))
    sub = gate["plover_in_acled"][ptype] if acled else "Other"
    entry = TriggerEntry((), "plover", "Strategic developments", sub, gate["plover_confidence"],
                         "first", frozenset())
    trig = Trigger(entry, anchor, anchor.i, anchor.i, "")
    cand = Candidate(sentence, trig, [trig], "Strategic developments", sub, entry.weight)
    return cand, {"event_type": ptype, "mode": mode or ""}, acled


def _plover_reading(sentence: Span) -> tuple[str, str, Token, bool] | None:
    """(PLOVER type, mode, anchor, whether the verbs told it) of a sentence, or None."""
    if (verbal := read_verbal(sentence)) is not None:
        return verbal.event_type, verbal.mode, verbal.anchor, True
    try:
        from .plover import predict_plover

        ptype, mode, probability = predict_plover([sentence.text])[0]
    except (ImportError, SitrepError, ValueError, KeyError, OSError):
        return None
    if ptype is None or probability < gating()["plover_floor"]:
        return None
    return ptype, mode or "", sentence.root, False


def _split_unreal(cand: Candidate) -> list[Candidate]:
    """"Units began deploying, while guards would be deployed": what is only planned (negated,
    hypothetical) is an event of its own, not part of what happened."""
    unreal = {"planned", "negated", "hypothetical"}
    moods = {id(t): factuality(t.anchor, cand.sentence, attributed=False) in unreal for t in cand.triggers}
    real = [t for t in cand.triggers if not moods[id(t)]]
    if moods[id(cand.main)] and real:  # "after failing to kill them ..., kills 18 civilians"
        cand.main = max(real, key=lambda t: (t.kind != "kill", t.entry.weight))
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


def _ground_unsaid(cand: Candidate, prediction: Any) -> bool:
    """The model reads ground changing hands where no word of the sentence takes, frees or
    leaves any ("troops killed a militant in the province"): the codebook's territorial types
    need the change told; an unsure model keeps the fight the words tell."""
    return prediction.sub_event_type in TERRITORY_SUBTYPES and not any(
        FAMILY.get(t.kind) == "territory" for t in cand.triggers)


def _tells_something(sentence: Span) -> bool:
    """Whether a sentence has a verb or common noun outside its dates: "News Wednesday 4th March,
    2015" is a dateline, whatever a model reads into "March"."""
    return any(t.pos_ in {"VERB", "NOUN"} and t.ent_type_ not in {"DATE", "TIME"} for t in sentence)


def _weigh(cands: list[Candidate], sentence: Span, prediction: Any) -> list[Candidate]:
    """The classifier confirms, corrects (ambiguous words only) or adds the sentence's event."""
    if not cands:
        if prediction.probability >= CLASSIFIER_ALONE and _tells_something(sentence):
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
        if (sure or top.main.kind in _AMBIGUOUS and not _ground_unsaid(top, prediction)) \
                and prediction.sub_event_type:
            top.sub_event_type = prediction.sub_event_type
    elif sure and (agree := [c for c in cands if c.event_type == prediction.event_type]):
        best = max(agree, key=lambda c: c.weight)
        best.weight = min(1.0, top.weight + 0.05)
        best.sub_event_type = prediction.sub_event_type or best.sub_event_type
    elif sure and not (_deadly(top) and prediction.event_type not in VIOLENT) \
            and not (top.main.kind == "disrupt" and not _deadly(top)) \
            and not ("riot" in top.kinds() and prediction.event_type == "Protests") \
            and not (top.event_type == "Riots"
                     and prediction.event_type == "Strategic developments") \
            and not (top.main.kind in FROM_AFAR
                     and prediction.event_type in {"Violence against civilians", "Protests", "Riots"}) \
            and not victims_contradict(top, prediction.event_type):
        # (weapons destroyed or seized unused stay disrupted weapons use, and a crowd's violence a
        # riot, whatever the model says: rioters looting shops is the riot, by the codebook; and
        # civilians a warplane or a shell hit make an air strike or shelling, and no model's
        # labour strike unmakes one)
        # the words fit several types (who was hit, by what); the model read the whole sentence
        top.event_type, top.sub_event_type = prediction.event_type, prediction.sub_event_type
    return cands
