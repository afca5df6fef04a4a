"""Paragraph context: the passage model's reading weighs, retypes and adds sentence candidates."""

from __future__ import annotations

from datetime import date

import pytest

from sitrep.events import detect, passage
from sitrep.events.classify import Prediction, predict_passage
from sitrep.events.cues import TriggerEntry
from sitrep.events.triggers import Candidate, Trigger
from sitrep.nlp import parse
from sitrep.pipeline import extract
from sitrep.records import Article

GATE = {"influence": 0.8, "retype": 0.5, "confidence": 0.9, "create": 0.8, "sentence_sure": 0.7}


def _candidate(sentence, event_type: str, sub: str, weight: float) -> Candidate:
    entry = TriggerEntry((), "test", event_type, sub, weight, "first", frozenset())
    trig = Trigger(entry, sentence.root, sentence.root.i, sentence.root.i, "")
    return Candidate(sentence, trig, [trig], event_type, sub, weight)


def _passage(**probabilities: float) -> dict[str, float]:
    names = {"clash": "Armed clash", "vac": "Violence against civilians", "demo": "Demonstrations",
             "sd": "Strategic developments", "nvt": "Non-violent transfer of territory", "none": "none"}
    return {names[k]: v for k, v in probabilities.items()}


def _prediction(**scores: float) -> Prediction:
    return Prediction(None, None, 0.0, scores)


def _two_sentences():
    doc = parse("Villagers marched through the town. Soldiers shot at them.")
    return list(doc.sents)


def test_blocks_follow_paragraphs_and_stay_short():
    text = "One. Two. Three. Four. Five.\n\nSix."
    sentences = list(parse(text).sents)
    starts = [0, text.index("Six")]
    blocks = passage.blocks_of(sentences, lambda offset: max(s for s in starts if s <= offset))
    assert [len(b.members) for b in blocks] == [passage.BLOCK_SENTENCES, 1, 1]
    assert blocks[-1].text == "Six."


def test_the_event_the_passage_is_about_ranks_first():
    first, second = _two_sentences()
    demo = _candidate(first, "Protests", "Peaceful protest", 0.9)
    attack = _candidate(second, "Violence against civilians", "Attack", 0.7)
    blocks = [passage.Block([0, 1], "")]
    passage.weigh_blocks(blocks, [_passage(vac=0.9, demo=0.1)], [[demo], [attack]], [first, second],
                         [None, None], GATE)
    assert attack.weight > demo.weight
    assert (demo.event_type, attack.event_type) == ("Protests", "Violence against civilians")


def test_a_sure_passage_retypes_the_top_candidate_across_event_types():
    first, second = _two_sentences()
    demo = _candidate(first, "Protests", "Peaceful protest", 0.9)
    passage.weigh_blocks([passage.Block([0, 1], "")], [_passage(vac=0.8, demo=0.2)], [[demo], []],
                         [first, second], [_prediction(**{"Abduction/forced disappearance": 0.3}), None], GATE)
    assert (demo.event_type, demo.sub_event_type) == ("Violence against civilians", "Abduction/forced disappearance")


def test_an_unsure_passage_changes_no_type():
    first, second = _two_sentences()
    demo = _candidate(first, "Protests", "Peaceful protest", 0.9)
    passage.weigh_blocks([passage.Block([0, 1], "")], [_passage(vac=0.45, demo=0.4, none=0.15)],
                         [[demo], []], [first, second], [None, None], GATE)
    assert demo.event_type == "Protests"


def test_within_one_event_type_the_sentence_decides_the_sub_event_type():
    first, second = _two_sentences()
    handover = _candidate(first, "Strategic developments", "Non-violent transfer of territory", 0.85)
    passage.weigh_blocks([passage.Block([0, 1], "")], [_passage(sd=0.9, nvt=0.1)],
                         [[handover], []], [first, second], [None, None], GATE)
    assert handover.sub_event_type == "Non-violent transfer of territory"
    assert handover.weight == 0.85  # the whole passage fits its event type


def test_a_sure_passage_with_no_candidate_gets_one_in_its_most_eventful_sentence():
    first, second = _two_sentences()
    cands = [[], []]
    predictions = [_prediction(Attack=0.1), _prediction(Attack=0.6)]
    passage.weigh_blocks([passage.Block([0, 1], "")], [_passage(vac=0.9)], cands, [first, second],
                         predictions, GATE)
    assert cands[0] == [] and [(c.event_type, c.sub_event_type) for c in cands[1]] == [
        ("Violence against civilians", "Attack")]


def test_no_event_passage_adds_nothing():
    first, second = _two_sentences()
    cands = [[], []]
    passage.weigh_blocks([passage.Block([0, 1], "")], [_passage(none=0.95)], cands, [first, second],
                         [None, None], GATE)
    assert cands == [[], []]


def test_passage_model_ships_and_reads_whole_reports():
    [scores] = predict_passage(["Thousands of teachers marched to the ministry demanding higher pay."])
    assert max(scores, key=scores.get) == "Demonstrations"
    assert abs(sum(scores.values()) - 1.0) < 1e-6


def test_soldiers_firing_on_marchers_is_coded_as_the_attack_on_them():
    # ACLED codes a crowd shot by soldiers by what was done to it; invented report
    text = "Residents protested against the new tax in the town. Soldiers shot dead three people."
    events = [e for e in extract(Article(id="t", text=text, published=date(2016, 3, 1)))
              if not e.background]
    main = max(events, key=lambda e: e.confidence)
    assert main.event_type == "Violence against civilians"
    assert main.fatalities == 3
    assert "Protests" in {e.event_type for e in events}  # the protest is still told


def test_detect_without_a_model_raises_naming_it(monkeypatch):
    # a missing model is an error that says which and how to rebuild it, never a quiet fallback
    from sitrep.errors import ModelError
    from sitrep.read import annotate

    monkeypatch.setattr("sitrep.events.classify.load_model", lambda name="event_classifier": None)
    article = Article(id="t", text="Rebels clashed with soldiers near the town.", published=date(2016, 3, 1))
    with pytest.raises(ModelError, match="event_classifier.*train_event_classifier"):
        detect(annotate(article))


def _shelling(sentence) -> Candidate:
    entry = TriggerEntry(("shell",), "shell", "Explosions/Remote violence",
                         "Shelling/artillery/missile attack", 0.8, "first", frozenset())
    trig = Trigger(entry, sentence.root, sentence.root.i, sentence.root.i, "shell")
    return Candidate(sentence, trig, [trig], "Explosions/Remote violence",
                     "Shelling/artillery/missile attack", 0.8)


def test_a_weapon_is_never_retyped_to_an_unarmed_event():
    first, second = _two_sentences()
    shelling = _shelling(first)
    passage.weigh_blocks([passage.Block([0, 1], "")], [_passage(demo=0.9, none=0.1)], [[shelling], []],
                         [first, second], [None, None], GATE)
    assert shelling.event_type == "Explosions/Remote violence"


def test_a_sure_sentence_keeps_its_event_type():
    first, second = _two_sentences()
    clash = _candidate(first, "Battles", "Armed clash", 0.8)
    sure = _prediction(**{"Armed clash": 0.8, "Mob violence": 0.1})
    passage.weigh_blocks([passage.Block([0, 1], "")], [_passage(demo=0.6, clash=0.4)], [[clash], []],
                         [first, second], [sure, None], GATE)
    assert clash.event_type == "Battles"
    unsure = _prediction(**{"Armed clash": 0.4, "Mob violence": 0.3})
    passage.weigh_blocks([passage.Block([0, 1], "")], [_passage(demo=0.6, clash=0.4)], [[clash], []],
                         [first, second], [unsure, None], GATE)
    assert clash.event_type == "Riots"


def test_no_event_is_added_where_the_sentence_says_it_tells_none():
    first, second = _two_sentences()
    cands = [[], []]
    predictions = [_prediction(Attack=0.1), _prediction(Attack=0.6)]
    passage.weigh_blocks([passage.Block([0, 1], "")], [_passage(vac=0.9)], cands, [first, second],
                         predictions, GATE, barred=[False, True])
    assert cands == [[], []]
