"""What is refused before any route runs: a write without the right token (before its body is
read), a body over the size limit, and a NUL character in the path or query.

A plain ASGI middleware, because FastAPI reads and validates a body before it resolves the
route's dependencies: checked there, a 300 MB body without a token would be read into memory
first. Refusals use the API's one error shape.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import unquote_to_bytes

from .auth import writer_refusal
from .errors import error_response

__all__ = ["Guard", "MAX_BODY", "WRITE_PATHS"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# A news article's JSON is a few kilobytes; 500,000 characters of text escaped as \uXXXX
# stay under this.
MAX_BODY = 4 * 1024 * 1024
WRITE_PATHS = frozenset({"/api/articles"})
_WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class Guard:
    def __init__(self, app: ASGIApp, *, max_body: int = MAX_BODY) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if _has_nul(scope):
            await _refuse(scope, receive, send, 422, "invalid_request",
                          "the URL holds a NUL character")
            return
        if scope["method"] in _WRITE_METHODS and scope["path"].rstrip("/") in WRITE_PATHS:
            await self._write(scope, receive, send)
            return
        await self.app(scope, receive, send)

    async def _write(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = _headers(scope)
        token = scope["app"].state.token if "app" in scope else None
        refusal = writer_refusal(token, headers.get("authorization"))
        if refusal is not None:
            await _refuse(scope, receive, send, refusal.status_code,
                          "forbidden" if refusal.status_code == 403 else "unauthorized",
                          str(refusal.detail), refusal.headers)
            return
        declared = headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_body):
            await _refuse(scope, receive, send, 413, "payload_too_large", self._too_large())
            return
        body = await self._read(receive)
        if body is None:
            await _refuse(scope, receive, send, 413, "payload_too_large", self._too_large())
            return
        await self.app(scope, _replay(body, receive), send)

    def _too_large(self) -> str:
        return f"the body is over {self.max_body // (1024 * 1024)} MiB; send one article a request"

    async def _read(self, receive: Receive) -> bytes | None:
        """The whole body, or None as soon as it passes the limit (a chunked upload)."""
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return b"".join(chunks)
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}


def _has_nul(scope: Scope) -> bool:
    # PostgreSQL refuses NUL in text, so a NUL reaching a query is a server error; refuse it here.
    raw = scope.get("raw_path") or scope["path"].encode("utf-8", "surrogateescape")
    return b"\x00" in unquote_to_bytes(raw) or b"\x00" in unquote_to_bytes(scope["query_string"])


def _replay(body: bytes, receive: Receive) -> Receive:
    """The body read already, then the connection's own messages (a disconnect)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}
    return replay


async def _refuse(scope: Scope, receive: Receive, send: Send, status: int, code: str,
                  message: str, headers: Any = None) -> None:
    response = error_response(status, code, message, headers=headers)
    # The body is left unread: the server closes the connection rather than take it in.
    response.headers["connection"] = "close"
    await response(scope, receive, send)
