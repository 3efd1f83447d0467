"""Commands of the reading area: `accords watch` (feeds) and `accords stories` (syndicated copies)."""

from typing import Optional

import typer


def register(app: typer.Typer) -> None:
    from accords.commands import watch

    watch.register(app)
    _register_stories(app)


def _register_stories(app: typer.Typer) -> None:
    from accords.cli import (DB_HELP, EXIT_CODES, OutputFormat, _command, _emit, _nothing, _open_store, _short,
                             _table)

    @app.command(epilog=EXIT_CODES)
    @_command
    def stories(doc: Optional[str] = typer.Argument(None, help="Only the story of this document id.", metavar="[DOC]"),
                min_copies: int = typer.Option(2, "--min-copies", min=1,
                                               help="Only stories printed by at least N documents."),
                limit: int = typer.Option(50, "--limit", min=0, help="At most N stories (0: all)."),
                db: Optional[str] = typer.Option(None, "--db", help=DB_HELP, metavar="URL"),
                fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", "-f",
                                                 help="table, json or csv.")) -> None:
        """Syndicated stories: one wire text reprinted by several outlets, stored once per copy, counted once."""
        from accords import dedup

        with _open_store(db) as store:
            dedup.assign_pending(store)
            if doc:
                one = dedup.story_of(store, doc)
                found = [one] if one else []
            else:
                found = dedup.stories(store, min_copies=min_copies, limit=limit or None)
        data = [s.to_dict() for s in found]

        def rows():
            for s in found:
                for d in s.documents:
                    yield {"story_id": s.story_id, "copies": len(s.documents), **d}

        def tables():
            if not found:
                return [_nothing("no stories with several copies" if not doc else f"no document {doc!r}")]
            return [_table(f"{len(found)} stories", ["Story", "Copies", "Outlets", "Published", "Title"],
                           [[s.story_id, len(s.documents), ", ".join(s.outlets),
                             min((d["published"] or "" for d in s.documents), default=""),
                             _short(s.documents[0].get("title") or "", 60)] for s in found])]

        _emit(fmt, data, rows, tables)
