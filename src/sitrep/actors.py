"""Actor mentions -> canonical actors in ACLED's style (name, ISO alpha-3 country, type).

Three readers over one parsed Doc, all driven by data in ``data/actors/``:

- named actors: aliases from ``named.csv`` ("SDF", "Boko Haram", "FARDC"), built by
  ``scripts/build_actor_lexicon.py`` from curated data and human-coded ACLED/UCDP/PLOVER names;
- state forces: a head noun ("soldiers", "army", "ministry") with a demonym or country name
  before it ("Nigerian soldiers", "Syria's army"), else the story's country;
- per-country groups: "protesters", "villagers", "gunmen" -> ``Protesters (Nigeria)`` and so on.

State names are time-aware: the state's period covering the article's date is named the way
ACLED named it then, "Military Forces of Nigeria (2015-)" in 2016, "(2015-2023)" once it ended.
"""

from __future__ import annotations

import csv
import dataclasses
import functools
from collections import Counter
from dataclasses import dataclass
from datetime import date
from importlib.resources import files
from typing import Any, cast

import yaml
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from .errors import ModelError
from .nlp import get_nlp, parse
from .records import Actor, ActorMention, ActorType, PlaceMention

__all__ = ["Lexicon", "load_lexicon", "read_actors", "named_countries", "resolve_actor", "story_country", "alpha3"]

DATA = files("sitrep") / "data" / "actors"
TEMPLATE = "{country}"


@dataclass(frozen=True)
class Entry:
    """One named actor, or a state institution whose name is rendered with its period."""

    name: str
    type: str
    country: str
    institution: str = ""
    suffix: str = ""
    freq: int = 0


@dataclass
class Lexicon:
    countries: dict[str, dict[str, Any]]  # iso3 -> {iso2, name, names, demonyms}
    periods: dict[str, list[tuple[date, date | None]]]
    entries: dict[str, list[Entry]]  # lower-case alias -> entries
    generic: dict[str, Any]
    spellings: dict[str, set[str]]  # lower-case alias -> its spellings in named.csv

    @functools.cached_property
    def iso2_to_3(self) -> dict[str, str]:
        return {c["iso2"]: iso3 for iso3, c in self.countries.items() if c["iso2"]}

    def country_name(self, iso3: str) -> str:
        return str(self.countries.get(iso3, {}).get("name", iso3))

    def institution(self, iso3: str, kind: str, on: date, suffix: str = "") -> str:
        name = self.generic["institutions"][kind].format(country=self.country_name(iso3))
        return " ".join(filter(None, [name + self.period(iso3, on), suffix]))

    def period(self, iso3: str, on: date) -> str:
        """`` (2015-)`` as ACLED wrote it on ``on``; empty where the state has no period."""
        spans = self.periods.get(iso3, [])
        current = [(s, e) for s, e in spans if s <= on and (e is None or on < e)]
        start, end = (current or spans[-1:] or [(None, None)])[0]
        if start is None:
            return ""
        closed = f"{end.year}" if end is not None and end <= on else ""
        return f" ({start.year}-{closed})"


def _read_csv(name: str) -> list[dict[str, str]]:
    try:
        with (DATA / name).open(encoding="utf-8") as handle:
            return list(csv.DictReader(handle))
    except OSError as exc:
        raise ModelError(
            f"actor lexicon {name} missing; run scripts/build_actor_lexicon.py"
        ) from exc


@functools.lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    countries = {
        r["iso3"]: {
            **r,
            "names": r["names"].split("|"),
            "demonyms": [d for d in r["demonyms"].split("|") if d],
        }
        for r in _read_csv("countries.csv")
    }
    periods: dict[str, list[tuple[date, date | None]]] = {}
    for r in _read_csv("periods.csv"):
        end = date.fromisoformat(r["end"]) if r["end"] else None
        periods.setdefault(r["country"], []).append((date.fromisoformat(r["start"]), end))
    entries: dict[str, list[Entry]] = {}
    spellings: dict[str, set[str]] = {}
    for r in _read_csv("named.csv"):
        entry = Entry(
            r["name"], r["type"], r["country"], r["institution"], r["suffix"], int(r["freq"] or 0)
        )
        for alias in r["aliases"].split("|"):
            entries.setdefault(alias.lower(), []).append(entry)
            spellings.setdefault(alias.lower(), set()).add(alias)
    generic = yaml.safe_load((DATA / "generic.yaml").read_text(encoding="utf-8"))
    periods = {k: sorted(v, key=lambda p: p[0]) for k, v in periods.items()}
    return Lexicon(countries, periods, entries, generic, spellings)


def alpha3(code: str | None) -> str | None:
    """ISO alpha-3 for an alpha-2 or alpha-3 code (None when unknown)."""
    if not code:
        return None
    lex = load_lexicon()
    code = code.upper()
    return code if code in lex.countries else lex.iso2_to_3.get(code)


def alpha2(code: str | None) -> str | None:
    """ISO alpha-2 for an alpha-3 code the lexicon knows (None when unknown)."""
    found = load_lexicon().countries.get((code or "").upper(), {}).get("iso2")
    return str(found) if found else None


def story_country(places: list[PlaceMention]) -> str | None:
    """The story's country (alpha-3): the one its towns and areas lie in most often, or, where
    it names none, the country it names most. A country named is often a side ("Russia struck
    Kyiv"), a town is where the story happens."""
    located = [p for p in places if p.country and p.feature not in {"country", "region"}]
    counts = Counter(p.country.upper() for p in located or places if p.country)
    return alpha3(counts.most_common(1)[0][0]) if counts else None


# ---- matchers, built once from the lexicon ----------------------------------------------------


@functools.lru_cache(maxsize=1)
def _matchers() -> tuple[_Both, PhraseMatcher, PhraseMatcher]:
    """(named aliases, country names and demonyms, per-country group heads)."""
    nlp, lex = get_nlp(), load_lexicon()
    named = _Both(PhraseMatcher(nlp.vocab, attr="LOWER"), PhraseMatcher(nlp.vocab))
    for alias, spellings in lex.spellings.items():
        # Acronyms match only as written: "IS" is not "is", "SNA" not "Sna".
        exact = all(s.isupper() for s in spellings)
        matcher = named.exact if exact else named.lower
        matcher.add(alias, [nlp.make_doc(s) for s in (spellings if exact else {alias})])
    countries = PhraseMatcher(nlp.vocab)
    for iso3, c in lex.countries.items():
        countries.add(iso3, [nlp.make_doc(n) for n in {*c["names"], *c["demonyms"]} if n])
    groups = PhraseMatcher(nlp.vocab, attr="LOWER")
    for i, group in enumerate(_group_table(lex)):
        groups.add(str(i), [nlp.make_doc(h) for h in group["heads"]])
    return named, countries, groups


def _group_table(lex: Lexicon) -> list[dict[str, Any]]:
    """The per-country groups, then people named by what they are (civilians by default)."""
    civilians = next(g for g in lex.generic["groups"] if g["type"] == "Civilians")
    people = {**civilians, "heads": lex.generic["person_heads"]}
    return [*lex.generic["groups"], people]


class _Both:
    """Two PhraseMatchers (case-folded names, case-exact acronyms) used as one."""

    def __init__(self, lower: PhraseMatcher, exact: PhraseMatcher) -> None:
        self.lower, self.exact = lower, exact

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        return [*self.lower(doc), *self.exact(doc)]


# ---- reading ------------------------------------------------------------------------------


@dataclass
class _Context:
    lex: Lexicon
    story: str | None
    on: date
    countries: dict[int, str]  # token index -> alpha-3 of a country name or demonym there


def read_actors(
    doc: Doc, *, places: list[PlaceMention], published: date, country: str | None = None
) -> list[ActorMention]:
    """Every actor mention in ``doc``; ``country`` (alpha-2 or -3) overrides the story's country."""
    named_m, country_m, group_m = _matchers()
    lex = load_lexicon()
    ctx = _Context(lex, alpha3(country) or story_country(places), published, {})
    for key, start, end in country_m(doc):
        for i in range(start, end):
            ctx.countries.setdefault(i, doc.vocab.strings[key])
    found = _named(doc, named_m, ctx)
    taken = {i for m in found for i in range(m[0].start, m[0].end)}
    found += [
        m for m in _groups(doc, group_m, ctx) if not taken & set(range(m[0].start, m[0].end + 1))
    ]  # "the armed group HTS"
    taken = {i for m in found for i in range(m[0].start, m[0].end)}
    found += [m for m in _state_forces(doc, ctx) if not taken & set(range(m[0].start, m[0].end))]
    found.sort(key=lambda m: m[0].start)
    return [
        ActorMention(s.text, s.start_char, s.end_char, name, iso3, cast(ActorType, kind))
        for s, name, iso3, kind in found
    ]


_Found = tuple[Span, str, "str | None", str]


def named_countries(doc: Doc) -> Counter[str]:
    """Countries (alpha-2) that named groups in ``doc`` belong to whatever the story: "SPLA",
    "Boko Haram", "al Shabaab". Aliases shared by several countries' actors, and state
    institutions named from the story's own country, say nothing and are left out."""
    named_m, _, _ = _matchers()
    lex = load_lexicon()
    found: Counter[str] = Counter()
    for key, start, end in named_m(doc):
        # two letters name too much besides a group: "BC" is British Columbia before Beja Congress
        if _shouting(doc[start:end]) or len(doc[start:end].text) <= 2:
            continue
        homes = {e.country for e in lex.entries[doc.vocab.strings[key]]}
        home = homes.pop() if len(homes) == 1 else ""
        iso2 = lex.countries.get(home, {}).get("iso2") if home and home != "*" else None
        if iso2:
            found[iso2] += 1
    return found


def _named(doc: Doc, matcher: _Both, ctx: _Context) -> list[_Found]:
    spans = [Span(doc, s, e, label=k) for k, s, e in matcher(doc) if not _shouting(doc[s:e])]
    out: list[_Found] = []
    for span in _longest(spans):
        entry = _choose(ctx.lex.entries[doc.vocab.strings[span.label]], ctx.story)
        if entry.country not in {"", "*"} and _named_for_another_country(span, entry.country, ctx):
            # "Myanmar National Democratic Alliance Army" is not South Africa's "Democratic
            # Alliance": the longer name says whose it is, and it is another country's
            continue
        mention = _extend(span, ctx)
        heads = ctx.lex.generic["state_heads"]
        if entry.institution and mention.end > span.end and not entry.suffix:
            # "SNG police": the national name, but the police
            kind = heads.get(mention[-1].lower_, entry.institution)
            entry = dataclasses.replace(entry, institution=kind)
        name, iso3 = _render(entry, ctx)
        out.append((mention, name, iso3, entry.type))
    return out


def _named_for_another_country(span: Span, iso3: str, ctx: _Context) -> bool:
    """Whether the match is the tail of a longer name the tagger found whose words before it
    name a country other than ``iso3``."""
    doc, start = span.doc, span.start
    while start > 0 and doc[start].ent_iob_ == "I" and doc[start - 1].ent_type_ == doc[start].ent_type_:
        start -= 1
        if ctx.countries.get(start, iso3) != iso3:
            return True
    return False


def _shouting(span: Span) -> bool:
    """An acronym inside an all-capitals headline is just a word ("IS" in "WHAT IS ...")."""
    words = [t for t in span.sent if t.is_alpha]
    return (
        span.text.isupper() and len(words) > 2 and sum(t.is_upper for t in words) > len(words) / 2
    )


def _longest(spans: list[Span]) -> list[Span]:
    return filter_spans(spans)


def _choose(entries: list[Entry], story: str | None) -> Entry:
    """The story's own actor first, then a per-country template, then the commonest."""
    return max(entries, key=lambda e: (e.country == story, e.country == "*", e.freq))


def _render(entry: Entry, ctx: _Context) -> tuple[str, str | None]:
    if entry.institution:
        return ctx.lex.institution(
            entry.country, entry.institution, ctx.on, entry.suffix
        ), entry.country
    if entry.country == "*":
        if ctx.story is None:
            return entry.name.replace(f" ({TEMPLATE})", ""), None
        return entry.name.format(country=ctx.lex.country_name(ctx.story)), ctx.story
    return entry.name, entry.country or None


def _extend(span: Span, ctx: _Context) -> Span:
    """Take in the member noun after a name: "Boko Haram fighters", "Syrian Arab Army units"."""
    heads = set(ctx.lex.generic["member_heads"]) | set(ctx.lex.generic["state_heads"])
    end = span.end
    while end < len(span.doc) and span.doc[end].lower_ in heads:
        end += 1
    return span.doc[span.start : end]


def _groups(doc: Doc, matcher: PhraseMatcher, ctx: _Context) -> list[_Found]:
    spans = _longest([Span(doc, s, e, label=k) for k, s, e in matcher(doc)])
    out: list[_Found] = []
    table = _group_table(ctx.lex)
    for span in spans:
        group = table[int(doc.vocab.strings[span.label])]
        iso3 = _modifier_country(span.root, ctx) or ctx.story
        if iso3 is None:
            continue
        if group["type"] == "Civilians":
            group = _role(span.root, ctx) or group
        name = group["template"].format(country=ctx.lex.country_name(iso3))
        out.append((_with_modifiers(span), name, iso3, group["type"]))
    return out


def _role(tok: Token, ctx: _Context) -> dict[str, Any] | None:
    """The protesters' or rioters' group where the sentence has these people protest or riot."""
    g = ctx.lex.generic
    while tok.dep_ == "conj" or (tok.dep_ == "pobj" and tok.head.lower_ == "of"):
        tok = tok.head if tok.dep_ == "conj" else tok.head.head  # "thousands of women marched"
    verbs = [c for c in tok.children if c.dep_ in ("amod", "acl", "relcl") and c.pos_ == "VERB"]
    if tok.dep_ == "nsubj":
        verbs += [tok.head, *tok.head.conjuncts]
        verbs += [c for c in tok.head.children if c.dep_ == "xcomp"]  # "are said to have pelted"
    elif tok.dep_ in ("compound", "nsubj") or _protest_noun(tok.head, g):
        verbs.append(tok.head)  # headline style: "Shiite women protest in Zaria"
    for verb in verbs:
        lemma = verb.lemma_.lower() if verb.pos_ == "VERB" else verb.lower_
        near = [t for t in verb.subtree if t.head == verb or t.head.head == verb]
        staged = any(_protest_noun(t, g) for t in near)  # "staged a sit-in", "went on strike"
        kind = "Protesters" if lemma in g["protest_verbs"] or staged else None
        kind = kind or ("Rioters" if lemma in g["riot_verbs"] else None)
        if kind:
            return next(grp for grp in g["groups"] if grp["type"] == kind)
    return None


def _protest_noun(token: Token, generic: dict[str, Any]) -> bool:
    """A word naming a protest; not one inside a date ("on March 7" is no march)."""
    return token.lower_ in generic["protest_nouns"] and token.ent_type_ not in {"DATE", "TIME"}


def _state_forces(doc: Doc, ctx: _Context) -> list[_Found]:
    heads: dict[str, str] = ctx.lex.generic["state_heads"]
    out: list[_Found] = []
    for token in doc:
        kind = heads.get(token.lower_)
        if kind is None or _modifies_head(token, heads):
            continue
        found = _state_force(token, kind, ctx)
        if found is not None:
            out.append(found)
    out += _country_subjects(doc, ctx)
    return out


def _modifies_head(token: Token, heads: dict[str, str]) -> bool:
    """ "government" in "government forces" or "military" in "military base" names no actor."""
    return token.dep_ in ("compound", "amod", "nmod") and token.head.i > token.i


def _state_force(head: Token, kind: str, ctx: _Context) -> _Found | None:
    g = ctx.lex.generic
    iso3, state_word, security = None, False, False
    for tok in head.doc[head.left_edge.i : head.i]:
        if tok.i in ctx.countries:
            iso3 = iso3 or ctx.countries[tok.i]
        elif tok.lower_ in g["state_modifiers"]:
            state_word = True
            kind = g["modifier_institution"].get(tok.lower_, kind)
            security = security or tok.lower_ == "security"
        elif not (tok.is_punct or tok.like_num or tok.lower_ in g["neutral_modifiers"]):
            return None  # "Kurdish forces", "rebel troops": not the state's
    if head.lower_ in g["needs_modifier"] and not (iso3 or state_word):
        return None
    iso3 = iso3 or ctx.story
    if iso3 is None:
        return None
    if security and kind == "military":  # "security forces": police in some countries' coding
        kind = ctx.lex.countries.get(iso3, {}).get("security") or kind
    name = ctx.lex.institution(iso3, kind, ctx.on)
    return _with_modifiers(head.doc[head.i : head.i + 1]), name, iso3, "State forces"


def _country_subjects(doc: Doc, ctx: _Context) -> list[_Found]:
    """A country doing something ("the US carried out strikes") stands for its forces."""
    kind = ctx.lex.generic["country_subject"]
    out: list[_Found] = []
    for i, iso3 in ctx.countries.items():
        tok = doc[i]
        if tok.dep_ in ("nsubj", "nsubjpass") and tok.head.pos_ in ("VERB", "AUX"):
            span = doc[i : i + 1]
            out.append((span, ctx.lex.institution(iso3, kind, ctx.on), iso3, "State forces"))
    return out


def _modifier_country(head: Token, ctx: _Context) -> str | None:
    for tok in head.doc[head.left_edge.i : head.i]:
        if tok.i in ctx.countries:
            return ctx.countries[tok.i]
    return None


_LEAD_POS = ("DET", "ADP", "PUNCT", "CCONJ", "NUM", "ADV", "PART", "SCONJ")


def _with_modifiers(span: Span) -> Span:
    """The mention with the words that qualify it ("Syrian government forces"), no determiner."""
    start = span.root.left_edge.i
    while start < span.start and (span.doc[start].pos_ in _LEAD_POS or span.doc[start].like_num):
        start += 1
    return span.doc[min(start, span.start) : span.end]


def resolve_actor(text: str, *, country: str | None = None, on: date | None = None) -> Actor | None:
    """The canonical actor a phrase names ("Syrian defence ministry" -> Government of Syria ...)."""
    doc = parse(text)
    mentions = read_actors(doc, places=[], published=on or date.today(), country=country)
    if not mentions:
        return None
    best = max(mentions, key=lambda m: m.end - m.start)
    return Actor(name=best.name, mention=text, country=best.country, type=best.type)
