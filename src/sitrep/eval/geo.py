"""`sitrep eval geo`: place names in news, on LGL and GeoWebNews (../shared/eval/README.md).

A gold toponym (a span with coordinates) is found when a place sitrep reports overlaps it, and
resolved when that place lies within 161 km of the gold point. Figures per dataset: recall
(found), accuracy@161 km of found, end-to-end recall@161 km, precision (GeoWebNews only: reported
places that overlap a gold span), median error in km, seconds per article. Beside them,
``accuracy_161km_ceiling``: the share of found toponyms that some index entry under the gold span's
name, or under capitalised words inside it, places within 161 km (or that sitrep resolved): the
most any choice among the index's readings could reach. The rest need a point the index lacks
(GeoNames' own point for a country or a sea, a building, a street).

``heldout`` repeats each dataset's figures on the articles the place resolver never trained on
(``sitrep.events.classify.is_heldout`` with dataset ``geo-lgl`` or ``geo-gwn`` and the article's
id): those are the honest ones, the rest were seen when its weights were fitted.
"""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import EvalError, SitrepError
from ..records import PlaceMention
from .core import (Figures, Progress, capitalised_names, haversine_km, indexed_near, median, ratio,
                   require, track)

__all__ = ["NAME", "DESCRIPTION", "run", "score_document", "Gold", "Tally"]

NAME = "geo"
DESCRIPTION = "place names in news: recall, accuracy@161 km, precision on LGL and GeoWebNews"
RADIUS_KM = 161.0


@dataclass(frozen=True)
class Gold:
    start: int
    end: int
    lat: float
    lon: float


@dataclass
class Tally:
    gold: int = 0
    found: int = 0
    resolved: int = 0
    reachable: int = 0
    predicted: int = 0
    predicted_right: int = 0
    errors_km: list[float] = field(default_factory=list)
    articles: int = 0
    failed: int = 0
    seconds: float = 0.0

    def figures(self, *, with_precision: bool) -> Figures:
        out: Figures = {
            "recall": ratio(self.found, self.gold),
            "accuracy_161km_of_found": ratio(self.resolved, self.found),
            "accuracy_161km_ceiling": ratio(self.reachable, self.found),
            "recall_161km": ratio(self.resolved, self.gold),
            "median_error_km": median(self.errors_km),
            "n_gold": self.gold,
            "n_articles": self.articles,
            "failed_articles": self.failed,
            "seconds_per_article": ratio(self.seconds, self.articles),
        }
        if with_precision:
            out["precision"] = ratio(self.predicted_right, self.predicted)
        return out


def _overlaps(p: PlaceMention, g: Gold) -> bool:
    return p.start < g.end and g.start < p.end


def score_document(places: list[PlaceMention], gold: list[Gold], tally: Tally, text: str = "") -> None:
    """Add one article's places against its gold toponyms to ``tally`` (``text``, the article,
    names the gold spans for the ceiling; without it only resolved toponyms count as reachable)."""
    tally.gold += len(gold)
    tally.predicted += len(places)
    tally.predicted_right += sum(any(_overlaps(p, g) for g in gold) for p in places)
    for g in gold:
        hits = [p for p in places if _overlaps(p, g)]
        if not hits:
            continue
        tally.found += 1
        best = max(hits, key=lambda p: min(p.end, g.end) - max(p.start, g.start))
        right = False
        if best.lat is not None and best.lon is not None:
            km = haversine_km(best.lat, best.lon, g.lat, g.lon)
            tally.errors_km.append(km)
            right = km <= RADIUS_KM
        tally.resolved += right
        named = text[g.start:g.end]
        tally.reachable += right or indexed_near({named} | capitalised_names(named), g.lat, g.lon,
                                                 RADIUS_KM)


def _float(node: ET.Element | None) -> float | None:
    text = (node.text or "").strip() if node is not None else ""
    try:
        return float(text) if text else None
    except ValueError:
        return None


def read_lgl(path: Path) -> Iterator[tuple[str, str, list[Gold]]]:
    for art in ET.parse(require(path)).getroot().iter("article"):
        gold = []
        for top in art.iter("toponym"):
            tag = top.find("gaztag")
            lat, lon = _float(top.find("gaztag/lat")), _float(top.find("gaztag/lon"))
            if tag is not None and lat is not None and lon is not None:
                gold.append(Gold(int(top.findtext("start", "0")), int(top.findtext("end", "0")),
                                 lat, lon))
        yield art.get("docid", ""), art.findtext("text", ""), gold


def read_gwn(path: Path) -> Iterator[tuple[str, str, list[Gold]]]:
    for art in ET.parse(require(path)).getroot().iter("article"):
        gold = []
        for top in art.iter("toponym"):
            lat, lon = _float(top.find("latitude")), _float(top.find("longitude"))
            if lat is not None and lon is not None:
                gold.append(Gold(int(top.findtext("start", "0")), int(top.findtext("end", "0")),
                                 lat, lon))
        yield art.get("file", ""), art.findtext("text", ""), gold


def _read_places(text: str) -> list[PlaceMention]:
    # what `sitrep annotate` reports as places (they do not depend on the publication date)
    from ..read import annotate
    from ..records import Article

    return annotate(Article(id="geo", text=text, published=None)).places


def heldout(dataset: str, doc_id: str) -> bool:
    """Whether an article of ``lgl`` or ``gwn`` is held out from the resolver's training."""
    from ..events.classify import is_heldout

    return is_heldout(f"geo-{dataset}", doc_id)


def score_dataset(rows: list[tuple[str, str, list[Gold]]], *, progress: Progress | None,
                  label: str, held: Tally | None = None, dataset: str = "") -> Tally:
    """Score every row into the returned tally, and the held-out ones also into ``held``."""
    tally = Tally()
    for doc_id, text, gold in track(rows, progress, total=len(rows), label=label):
        began = time.perf_counter()
        failed = False
        try:
            places = _read_places(text)
        except SitrepError:
            places, failed = [], True
        seconds = time.perf_counter() - began
        tally.failed += failed
        tally.seconds += seconds
        tally.articles += 1
        score_document(places, gold, tally, text)
        if held is not None and heldout(dataset, doc_id):
            held.seconds += seconds
            held.articles += 1
            held.failed += failed
            score_document(places, gold, held, text)
    return tally


def run(data_dir: Path, *, limit: int | None = None, progress: Progress | None = None) -> Figures:
    sets = {"lgl": (read_lgl, data_dir / "LGL" / "lgl.xml", False),
            "gwn": (read_gwn, data_dir / "GeoWebNews" / "GWN.xml", True)}
    figures: Figures = {}
    for name, (reader, path, with_precision) in sets.items():
        try:
            rows = list(reader(path))[:limit]
        except ET.ParseError as exc:
            raise EvalError(f"{path}: not readable XML ({exc})") from exc
        held = Tally()
        tally = score_dataset(rows, progress=progress, label=f"geo/{name}", held=held, dataset=name)
        figures[name] = {**tally.figures(with_precision=with_precision),
                         "heldout": held.figures(with_precision=with_precision)}
    return figures
