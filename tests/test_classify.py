"""The event classifier: interface, labels, packaged model, a few hand-written sentences."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sitrep.eval.core import default_data_dir
from sitrep.events import classify, taxonomy
from sitrep.events.classify import EVENT_TYPE_OF, Prediction, predict
from sitrep.events.plover import PLOVER_TYPES, plover_for, predict_plover

SCHEMA_SUBTYPES = 25


def test_taxonomy_has_the_schema_labels():
    assert len(EVENT_TYPE_OF) == SCHEMA_SUBTYPES
    assert set(EVENT_TYPE_OF.values()) == set(taxonomy.EVENT_TYPES)
    assert taxonomy.LABELS[-1] == "none" and len(taxonomy.LABELS) == SCHEMA_SUBTYPES + 1


def test_model_ships_and_loads_from_package_data():
    model = classify.load_model()
    assert model is not None, "no trained model: run scripts/train_event_classifier.py"
    assert model.classes == list(taxonomy.LABELS)


def test_predict_shape_and_valid_labels():
    texts = ["Soldiers clashed with rebels near the border.", "The weather was mild on Sunday.", ""]
    out = predict(texts)
    assert len(out) == len(texts) and all(isinstance(p, Prediction) for p in out)
    for p in out:
        assert set(p.scores) == set(taxonomy.LABELS)
        assert abs(sum(p.scores.values()) - 1.0) < 0.01
        assert (p.sub_event_type is None) == (p.event_type is None)
        if p.sub_event_type:
            assert EVENT_TYPE_OF[p.sub_event_type] == p.event_type
        assert p.probability == max(p.scores.values())
    assert predict([]) == []


@pytest.mark.parametrize(
    ("text", "event_type"),
    [
        ("Government troops and rebel fighters exchanged fire for hours outside the town.",
         "Battles"),
        ("Warplanes carried out air strikes on a village, killing four people.",
         "Explosions/Remote violence"),
        ("A roadside bomb exploded next to a police patrol, wounding two officers.",
         "Explosions/Remote violence"),
        ("Gunmen abducted a local chief and two of his wives from their home overnight.",
         "Violence against civilians"),
        ("Hundreds of teachers marched peacefully to parliament demanding unpaid salaries.",
         "Protests"),
        ("Angry youths burned tyres and pelted police with stones after the election results.",
         "Riots"),
        ("Police arrested the opposition leader and five of his aides at their office.",
         "Strategic developments"),
        ("Shares in the carmaker rose by three percent after strong quarterly sales.", None),
    ],
)
def test_predict_major_classes(text, event_type):
    assert predict([text])[0].event_type == event_type


@pytest.mark.parametrize(
    ("taker_is_state", "expected"),
    [(True, "Government regains territory"), (False, "Non-state actor overtakes territory")],
)
def test_territory_subtype_follows_the_taker(taker_is_state, expected):
    assert taxonomy.territory_subtype(taker_is_state) == expected
    assert taxonomy.resolve("Armed clash", taker_is_state=taker_is_state) == "Armed clash"
    assert taxonomy.resolve("Non-state actor overtakes territory",
                            taker_is_state=taker_is_state) == expected


def test_precedence_rules():
    assert taxonomy.resolve("Government regains territory", fighting=False) == (
        "Non-violent transfer of territory")
    assert taxonomy.resolve("Air/drone strike", in_ground_battle=True) == "Armed clash"
    assert taxonomy.resolve("Air/drone strike") == "Air/drone strike"


@pytest.mark.parametrize(
    ("sub", "text", "expected"),
    [
        ("Attack", "Militiamen armed with machetes killed twelve villagers.",
         ("ASSAULT", "primitive")),
        ("Air/drone strike", "Jets bombed the town.", ("FIGHT", "aerial")),
        ("Arrests", "Police detained ten students.", ("COERCE", "arrest")),
        ("Peaceful protest", "Prisoners went on hunger strike.", ("PROTEST", "hunger")),
    ],
)
def test_plover_for(sub, text, expected):
    coded = plover_for(EVENT_TYPE_OF[sub], sub, text)
    assert coded is not None and (coded["event_type"], coded["mode"]) == expected


def test_plover_for_reads_the_sentence_where_the_acled_label_names_no_type():
    coded = plover_for("Strategic developments", "Other",
                       "The foreign minister demanded that the neighbours withdraw their envoys.")
    assert coded is not None and coded["event_type"] == "DEMAND"
    assert plover_for("Strategic developments", "Other", "zzz") is None


def test_predict_plover_shape():
    out = predict_plover(["The two ministers agreed to resume talks next month.", "x"])
    assert len(out) == 2
    for ptype, _mode, prob in out:
        assert ptype in PLOVER_TYPES and 0.0 <= prob <= 1.0
    assert out[0][0] == "AGREE"


def test_is_heldout_is_deterministic_and_near_thirty_percent():
    flags = [classify.is_heldout("demo", str(i)) for i in range(2000)]
    assert flags == [classify.is_heldout("demo", str(i)) for i in range(2000)]
    assert 0.25 < sum(flags) / len(flags) < 0.35


@pytest.mark.slow
def test_training_script_runs_on_a_tiny_subset(tmp_path: Path):
    data = default_data_dir()
    if not (data / "CASE2021-Task2-ACLED-subtypes").is_dir():
        pytest.skip(f"shared eval data not found at {data}")
    script = Path(__file__).resolve().parents[1] / "scripts" / "train_event_classifier.py"
    subprocess.run([sys.executable, str(script), "--data", str(data), "--out", str(tmp_path),
                    "--limit", "60"], check=True, capture_output=True, timeout=300)
    model = classify.TextModel.load(tmp_path, "event_classifier")
    assert model.classes == list(taxonomy.LABELS)
    assert model.proba(["Rebels shelled the town."]).shape == (1, len(taxonomy.LABELS))


def test_a_sure_plover_model_overrules_the_acled_table(monkeypatch):
    from sitrep.events import plover

    monkeypatch.setattr(plover, "_reading", lambda text: ("ASSAULT", "", 0.9))
    assert plover.plover_for("Battles", "Armed clash", "x")["event_type"] == "ASSAULT"
    monkeypatch.setattr(plover, "_reading", lambda text: ("ASSAULT", "", 0.5))
    assert plover.plover_for("Battles", "Armed clash", "x") == {"event_type": "FIGHT", "mode": "firearms"}
    monkeypatch.setattr(plover, "_reading", lambda text: ("FIGHT", "aerial", 0.95))
    assert plover.plover_for("Battles", "Armed clash", "x") == {"event_type": "FIGHT", "mode": "firearms"}
