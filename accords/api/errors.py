"""One error shape for every answer: {"ok": false, "error": "...", "status": N}.

AccordsError subclasses carry their own HTTP status; HTTP and validation errors
raised by FastAPI get the same body. A request for a web page gets the same
message as an HTML page instead.
"""
from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from accords.errors import AccordsError


class ApiError(AccordsError):
    """An error with an explicit HTTP status (authentication, size limits, bad parameters)."""

    def __init__(self, message: str, status: int = 400, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.headers = headers or {}


class ErrorBody(BaseModel):
    ok: bool = False
    error: str
    status: int


def error_body(message: str, status: int) -> dict[str, Any]:
    return {"ok": False, "error": message, "status": status}


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody, "description": text}
    for code, text in [(400, "Bad request: a parameter or document that cannot be used"),
                       (401, "A bearer token is needed (Authorization: Bearer $ACCORDS_API_TOKEN)"),
                       (403, "Not allowed: writes are disabled on this server"),
                       (404, "Unknown entity, document or path"),
                       (413, "The request is too large"),
                       (422, "A parameter of the wrong type"),
                       (500, "The database failed")]}


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("query", "path", "body"))
        parts.append(f"{where or 'request'}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) + " (see /docs for the parameters)"


def install(app: FastAPI, render_html) -> None:
    """Answer every error in the one shape; `render_html(request, message, status)` for web pages."""

    def answer(request: Request, message: str, status: int, headers: dict[str, str] | None = None):
        if getattr(request.state, "html", False) or _wants_html(request, status):
            return render_html(request, message, status)
        return JSONResponse(error_body(message, status), status_code=status, headers=headers)

    @app.exception_handler(AccordsError)
    async def _accords(request: Request, exc: AccordsError):
        return answer(request, exc.message, int(getattr(exc, "status", 400)), getattr(exc, "headers", None))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        message = exc.detail if isinstance(exc.detail, str) else "error"
        if exc.status_code == 404 and message == "Not Found":
            message = f"no such path: {request.url.path} (the API is described at /docs)"
        headers = getattr(exc, "headers", None)
        if exc.status_code == 405:
            allowed = _allowed(request)
            message = f"{request.method} is not allowed on {request.url.path}; use {', '.join(allowed)} (see /docs)"
            headers = {**(headers or {}), "Allow": ", ".join(allowed)}
        return answer(request, message, exc.status_code, headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        return answer(request, _validation_message(exc), 422)

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception):  # a bug: still one shape, never a traceback
        return answer(request, f"internal error ({type(exc).__name__}); please report it", 500)


def _allowed(request: Request) -> list[str]:
    """Every method some route accepts on this path (Starlette names only the first route's)."""
    from starlette.routing import Match

    def walk(routes):
        for route in routes:
            inner = getattr(route, "original_router", None)  # an included router
            if inner is not None:
                yield from walk(inner.routes)
            else:
                yield route

    methods: set[str] = set()
    for route in walk(request.app.routes):
        methods_of = getattr(route, "methods", None)
        if methods_of and route.matches({**request.scope, "method": next(iter(methods_of))})[0] != Match.NONE:
            methods |= set(methods_of)
    return sorted(methods)


def _wants_html(request: Request, status: int) -> bool:
    """A browser asking for a page that does not exist (no route marked it as API or web)."""
    return status == 404 and "text/html" in request.headers.get("accept", "")
