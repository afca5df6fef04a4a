"""The event head's training script: how it chooses C, the news rows' weight and the floor."""

from __future__ import annotations

import random

import numpy as np
import pytest

@pytest.fixture(scope="module")
def train_event_head():  # type: ignore[no-untyped-def]
    from conftest import load_script

    return load_script("train_event_head")


def test_the_floor_is_the_one_with_the_best_f1(train_event_head) -> None:  # type: ignore[no-untyped-def]
    p = np.array([0.9, 0.8, 0.7, 0.4, 0.3, 0.2])
    truth = np.array([True, True, True, False, False, True])
    best = train_event_head.news_floor(p, truth)
    # at 0.45..0.7 three of four events are kept and nothing else: F1 6/7
    assert 0.4 < best["floor"] <= 0.7 and best["precision"] == 1.0 and best["recall"] == 0.75


def test_fit_chooses_c_and_the_news_weight_on_the_news_rows(train_event_head) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(0)
    samples = []
    for i in range(120):
        source = "lgl" if i % 2 else "acled"
        event = rng.random() < 0.5
        # notes say "event" by one feature, news by another: only the news rows teach the second
        features = {"bias": 1.0, "note_cue" if source == "acled" else "news_cue": float(event) + rng.random() * 0.3}
        samples.append((features, "event" if event else "none", f"{source}:{i // 4}", 1.0))
    head = train_event_head.fit(samples)
    assert head.meta["news_weight"] in train_event_head.NEWS_WEIGHTS
    assert head.meta["C"] in train_event_head.C_GRID
    assert head.meta["news_floor"]["f1"] == max(v["news_f1"] for v in head.meta["cv"].values())
    assert head.proba([{"bias": 1.0, "news_cue": 1.2}])[0, head.classes.index("event")] > 0.5
