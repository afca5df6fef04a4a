"""The `wikievents` eval task: the scorer on an invented document, and a run on the real file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from sitrep.eval import task, wikievents
from sitrep.records import Actor, Event, Evidence, Location


def _record() -> dict:  # type: ignore[type-arg]
    """Two sentences, invented: an attack with its attacker and victims, then a reaction."""
    first = "Militants ambushed a patrol near Tessit, killing four soldiers."
    second = "The minister condemned the attack."
    return {
        "doc_id": "invented_2019.03.04_1",
        "sentences": [[[], first], [[], second]],
        "event_mentions": [
            {"event_type": "Conflict.Attack.Unspecified", "trigger": {"sent_idx": 0},
             "arguments": [{"role": "Attacker", "text": "Militants"}, {"role": "Target", "text": "patrol"}]},
            {"event_type": "Life.Die.Unspecified", "trigger": {"sent_idx": 0},
             "arguments": [{"role": "Victim", "text": "soldiers"}, {"role": "Killer", "text": "Militants"}]},
        ],
    }


def _event(doc: wikievents.Document, sentence: int, *, mention: str | None, place: str = "Tessit",
           background: bool = False, kind: str = "Battles") -> Event:
    a, b = doc.spans[sentence]
    day = doc.published
    actor = Actor(mention, mention, None, "Rebel group") if mention else None
    return Event(id=f"e{sentence}{mention}", event_date=day, date_end=day, date_precision="day",
                 event_type=kind, sub_event_type="Armed clash", actor1=actor, actor2=None,
                 location=Location(place, 1, 15.0, 0.5, "ML", None, None, 1),
                 evidence=[Evidence(doc.id, doc.text[a:b], a, b)], article_ids=[doc.id],
                 background=background)


def test_document_offsets_and_date() -> None:
    doc = wikievents.document(_record())
    assert doc.published == date(2019, 3, 4)
    a, b = doc.spans[1]
    assert doc.text[a:b] == "The minister condemned the attack."
    assert doc.recall_sentences == {0} and doc.precision_sentences == {0}
    assert doc.attackers[0] == {"militants"} and doc.victims[0] == {"patrol", "soldiers"}


def test_published_falls_back_to_the_latest_year_named() -> None:
    assert wikievents.published_of("road_ied_1", "In 2011 and again in 2014 ...") == date(2014, 12, 31)


@pytest.mark.parametrize("mention, attacker, victim", [
    ("Militants", 1.0, 0.0),
    ("four soldiers", 0.0, 1.0),
    (None, 0.0, 0.0),
])
def test_roles(mention: str | None, attacker: float, victim: float) -> None:
    doc = wikievents.document(_record())
    figures = wikievents.figures(wikievents.score_document(doc, [_event(doc, 0, mention=mention)]))
    assert figures["actor1_attacker"] == attacker
    assert figures["victim_as_actor1"] == victim


def test_precision_recall_and_place() -> None:
    doc = wikievents.document(_record())
    events = [_event(doc, 0, mention="Militants"), _event(doc, 1, mention=None, place="Casablanca"),
              _event(doc, 1, mention=None, background=True)]
    figures = wikievents.figures(wikievents.score_document(doc, events))
    assert figures["reportable_events"] == 2
    assert figures["precision"] == 0.5
    assert figures["recall"] == 1.0
    assert figures["place_in_text"] == 0.5


def test_words_fold_case_and_accents() -> None:
    assert wikievents.words("Él BOMBARDÉO a Gao") == {"bombardeo", "gao"}


@pytest.mark.slow
def test_run_on_the_dev_file(eval_data: Path) -> None:
    figures = task("wikievents").run(eval_data, limit=2)
    assert figures["documents"] == 2
    assert 0.0 <= (figures["precision"] or 0.0) <= 1.0
