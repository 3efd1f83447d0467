"""The HTTP API and the web page: a FastAPI application over one Store.

    from accords.api import create_app
    app = create_app("accords.db", token="s3cret")      # then: uvicorn, or `accords serve`

JSON endpoints (documented at /openapi.json and /docs) answer with the same
records as the CLI; every error is {"ok": false, "error": "...", "status": N}.
The web page (/, /body/ID, /country/ID, /article/DOC, /find) is rendered on the
server from Jinja2 templates and works offline: its scripts, style and world
map ship in accords/api/static.
"""
from accords.api.app import create_app

__all__ = ["create_app"]
