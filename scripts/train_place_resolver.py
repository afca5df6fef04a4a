"""Fit the place resolver (``src/sitrep/data/models/place_resolver.json``).

    .venv/bin/python scripts/train_place_resolver.py [--data ../shared/eval] [--cache DIR]
        [--ucdp-rows N] [--acled-rows N] [--passes 2] [--l2 0.01]

Training rows are the non-held-out rows (``sitrep.events.classify.is_heldout``) of:
- LGL and GeoWebNews: a toponym over a gold span is labelled by the gold point (its readings
  within 161 km are right); in GeoWebNews, which marks every place, a toponym over no gold span
  is labelled "no place";
- ACLED notes (Africa 2016) and UCDP GED Syria headlines: a toponym with a reading within 25 km of
  the event's point is labelled by it (other toponyms there may name other places: unlabelled).
A toponym none of whose readings is right is left out (the index lacks the place; choosing
"no place" there would not be right either).

The model is a conditional logit: a toponym's readings and "no place" compete in one softmax;
a reading scores ``w . candidate_features``, "no place" ``v . null_features``
(``sitrep.geo.features``). Context features depend on the other toponyms' best readings, so
pass 1 reads them with a starting model (weights like the old hand-set scoring) and each later
pass with the model fitted before. Parsed articles are cached under ``--cache`` (DocBin files,
outside the repository). Deterministic: no sampling.
"""

from __future__ import annotations

import argparse
import json
import re
import xml.etree.ElementTree as ET
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.optimize import minimize  # type: ignore[import-untyped]
from spacy.tokens import Doc, DocBin

from sitrep import actors
from sitrep.eval import acled, geo as geo_eval, ucdp_syria
from sitrep.events.classify import is_heldout
from sitrep.geo.features import CANDIDATE_FEATURES, NULL_FEATURES, candidate_features, null_features
from sitrep.geo.index import Candidate, get_gazetteer
from sitrep.geo.model import MODEL_FILE, PlaceModel
from sitrep.geo.names import normalise
from sitrep.geo.recognise import Toponym, find_toponyms
from sitrep.geo.resolve import Resolver
from sitrep.geometry import haversine_km
from sitrep.nlp import get_nlp, parse
from sitrep.read import ACTOR_HINT

OUT = Path(__file__).resolve().parent.parent / "src" / "sitrep" / "data" / "models" / MODEL_FILE
GEO_KM = 161.0
EVENT_KM = 25.0


@dataclass
class Row:
    """One training article: its text and what labels its toponyms."""

    dataset: str
    id: str
    text: str
    spans: list[tuple[int, int, float, float]]  # gold toponyms (LGL, GeoWebNews)
    point: tuple[float, float] | None = None  # the event's point (ACLED, UCDP)
    marks_all: bool = False  # every place is marked: a toponym over no gold span is no place
    areas: tuple[str, str] = ("", "")  # the event's admin-1 and admin-2 names (ACLED, UCDP)
    # GeoWebNews spans without coordinates: (start, end, whether the span names no place at all)
    marked: tuple[tuple[int, int, bool], ...] = ()


# GeoWebNews types of names that look like places and are not ("Paris Hilton", "the Dallas Cowboys")
NOT_PLACES = {"Non_Toponym", "Homonym"}


def gwn_marks(path: Path) -> dict[str, tuple[tuple[int, int, bool], ...]]:
    """GeoWebNews' annotated spans that carry no coordinates, by article: demonyms, languages,
    expressions, and names that are no place."""
    found: dict[str, tuple[tuple[int, int, bool], ...]] = {}
    for art in ET.parse(path).getroot().iter("article"):
        found[art.get("file", "")] = tuple(
            (int(t.findtext("start", "0")), int(t.findtext("end", "0")), t.findtext("type") in NOT_PLACES)
            for t in art.iter("toponym") if not (t.findtext("latitude") or "").strip())
    return found


_LEVEL = re.compile(r"\s+(governorate|province|region|state|district|county|subdistrict)$", re.I)


def area_key(name: str | None) -> str:
    """An admin area's name without its level word, normalised: "Deir ez Zor governorate"
    ~ "Deir ez-Zor"."""
    return normalise(_LEVEL.sub("", (name or "").strip()))


def geo_rows(data: Path) -> Iterator[Row]:
    sets = {"lgl": (geo_eval.read_lgl, data / "LGL" / "lgl.xml", False),
            "gwn": (geo_eval.read_gwn, data / "GeoWebNews" / "GWN.xml", True)}
    for name, (reader, path, marks_all) in sets.items():
        marks = gwn_marks(path) if marks_all else {}
        for doc_id, text, gold in reader(path):
            if not geo_eval.heldout(name, doc_id):
                yield Row(name, doc_id, text, [(g.start, g.end, g.lat, g.lon) for g in gold],
                          marks_all=marks_all, marked=marks.get(doc_id, ()))


def acled_rows(data: Path, limit: int) -> Iterator[Row]:
    kept = 0
    for r in acled.read_rows(data):
        if kept >= limit:
            return
        if r["LATITUDE"] and r["LONGITUDE"] and not is_heldout(acled.NAME, r["EVENT_ID_CNTY"]):
            kept += 1
            yield Row("acled", r["EVENT_ID_CNTY"], acled.article_of(r).text, [],
                      (float(r["LATITUDE"]), float(r["LONGITUDE"])),
                      areas=(area_key(r["ADMIN1"]), area_key(r["ADMIN2"])))


def ucdp_rows(data: Path, limit: int) -> Iterator[Row]:
    kept = 0
    for r in ucdp_syria.read_rows(data):
        if kept >= limit:
            return
        parts = r["source_headline"].split(";")
        # only rows none of whose headlines is held out (the eval's held-out rows have all)
        if r["where_prec"].split(".")[0] in {"1", "2"} and not any(
                is_heldout(ucdp_syria.NAME, f"{r['id']}:{n}") for n in range(len(parts))):
            kept += 1
            yield Row("ucdp", r["id"], ucdp_syria.article_of(r).text, [],
                      (float(r["latitude"]), float(r["longitude"])),
                      areas=(area_key(r["adm_1"]), area_key(r["adm_2"])))


def parsed(rows: list[Row], cache: Path) -> list[Doc]:
    """The rows' Docs, parsed once and kept in ``cache`` (keyed by dataset and row count)."""
    cache.mkdir(parents=True, exist_ok=True)
    nlp = get_nlp()
    docs: list[Doc] = []
    for dataset in dict.fromkeys(r.dataset for r in rows):
        part = [r for r in rows if r.dataset == dataset]
        path = cache / f"{dataset}-{len(part)}.spacy"
        if path.exists():
            docs.extend(DocBin().from_disk(path).get_docs(nlp.vocab))
            continue
        began = time.perf_counter()
        found = [parse(r.text) for r in part]
        DocBin(docs=found, store_user_data=False).to_disk(path)
        print(f"parsed {len(part)} {dataset} articles in {time.perf_counter() - began:.0f} s",
              file=sys.stderr)
        docs.extend(found)
    return docs


@dataclass
class Groups:
    """Every labelled toponym: its options' feature rows, which options are right, its weight."""

    cand: list[np.ndarray]
    null: list[np.ndarray | None]
    right: list[np.ndarray]  # booleans over readings + [no place]
    dataset: list[str]


def _right_reading(row: Row, t: Toponym, c: Candidate) -> bool:
    """Whether reading ``c`` is right for an event at ``row.point``: within 25 km, or, where the
    text names a kind of area ("Homs province"), the event's own admin area of that name. (A
    bare name is left to the point: the governorate of a town's name is no better a reading.)"""
    if haversine_km(c.lat, c.lon, *row.point) <= EVENT_KM:  # type: ignore[misc]
        return True
    if t.hint not in {"admin1", "admin2"}:
        return False
    level = {"admin1": 0, "admin2": 1}.get(c.feature)
    return level is not None and bool(row.areas[level]) and area_key(c.name) == row.areas[level]


def _labels(row: Row, t: Toponym, span: tuple[int, int], readings: list[Candidate]) -> np.ndarray | None:
    """Which of the readings (and, last, "no place") are right; None when unlabelled."""
    start, end = span
    if row.point is not None:
        right = [_right_reading(row, t, c) for c in readings]
    else:
        gold = [g for g in row.spans if g[0] < end and start < g[1]]
        if not gold:
            marked = [m for m in row.marked if m[0] < end and start < m[1]]
            # a span marked as a demonym or an expression is no gold place, yet may be a place
            no_place = row.marks_all and all(m[2] for m in marked)
            return np.array([False] * len(readings) + [True]) if no_place else None
        g = max(gold, key=lambda g: min(g[1], end) - max(g[0], start))
        right = [haversine_km(c.lat, c.lon, g[2], g[3]) <= GEO_KM for c in readings]
    if not any(right):
        return None
    # "Homs province": of the right readings, the one of the kind the text names is meant
    if t.hint and any(ok and c.feature == t.hint for ok, c in zip(right, readings)):
        right = [ok and c.feature == t.hint for ok, c in zip(right, readings)]
    return np.array([*right, False])


def collect(rows: list[Row], docs: list[Doc], model: PlaceModel) -> Groups:
    gaz = get_gazetteer()
    groups = Groups([], [], [], [])
    for row, doc in zip(rows, docs):
        homes = actors.named_countries(doc)
        hint = homes.most_common(1)[0][0] if homes else None
        toponyms = find_toponyms(doc, gaz)
        r = Resolver(doc, toponyms, gaz, country=hint, hint_weight=ACTOR_HINT, model=model)
        for i, t in enumerate(toponyms):
            readings = [c for _, c in r.ranked(i)]  # the eligible ones
            if not readings or t.source == "region" or t.direction:
                continue  # regions and directions are placed by region_mention, not chosen
            span = t.span(doc)
            right = _labels(row, t, (span.start_char, span.end_char), readings)
            if right is None:
                continue
            null = np.array(null_features(r, i)) if r.null_score(i) > float("-inf") else None
            if null is None and right[-1]:
                continue
            groups.cand.append(np.array([candidate_features(r, i, c) for c in readings]))
            groups.null.append(null)
            groups.right.append(right)
            groups.dataset.append(row.dataset)
    return groups


def _design(groups: Groups) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """All options as rows of one matrix over [candidate features | null features], the group
    each belongs to, whether it is right, and each group's first row."""
    f, g = len(CANDIDATE_FEATURES), len(NULL_FEATURES)
    blocks: list[np.ndarray] = []
    owner: list[int] = []
    right: list[bool] = []
    for k, (cand, null, ok) in enumerate(zip(groups.cand, groups.null, groups.right)):
        blocks.append(np.hstack([cand, np.zeros((len(cand), g))]))
        right.extend(ok[:-1])
        if null is not None:
            blocks.append(np.hstack([np.zeros((1, f)), null[None, :]]))
            right.append(ok[-1])
        owner.extend([k] * (len(cand) + (null is not None)))
    owner_arr = np.array(owner)
    starts = np.flatnonzero(np.r_[True, owner_arr[1:] != owner_arr[:-1]])
    return np.vstack(blocks), owner_arr, np.array(right, dtype=bool), starts


def fit(groups: Groups, l2: float) -> tuple[PlaceModel, dict]:
    x, owner, right, starts = _design(groups)
    n_groups = len(starts)

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        s = x @ w
        top = np.maximum.reduceat(s, starts)[owner]
        e = np.exp(s - top)
        z_all = np.add.reduceat(e, starts)
        z_right = np.add.reduceat(e * right, starts)
        value = -np.sum(np.log(z_right) - np.log(z_all)) / n_groups + l2 * w @ w
        p_all = e / z_all[owner]
        p_right = np.where(right, e / z_right[owner], 0.0)
        grad = x.T @ (p_all - p_right) / n_groups + 2 * l2 * w
        return value, grad

    result = minimize(loss, np.zeros(x.shape[1]), jac=True, method="L-BFGS-B",
                      options={"maxiter": 2000})
    w = result.x
    f = len(CANDIDATE_FEATURES)
    model = PlaceModel(tuple(float(v) for v in w[:f]), tuple(float(v) for v in w[f:]))
    return model, {"loss": round(float(result.fun), 5), "converged": bool(result.success)}


def accuracy(groups: Groups, model: PlaceModel) -> dict[str, float]:
    """Share of labelled toponyms whose top option is right, per dataset."""
    hits: dict[str, list[bool]] = {}
    for cand, null, ok, name in zip(groups.cand, groups.null, groups.right, groups.dataset):
        scores = [model.score(list(v)) for v in cand]
        scores.append(model.null_score(list(null)) if null is not None else float("-inf"))
        hits.setdefault(name, []).append(bool(ok[int(np.argmax(scores))]))
    return {k: round(sum(v) / len(v), 4) for k, v in hits.items()}


# Pass 1 reads context with weights like the scoring this model replaces, so that the context
# features of the first fit describe sensible neighbours; they are not shipped.
START = {"log_population": 1.0, "kind_country": 4.5, "kind_region": 4.5, "kind_admin1": 0.5,
         "kind_admin2": 0.3, "kind_site": 0.5, "kind_other": -1.0, "capital": 1.5, "metropolis": 1.0,
         "main_name": 1.0, "listed_site": 1.0, "hint_same_kind": 3.0, "hint_admin_kind": 1.5,
         "country_share": 5.0, "admin_support": 3.0, "admin_support_main": 3.0,
         "named_admin1": 2.0, "inside_container": 6.0}


def starting_model() -> PlaceModel:
    return PlaceModel(tuple(START.get(n, 0.0) for n in CANDIDATE_FEATURES),
                      tuple(-20.0 if n == "bias" else 0.0 for n in NULL_FEATURES))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/eval"))
    parser.add_argument("--cache", type=Path, default=Path("/tmp/sitrep-place-train"))
    parser.add_argument("--acled-rows", type=int, default=2000)
    parser.add_argument("--ucdp-rows", type=int, default=2000)
    parser.add_argument("--passes", type=int, default=2)
    parser.add_argument("--l2", type=float, default=0.001)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    rows = [*geo_rows(args.data), *acled_rows(args.data, args.acled_rows),
            *ucdp_rows(args.data, args.ucdp_rows)]
    docs = parsed(rows, args.cache)
    model, meta = starting_model(), dict[str, object]()
    for number in range(1, args.passes + 1):
        began = time.perf_counter()
        groups = collect(rows, docs, model)
        before = accuracy(groups, model)
        model, meta = fit(groups, args.l2)
        print(f"pass {number}: {len(groups.cand)} toponyms in {time.perf_counter() - began:.0f} s;"
              f" training accuracy {before} -> {accuracy(groups, model)}; {meta}", file=sys.stderr)
    counts = {k: sum(d == k for d in groups.dataset) for k in dict.fromkeys(groups.dataset)}
    meta.update(toponyms=counts, l2=args.l2, passes=args.passes,
                training_accuracy=accuracy(groups, model),
                trained_on="non-held-out rows of LGL, GeoWebNews, ACLED 2016, UCDP GED Syria")
    args.out.write_text(json.dumps(model.to_dict(meta), indent=1) + "\n", encoding="utf-8")
    for name, w in zip(CANDIDATE_FEATURES + NULL_FEATURES, model.weights + model.null_weights):
        print(f"{name:28s} {w:+.3f}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
