"""The pretrained sentence encoder (sitrep.models.encoder) and the event head that reads it."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

from sitrep.errors import ModelError
from sitrep.events import decide
from sitrep.models import encoder


@pytest.fixture
def fresh_encoder() -> Iterator[None]:
    encoder.load_encoder.cache_clear()
    yield
    encoder.load_encoder.cache_clear()


def test_vectors_have_unit_length_and_the_model_dimension() -> None:
    texts = ["Rebels shelled the town on Monday.", "", "x" * 3000]
    vectors = encoder.load_encoder().encode(texts)
    assert vectors.shape == (3, encoder.DIMENSION)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)


def test_a_paraphrase_is_nearer_than_another_topic() -> None:
    a, b, c = encoder.load_encoder().encode([
        "Gunmen killed six passengers on a bus near the border.",
        "Six bus passengers were shot dead by armed men close to the frontier.",
        "The central bank raised interest rates by half a point.",
    ])
    assert float(a @ b) > float(a @ c) + 0.3


def test_a_text_reads_the_same_alone_and_among_others() -> None:
    enc = encoder.load_encoder()
    text = "Police fired tear gas at protesters in the capital."
    alone = enc.encode([text])[0]
    among = enc.encode(["Short.", text, "A much longer sentence about something else entirely, with clauses."])[1]
    assert np.allclose(alone, among, atol=1e-3)


def test_a_file_that_differs_from_its_pinned_hash_is_refused(fresh_encoder: None,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(encoder, "ONNX_SHA256", "0" * 64)
    with pytest.raises(ModelError, match="sha256"):
        encoder.load_encoder()


def test_a_missing_package_is_a_model_error(fresh_encoder: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(encoder, "find_spec", lambda name: None)
    with pytest.raises(ModelError, match="make setup"):
        encoder.load_encoder()


def test_the_event_head_names_the_encoder_it_was_trained_on() -> None:
    head = decide.load_head(decide.EVENT_HEAD)
    assert head.meta["encoder"] == encoder.NAME
    assert any(name.startswith("enc:") for name in head.features)
    assert "news_event_labels" in head.meta["trained_on"]


def test_a_head_trained_on_another_encoder_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from sitrep.pipeline import extract
    from sitrep.records import Article

    original = decide.load_head
    head = original(decide.EVENT_HEAD)
    other = decide.LinearHead(head.classes, head.features, head.coef, head.intercept,
                              meta={**head.meta, "encoder": "some other encoder"})
    monkeypatch.setattr(decide, "load_head", lambda name: other if name == decide.EVENT_HEAD else original(name))
    with pytest.raises(ModelError, match="other encoder"):
        extract(Article(id="t", text="Rebels attacked an army base near Goma on Monday, killing four soldiers."))


def _standing(text: str) -> list[str]:
    from datetime import date

    from sitrep.pipeline import extract
    from sitrep.records import Article

    # the ACLED events that stand; a PLOVER-only record is not the head's to gate
    events = extract(Article(id="t", text=text, published=date(2025, 8, 28)))
    return [e.sub_event_type for e in events if e.acled_event]


@pytest.mark.parametrize("text", [
    # drafts the rules made on the bundled sample, which the head now rules out
    "Moscow denies targeting civilians.",
    "European officials summoned Russian envoys in protest.",
    "Rwanda denies supporting the group and says it is defending itself against a militia based in the east.",
    "Flights were suspended and roads around the airport were closed.",
])
def test_the_event_head_lets_no_reaction_or_denial_stand_as_an_acled_event(text: str) -> None:
    assert _standing(text) == []


@pytest.mark.parametrize("text", [
    "Russia struck the Ukrainian capital with missiles and drones overnight, killing at least 23 people.",
    "At least 32 people were killed when a suicide bomber and gunmen attacked a beach in Mogadishu on Friday.",
    "Police detained the former president at the airport shortly after he arrived on a flight.",
])
def test_the_event_head_lets_a_reported_incident_stand(text: str) -> None:
    assert _standing(text)


def test_an_agreement_stands_whatever_the_head_says() -> None:
    """The news labels never covered agreements (constraints.yaml, ungated_sub_types)."""
    assert "Agreement" in decide.constraints()["events"]["ungated_sub_types"]
    assert "Agreement" in _standing("The foreign ministers of the two countries signed a peace agreement in Washington on Friday.")


# ---- the cache of recent vectors -------------------------------------------------------------

def test_a_text_read_again_is_not_encoded_again(monkeypatch: pytest.MonkeyPatch) -> None:
    enc = encoder.load_encoder()
    text = "Militants ambushed a patrol on the road to the border post on Thursday."
    first = enc.encode([text])[0]
    calls: list[list[str]] = []
    original = enc._batch
    monkeypatch.setattr(enc, "_batch", lambda texts: calls.append(list(texts)) or original(texts))
    again = enc.encode([text, "A sentence the encoder has not read before in this test run."])
    assert calls == [["A sentence the encoder has not read before in this test run."]]
    assert np.array_equal(first, again[0])


def test_the_cache_keeps_only_the_latest_texts(monkeypatch: pytest.MonkeyPatch) -> None:
    enc = encoder.load_encoder()
    monkeypatch.setattr(encoder, "RECENT", 3)
    monkeypatch.setattr(enc, "_recent", {})
    texts = [f"Sentence number {n} about the fighting." for n in range(5)]
    vectors = enc.encode(texts)  # more texts in one call than the cache holds
    assert vectors.shape == (5, encoder.DIMENSION)
    assert len(enc._recent) == 3
    assert np.allclose(enc.encode(texts[:1])[0], vectors[0], atol=1e-5)


# ---- the sub-event classifier that reads the encoder -----------------------------------------

def test_the_encoded_classifier_names_its_encoder_and_needs_its_vectors() -> None:
    from sitrep.events import classify

    model = classify.require_model(classify.ENCODED_MODEL)
    assert model.encoder == encoder.NAME
    with pytest.raises(ModelError, match="vectors"):
        model.proba(["Rebels attacked an army base."])


def test_an_encoded_classifier_of_another_encoder_is_an_error(tmp_path) -> None:
    import json
    import shutil

    from sitrep.events import classify

    folder = classify.model_dir()
    for suffix in (".json", ".npz"):
        shutil.copy(str(folder / f"{classify.ENCODED_MODEL}{suffix}"), tmp_path / f"m{suffix}")
    header = json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))
    (tmp_path / "m.json").write_text(json.dumps({**header, "encoder": "another encoder"}), encoding="utf-8")
    with pytest.raises(ModelError, match="another encoder"):
        classify.TextModel.load(tmp_path, "m")


@pytest.mark.parametrize("text, expected", [
    ("Government warplanes bombed rebel positions outside the town on Sunday.", "Air/drone strike"),
    ("Hundreds of students marched through the city to demand the release of detained activists.",
     "Peaceful protest"),
    ("Armed men abducted four aid workers from their compound on Monday.", "Abduction/forced disappearance"),
])
def test_the_encoded_classifier_reads_plain_reports(text: str, expected: str) -> None:
    from sitrep.events.classify import predict_encoded

    assert predict_encoded([text])[0].sub_event_type == expected


def test_only_sentences_that_drafted_an_event_are_read_by_the_encoded_classifier(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from sitrep.events import classify
    from sitrep.pipeline import extract
    from sitrep.records import Article

    seen: list[str] = []
    original = classify.predict_encoded
    monkeypatch.setattr(classify, "predict_encoded", lambda texts: seen.extend(texts) or original(texts))
    text = ("The city council met on Monday to discuss the budget. "
            "Gunmen attacked a police station in the town of Baga on Monday, killing three officers. "
            "The weather was mild for the season.")
    extract(Article(id="t", text=text))
    assert seen == ["Gunmen attacked a police station in the town of Baga on Monday, killing three officers."]


# ---- misreadings found on the bundled sample, not yet read right (issue 16) ------------------

@pytest.mark.xfail(strict=True, reason="in the sample's article (not in the sentence alone) the trigger 'taken "
                   "control' drafts a non-violent transfer, which the event head rightly doubts (p 0.47); the "
                   "capture by a foreign army needs the type decided by a model, not the territory rules")
def test_a_capture_reported_by_the_side_that_made_it_stands() -> None:
    from pathlib import Path

    from sitrep.ingest import read_path
    from sitrep.pipeline import extract

    path = Path(__file__).resolve().parents[1] / "sample" / "012_ukraine-avdiivka-withdrawal.txt"
    (article,) = list(read_path(path))
    events = [e for e in extract(article) if e.acled_event and "Shoigu" in e.evidence[0].sentence]
    assert any(e.sub_event_type.endswith("territory") and e.actor1 and "Russia" in e.actor1.name for e in events)


@pytest.mark.xfail(strict=True, reason="'entered the building' drafts a non-violent transfer of territory, which the "
                   "event head drops (p 0.18): the crowd's violence is lost; the encoded classifier reads mob "
                   "violence but only overrules the trigger words when sure")
def test_a_crowd_that_sets_a_building_on_fire_is_a_riot() -> None:
    text = ("On Tuesday, thousands of protesters marched on the parliament complex in Nairobi. Some broke through "
            "police lines, entered the building and set part of it on fire.")
    assert "Riots" in {e.event_type for e in _acled_events(text)}


def _acled_events(text: str) -> list:  # type: ignore[type-arg]
    from datetime import date

    from sitrep.pipeline import extract
    from sitrep.records import Article

    return [e for e in extract(Article(id="t", text=text, published=date(2024, 6, 26))) if e.acled_event]
