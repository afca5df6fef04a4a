"""The FastAPI application: the JSON API under ``/api`` and the web page at ``/``."""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import FastAPI
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

from .. import __version__
from ..web import basemap_json, static_dir
from .errors import install_error_handlers
from .guard import Guard
from .routes import router

if TYPE_CHECKING:
    from ..store import Store

__all__ = ["create_app", "serve", "TOKEN_ENV"]

TOKEN_ENV = "SITREP_API_TOKEN"


def create_app(store: Store, *, token: str | None = None) -> FastAPI:
    """An app over ``store``; ``token`` (else $SITREP_API_TOKEN) enables writes; "" forbids them."""
    # /docs is served below from a packaged copy of Swagger UI: FastAPI's own pulls it from a CDN.
    app = FastAPI(title="sitrep", version=__version__, docs_url=None, redoc_url=None,
                  description="Conflict events read from news articles, with their evidence.")
    app.state.store = store
    app.state.token = token if token is not None else os.environ.get(TOKEN_ENV) or None
    install_error_handlers(app)
    app.include_router(router)
    _add_page(app)
    _add_docs(app)
    # The base map is about a megabyte of JSON; compressed it is a fifth of that.
    # Level 5: most of level 9's saving on JSON at a third of its time per page.
    app.add_middleware(GZipMiddleware, minimum_size=2048, compresslevel=5)
    # Outermost: refuses a write without the token before its body is read, and caps bodies.
    app.add_middleware(Guard)
    return app


def _add_docs(app: FastAPI) -> None:
    # Swagger UI 5 (OpenAPI 3.1, which FastAPI writes) as the PyPI package fastapi-offline ships
    # it; only its static files are used.
    assets = Path(str(files("fastapi_offline") / "static"))
    app.mount("/docs-assets", StaticFiles(directory=assets), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url=app.openapi_url or "/openapi.json",
                                   title="sitrep API",
                                   swagger_js_url="/docs-assets/swagger-ui-bundle.js",
                                   swagger_css_url="/docs-assets/swagger-ui.css",
                                   swagger_favicon_url="/docs-assets/favicon.png")


def _add_page(app: FastAPI) -> None:
    folder = static_dir()
    app.mount("/static", StaticFiles(directory=folder), name="static")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(folder / "index.html", media_type="text/html")

    @app.get("/api/basemap", summary="Country outlines (GeoJSON) for the page's map")
    def basemap() -> Response:
        return Response(basemap_json(), media_type="application/geo+json",
                        headers={"Cache-Control": "public, max-age=86400"})


def serve(store_url: str, *, host: str = "127.0.0.1", port: int = 8000,
          token: str | None = None, workers: int = 1) -> None:
    """Open the store at ``store_url`` and serve the API and page until interrupted; with
    ``workers`` > 1, that many processes share the port (one Python process answers one
    request at a time per core)."""
    import threading

    import uvicorn

    from ..store import open_store

    store = open_store(store_url)  # migrates once, before any worker starts
    if workers > 1:
        # Each worker builds its own app from the environment (uvicorn imports the factory).
        os.environ[_DB_ENV] = store_url
        if token is not None:
            os.environ[TOKEN_ENV] = token
        store.close()
        basemap_json()  # into the cache folder once, for every worker to read
        uvicorn.run("sitrep.api.app:app_from_environment", factory=True, host=host, port=port,
                    workers=workers, log_level="info")
        return
    app = create_app(store, token=token)
    # Simplifying the outlines takes seconds on a first start: do it before the first page asks.
    threading.Thread(target=basemap_json, name="basemap", daemon=True).start()
    uvicorn.run(app, host=host, port=port, log_level="info")


_DB_ENV = "SITREP_DB"


def app_from_environment() -> FastAPI:
    """The app over $SITREP_DB with $SITREP_API_TOKEN: what each of ``serve``'s workers runs."""
    from ..store import open_store

    return create_app(open_store(os.environ.get(_DB_ENV)), token=None)
