"""`accords db migrate | stats | copy`: look after the database itself, SQLite or PostgreSQL."""
# No `from __future__ import annotations`: Typer reads the option types at run time, and some are imported in register().

from pathlib import Path
from typing import Any, Optional

import typer

HELP = "The database itself: migrate its schema, show what it holds, copy it to another database."
URL_HELP = "Database file or URL: path, sqlite:///PATH or postgresql+psycopg://USER@HOST/NAME."


def _sqlite_missing(url: str | None) -> str | None:
    """The path of a SQLite database that does not exist yet, else None."""
    from accords.store.engine import is_memory, resolve_url

    sa = resolve_url(url)
    if sa.get_backend_name() == "sqlite" and not is_memory(sa) and not Path(sa.database).exists():
        return sa.database
    return None


def _human(n: int | None) -> str:
    if n is None:
        return "unknown"
    size = float(n)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} B"  # pragma: no cover


def stats(store) -> dict[str, Any]:
    """What `accords db stats` shows: the store's counts plus backend, size on disk and bytes per assertion."""
    out = {"backend": store.backend, **store.stats(), "size_bytes": store.size_bytes()}
    n = out.get("assertions") or 0
    out["bytes_per_assertion"] = round(out["size_bytes"] / n) if n and out["size_bytes"] else None
    return out


def register(app: typer.Typer) -> None:
    from accords.cli import DB_HELP, EXIT_CODES, SKIPPED, OutputFormat, _command, _console, _open_store, _print, \
        _print_json, _say, _table

    db_app = typer.Typer(help=HELP, no_args_is_help=True, epilog=EXIT_CODES)
    app.add_typer(db_app, name="db")

    @db_app.command(epilog=EXIT_CODES)
    @_command
    def migrate(db: Optional[str] = typer.Option(None, "--db", help=DB_HELP, metavar="URL"),
                dry_run: bool = typer.Option(False, "--dry-run", help="Only list the migrations that would run.")
                ) -> None:
        """Bring the database's schema up to date (creating the database when missing), and say what ran.

        Every command does this when it opens a database; run it on its own to upgrade a
        shared PostgreSQL database once, before many ingest processes start.
        """
        from accords.store import pending_migrations
        from accords.store.migrations import LATEST, MIGRATIONS

        if dry_run:
            missing = _sqlite_missing(db)
            version, pending = (0, [(n, d) for n, d, _ in MIGRATIONS]) if missing else pending_migrations(db)
            where = f"no database at {missing} yet" if missing else f"schema version {version}"
            if not pending:
                typer.echo(f"{where}: up to date")
                return
            typer.echo(f"{where}: {len(pending)} migrations would run, up to version {LATEST}:")
            for n, description in pending:
                typer.echo(f"  {n}  {description}")
            return
        with _open_store(db, must_exist=False) as store:
            applied = store.migrations_applied
            url = store.url
        described = dict((n, d) for n, d, _ in MIGRATIONS)
        if not applied:
            typer.echo(f"{url}: schema version {LATEST}, up to date")
            return
        typer.echo(f"{url}: migrated to schema version {LATEST}; applied:")
        for n in applied:
            typer.echo(f"  {n}  {described[n]}")

    @db_app.command("stats", epilog=EXIT_CODES)
    @_command
    def stats_(db: Optional[str] = typer.Option(None, "--db", help=DB_HELP, metavar="URL"),
               fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", "-f", help="table or json.")
               ) -> None:
        """Backend, schema version, size on disk, and counts of documents, assertions, entities and facts."""
        with _open_store(db) as store:
            data = stats(store)
        if fmt is not OutputFormat.table:
            _print_json(data)
            return
        rows = [["backend", data["backend"]], ["database", data["url"]], ["schema version", data["schema_version"]],
                ["size on disk", _human(data["size_bytes"])], ["documents", data["documents"]],
                ["assertions", data["assertions"]],
                ["bytes per assertion", data["bytes_per_assertion"] if data["bytes_per_assertion"] else "—"],
                ["entities", data["entities"]],
                ["published", f"{data['published_first'] or '—'} … {data['published_last'] or '—'}"],
                ["memberships", data["memberships"]], ["relations", data["relations"]],
                ["summits", data["summits"]],
                ["facts", "stale: rebuilt on the next question" if data["facts_stale"] else "up to date"]]
        rows += [[f"  {k}", v] for k, v in data["assertions_by_type"].items()]
        _print(_table(None, ["", "value"], rows))

    @db_app.command(epilog=EXIT_CODES)
    @_command
    def copy(source: str = typer.Option(..., "--from", help=URL_HELP + " Must exist.", metavar="URL"),
             target: str = typer.Option(..., "--to", help=URL_HELP + " Created and migrated when missing.",
                                        metavar="URL"),
             batch_size: int = typer.Option(500, "--batch-size", min=1, help="Documents per transaction.")
             ) -> None:
        """Copy every document and assertion to another database (e.g. a laptop's SQLite to PostgreSQL).

        Ingest times and order are kept; content the target already has is skipped, so an
        interrupted copy is simply rerun, and several databases can be merged into one.
        The facts are rebuilt in the target when first asked for.
        """
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        err = _console(stderr=True)
        with _open_store(source) as src, _open_store(target, must_exist=False) as dst:
            if src.url == dst.url:
                from accords.cli import UsageError

                raise UsageError(f"--from and --to are the same database ({src.url})")
            total = src.stats()["documents"]
            progress = Progress(SpinnerColumn(), TextColumn("copying {task.completed:.0f}/{task.total:.0f} "
                                                            "documents"), TimeElapsedColumn(), console=err,
                                transient=True, disable=not err.is_terminal)
            with progress:
                task = progress.add_task("copy", total=total)

                def advance(r) -> None:
                    progress.update(task, completed=len(r.added) + len(r.skipped) + len(r.failed))

                report = dst.copy_from(src, batch_size=batch_size, progress=advance)
            facts = dst.stats()["assertions"]
            shown_src, shown_dst = src.url, dst.url
        for doc_id, message in report.failed:
            _say(f"skipped {doc_id}: {message}", "red")
        typer.echo(f"copied {len(report.added)} documents from {shown_src} to {shown_dst}, "
                   f"{len(report.skipped)} already there, {len(report.failed)} failed; "
                   f"the target holds {facts} assertions")
        if report.failed:
            raise typer.Exit(SKIPPED)
