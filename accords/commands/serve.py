"""`accords serve`: the HTTP API and the web page, with uvicorn."""
from __future__ import annotations

import os
from typing import Optional

import typer

HELP = ("Serve the HTTP API (OpenAPI at /openapi.json, docs at /docs) and the web page (/) over a database. "
        "Reads are open unless --private; POST /documents needs 'Authorization: Bearer $ACCORDS_API_TOKEN'.")


def register(app: typer.Typer) -> None:
    from accords.cli import DB_HELP, EXIT_CODES, FAILED, _say

    @app.command(help=HELP, epilog=EXIT_CODES)
    def serve(host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (0.0.0.0: every "
                                                                   "interface)."),
              port: int = typer.Option(8000, "--port", help="Port to listen on."),
              db: Optional[str] = typer.Option(None, "--db", help=DB_HELP + " Created when missing.",
                                               metavar="URL"),
              private: bool = typer.Option(False, "--private", help="Reads need the token too (the web page "
                                                                    "asks for it at /login)."),
              workers: int = typer.Option(1, "--workers", min=1, help="Worker processes."),
              log_level: str = typer.Option("info", "--log-level", help="uvicorn log level: critical, error, "
                                                                         "warning, info, debug.")) -> None:
        from accords.api.auth import TOKEN_ENV
        from accords.errors import AccordsError

        try:
            import uvicorn

            from accords.api import create_app
        except ImportError as exc:
            _say(f"the server needs its extra ({exc.name} is missing): pip install 'accords[server]'", "red")
            raise typer.Exit(FAILED) from None
        token = os.environ.get(TOKEN_ENV) or None
        try:
            application = create_app(db, token=token, private=private)
        except AccordsError as exc:
            _say(exc.message, "red")
            raise typer.Exit(FAILED) from None
        writes = "writes with the bearer token" if token else f"read-only (set {TOKEN_ENV} to allow writes)"
        _say(f"serving {application.state.store.url} on http://{host}:{port}/ — {writes}"
             f"{', private' if private else ''}")
        if workers > 1:
            application.state.store.close()
            os.environ["ACCORDS_SERVE_DB"] = db or ""
            os.environ["ACCORDS_SERVE_PRIVATE"] = "1" if private else ""
            uvicorn.run("accords.commands.serve:from_environment", factory=True, host=host, port=port,
                        workers=workers, log_level=log_level)
        else:
            uvicorn.run(application, host=host, port=port, log_level=log_level)


def from_environment():
    """The app for each worker process of `accords serve --workers N` (settings passed by environment)."""
    from accords.api import create_app
    from accords.api.auth import TOKEN_ENV

    return create_app(os.environ.get("ACCORDS_SERVE_DB") or None, token=os.environ.get(TOKEN_ENV) or None,
                      private=bool(os.environ.get("ACCORDS_SERVE_PRIVATE")))
