"""One JSON shape for every error the API returns: ``{"error": {"code", "message"}}``.

Library errors (``SitrepError``) keep their catalogue code (``E100``...); HTTP errors get a
short name (``not_found``, ``unauthorized``...). Both go through ``error_response`` so that a
client needs to parse one shape only.
"""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from ..errors import GazetteerError, InputError, ModelError, SitrepError, StoreError
from ..store.queries import FilterError

__all__ = ["error_body", "error_response", "install_error_handlers"]

# Bad input is the caller's fault; a broken store or model is ours.
_STATUS: dict[type[SitrepError], int] = {
    InputError: 400,
    StoreError: 503,
    GazetteerError: 500,
    ModelError: 500,
}


def error_body(code: str, message: str) -> dict[str, dict[str, str]]:
    return {"error": {"code": code, "message": message}}


def error_response(status: int, code: str, message: str, *,
                   headers: Mapping[str, str] | None = None) -> JSONResponse:
    return JSONResponse(error_body(code, message), status_code=status,
                        headers=dict(headers) if headers else None)


def _http_code(status: int) -> str:
    if status == 422:
        return "invalid_request"  # the same code as a failed validation
    try:
        return HTTPStatus(status).phrase.lower().replace(" ", "_").replace("-", "_")
    except ValueError:
        return f"http_{status}"


def _status_for(err: SitrepError) -> int:
    for cls in type(err).__mro__:
        if cls in _STATUS:
            return _STATUS[cls]
    return 500


async def _on_sitrep_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, SitrepError)
    return error_response(_status_for(exc), exc.code, str(exc))


async def _on_http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    message = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
    code = _http_code(exc.status_code)
    return error_response(exc.status_code, code, message, headers=exc.headers)


async def _on_validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    parts = []
    for item in exc.errors():
        where = ".".join(str(p) for p in item.get("loc", ()) if p not in ("query", "body", "path"))
        parts.append(f"{where}: {item.get('msg', 'invalid')}" if where else str(item.get("msg")))
    return error_response(422, "invalid_request", "; ".join(parts) or "invalid request")


async def _on_filter_error(request: Request, exc: Exception) -> JSONResponse:
    return error_response(422, "invalid_request", str(exc))


async def _on_crash(request: Request, exc: Exception) -> JSONResponse:
    # The traceback goes to the server log (Starlette re-raises); the client gets the shape.
    return error_response(500, "internal_error", "internal error; the server log has details")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(Exception, _on_crash)
    app.add_exception_handler(SitrepError, _on_sitrep_error)
    app.add_exception_handler(FilterError, _on_filter_error)
    app.add_exception_handler(HTTPException, _on_http_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
