"""The HTTP API (FastAPI) and the web page: ``create_app(store)``, ``serve(store_url)``."""

from __future__ import annotations

from .app import TOKEN_ENV, create_app, serve
from .errors import error_body

__all__ = ["create_app", "serve", "error_body", "TOKEN_ENV"]
