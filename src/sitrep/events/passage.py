"""What a whole passage is about: the context the sentence candidates are weighed in.

A report's sentences each tell part of an event ("People protested in X." "Soldiers shot two of
them dead."); which event the passage is *about*, and so how ACLED codes it, shows in the
passage as a whole. The passage model (``classify.predict_passage``, trained on whole ACLED notes
and CASE snippets) reads each block of a paragraph and gives a coarse label at ACLED 2016's grain
(``taxonomy.PASSAGE_LABELS``). Then, per block:

* every candidate's weight is scaled by how well its event type fits the passage
  (``influence``), so the event the passage is about ranks first;
* when the passage model is sure (``retype``) of an event type no candidate has, the top
  candidate takes it, with the sentence model's best sub-event type within it. Within one event
  type the sentence decides: it tells the sub-event type better than the passage does; and a
  candidate keeps its type when the people hit say so (the codebook's rule), when the sentence
  model is sure of it, or when a weapon was used or someone killed and the passage names no
  armed event;
* when no sentence holds a candidate but the passage model is sure (``create``) of an event, the
  block's most eventful sentence gets one.

Thresholds live in ``data/events/gating.yaml`` (``passage``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Span

from .cues import TriggerEntry, cues
from .taxonomy import EVENT_TYPE_OF, NONE, passage_subtypes
from .triggers import FAMILY, FROM_AFAR, Candidate, Trigger, by_armed_group, fought, victims_contradict

__all__ = ["Block", "blocks_of", "weigh_blocks"]

# event types where someone is armed and harms: a weapon or a death never leaves them
ARMED_TYPES = {"Battles", "Explosions/Remote violence", "Violence against civilians"}
# A paragraph longer than this many sentences is read in blocks of this size: the passage model
# learned from reports of one to four sentences.
BLOCK_SENTENCES = 4


@dataclass
class Block:
    """Consecutive sentences of one paragraph: indices into the article's sentence list."""

    members: list[int]
    text: str


def blocks_of(sentences: Sequence[Span], paragraph_of: Callable[[int], int]) -> list[Block]:
    """Sentences grouped by paragraph (``paragraph_of`` maps a character offset to one), in
    blocks of at most ``BLOCK_SENTENCES``."""
    blocks: list[Block] = []
    last = None
    for i, sentence in enumerate(sentences):
        paragraph = paragraph_of(sentence.start_char)
        if paragraph != last or len(blocks[-1].members) >= BLOCK_SENTENCES:
            blocks.append(Block([], ""))
        last = paragraph
        blocks[-1].members.append(i)
    doc_text = sentences[0].doc.text if sentences else ""
    for block in blocks:
        first, final = sentences[block.members[0]], sentences[block.members[-1]]
        block.text = doc_text[first.start_char:final.end_char]
    return blocks


def weigh_blocks(blocks: list[Block], scores: list[dict[str, float]], cands: list[list[Candidate]],
                 sentences: Sequence[Span], predictions: Sequence[Any], gate: dict[str, Any], *,
                 barred: Sequence[bool] = ()) -> None:
    """Weigh, retype or add candidates (``cands[i]`` are sentence i's) in place; no candidate
    is added to a sentence ``barred[i]`` (its own words say it tells no new event)."""
    for block, passage in zip(blocks, scores):
        if not passage:
            continue
        label = max(passage, key=passage.__getitem__)
        mine = [c for i in block.members for c in cands[i]]
        if mine:
            _weigh(mine, passage, label, predictions, sentences, gate)
        elif label != NONE and passage[label] >= gate["create"]:
            i = _most_eventful(block.members, predictions, label)
            if not (i < len(barred) and barred[i]):  # its likeliest sentence says otherwise
                cands[i].append(_candidate(sentences[i], label, predictions[i], passage[label]))


def _weigh(mine: list[Candidate], passage: dict[str, float], label: str,
           predictions: Sequence[Any], sentences: Sequence[Span], gate: dict[str, Any]) -> None:
    influence = gate["influence"]
    for cand in mine:
        fit = sum(p for name, p in passage.items() if cand.event_type in _types(name))
        cand.weight = round(cand.weight * (1 - influence + influence * fit), 4)
    if label == NONE or passage[label] < gate["retype"]:
        return
    if any(c.event_type in _types(label) for c in mine):
        return  # the passage's event is there, and its sentence knows the sub-event type best
    top = max(mine, key=lambda c: c.weight)
    i = next(i for i, s in enumerate(sentences) if s == top.sentence)
    if _holds(top, label, predictions[i], gate) or _only_disrupted(mine):
        return
    top.sub_event_type = _best_subtype(label, predictions[i])
    top.event_type = EVENT_TYPE_OF[top.sub_event_type]
    top.weight = round(max(top.weight, passage[label] * gate["confidence"]), 4)


def _holds(top: Candidate, label: str, prediction: Any, gate: dict[str, Any]) -> bool:
    """Whether the candidate keeps its type against the passage: the people hit say otherwise
    (the codebook), clashes name no crowd, a warplane or artillery hit civilians, the sentence
    model is sure of it, or a weapon was used or someone killed and the passage names no armed
    event ("strikes kill ..." read as a labour strike)."""
    if any(victims_contradict(top, t) for t in _types(label)):
        return True
    if _types(label) <= {"Protests", "Riots"} and _fight_without_crowd(top):
        return True  # "Violent clashes continue on the fronts": no crowd, no demonstration
    if _types(label) == {"Strategic developments"} and fought(top):
        return True
    if _types(label) <= {"Protests", "Riots"} and any(
            t.kind == "attack" and by_armed_group(t, top) for t in top.triggers):
        return True  # a militia firing on a demonstration: its attack, not the crowd's protest
    afar = any(t.kind in FROM_AFAR for t in top.triggers)
    if afar and _types(label) <= {"Protests", "Riots"}:
        return True  # "a hospital destroyed in a strike": no labour strike
    if afar and _types(label) == {"Violence against civilians"}:
        return True  # civilians a warplane or a shell hit: an air strike or shelling (a battle
        # passage may still take it: a strike during a ground battle belongs to the battle)
    scores = getattr(prediction, "scores", None) or {}
    if sum(p for sub, p in scores.items() if EVENT_TYPE_OF.get(sub) == top.event_type) >= gate["sentence_sure"]:
        return True
    harm = any(FAMILY.get(t.kind) == "remote" or t.deadly for t in top.triggers)
    return harm and not _types(label) & ARMED_TYPES


def _fight_without_crowd(top: Candidate) -> bool:
    """Clashes told in a sentence that names no crowd and no protest."""
    if top.main.kind != "fight" or any(t.kind in {"protest", "riot"} for t in top.triggers):
        return False
    crowd = cues().victims.get("protesters", frozenset()) | cues().words("context", "crowd_events")
    armed = {i for t in top.triggers for i in range(t.first, t.last + 1)}  # "strikes by the coalition"
    return not any({t.lemma_.lower(), t.lower_, t.lower_.removesuffix("s")} & crowd
                   for t in top.sentence if t.i not in armed)


def _only_disrupted(mine: list[Candidate]) -> bool:
    """Weapons seized or destroyed unused, and nothing else told around them: disrupted weapons
    use, however violent the words ("mines", "explosive devices") sound to the passage model."""
    kinds = {t.kind for c in mine for t in c.triggers}
    return "disrupt" in kinds and kinds <= _DISRUPTED and not any(t.deadly for c in mine for t in c.triggers)


_DISRUPTED = {"disrupt", "explosive", "grenade", "blast"}


def _types(label: str) -> set[str]:
    """The event types a passage label spans ("Demonstrations": Protests and Riots)."""
    return {EVENT_TYPE_OF[sub] for sub in passage_subtypes(label)}


def _best_subtype(label: str, prediction: Any) -> str:
    """The sentence model's likeliest sub-event type within a passage label."""
    subs = passage_subtypes(label)
    scores = getattr(prediction, "scores", None) or {}
    return max(subs, key=lambda s: (scores.get(s, 0.0), -subs.index(s)))


def _most_eventful(members: list[int], predictions: Sequence[Any], label: str) -> int:
    subs = passage_subtypes(label)

    def support(i: int) -> float:
        scores = getattr(predictions[i], "scores", None) or {}
        return sum(scores.get(s, 0.0) for s in subs)

    return max(members, key=lambda i: (support(i), -i))


def _candidate(sentence: Span, label: str, prediction: Any, probability: float) -> Candidate:
    sub = _best_subtype(label, prediction)
    event_type = EVENT_TYPE_OF[sub]
    weight = round(probability * 0.8, 4)
    entry = TriggerEntry((), "classifier", event_type, sub, weight, "first", frozenset())
    root = sentence.root
    trig = Trigger(entry, root, root.i, root.i, "")
    return Candidate(sentence, trig, [trig], event_type, sub, weight)
