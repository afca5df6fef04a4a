"""Who may write: reads are open; writes need ``Authorization: Bearer <token>``.

Without a configured token the API is read-only (403 on every write), so that a server
started without thinking about it cannot be filled by anyone who finds it.
"""

from __future__ import annotations

import hmac

from fastapi import HTTPException, Request

__all__ = ["require_writer", "writer_refusal"]

_CHALLENGE = {"WWW-Authenticate": "Bearer"}


def _bearer(header: str | None) -> str | None:
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def writer_refusal(expected: str | None, authorization: str | None) -> HTTPException | None:
    """Why a write with this ``Authorization`` header is refused, or None if it may go on.

    Reads headers only, so that the body-size guard can refuse before reading any body."""
    if not expected:
        return HTTPException(403, "this server is read-only: start it with a token "
                                  "(SITREP_API_TOKEN or --token) to accept writes")
    given = _bearer(authorization)
    if given is None:
        return HTTPException(401, "missing token: send 'Authorization: Bearer <token>'",
                             headers=_CHALLENGE)
    if not hmac.compare_digest(given.encode(), expected.encode()):
        return HTTPException(401, "wrong token", headers=_CHALLENGE)
    return None


def require_writer(request: Request) -> None:
    refusal = writer_refusal(request.app.state.token, request.headers.get("authorization"))
    if refusal is not None:
        raise refusal
