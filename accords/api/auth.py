"""Bearer tokens: writes need ACCORDS_API_TOKEN; with --private, reads do too.

A browser cannot send an Authorization header by itself, so the web page's
/login form stores the token in an HttpOnly cookie that counts the same.
"""
from __future__ import annotations

import secrets

from fastapi import Request

from accords.api.errors import ApiError

TOKEN_ENV = "ACCORDS_API_TOKEN"
COOKIE = "accords_token"
CHALLENGE = {"WWW-Authenticate": 'Bearer realm="accords"'}


def presented(request: Request) -> str | None:
    """The token a request carries: Authorization: Bearer X, else the login cookie."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.cookies.get(COOKIE) or None


def valid(request: Request, token: str | None) -> bool:
    given = presented(request)
    return bool(token and given and secrets.compare_digest(given.encode(), token.encode()))


def require_writer(request: Request) -> None:
    """Dependency of every write: a configured token, presented."""
    token = request.app.state.token
    if not token:
        raise ApiError(f"writes are disabled on this server; start it with {TOKEN_ENV} set to a secret and "
                       "send it as 'Authorization: Bearer TOKEN'", 403)
    if not valid(request, token):
        raise ApiError(f"this needs the server's token: send 'Authorization: Bearer TOKEN' ({TOKEN_ENV} on the "
                       "server)", 401, CHALLENGE)
