"""The HTTP API over a real SQLite store: filters, GeoJSON, tokens, the error shape, OpenAPI."""

from __future__ import annotations

import json
import warnings
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from sitrep.api import create_app
from sitrep.eval.core import default_data_dir
from sitrep.store import Store, open_store
from web_fixtures import fill_store, make_store

with warnings.catch_warnings():
    # Starlette nudges towards httpx2; TestClient still works with httpx.
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

TOKEN = "s3cret-token"


@pytest.fixture(scope="module")
def shared_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """Read-only tests share one store; tests that write get their own ``store``."""
    return make_store(tmp_path_factory.mktemp("api"))


@pytest.fixture()
def store(tmp_path: Path) -> Store:
    return make_store(tmp_path)


@pytest.fixture()
def client(shared_store: Store, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    monkeypatch.delenv("SITREP_API_TOKEN", raising=False)
    return TestClient(create_app(shared_store))


@pytest.fixture()
def writer(store: Store) -> TestClient:
    return TestClient(create_app(store, token=TOKEN))


def ids(response: Any) -> set[str]:
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["count"] == len(body["events"])
    return {e["id"] for e in body["events"]}


ALL = {"ev-battle", "ev-drone", "ev-protest", "ev-civilians", "ev-expel"}


@pytest.mark.parametrize(("query", "expected"), [
    ("", ALL),
    ("type=Battles", {"ev-battle"}),
    ("type=Air/drone strike", {"ev-drone"}),
    ("actor=SDF", {"ev-battle"}),
    ("actor=civilians", {"ev-civilians"}),
    ("since=2026-03-01", {"ev-protest", "ev-expel"}),
    ("until=2026-02-05", {"ev-civilians"}),
    ("since=2026-02-10&until=2026-02-10", {"ev-drone", "ev-civilians"}),
    ("near=35.95,39.0,60", {"ev-battle"}),
    ("near=33.5,36.3,200", {"ev-protest", "ev-civilians", "ev-expel"}),
    ("country=sy", ALL),
    ("country=IQ", set()),
    ("q=depot", {"ev-drone"}),
    ("q=demonstrators&type=Protests", {"ev-protest"}),
    ("acled_only=true", ALL - {"ev-expel"}),  # the expulsion is PLOVER's alone
])
def test_api_events_filters(client: TestClient, query: str, expected: set[str]) -> None:
    assert ids(client.get(f"/api/events?{query}")) == expected


def test_api_events_on_every_backend(db_url: str) -> None:
    """The same filters over SQLite and PostgreSQL (``db_url`` comes from conftest.py)."""
    store = fill_store(open_store(db_url))
    try:
        client = TestClient(create_app(store, token=""))
        assert ids(client.get("/api/events?type=Battles")) == {"ev-battle"}
        assert ids(client.get("/api/events?near=33.5,36.3,200&since=2026-03-01")) == {"ev-protest", "ev-expel"}
        assert ids(client.get("/api/events?acled_only=true&since=2026-03-01")) == {"ev-protest"}
        features = client.get("/api/events.geojson").json()["features"]
        assert {f["id"] for f in features} == ALL
    finally:
        store.close()


def test_api_events_paging(client: TestClient) -> None:
    first = ids(client.get("/api/events?limit=3"))
    second = ids(client.get("/api/events?limit=3&offset=3"))
    assert len(first) == 3 and len(second) == 2 and first | second == ALL


def test_api_events_are_contract_records(client: TestClient) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema_path = default_data_dir().parent / "spec" / "event.schema.json"
    if not schema_path.is_file():
        pytest.skip(f"contract schema not found at {schema_path}")
    schema = json.loads(schema_path.read_text())
    for event in client.get("/api/events").json()["events"]:
        jsonschema.validate(event, schema)


def test_api_event_by_id(client: TestClient) -> None:
    body = client.get("/api/events/ev-drone").json()
    assert body["sub_event_type"] == "Air/drone strike"
    assert body["attribution"] == [{"source": "Officials", "kind": "official statement"}]
    assert "drone strike" in body["evidence"][0]["sentence"]


def test_api_geojson_is_valid(client: TestClient) -> None:
    response = client.get("/api/events.geojson?type=Battles")
    assert response.headers["content-type"].startswith("application/geo+json")
    body = response.json()
    assert body["type"] == "FeatureCollection" and len(body["features"]) == 1
    feature = body["features"][0]
    assert feature["type"] == "Feature"
    assert feature["geometry"] == {"type": "Point", "coordinates": [39.01, 35.95]}  # lon, lat
    assert feature["properties"]["id"] == "ev-battle"
    assert feature["properties"]["fatalities"] == 4


def test_api_articles(client: TestClient) -> None:
    listed = client.get("/api/articles").json()
    assert {a["id"] for a in listed["articles"]} == {"art-a", "art-b"}
    article = client.get("/api/articles/art-b").json()
    assert article["outlet"] == "Other Daily" and article["published"] == "2026-03-20"


@pytest.mark.parametrize(("query", "kinds"), [
    ("", {"control", "force_level"}),
    ("kind=control", {"control"}),
    ("kind=force_level&country=SY", {"force_level"}),
    ("place=tanf", {"control"}),
    ("actor=United States", {"control", "force_level"}),
    ("country=IQ", set()),
])
def test_api_situation(client: TestClient, query: str, kinds: set[str]) -> None:
    body = client.get(f"/api/situation?{query}").json()
    assert {f["kind"] for f in body["facts"]} == kinds
    assert body["count"] == len(body["facts"])


def test_api_stats_and_health(client: TestClient) -> None:
    assert client.get("/api/stats").json()["events"] == 5
    assert client.get("/api/health").json()["status"] == "ok"


@pytest.mark.parametrize(("url", "status", "code"), [
    ("/api/events/no-such-event", 404, "not_found"),
    ("/api/articles/no-such-article", 404, "not_found"),
    ("/api/events?near=north", 422, "invalid_request"),
    ("/api/events?since=yesterday", 422, "invalid_request"),
    ("/api/events?limit=0", 422, "invalid_request"),
    ("/api/situation?kind=rumour", 422, "invalid_request"),
    ("/api/nothing-here", 404, "not_found"),
])
def test_api_error_shape(client: TestClient, url: str, status: int, code: str) -> None:
    response = client.get(url)
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    assert body["error"]["code"] == code and body["error"]["message"]


def test_api_library_errors_use_the_same_shape() -> None:
    from sitrep.errors import StoreError

    class BrokenStore:
        def stats(self) -> dict[str, int]:
            raise StoreError("E400 database is gone; check the URL")

    response = TestClient(create_app(BrokenStore())).get("/api/stats")  # type: ignore[arg-type]
    assert response.status_code == 503
    assert response.json() == {"error": {"code": "E400",
                                         "message": "E400 database is gone; check the URL"}}


def test_api_crashes_use_the_same_shape() -> None:
    class CrashingStore:
        def stats(self) -> dict[str, int]:
            raise RuntimeError("boom")

    app = create_app(CrashingStore())  # type: ignore[arg-type]
    response = TestClient(app, raise_server_exceptions=False).get("/api/stats")
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "internal_error"
    assert "boom" not in response.text  # internals stay in the log


ARTICLE = {"id": "post-1", "published": "2026-04-02", "title": "Shelling reported",
           "text": "Artillery shelled the town of Idlib on Wednesday, killing three people, "
                   "local officials said."}


def test_api_post_refused_without_configured_token(client: TestClient) -> None:
    response = client.post("/api/articles", json=ARTICLE,
                           headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


@pytest.mark.parametrize("header", [None, "Bearer wrong", f"Basic {TOKEN}", "Bearer "])
def test_api_post_needs_the_right_token(writer: TestClient, header: str | None) -> None:
    headers = {"Authorization": header} if header is not None else {}
    response = writer.post("/api/articles", json=ARTICLE, headers=headers)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
    assert response.headers["www-authenticate"] == "Bearer"
    assert writer.get("/api/articles/post-1").status_code == 404
    assert writer.get("/api/events").status_code == 200  # reads need no token


def test_api_token_from_environment(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITREP_API_TOKEN", TOKEN)
    app_client = TestClient(create_app(store))
    response = app_client.post("/api/articles", json={**ARTICLE, "text": "x"},
                               headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401


def test_api_post_rejects_bad_article(writer: TestClient) -> None:
    response = writer.post("/api/articles", json={"title": "no text"},
                           headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_request"


def test_api_post_extracts_and_stores(writer: TestClient, store: Store) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    response = writer.post("/api/articles", json=ARTICLE, headers=auth)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["stored"] is True and body["article"]["id"] == "post-1"
    assert writer.get("/api/articles/post-1").json()["published"] == "2026-04-02"
    for event in body["events"]:
        assert "post-1" in event["article_ids"]
    stored = store.events(since=date(2026, 4, 1))
    assert {a for e in stored for a in e.article_ids} <= {"post-1"}
    again = writer.post("/api/articles", json=ARTICLE, headers=auth)
    assert again.status_code == 200 and again.json()["stored"] is False


def test_api_post_without_id_hashes_the_text(writer: TestClient) -> None:
    article = {k: v for k, v in ARTICLE.items() if k != "id"}
    body = writer.post("/api/articles", json=article,
                       headers={"Authorization": f"Bearer {TOKEN}"}).json()
    assert len(body["article"]["id"]) == 16
    assert writer.get(f"/api/articles/{body['article']['id']}").status_code == 200


def test_api_openapi_lists_the_paths(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/events", "/api/events/{event_id}", "/api/events.geojson", "/api/articles",
                 "/api/articles/{article_id}", "/api/situation", "/api/stats", "/api/health",
                 "/api/basemap"):
        assert path in paths, path
    assert "post" in paths["/api/articles"]


def test_api_basemap_has_country_shapes(client: TestClient) -> None:
    response = client.get("/api/basemap", headers={"Accept-Encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"
    body = response.json()
    assert body["type"] == "FeatureCollection" and len(body["features"]) > 200
    syria = [f for f in body["features"] if f["properties"]["iso_a2"] == "SY"]
    assert len(syria) == 1 and syria[0]["geometry"]["type"] in {"Polygon", "MultiPolygon"}
    lon, lat = syria[0]["geometry"]["coordinates"][0][0] if syria[0]["geometry"]["type"] == \
        "Polygon" else syria[0]["geometry"]["coordinates"][0][0][0]
    assert 35 < lon < 43 and 32 < lat < 38


def test_api_page_is_served(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "<svg id=\"map\"" in page.text
    assert client.get("/static/app.js").status_code == 200


def test_api_serve_opens_the_store_and_runs_uvicorn(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    from sitrep.api import serve

    seen: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(app=app, **kw))
    serve(f"sqlite:///{tmp_path / 'served.db'}", port=8123, token="t0k")
    assert seen["port"] == 8123 and seen["host"] == "127.0.0.1"
    assert seen["app"].state.token == "t0k"
    assert (tmp_path / "served.db").exists()


def test_api_article_ids_may_hold_slashes(store: Store) -> None:
    from urllib.parse import quote

    from sitrep.records import Article

    article_id = "https://example.org/news/2026/report?id=7"
    store.add_article(Article(article_id, "A short text for the id test.", date(2026, 1, 5)), [])
    response = TestClient(create_app(store)).get("/api/articles/" + quote(article_id, safe=""))
    assert response.status_code == 200 and response.json()["id"] == article_id


# --- filters, paging, CSV and limits (issues 19 and 20) ---------------------------------------

@pytest.mark.parametrize(("query", "expected"), [
    ("country=SYR", ALL),
    ("country=syria", ALL),
    ("country=Syrian Arab Republic", ALL),
    ("country=IRQ", set()),
    ("bbox=38,35,41,36.5", {"ev-battle", "ev-drone"}),
    ("bbox=36,33,37,35", {"ev-protest", "ev-civilians", "ev-expel"}),
    ("bbox=170,-10,-170,10", set()),  # across the antimeridian: nothing there
    ("min_fatalities=3", {"ev-battle"}),
    ("min_fatalities=0", {"ev-battle", "ev-civilians"}),
    ("admin1=homs", {"ev-civilians"}),
    ("admin1=Ar-Raqqah&type=battles", {"ev-battle"}),
    ("background=exclude", ALL - {"ev-civilians"}),
    ("background=only", {"ev-civilians"}),
    ("actor=%", set()),  # a literal percent sign, in no actor's name
    ("actor=_", set()),
    ("q=%25depot", set()),
])
def test_api_new_filters(client: TestClient, query: str, expected: set[str]) -> None:
    assert ids(client.get(f"/api/events?{query}")) == expected


@pytest.mark.parametrize("query", [
    "type=Nonsense", "country=Atlantis", "country=XX", "bbox=1,2,3", "bbox=a,b,c,d",
    "bbox=0,10,5,5", "bbox=0,0,200,10", "bbox=nan,0,1,1", "near=0,0,inf", "near=0,0,nan",
    "near=0,0,30000", "near=0,0,-1", "near=100,0,5", "offset=9223372036854775808",
    "offset=100001", "limit=50001", "limit=99999999999999999999", "min_fatalities=-1",
    "min_fatalities=1e3", "background=maybe", "after=!!!", "after=bm90LWEtZGF0ZXxpZA",
    "actor=" + "x" * 201,
])
def test_api_rejects_bad_values(client: TestClient, query: str) -> None:
    for path in ("/api/events", "/api/events.geojson", "/api/events.csv", "/api/trend"):
        if path == "/api/trend" and query.split("=")[0] in {"offset", "limit", "after"}:
            continue  # the trend has no pages
        response = client.get(f"{path}?{query}")
        assert response.status_code == 422, (path, query, response.text)
        assert response.json()["error"]["code"] == "invalid_request"


@pytest.mark.parametrize("url", ["/api/articles?offset=9223372036854775808", "/api/events?limit=1001",
                                 "/api/situation?country=Narnia", "/api/events?q=a%00b",
                                 "/api/events/ab%00cd"])
def test_api_other_bad_values_are_422(client: TestClient, url: str) -> None:
    assert client.get(url).status_code == 422


def test_api_pages_follow_next_links(client: TestClient) -> None:
    seen: list[str] = []
    url: str | None = "/api/events?limit=2"
    while url:
        body = client.get(url).json()
        assert body["total"] == 5
        seen += [e["id"] for e in body["events"]]
        url = body["next"]
    assert len(seen) == 5 and set(seen) == ALL
    dates = [client.get(f"/api/events/{i}").json()["event_date"] for i in seen]
    assert dates == sorted(dates, reverse=True)  # newest first, across pages


def test_api_default_page_is_bounded(client: TestClient) -> None:
    body = client.get("/api/events").json()
    assert body["limit"] == 100 and body["next"] is None and body["total"] == 5
    assert body["total_exact"] is True


def test_api_csv_is_acled_shaped_without_background(client: TestClient) -> None:
    import csv
    import io

    response = client.get("/api/events.csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    from sitrep.output import ACLED_COLUMNS

    assert list(rows[0])[: len(ACLED_COLUMNS)] == ACLED_COLUMNS
    # ev-civilians is background, ev-expel is PLOVER's alone: neither belongs in an ACLED file
    assert {r["event_date"] for r in rows} == {"2026-02-09", "2026-02-10", "2026-03-20"}
    with_background = client.get("/api/events.csv?background=include")
    assert len(list(csv.DictReader(io.StringIO(with_background.text)))) == len(rows) + 1


def test_api_trend_counts_weeks_by_type(client: TestClient) -> None:
    body = client.get("/api/trend").json()
    weeks = {w["week"]: w["counts"] for w in body["weeks"]}
    assert weeks == {"2026-02-09": {"Battles": 1, "Explosions/Remote violence": 1},
                     "2026-03-16": {"Protests": 1, "Strategic developments": 1}}
    assert body["first"] == "2026-02-09" and body["last"] == "2026-03-16"
    everything = client.get("/api/trend?background=include").json()
    assert everything["first"] == "2026-01-26"  # the background event's week


def test_api_docs_are_served_locally(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200 and "/docs-assets/swagger-ui-bundle.js" in page.text
    assert "cdn" not in page.text.lower() and "https://" not in page.text
    assert client.get("/docs-assets/swagger-ui-bundle.js").status_code == 200
    assert client.get("/docs-assets/swagger-ui.css").status_code == 200


@pytest.mark.parametrize(("field", "value"), [
    ("published", "0001-01-01"), ("published", "9999-12-31"), ("text", "x" * 1_200_000),
    ("text", "bad \ud800 text"), ("id", "x" * 129), ("title", "nul\x00"), ("id", ""),
])
def test_api_post_refuses_unstorable_articles(writer: TestClient, field: str, value: str) -> None:
    body = json.dumps({**ARTICLE, field: value})
    response = writer.post("/api/articles", content=body.encode("utf-8", "surrogatepass"),
                           headers={"Authorization": f"Bearer {TOKEN}",
                                    "Content-Type": "application/json"})
    assert response.status_code in (413, 422), response.text
    assert set(response.json()) == {"error"}


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A real uvicorn server on a free port: the body limit is about what reaches the socket."""
    import socket
    import threading
    import time

    import uvicorn

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    app = create_app(make_store(tmp_path_factory.mktemp("live")), token=TOKEN)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    yield port
    server.should_exit = True
    thread.join(timeout=10)


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


@pytest.mark.parametrize("token", [None, "Bearer wrong", f"Bearer {TOKEN}"])
def test_api_oversized_body_is_refused_unread(live_server: int, token: str | None) -> None:
    """A 300 MB upload gets its 401 or 413 within a second, and the server does not take it in."""
    import socket
    import time

    before = _rss_mb()
    head = (f"POST /api/articles HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json"
            f"\r\nContent-Length: {300 * 1024 * 1024}\r\n"
            + (f"Authorization: {token}\r\n" if token else "") + "\r\n")
    with socket.create_connection(("127.0.0.1", live_server), timeout=5) as sock:
        started = time.monotonic()
        sock.sendall(head.encode())
        chunk = b" " * (1024 * 1024)
        try:
            for _ in range(16):  # keep sending, as a client with a big file would
                sock.sendall(chunk)
        except OSError:
            pass  # the server closed the connection: what it should do
        reply = sock.recv(65536).decode("latin-1")
        elapsed = time.monotonic() - started
    status = int(reply.split()[1])
    assert status == (413 if token == f"Bearer {TOKEN}" else 401), reply[:300]
    assert '"error"' in reply
    assert elapsed < 1.0
    assert _rss_mb() - before < 64


def test_api_post_stores_situation_facts(writer: TestClient, store: Store) -> None:
    article = {"id": "post-facts", "published": "2026-04-03",
               "text": "About 2,000 US troops remain in Syria, the Pentagon said on Monday."}
    response = writer.post("/api/articles", json=article,
                           headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 201, response.text
    from sitrep.pipeline import read_article
    from sitrep.records import Article

    expected = read_article(Article("post-facts", article["text"], date(2026, 4, 3))).facts
    assert expected, "the sentence should yield a force-level fact"
    stored = [f for f in store.facts() if "post-facts" in f.article_ids
              or any(e.article_id == "post-facts" for e in f.evidence)]
    assert len(stored) == len(expected)


# --- property tests: no generated request gets a 5xx ------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

GET_PATHS = ["/api/events", "/api/events.geojson", "/api/events.csv", "/api/trend",
             "/api/articles", "/api/situation", "/api/stats", "/api/health"]
PARAMS = ["since", "until", "type", "actor", "near", "bbox", "country", "admin1",
          "min_fatalities", "q", "acled_only", "background", "limit", "offset", "after", "kind",
          "place", "as_of"]
_values = st.one_of(
    st.text(max_size=30),
    st.integers(min_value=-2**70, max_value=2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=2, max_size=5)
      .map(lambda xs: ",".join(map(str, xs))),
    st.dates().map(str),
    st.sampled_from(["Battles", "SYR", "Syria", "include", "only", "true", "%", "_", "\x00"]),
)
_queries = st.lists(st.tuples(st.one_of(st.sampled_from(PARAMS), st.text(max_size=8)), _values),
                    max_size=6)


@pytest.fixture()
def any_client(db_url: str) -> Any:
    """A read-only client over the test store on SQLite and on PostgreSQL."""
    store = fill_store(open_store(db_url))
    yield TestClient(create_app(store, token=""))
    store.close()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(GET_PATHS), query=_queries)
def test_api_generated_queries_never_5xx(any_client: TestClient, path: str,
                                         query: list[tuple[str, str]]) -> None:
    from urllib.parse import urlencode

    encoded = urlencode([(k, v.encode("utf-8", "surrogatepass")) for k, v in query])
    response = any_client.get(f"{path}?{encoded}")
    assert response.status_code < 500, (path, encoded, response.text)
    if response.status_code >= 400:
        assert set(response.json()) == {"error"}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tail=st.text(max_size=40))
def test_api_generated_ids_never_5xx(any_client: TestClient, tail: str) -> None:
    from urllib.parse import quote

    for path in ("/api/events/", "/api/articles/"):
        response = any_client.get(path + quote(tail.encode("utf-8", "surrogatepass"), safe=""))
        assert response.status_code < 500, (path, tail)


_json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=40),
              st.dates().map(str)),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.text(max_size=5), inner, max_size=3)),
    max_leaves=8)
_bodies = st.one_of(
    st.fixed_dictionaries({}, optional={k: _json_values for k in
                                        ("id", "published", "text", "title", "url", "outlet")}),
    # nearly valid articles, so that extraction and storage run too
    st.fixed_dictionaries({"published": st.dates().map(str), "text": st.text(max_size=120)},
                          optional={k: st.text(max_size=20) for k in ("id", "title", "outlet")}),
    _json_values,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=_bodies)
def test_api_generated_bodies_never_5xx(writer: TestClient, body: Any) -> None:
    payload = json.dumps(body).encode()
    response = writer.post("/api/articles", content=payload,
                           headers={"Authorization": f"Bearer {TOKEN}",
                                    "Content-Type": "application/json"})
    assert response.status_code < 500, (body, response.text)


def test_api_old_records_come_out_in_the_current_contract(store: Store) -> None:
    """A record stored before a field existed is passed on with that field, not without it."""
    import sqlalchemy as sa

    from sitrep.store.schema import events as table

    with store.engine.begin() as conn:
        record = conn.execute(sa.select(table.c.record).where(table.c.id == "ev-drone")).scalar_one()
        old = {k: v for k, v in record.items() if k not in ("acled_event", "source_count")}
        conn.execute(table.update().where(table.c.id == "ev-drone").values(record=old))
    body = TestClient(create_app(store)).get("/api/events?type=Air/drone strike").json()
    assert body["events"][0]["acled_event"] is True and body["events"][0]["source_count"] == 1
    others = TestClient(create_app(store)).get("/api/events?type=Battles").json()["events"]
    assert set(others[0]) == set(body["events"][0])


def test_api_serve_with_workers_uses_the_factory(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    import uvicorn

    from sitrep.api import serve
    from sitrep.api.app import app_from_environment

    seen: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda target, **kw: seen.update(target=target, **kw))
    monkeypatch.delenv("SITREP_DB", raising=False)
    monkeypatch.delenv("SITREP_API_TOKEN", raising=False)
    url = f"sqlite:///{tmp_path / 'workers.db'}"
    serve(url, workers=3, token="t0k")
    assert seen["target"] == "sitrep.api.app:app_from_environment"
    assert seen["workers"] == 3 and seen["factory"] is True
    assert os.environ["SITREP_DB"] == url
    app = app_from_environment()  # what each worker builds
    assert app.state.token == "t0k" and app.state.store.url == url
