"""The web page in a real headless Chromium: offline map, markers, slider, filters, evidence.

Needs Debian's chromium (``apt-get install chromium``) and the ``playwright`` package; skips
with the reason when either is missing.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

from web_fixtures import make_store

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Route

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]
SCREENSHOT = Path("/tmp/sitrep-web.png")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason=f"{CHROMIUM} missing: apt-get install chromium"),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
uvicorn = pytest.importorskip("uvicorn")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from sitrep.api import create_app

    app = create_app(make_store(tmp_path_factory.mktemp("web")), token=None)
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_api.sync_playwright() as play:
        chromium = play.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Traffic:
    """What the page did besides drawing: the host of every request, and script errors."""

    hosts: list[str | None] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@pytest.fixture()
def traffic() -> Traffic:
    return Traffic()


@pytest.fixture()
def page(browser: Browser, server: str, traffic: Traffic) -> Iterator[Page]:
    """The page, loaded and ready; requests that would leave 127.0.0.1 are recorded and cut."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.on("pageerror", lambda err: traffic.errors.append(str(err)))

    def guard(route: Route) -> None:
        host = urlsplit(route.request.url).hostname
        traffic.hosts.append(host)
        if host == "127.0.0.1":
            route.continue_()
        else:
            route.abort()

    page.route("**/*", guard)
    page.goto(server + "/")
    page.wait_for_selector("body[data-ready=true]", timeout=20000)
    yield page
    context.close()


def rows(page: Page) -> list[str]:
    ids: list[str] = page.eval_on_selector_all(
        "#event-rows tr[data-id]", "rows => rows.map(r => r.dataset.id)")
    return ids


def text(page: Page, selector: str) -> str:
    return page.text_content(selector) or ""


def wait_rows(page: Page, expected: list[str]) -> None:
    """Wait until the table lists exactly ``expected`` (filters reload after a short pause)."""
    page.wait_for_function(
        "ids => JSON.stringify([...document.querySelectorAll('#event-rows tr[data-id]')]"
        ".map(r => r.dataset.id).sort()) === JSON.stringify(ids)", arg=sorted(expected))


def visible_markers(page: Page) -> list[str]:
    ids: list[str] = page.eval_on_selector_all(
        "#map circle.marker:not(.hidden)", "nodes => nodes.map(n => n.dataset.id)")
    return ids


def test_web_loads_offline(page: Page, traffic: Traffic) -> None:
    assert traffic.hosts and set(traffic.hosts) == {"127.0.0.1"}, traffic.hosts
    assert traffic.errors == []
    kinds = page.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
    assert all(url.startswith("http://127.0.0.1:") for url in kinds), kinds


def world_transform(page: Page) -> str:
    return page.get_attribute("#map g.world", "transform") or ""


def scale(transform: str) -> float:
    """The zoom in ``translate(x y) scale(k)``."""
    return float(transform.split("scale(")[1].rstrip(")"))


def test_web_map_zooms_and_pans(page: Page) -> None:
    before = world_transform(page)
    box = page.locator("#map").bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + 100, box["y"] + 100)
    page.mouse.wheel(0, -400)
    page.wait_for_function("before => document.querySelector('#map g.world')"
                           ".getAttribute('transform') !== before", arg=before)
    zoomed = world_transform(page)
    assert scale(zoomed) > scale(before)
    page.mouse.down()
    page.mouse.move(box["x"] + 300, box["y"] + 200, steps=5)
    page.mouse.up()
    panned = world_transform(page)
    assert panned != zoomed and scale(panned) == scale(zoomed)


def test_web_draws_country_shapes(page: Page) -> None:
    assert page.locator("#map path.country").count() > 200
    syria = page.locator('#map path.country[data-iso="SY"]')
    assert syria.count() == 1
    box = syria.bounding_box()
    assert box and box["width"] > 50  # the map is fitted around the events, in Syria


NEWS = {"ev-battle", "ev-drone", "ev-protest", "ev-expel"}  # ev-civilians is background


def test_web_shows_markers_and_rows(page: Page) -> None:
    assert set(visible_markers(page)) == NEWS
    assert set(rows(page)) == NEWS
    assert page.locator('#map circle[data-id="ev-civilians"]').count() == 0


def test_web_background_events_hidden_until_asked_for(page: Page) -> None:
    page.check("#f-background")
    wait_rows(page, sorted(NEWS | {"ev-civilians"}))
    assert set(visible_markers(page)) == NEWS | {"ev-civilians"}
    # the slider now reaches back to the background event's month
    assert page.get_attribute("#time-from", "min") == str(day_number(date(2026, 2, 1)))
    page.uncheck("#f-background")
    wait_rows(page, sorted(NEWS))


def test_web_background_is_listed_with_the_news_that_tells_it(page: Page) -> None:
    page.click('#event-rows tr[data-id="ev-protest"]')
    listed = page.locator("#background-events a")
    assert listed.count() == 1 and listed.get_attribute("data-id") == "ev-civilians"
    listed.click()
    assert "Gunmen" in text(page, "#evidence")


def row_dates(page: Page) -> list[str]:
    dates: list[str] = page.eval_on_selector_all(
        "#event-rows tr[data-id] td:first-child", "cells => cells.map(c => c.textContent)")
    return dates


def test_web_table_runs_newest_first(page: Page) -> None:
    dates = row_dates(page)
    assert dates == sorted(dates, reverse=True) and dates[0] == "2026-03-20"
    assert page.get_attribute('#events th[data-sort="date"]', "aria-sort") == "descending"


def test_web_table_headers_sort(page: Page) -> None:
    page.click('#events th[data-sort="date"]')
    dates = row_dates(page)
    assert dates == sorted(dates) and dates[0] == "2026-02-09"
    assert page.get_attribute('#events th[data-sort="date"]', "aria-sort") == "ascending"
    page.click('#events th[data-sort="fatalities"]')
    assert rows(page)[0] == "ev-battle"  # four dead: the most
    assert page.get_attribute('#events th[data-sort="date"]', "aria-sort") == "none"
    page.click('#events th[data-sort="type"]')
    types: list[str] = page.eval_on_selector_all(
        "#event-rows tr[data-id] td:nth-child(2)", "cells => cells.map(c => c.textContent)")
    assert types == sorted(types)


def test_web_trend_chart_draws_weeks_by_type(page: Page) -> None:
    weeks = page.eval_on_selector_all(
        "#trend g.trend-week", "gs => gs.map(g => [g.dataset.week, Number(g.dataset.total)])")
    # 2026-02-09 to 2026-03-16: six weeks, four of them empty; the background week is not drawn
    assert [w for w, _ in weeks] == ["2026-02-09", "2026-02-16", "2026-02-23", "2026-03-02",
                                     "2026-03-09", "2026-03-16"]
    assert dict(weeks)["2026-02-09"] == 2 and dict(weeks)["2026-03-16"] == 2
    bars = page.eval_on_selector_all('#trend g[data-week="2026-02-09"] rect',
                                     "rs => rs.map(r => [r.dataset.type, r.getAttribute('fill')])")
    assert sorted(t for t, _ in bars) == ["Battles", "Explosions/Remote violence"]
    assert ("Battles", "#d62728") in [tuple(b) for b in bars]
    box = page.locator("#trend").bounding_box()
    assert box and box["height"] > 100
    page.screenshot(path=str(SCREENSHOT.with_name("sitrep-web-trend.png")), full_page=True)


def test_web_map_refits_to_a_text_filter(page: Page) -> None:
    before = world_transform(page)
    page.fill("#f-text", "depot")
    wait_rows(page, ["ev-drone"])
    page.wait_for_function("before => document.querySelector('#map g.world')"
                           ".getAttribute('transform') !== before", arg=before)
    assert scale(world_transform(page)) > scale(before)  # closer in on the one event
    marker = page.locator('#map circle[data-id="ev-drone"]').bounding_box()
    frame = page.locator("#map").bounding_box()
    assert marker and frame
    centre_x, centre_y = frame["x"] + frame["width"] / 2, frame["y"] + frame["height"] / 2
    assert abs(marker["x"] - centre_x) < 40 and abs(marker["y"] - centre_y) < 40


def test_web_country_by_name(page: Page) -> None:
    page.fill("#f-country", "Syria")
    wait_rows(page, sorted(NEWS))
    page.fill("#f-country", "Atlantis")
    page.wait_for_selector("#filter-error >> text=unknown country")
    assert set(rows(page)) == NEWS  # the last good result stays


def test_web_docs_render_offline(browser: Browser, server: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    outside: list[str] = []

    def guard(route: Route) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    page.goto(server + "/docs")
    page.wait_for_selector(".swagger-ui .information-container .title", timeout=20000)
    assert "sitrep" in (page.text_content(".swagger-ui .information-container .title") or "")
    page.wait_for_selector('.opblock-summary-path[data-path="/api/events"]')
    page.screenshot(path=str(SCREENSHOT.with_name("sitrep-docs.png")))
    context.close()
    assert outside == []


def set_range(page: Page, selector: str, value: int) -> None:
    page.eval_on_selector(selector, """(input, value) => {
        input.value = String(value); input.dispatchEvent(new Event('input', {bubbles: true}));
    }""", value)


def day_number(day: date) -> int:
    """The slider's unit: days since 1970-01-01."""
    return (day - date(1970, 1, 1)).days


def test_web_time_slider_filters_map_and_table(page: Page) -> None:
    # The slider spans the news: the background event (February as a whole) does not stretch it.
    assert page.get_attribute("#time-from", "min") == str(day_number(date(2026, 2, 9)))
    assert page.get_attribute("#time-to", "max") == str(day_number(date(2026, 3, 20)))
    set_range(page, "#time-from", day_number(date(2026, 3, 1)))
    assert set(rows(page)) == {"ev-protest", "ev-expel"}
    assert set(visible_markers(page)) == {"ev-protest", "ev-expel"}
    assert text(page, "#time-from-label") == "2026-03-01"
    set_range(page, "#time-from", day_number(date(2026, 2, 10)))
    set_range(page, "#time-to", day_number(date(2026, 2, 10)))
    assert set(rows(page)) == {"ev-drone"}
    page.check("#f-background")
    # The Homs event is dated to February as a whole, so it overlaps the chosen day.
    set_range(page, "#time-from", day_number(date(2026, 2, 10)))
    set_range(page, "#time-to", day_number(date(2026, 2, 10)))
    assert set(rows(page)) == {"ev-drone", "ev-civilians"}


def test_web_filter_by_type(page: Page) -> None:
    page.select_option("#f-type", "Battles")
    wait_rows(page, ["ev-battle"])
    assert visible_markers(page) == ["ev-battle"]


def test_web_filter_by_text_and_actor(page: Page) -> None:
    page.fill("#f-actor", "SDF")
    wait_rows(page, ["ev-battle"])
    page.fill("#f-actor", "")
    page.fill("#f-text", "depot")
    wait_rows(page, ["ev-drone"])


def test_web_filter_acled_events_only(page: Page) -> None:
    page.check("#f-acled")
    wait_rows(page, ["ev-battle", "ev-drone", "ev-protest"])
    page.uncheck("#f-acled")
    wait_rows(page, ["ev-battle", "ev-drone", "ev-expel", "ev-protest"])


def test_web_row_click_shows_evidence(page: Page) -> None:
    page.click('#event-rows tr[data-id="ev-drone"]')
    evidence = page.locator("#evidence .evidence-sentence")
    assert evidence.first.text_content() == ("A drone strike hit a depot outside Deir ez-Zor on "
                                             "Tuesday, officials said.")
    page.wait_for_selector("#evidence .source >> text=Test Wire")
    details = text(page, "#details")
    assert "reported" in details and "Officials" in details
    assert page.get_attribute('#map circle[data-id="ev-drone"]', "class") == "marker selected"
    page.screenshot(path=str(SCREENSHOT), full_page=True)


def test_web_marker_click_selects_row(page: Page) -> None:
    page.click('#map circle[data-id="ev-protest"]', force=True)
    assert page.get_attribute('#event-rows tr[data-id="ev-protest"]', "class") == "selected"
    assert "demonstrators" in text(page, "#evidence")


def test_web_escapes_article_text(page: Page) -> None:
    page.check("#f-background")
    page.click('#event-rows tr[data-id="ev-civilians"]')
    assert "<script>alert(1)</script>" in text(page, "#evidence")
    assert page.locator("#evidence script").count() == 0
    assert "background" in text(page, "#details .flags")


def test_web_situation_panel(page: Page) -> None:
    panel = text(page, "#situation")
    assert "Al-Tanf: held by Military Forces of the United States since 2016-03-01" in panel
    assert "Force levels" in panel and "about 900" in panel


def test_web_situation_follows_country_filter(page: Page) -> None:
    page.fill("#f-country", "iq")
    page.wait_for_selector("#situation >> text=No situation facts stored.")
    wait_rows(page, [])
    page.click("#filters button[type=reset]")
    page.wait_for_selector("#situation >> text=Force levels")
    wait_rows(page, ["ev-battle", "ev-drone", "ev-expel", "ev-protest"])
