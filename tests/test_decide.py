"""The trained decisions (sitrep.events.decide) and their named features (sitrep.events.features).

Sentences here are invented; each names a misreading a role decision must not make."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest

from sitrep.errors import ModelError
from sitrep.events.decide import LinearHead, constraints, load_head, recording
from sitrep.pipeline import extract
from sitrep.records import Article

PUBLISHED = date(2026, 3, 10)
VIOLENT = {"Battles", "Explosions/Remote violence", "Violence against civilians"}


def _violent(text: str) -> list:  # type: ignore[type-arg]
    events = extract(Article(id="t", text=text, published=PUBLISHED))
    return [e for e in events if e.event_type in VIOLENT]


def test_linear_head_round_trip(tmp_path: Path) -> None:
    head = LinearHead(["a", "b"], ["x", "y"], np.array([[1.0, 0.0], [0.0, 1.0]]), np.zeros(2))
    head.save(tmp_path, "h")
    again = LinearHead.load(tmp_path, "h")
    p = again.proba([{"x": 3.0}, {"y": 3.0, "unseen": 9.0}])
    assert p[0].argmax() == 0 and p[1].argmax() == 1
    assert np.allclose(p.sum(axis=1), 1.0)


def test_linear_head_missing_raises(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="retrain"):
        LinearHead.load(tmp_path, "absent")


def test_linear_head_shape_checked() -> None:
    with pytest.raises(ModelError):
        LinearHead(["a"], ["x", "y"], np.zeros((2, 2)), np.zeros(2))


def test_role_head_ships_with_its_provenance() -> None:
    head = load_head("role_head")
    assert set(head.classes) == {"actor1", "actor2", "other"}
    assert "training split" in head.meta["trained_on"]
    assert head.meta["samples"] > 500


def test_constraints_table_holds_the_codebook_rules() -> None:
    roles = constraints()["roles"]
    assert "Civilians" in roles["never_actor1_types"]
    assert roles["harmed_never_actor1"] is True


@pytest.mark.parametrize("text", [
    "Seven militants were killed when their own bomb exploded in Kandahar province on Friday.",
    "Five soldiers died in an ambush near Gao on Monday.",
    "At least twelve villagers were killed in an attack on Tuesday.",
])
def test_victim_is_never_actor1(text: str) -> None:
    for event in _violent(text):
        mention = (event.actor1.mention or "").lower() if event.actor1 else ""
        assert not any(w in mention for w in ("militant", "soldier", "villager")), event.actor1


@pytest.mark.parametrize("text, doer", [
    ("Gunmen killed three soldiers near Maiduguri on Monday.", "gunmen"),
    ("Soldiers killed four Boko Haram fighters near Maiduguri on Monday.", "soldiers"),
])
def test_the_doer_is_actor1(text: str, doer: str) -> None:
    events = _violent(text)
    assert events and any(e.actor1 and (e.actor1.mention or "").lower() == doer for e in events)


def test_recording_collects_features_without_consulting_the_head() -> None:
    with recording() as records:
        extract(Article(id="t", text="Boko Haram fighters attacked a Nigerian army base near Maiduguri on Monday.", published=PUBLISHED))
    assert records and all("bias" in r["features"] for r in records)
    assert any(r["features"].get("rule:actor1") for r in records)


# ---- the role head decides (issue 16) --------------------------------------------------------


@pytest.fixture(scope="module")
def train_role_head():  # type: ignore[no-untyped-def]
    from conftest import load_script

    return load_script("train_role_head")


def test_the_head_decides_the_roles() -> None:
    roles = constraints()["roles"]
    assert roles["decided_by"] == "head"
    assert 0.0 < roles["min_probability"]["actor1"] < 0.5 and 0.0 < roles["min_probability"]["actor2"] <= 0.5
    head = load_head("role_head")
    assert "invented_roles" in head.meta["trained_on"] and head.meta["sources"]["invented"] > 50
    assert any(f.startswith("rel:") for f in head.features)


def test_the_heads_probabilities_choose_the_roles(monkeypatch: pytest.MonkeyPatch) -> None:
    """What the head says is what the record gets: a head that prefers the victim as actor2 and
    the other mention as actor1 is followed, whatever the parse rules would pick."""
    from sitrep.events import decide

    class Flipped(LinearHead):
        def proba(self, rows):  # type: ignore[no-untyped-def]
            # the mention the rules pick as actor1 gets actor2, and the other way round
            return np.array([[0.1, 0.8, 0.1] if r.get("rule:actor1") else [0.8, 0.1, 0.1] for r in rows])

    real = load_head("role_head")
    flipped = Flipped(real.classes, real.features, real.coef, real.intercept, meta=real.meta)
    original = decide.load_head
    monkeypatch.setattr(decide, "load_head", lambda name: flipped if name == "role_head" else original(name))
    monkeypatch.setattr(decide, "constraints", lambda: {**constraints(), "roles": {**constraints()["roles"], "harmed_never_actor1": False}})
    events = _violent("Boko Haram fighters attacked Nigerian soldiers near Maiduguri on Monday.")
    assert events
    event = events[0]
    assert event.actor1 and event.actor1.mention == "Nigerian soldiers"
    assert event.actor2 and event.actor2.mention == "Boko Haram fighters"


def test_an_unknown_decider_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from sitrep.events import decide

    monkeypatch.setattr(decide, "constraints", lambda: {**constraints(), "roles": {**constraints()["roles"], "decided_by": "vote"}})
    with pytest.raises(ModelError, match="decided_by"):
        _violent("Gunmen killed three soldiers near Maiduguri on Monday.")


@pytest.mark.parametrize("text, actor1, actor2", [
    ("Nine farmers were killed by Boko Haram fighters near Maiduguri on Sunday.", "boko haram fighters", "farmers"),
    ("Al Shabaab said its fighters overran a base of Kenyan troops near El Adde on Friday.", "al shabaab", "kenyan troops"),
    ("Police said gunmen killed four villagers in Plateau state on Monday.", "gunmen", "villagers"),
])
def test_who_acts_by_the_syntax(text: str, actor1: str, actor2: str) -> None:
    events = _violent(text)
    assert any((e.actor1 and (e.actor1.mention or "").lower() == actor1)
               and (e.actor2 and (e.actor2.mention or "").lower() == actor2) for e in events), \
        [(e.actor1, e.actor2) for e in events]


def test_relation_features_are_named() -> None:
    with recording() as records:
        extract(Article(id="t", text="Three soldiers were killed by Boko Haram militants near Maiduguri on Monday.", published=PUBLISHED))
    by_text = {r["text"]: r["features"] for r in records}
    assert by_text["Boko Haram militants"].get("rel:passive_agent") == 1.0
    assert by_text["Boko Haram militants"].get("rel:agent_of_harm_verb") == 1.0
    assert by_text["soldiers"].get("rel:object_of_harm_verb") == 1.0
    with recording() as records:
        extract(Article(id="t", text="Gunmen killed three soldiers near Maiduguri on Monday.", published=PUBLISHED))
    assert {r["text"]: r["features"] for r in records}["Gunmen"].get("rel:subject_of_harm_verb") == 1.0


def test_invented_sentences_become_labelled_rows(train_role_head) -> None:  # type: ignore[no-untyped-def]
    sentences = train_role_head.invented_sentences()
    assert len(sentences) >= 50
    passive = next(i for i, s in enumerate(sentences) if s["text"].startswith("Nine farmers were killed by"))
    rows = train_role_head.label_invented((passive, sentences[passive]))
    labels = {row[1] for row in rows}
    assert {"actor1", "actor2"} <= labels
    assert all(row[2] == f"invented:{passive}" and row[3] == "invented" and row[4] == train_role_head.INVENTED_WEIGHT
               for row in rows)
    # a sentence whose labelled mention is not found teaches nothing
    assert train_role_head.label_invented((0, {"text": "The weather was fine on Monday.", "actor1": "gunmen"})) == []


def test_floors_are_chosen_on_out_of_fold_probabilities(train_role_head) -> None:  # type: ignore[no-untyped-def]
    samples = [({}, "actor1", "n1", "x", 1.0, "c1"), ({}, "actor2", "n1", "x", 1.0, "c1"),
               ({}, "actor1", "n2", "x", 1.0, "c2"), ({}, "other", "n2", "x", 1.0, "c2")]
    proba = np.array([[0.7, 0.2, 0.1], [0.1, 0.6, 0.3], [0.45, 0.1, 0.45], [0.3, 0.1, 0.6]])
    floors = train_role_head.choose_floors(samples, proba, ["actor1", "actor2", "other"])
    assert floors["actor1"]["floor"] <= 0.45 and floors["actor1"]["f1"]["0.1"] == 1.0
    assert floors["actor2"]["floor"] <= 0.6
