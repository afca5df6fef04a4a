"""The regex screen (``sitrep.models.screen``): it may only ever skip a pattern that has no match."""

from __future__ import annotations

import re
import sys

import pytest

from sitrep.events.taxonomy import CUE_TABLES, _cue_screens, cue_hits, cue_patterns
from sitrep.models.screen import FOLDS_TO_ASCII, Screen

TEXTS = [
    "Warplanes bombed the market; an AIRSTRIKE followed.",
    "Hand grenades were thrown at the police station.",
    "The two ministers agreed to resume talks and met in Doha.",
    "Protesters blocked roads and clashed with police, who fired tear gas.",
    "Gunmen killed three villagers; Boko Haram seized the town.",
    "The weather was mild on Sunday.",
    "IEDs and a roadside bomb struck the convoy. Rebels overran the base.",
    "SHELLING hit Kıdal; the Kelvin sign \u212a and the long \u017f are odd letters.",
    "",
]


def _findall_counts(text: str, table: str) -> dict[str, int]:
    counts = {label: len(p.findall(text)) for label, p in cue_patterns(table).items()}
    return {label: n for label, n in counts.items() if n}


def test_only_these_characters_fold_to_ascii_letters():
    letters = re.compile("[a-z]", re.I)
    folding = {chr(cp) for cp in range(128, sys.maxunicode + 1) if letters.match(chr(cp))}
    assert folding == set(FOLDS_TO_ASCII)


@pytest.mark.parametrize("table", list(CUE_TABLES))
def test_screened_cue_counts_are_the_regexes_own(table: str):
    for text in TEXTS:
        for variant in (text, text.upper(), text.lower()):
            assert cue_hits(variant, table=table) == _findall_counts(variant, table), variant
    screens = _cue_screens(table)
    assert sum(s.prefixes is not None for s in screens.values()) > len(screens) // 2


def test_prefixes_are_read_from_the_pattern():
    screen = Screen.of(re.compile(r"\b(?:(hand )?grenades?|self[- ]detonat\w*)", re.I))
    assert screen.prefixes == frozenset({"hand ", "grenad", "self"})
    assert not screen.may_match("A bomb went off.")
    assert screen.may_match("GRENADE")
    assert screen.may_match("a \u017felf-detonation")  # the long s folds to s: never screened out


def test_patterns_with_no_literal_start_are_never_screened_out():
    assert Screen.of(re.compile(r"\b(?:\w+ed|[a-z]{3})", re.I)).prefixes is None
    assert Screen.of(re.compile(r"air", 0)).prefixes is None  # only case-insensitive patterns
    assert Screen.of(re.compile(r"\b(?:a|b)", re.I)).prefixes is None  # too short to tell
