"""Place-name normalisation: one key for the spellings a name takes in English news.

``normalise("Al-Hasakah Governorate") == normalise("Hasaka") == normalise("al-Hasakeh")``.
Both the index and the query go through the same function, so any folding here widens
matching symmetrically; it must stay cheap because the matcher calls it on every n-gram.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["normalise", "sound", "spelling", "spelled_as", "strip_accents", "ARTICLES", "ADMIN_SUFFIXES"]

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


# Letter groups that transliterations of one name swap (Tarhouna/Tarhuna, Ben/Bin Jawad,
# Manzouria/Mansouriah, Beled/Belet): each is written as one, in this order.
_SOUND_GROUPS = (("ou", "u"), ("oo", "u"), ("ee", "i"), ("ie", "i"), ("ei", "i"), ("kh", "k"),
                 ("gh", "g"), ("dh", "d"), ("th", "t"), ("ph", "f"), ("ch", "sh"), ("q", "k"),
                 ("ck", "k"), ("ay", "i"), ("ai", "i"), ("e", "i"), ("o", "u"), ("y", "i"), ("z", "s"))
_FINAL_D = re.compile(r"d\b")
# a shorter sound matches too many names: only longer names are looked up by sound
SOUND_MIN_LETTERS = 6


@lru_cache(maxsize=200_000)
def sound(key: str) -> str:
    """A looser key of a normalised name, equal for spellings that differ only in the vowels and
    consonant pairs transliteration varies ("tarhouna" and "tarhuna" both give "tarhuna"); '' for
    a name too short to be matched this loosely. The index stores it beside each key; a name with
    no key of its own may be looked up by it."""
    if sum(c.isalpha() for c in key) < SOUND_MIN_LETTERS:
        return ""
    # "an-Nu'man", "al-Numan": the article takes the sound of the next letter; word breaks and
    # hyphens come and go ("Deir ez-Zor", "Deir Ezzor")
    out = " ".join("al" if w in ARTICLES else w for w in key.split())
    for group, one in _SOUND_GROUPS:
        out = out.replace(group, one)
    return _DOUBLE.sub(r"\1", _FINAL_D.sub("t", out).replace(" ", ""))
