"""Who may write: reads are open; writes need ``Authorization: Bearer <token>``.

Without a configured token the API is read-only (403 on every write), so that a server
started without thinking about it cannot be filled by anyone who finds it.
"""

from __future__ import annotations

import hmac

from fastapi import HTTPException, Request

__all__ = ["require_writer"]

_CHALLENGE = {"WWW-Authenticate": "Bearer"}


def _bearer(header: str | None) -> str | None:
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def require_writer(request: Request) -> None:
    expected: str | None = request.app.state.token
    if not expected:
        raise HTTPException(403, "this server is read-only: start it with a token "
                                 "(SITREP_API_TOKEN or --token) to accept writes")
    given = _bearer(request.headers.get("authorization"))
    if given is None:
        raise HTTPException(401, "missing token: send 'Authorization: Bearer <token>'",
                            headers=_CHALLENGE)
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise HTTPException(401, "wrong token", headers=_CHALLENGE)
