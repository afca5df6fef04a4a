"""Situation facts: control from territory events, force levels from troop counts, folding of
repeated claims, and conflicting claims kept side by side."""

from __future__ import annotations

from datetime import date

from sitrep.records import (ActorMention, Annotation, Article, DateMention, PlaceMention, Quantity,
                            Sentence)
from sitrep.situation import control_facts, force_level_facts, picture

TEXT = ("In March there were about 2,000 French troops in Mali, the ministry said. "
        "The deployment now stands at 400. Two soldiers were killed.")


def annotation() -> Annotation:
    first, second, third = TEXT.index("In March"), TEXT.index("The deployment"), TEXT.index("Two soldiers")
    mali = TEXT.index("Mali")
    return Annotation(
        article=Article(id="a1", text=TEXT, published=date(2024, 6, 10)),
        sentences=[Sentence(first, second - 1, TEXT[first:second - 1]),
                   Sentence(second, third - 1, TEXT[second:third - 1]),
                   Sentence(third, len(TEXT), TEXT[third:])],
        dates=[DateMention("In March", 0, 8, "2024-03", "month", date(2024, 3, 1), date(2024, 3, 31))],
        places=[PlaceMention("Mali", mali, mali + 4, "Mali", 2453866, 17.0, -4.0, "ML", None, None, "country")],
        actors=[ActorMention("French troops", TEXT.index("French"), TEXT.index("French") + 13,
                             "Military Forces of France", "FRA", "State forces")],
        quantities=[
            Quantity("about 2,000 French troops", TEXT.index("about"), TEXT.index("French") + 13, 2000, None, None, "troops", True),
            Quantity("400", TEXT.index("400"), TEXT.index("400") + 3, 400, None, None, None, False),
            Quantity("Two soldiers", third, third + 12, 2, None, None, "soldiers", False),
        ])


def test_situation_force_levels_from_counts_and_context() -> None:
    facts = force_level_facts(annotation())
    assert [(f.body["value"], f.body["country"], str(f.body["as_of"]), f.body["precision"]) for f in facts] == [
        (2000, "ML", "2024-03-01", "month"), (400, "ML", "2024-06-10", "day")]
    assert all(f.body["actor"]["name"] == "Military Forces of France" for f in facts)
    assert facts[0].body["approximate"] is True


def test_situation_control_from_transfer_event(event_factory) -> None:  # type: ignore[no-untyped-def]
    event = event_factory("a", sub="Non-violent transfer of territory", kind="Strategic developments")
    now, before = control_facts([event])
    assert now.body["controller"]["name"].startswith("Military Forces") and now.body["since"] == event.event_date
    assert before.body["controller"]["name"] == "M23: March 23 Movement" and before.body["until"] == event.event_date


def test_situation_planned_or_background_changes_nothing(event_factory) -> None:  # type: ignore[no-untyped-def]
    planned = event_factory("a", sub="Non-violent transfer of territory", kind="Strategic developments")
    planned.factuality = "planned"
    old = event_factory("b", sub="Government regains territory")
    old.background = True
    assert control_facts([planned, old]) == []


def test_situation_picture_folds_a_coarse_claim_into_the_finer_one(event_factory) -> None:  # type: ignore[no-untyped-def]
    m23 = ("M23: March 23 Movement", None)
    month = event_factory("a", id="1", sub="Non-state actor overtakes territory", day="2025-01-01", actors=m23)
    year = event_factory("b", id="2", sub="Non-state actor overtakes territory", day="2025-01-01", actors=m23)
    other_year = event_factory("c", id="3", sub="Non-state actor overtakes territory", day="2024-01-01", actors=m23)
    month.date_precision, year.date_precision, other_year.date_precision = "month", "year", "year"
    facts = picture(control_facts([year, month, other_year]))
    assert [(str(f.body["since"]), f.body["precision"], f.article_ids) for f in facts] == [
        ("2024-01-01", "year", ["c"]), ("2025-01-01", "month", ["a", "b"])]


def test_situation_picture_folds_repeats_and_keeps_conflicts(event_factory) -> None:  # type: ignore[no-untyped-def]
    a = event_factory("a", id="1", sub="Non-state actor overtakes territory", actors=("M23: March 23 Movement", None))
    b = event_factory("b", id="2", sub="Non-state actor overtakes territory", actors=("M23: March 23 Movement", None))
    c = event_factory("c", id="3", sub="Government regains territory", actors=("Military Forces of the Democratic Republic of Congo (2019-)", None))
    facts = picture(control_facts([a, b, c]))
    assert len(facts) == 2
    m23 = next(f for f in facts if f.body["controller"]["name"].startswith("M23"))
    assert m23.article_ids == ["a", "b"]


def test_situation_as_of_hides_later_facts(event_factory) -> None:  # type: ignore[no-untyped-def]
    facts = control_facts([event_factory("a", sub="Government regains territory", day="2024-05-01")])
    [before] = picture(facts, as_of=date(2024, 4, 1))
    assert before.body["controller"]["name"] == "M23: March 23 Movement"
    [after] = picture(facts, as_of=date(2024, 5, 1))
    assert after.body["controller"]["name"].startswith("Military Forces")


def test_situation_withdrawal_ends_actor1_control(event_factory) -> None:  # type: ignore[no-untyped-def]
    sentence = "UN peacekeepers withdrew from the base near Goma, handing it to the army."
    event = event_factory("a", sub="Non-violent transfer of territory", kind="Strategic developments",
                          sentence=sentence, actors=("UN peacekeepers", "Military Forces of the Democratic Republic of Congo (2019-)"))
    gained, left = control_facts([event])
    assert gained.body["controller"]["name"].startswith("Military Forces") and gained.body["since"]
    assert left.body["controller"]["name"] == "UN peacekeepers" and left.body["until"]


def test_situation_taking_amid_withdrawal_is_a_gain(event_factory) -> None:  # type: ignore[no-untyped-def]
    sentence = "Army units took control of the base amid the withdrawal of foreign troops."
    event = event_factory("a", sub="Non-violent transfer of territory", kind="Strategic developments",
                          sentence=sentence, actors=("Army units", None))
    [fact] = control_facts([event])
    assert fact.body["since"] and not fact.body["until"]


def test_situation_weapons_shot_down_are_no_force_level() -> None:
    # the count names what it counts after "of": drones downed are no troops in the country
    from sitrep.pipeline import read_article

    text = ("Moldova's air force said its air defences had shot down 140 of the drones and 12 of "
            "the missiles launched overnight at the capital.")
    reading = read_article(Article(id="t", text=text, published=date(2025, 5, 2)))
    assert not [f for f in reading.facts if f.kind == "force_level"]
    assert {q.unit for q in reading.annotation.quantities} >= {"drones", "missiles"}
