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
