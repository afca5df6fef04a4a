"""The reading stage's wiring: readers' outputs that inform each other."""

from __future__ import annotations

from datetime import date

from sitrep.actors import named_countries
from sitrep.nlp import parse
from sitrep.read import annotate
from sitrep.records import Article


def _places(text: str) -> list[tuple[str, str | None]]:
    annotation = annotate(Article(id="t", text=text, published=date(2016, 3, 1)))
    return [(p.text, p.country) for p in annotation.places]


def test_named_groups_say_which_country_they_belong_to():
    assert named_countries(parse("Boko Haram fighters attacked a village.")) == {"NG": 1}
    assert not named_countries(parse("Soldiers attacked a village."))


def test_a_lone_place_abroad_moves_to_the_named_groups_country():
    # Leer is a German town and a South Sudanese one; the SPLA fights in South Sudan
    assert ("Leer", "SS") in _places("SPLA soldiers were ambushed near Leer.")


def test_a_place_the_story_supports_stays_where_it_is():
    text = "Boko Haram fighters were seen in Berlin, Germany, and in Leer, the police in Germany said."
    assert ("Leer", "DE") in _places(text)


def test_without_named_groups_places_are_left_alone():
    assert ("Leer", "DE") in _places("Protesters gathered in Leer.")


def test_a_list_of_headlines_is_a_list_of_sentences_but_a_wrapped_line_runs_on():
    headlines = parse("Warplanes kill 15 civilians near Manbij\nThe toll of the market massacre rises\n"
                      "Reported deaths from air strikes January - August 2018")
    assert len(list(headlines.sents)) == 3
    wrapped = parse("Forces of the\nSyrian army advanced, officials said,\nwhile rebels withdrew.")
    assert len(list(wrapped.sents)) == 1
