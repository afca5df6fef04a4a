"""Place-name normalisation: one key for the spellings a name takes in English news.

``normalise("Al-Hasakah Governorate") == normalise("Hasaka") == normalise("al-Hasakeh")``.
Both the index and the query go through the same function, so any folding here widens
matching symmetrically; it must stay cheap because the matcher calls it on every n-gram.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["normalise", "spelling", "spelled_as", "strip_accents", "ARTICLES", "ADMIN_SUFFIXES"]

# Arabic definite-article transliterations; dropped only before another word.
ARTICLES = frozenset({"al", "el", "ash", "as", "ad", "ar", "at", "an", "az", "adh", "ath", "ul"})
# Words naming an administrative level that news adds to or drops from a name freely.
ADMIN_SUFFIXES = frozenset(
    {"governorate", "province", "prefecture", "muhafazat", "wilayah", "vilayet", "oblast", "gov"}
)
_APOSTROPHES = re.compile(r"[’'`ʿʾ‘]")
_PUNCT = re.compile(r"[^a-z0-9]+")
_DOUBLE = re.compile(r"([a-z])\1+")
# word-final -ah/-eh/-a are one sound in transliteration (Hasakah, Hasakeh, Hasaka)
_FINAL_VOWEL = re.compile(r"(?<=[a-z]{2})(?:ah|eh|a|e)\b")


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=200_000)
def spelling(name: str) -> str:
    """A name as written, minus what carries no letters of the name itself: case, accents,
    punctuation, a leading "the", a trailing level word, a leading Arabic article."""
    text = _APOSTROPHES.sub("", strip_accents(name).lower())
    words = _PUNCT.sub(" ", text).split()
    if words and words[0] == "the":
        words = words[1:]
    if len(words) > 1 and words[-1] in ADMIN_SUFFIXES:
        words = words[:-1]
    if len(words) > 1 and words[0] in ARTICLES:
        words = words[1:]
    # "Bagram Air Base", "Bagram airbase": one word or two, the same base
    return " ".join(words).replace("air base", "airbase")


@lru_cache(maxsize=200_000)
def normalise(name: str) -> str:
    """The lookup key of a place name ('' when nothing Latin is left): its ``spelling`` with the
    letters transliteration varies (doubled consonants, a final -ah/-eh/-a/-e) folded."""
    return " ".join(_FINAL_VOWEL.sub("a", _DOUBLE.sub(r"\1", w)) for w in spelling(name).split())


def spelled_as(text: str, name: str) -> bool:
    """Whether ``text`` spells ``name`` letter for letter: ``spelling`` equal, the folding
    ``normalise`` adds not applied ("Grenade" is not "Grenada", "Weenen" not "Wenen")."""
    return spelling(text) == spelling(name)
