"""PLOVER's verbal and political events read from a sentence's verbs (sitrep.events.verbal), on
sentences written for these tests."""

from __future__ import annotations

from datetime import date

import pytest

from sitrep.events.verbal import read_verbal
from sitrep.nlp import parse
from sitrep.pipeline import extract
from sitrep.records import Article


# these tests read how events are drafted and coded; the event head's gate is tested on its own
pytestmark = pytest.mark.usefixtures("every_draft_stands")


def _type(text: str) -> str | None:
    reading = read_verbal(next(parse(text).sents))
    return reading.event_type if reading else None


@pytest.mark.parametrize("text, expected", [
    ("The two foreign ministers met in Vienna on Tuesday.", "CONSULT"),
    ("Negotiators held talks on the water dispute.", "CONSULT"),
    ("The prime minister arrived in Nairobi on a three-day visit.", "CONSULT"),
    ("Talks between the rival parties resumed in Geneva.", "CONSULT"),  # a headline's noun root
    ("The two governments reached an agreement on fishing rights.", "AGREE"),
    ("The ministry praised the election commission for its work.", "SUPPORT"),
    ("The donors gave the province 2,000 tons of food aid.", "AID"),
    ("The authorities lifted the ban on the opposition newspaper.", "CONCEDE"),
    ("The army lifted its siege of the northern town.", "RETREAT"),
    ("The opposition called for early elections.", "DEMAND"),
    ("The union urged the government to raise wages.", "DEMAND"),
    ("The foreign minister said the neighbouring state must return the seized aircraft.", "DEMAND"),
    ("The president accused the rebels of sabotaging the talks.", "DISAPPROVE"),
    ("Parliament condemned the killing of the journalist.", "DISAPPROVE"),
    ("The council rejected the proposal.", "REJECT"),
    ("The government said it will not accept the court's ruling.", "REJECT"),
    ("The rebels refused to meet the envoy.", "REJECT"),
    ("The delegations failed to reach an agreement on the border.", "REJECT"),
    ("The ministry expelled two diplomats.", "SANCTION"),
    ("The European Union imposed new sanctions on the regime.", "SANCTION"),
    ("The government sent 500 troops to the border region.", "MOBILIZE"),
    ("Prosecutors launched an investigation into the contract.", "INVESTIGATE"),
    ("The minister authorised the deployment of the army to support the police.", "MOBILIZE"),
])
def test_verbal_reads_what_the_main_verb_tells(text, expected):
    assert _type(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("The minister pledged to send medical aid to the flooded region.", "AGREE"),
    ("The government said it is willing to withdraw its troops.", "AGREE"),
    ("The king will visit the capital next month.", "AGREE"),  # an intent to meet
    ("The militia vowed to fight until the town is retaken.", "THREATEN"),
    ("The party said it would boycott the elections.", "THREATEN"),
    ("The president threatened to expel the ambassador.", "THREATEN"),
    ("The union will end the strike unless wages are raised.", "THREATEN"),
])
def test_verbal_what_someone_means_to_do_is_an_agree_or_a_threat(text, expected):
    assert _type(text) == expected


@pytest.mark.parametrize("text", [
    "The weather was warm and the market was busy.",
    "The ministry did not condemn the raid.",  # a negated accusation happened nowhere
    "The military declined to comment.",  # a press formula, no refusal
    "The rights chief warned of the risk of atrocities.",  # a concern voiced, no threat
    "The government had sought to raise taxes to cut its debt.",
    "Shelling resumed in the north as talks stalled in the capital.",  # the talks are context
    "The government said it was meeting its commitments to the court.",  # no meeting
    "The pullout also follows a deal to integrate the militia into the army.",  # refers back
])
def test_verbal_no_event_where_the_verbs_tell_none(text):
    assert _type(text) is None


def _events(text: str):
    return extract(Article(id="v", text=text, published=date(2026, 2, 12)))


def test_a_verbal_event_acled_does_not_code_is_marked_so():
    events = _events("The ministry expelled two diplomats on Monday.")
    assert [(e.plover["event_type"], e.acled_event) for e in events] == [("SANCTION", False)]
    assert events[0].event_type == "Strategic developments"  # the contract needs a type


def test_talks_towards_a_settlement_are_an_acled_agreement():
    events = _events("The two presidents held talks on Sunday over the long border dispute.")
    assert [(e.sub_event_type, e.plover["event_type"], e.acled_event) for e in events] == [
        ("Agreement", "CONSULT", True)]
    trade = _events("The two presidents held talks on Sunday on trade and tourism.")
    assert [(e.plover["event_type"], e.acled_event) for e in trade] == [("CONSULT", False)]


def test_a_disasters_aftermath_is_no_event():
    assert _events("Floods swept through the valley, and three districts were evacuated.") == []


@pytest.mark.parametrize("text, expected", [
    ("Switzerland expelled two diplomats for spying.", None),  # a sanction, no battle
    ("Government forces expelled the militants from the town of Sirte.", "Government regains territory"),
])
def test_expelling_is_taking_ground_only_from_a_place(text, expected):
    acled = [e.sub_event_type for e in _events(text) if e.acled_event]
    assert acled == ([expected] if expected else [])


def test_what_must_happen_has_not_and_its_plover_act_is_the_demand():
    events = _events("The envoy said the two sides must reach an agreement to end the war.")
    assert events and all(e.factuality == "hypothetical" for e in events)
    assert events[0].plover["event_type"] == "DEMAND"


@pytest.mark.parametrize("text, expected", [
    ("The president banned opposition candidates from the elections.", ("COERCE", False)),
    ("The authorities deported 168 migrants on Tuesday.", ("COERCE", False)),
    # the bombing is told elsewhere; the blame is this sentence's own act
    ("Palestinians blamed Israel for the bombing in the city.", ("DISAPPROVE", False)),
])
def test_verbal_acts_acled_does_not_code_stand_as_plover_events(text, expected):
    assert [(e.plover["event_type"], e.acled_event) for e in _events(text)] == [expected]


def test_a_signed_peace_agreement_is_an_event_whatever_the_model_says():
    events = _events("The foreign ministers of the two countries signed a peace agreement on Friday.")
    assert [(e.sub_event_type, e.acled_event, e.factuality) for e in events] == [("Agreement", True, "asserted")]
    failed = _events("The two delegations failed to reach an agreement on Sunday.")
    assert failed and all(e.factuality == "negated" for e in failed if e.acled_event)
