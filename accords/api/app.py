"""The application factory: one Store, the JSON routes, the web pages, static files, one error shape."""
from __future__ import annotations

import os
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

from accords import __version__
from accords.api import errors, routes, web
from accords.api.auth import TOKEN_ENV, valid
from accords.errors import AccordsError
from accords.store import open_store

STATIC = Path(__file__).with_name("static")
OPEN_PATHS = ("/static/", "/login")  # reachable without the token on a private server

DESCRIPTION = """Sourced, time-aware facts about international relations, extracted from news articles.

Every fact record follows the public record of the project's design (doc, type, subject, object,
participants, date, status, evidence, confidence, codes, extractor), with its database `id`.
Every error is `{"ok": false, "error": "...", "status": N}`. Reads are open unless the server runs
with `--private`; `POST /documents` needs `Authorization: Bearer $ACCORDS_API_TOKEN`.
The web page is at `/`."""


def create_app(store_url: str | os.PathLike | None = None, *, token: str | None = None,
               private: bool = False) -> FastAPI:
    """The FastAPI application over the store at `store_url` (see accords.store.open_store).

    token: the bearer token that allows writes (None: the server is read-only);
    private: reads need it too (the web page asks for it once, at /login).
    """
    if private and not token:
        raise AccordsError(f"a private server needs a token: set {TOKEN_ENV} (reads and writes will need it)")
    store = open_store(store_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        yield
        store.close()

    app = FastAPI(title="accords", version=__version__, description=DESCRIPTION, lifespan=lifespan,
                  docs_url="/docs", redoc_url="/redoc", openapi_url="/openapi.json")
    app.state.store = store
    app.state.token = token
    app.state.private = private
    errors.install(app, web.error_page)
    app.include_router(routes.router)
    app.include_router(web.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    _add_components(app)

    if private:
        @app.middleware("http")
        async def _guard(request: Request, call_next):
            path = request.url.path
            if path.startswith(OPEN_PATHS) or valid(request, token):
                return await call_next(request)
            if "text/html" in request.headers.get("accept", ""):
                return RedirectResponse(f"/login?next={quote(path)}", status_code=303)
            return JSONResponse(errors.error_body("this server is private: send 'Authorization: Bearer TOKEN' "
                                                  f"({TOKEN_ENV} on the server)", 401), status_code=401,
                                headers={"WWW-Authenticate": 'Bearer realm="accords"'})

    return app


def _add_components(app: FastAPI) -> None:
    """The request body of POST /documents is read by the corpus reader, so its schema is given by hand."""
    from accords.api.ingest import DOCUMENT_SCHEMA

    build = app.openapi

    def openapi():
        if app.openapi_schema:
            return app.openapi_schema
        schema = build()
        schema.setdefault("components", {}).setdefault("schemas", {})["DocumentIn"] = DOCUMENT_SCHEMA
        schema["components"]["securitySchemes"] = {"bearer": {"type": "http", "scheme": "bearer"}}
        post = schema["paths"]["/documents"]["post"]
        post["security"] = [{"bearer": []}]
        return schema

    app.openapi = openapi
