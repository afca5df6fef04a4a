"""Two of spaCy's components given a memory, for the same Docs at less CPU.

Both are pure functions of a few attributes of each token, yet spaCy works each token out anew:

- the rule lemmatizer's lemma depends on the token's text, part of speech and morphology (its
  own cache key), but a base form, most tokens, is recomputed each time, its morphology read
  into a dict (and a new word is looked up in its index of known forms, lists, here sets);
- the attribute ruler's matches depend on each token's tag, dependency, whether it is a space,
  and its lowercase form as far as a pattern can tell one from another (a form no pattern names
  is any such form); spaCy runs its Matcher over every Doc. Here each token's single-token
  matches, and which two-token patterns it can start or end, are worked out once per such
  signature, and the ruler's own ``set_annotations`` applies them.

``remember(nlp)`` swaps the components' classes for subclasses with the memory (the component
objects, their tables and patterns stay as they are); tests/test_pipeline.py compares Docs and
matches with spaCy's own.
"""

from __future__ import annotations

import re
from typing import Any

from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.tokens import Doc

__all__ = ["remember", "ruler_matches"]

Key = tuple[int, int, int, int]


def remember(nlp: Language) -> None:
    """Give ``nlp``'s rule lemmatizer and attribute ruler a memory, where it has them."""
    if "lemmatizer" in nlp.pipe_names:
        lemmatizer: Any = nlp.get_pipe("lemmatizer")
        if getattr(lemmatizer, "mode", None) == "rule":
            _mix(lemmatizer, _RememberingLemmatizer)
            lemmatizer.lemma_memory = {}
            _index_as_sets(lemmatizer)
    if "attribute_ruler" in nlp.pipe_names:
        ruler: Any = nlp.get_pipe("attribute_ruler")
        plan = _RulerPlan.of(ruler)
        if plan is not None:
            _mix(ruler, _RememberingRuler)
            ruler.ruler_plan = plan


def _index_as_sets(lemmatizer: Any) -> None:
    """The rule lemmatizer asks only whether a form is in its index of known words, a list per
    part of speech (57,000 nouns) read from end to end for each new word: a set answers alike."""
    if not lemmatizer.lookups.has_table("lemma_index"):
        return
    index = lemmatizer.lookups.get_table("lemma_index")
    for pos, forms in list(index.items()):
        if isinstance(forms, list):
            index[pos] = frozenset(forms)


def _mix(component: Any, mixin: type) -> None:
    base = type(component)
    if not issubclass(base, mixin):
        component.__class__ = type(f"Remembering{base.__name__}", (mixin, base), {})


class _RememberingLemmatizer:
    """Mixed into a spaCy ``Lemmatizer`` class by ``remember``."""

    lemma_memory: dict[tuple[int, int, int], int]

    def __call__(self, doc: Doc) -> Doc:
        if not self._validated or self.overwrite:  # type: ignore[attr-defined]
            return super().__call__(doc)  # type: ignore[misc]
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = rows[:, 3].copy()
        memory, strings = self.lemma_memory, doc.vocab.strings
        try:
            for i, (orth, pos, morph, lemma) in enumerate(rows.tolist()):
                if lemma != 0:  # set before (the attribute ruler's "gonna" -> "go"): kept
                    continue
                found = memory.get((orth, pos, morph))
                if found is None:
                    found = strings.add(self.lemmatize(doc[i])[0])  # type: ignore[attr-defined]
                    memory[(orth, pos, morph)] = found
                lemmas[i] = found
        except Exception as exc:  # noqa: BLE001 - handled as spaCy's own lemmatizer does
            self.get_error_handler()(self.name, self, [doc], exc)  # type: ignore[attr-defined]
            return doc
        doc.from_array([LEMMA], lemmas)  # type: ignore[arg-type]
        return doc


class _RememberingRuler:
    """Mixed into a spaCy ``AttributeRuler`` class by ``remember``."""

    ruler_plan: _RulerPlan

    def match(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        return ruler_matches(self.ruler_plan, doc)


_ATTRS = {"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3}


class _RulerPlan:
    """The ruler's patterns as predicates over a token's (tag, lowercase, dep, is_space)."""

    def __init__(self, entries: list[tuple[int, int, list[list[dict[str, Any]]]]]) -> None:
        # (attr_id, match_id, patterns): one entry per add_patterns item, in the ruler's order
        self.singles = [(a, m, p[0]) for a, m, ps in entries for p in ps if len(p) == 1]
        self.pairs = [(a, m, p) for a, m, ps in entries for p in ps if len(p) == 2]
        self.named = {v for _, _, ps in entries for p in ps for spec in p
                      for k, v in _values(spec, "LOWER")}
        self.regexes = [re.compile(v) for _, _, ps in entries for p in ps for spec in p
                        if isinstance(spec.get("LOWER"), dict) and "REGEX" in spec["LOWER"]
                        for v in [spec["LOWER"]["REGEX"]]]
        self.memory: dict[Key, tuple[tuple[tuple[int, int], ...], frozenset[int], frozenset[int]]] = {}
        self.lower_keys: dict[int, int] = {}

    @classmethod
    def of(cls, ruler: Any) -> _RulerPlan | None:
        """The plan of a ruler whose patterns this reads (one or two tokens; TAG, LOWER, DEP,
        IS_SPACE as values, IN, NOT_IN or, for LOWER, REGEX), else None: spaCy matches."""
        entries = []
        for attr_id, patterns in enumerate(_entries(ruler)):
            if patterns is None:
                return None
            entries.append((attr_id, ruler.vocab.strings.add(str(attr_id)), patterns))
        return cls(entries)

    def key(self, tag: int, lower: int, dep: int, space: int, strings: Any) -> Key:
        # a lowercase form no pattern can tell from another one is the same form to the ruler
        found = self.lower_keys.get(lower)
        if found is None:
            text = strings[lower]
            telling = text in self.named or any(r.search(text) for r in self.regexes)
            found = self.lower_keys[lower] = lower if telling else 0
        return tag, found, dep, space


def _values(spec: dict[str, Any], attr: str) -> list[tuple[str, str]]:
    value = spec.get(attr)
    if isinstance(value, str):
        return [("=", value)]
    if isinstance(value, dict):
        return [(op, v) for op, vs in value.items() if op in ("IN", "NOT_IN") for v in vs]
    return []


def _entries(ruler: Any) -> list[list[list[dict[str, Any]]] | None]:
    out: list[list[list[dict[str, Any]]] | None] = []
    for item in ruler.patterns:
        ok = all(1 <= len(p) <= 2 and all(_readable(spec) for spec in p) for p in item["patterns"])
        out.append(item["patterns"] if ok else None)
    return out


def _readable(spec: dict[str, Any]) -> bool:
    for attr, value in spec.items():
        if attr not in _ATTRS:
            return False
        if attr == "IS_SPACE":
            if not isinstance(value, bool):
                return False
        elif isinstance(value, dict):
            allowed = {"IN", "NOT_IN"} | ({"REGEX"} if attr == "LOWER" else set())
            if len(value) != 1 or not set(value) <= allowed:
                return False
        elif not isinstance(value, str):
            return False
    return True


def _holds(spec: dict[str, Any], token: tuple[str, str, str, bool]) -> bool:
    for attr, want in spec.items():
        have = token[_ATTRS[attr]]
        if isinstance(want, dict):
            (op, arg), = want.items()
            if op == "IN" and have not in arg or op == "NOT_IN" and have in arg:
                return False
            if op == "REGEX" and not re.search(arg, str(have)):
                return False
        elif have != want:
            return False
    return True


def ruler_matches(plan: _RulerPlan, doc: Doc) -> list[tuple[int, int, int, int]]:
    """What ``AttributeRuler.match`` returns for ``doc``: (attr_id, match_id, start, end),
    sorted, read from each token's remembered readings."""
    strings = doc.vocab.strings
    rows = doc.to_array([TAG, LOWER, DEP, IS_SPACE]).tolist()
    readings = []
    for tag, lower, dep, space in rows:
        key = plan.key(tag, lower, dep, space, strings)
        reading = plan.memory.get(key)
        if reading is None:
            token = (strings[tag], strings[lower], strings[dep], bool(space))
            reading = plan.memory[key] = (
                tuple((a, m) for a, m, spec in plan.singles if _holds(spec, token)),
                frozenset(i for i, (_, _, p) in enumerate(plan.pairs) if _holds(p[0], token)),
                frozenset(i for i, (_, _, p) in enumerate(plan.pairs) if _holds(p[1], token)))
        readings.append(reading)
    found = {(a, m, i, i + 1) for i, (singles, _, _) in enumerate(readings) for a, m in singles}
    for i in range(len(readings) - 1):
        if readings[i][1] and readings[i + 1][2]:
            for j in readings[i][1] & readings[i + 1][2]:
                a, m, _ = plan.pairs[j]
                found.add((a, m, i, i + 2))
    return sorted(found)
