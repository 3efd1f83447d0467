"""Storage: documents, assertions, entities and consolidated facts in SQLite (default) or PostgreSQL.

    store = open_store("data/accords.db")     # or a URL, or None: $ACCORDS_DB, else ./accords.db
    store.ingest(document, assertions)        # False when that content is already stored
    store.memberships(body="abraham-accords") # consolidates first if facts are stale
"""
from __future__ import annotations

import os

from sqlalchemy.exc import SQLAlchemyError

from accords.consolidate import StoredAssertion
from accords.errors import StoreError
from accords.store import engine as _engine
from accords.store.migrations import MIGRATIONS, current_version, migrate
from accords.store.store import IngestReport, Store, StoredDocument

__all__ = ["open_store", "pending_migrations", "Store", "StoredAssertion", "StoredDocument", "IngestReport"]


def open_store(url: str | os.PathLike | None = None) -> Store:
    """Open (creating and migrating as needed) the store at a path or SQLAlchemy URL.

    None means $ACCORDS_DB, else `accords.db` in the current directory;
    ':memory:' an in-memory SQLite database. Raises StoreError when the
    database cannot be opened or migrated.
    """
    sa_url = _engine.resolve_url(url)
    shown = sa_url.render_as_string(hide_password=True)
    eng = _engine.create(sa_url)
    try:
        with eng.execution_options(**{_engine.WRITE_OPTION: True}).begin() as conn:
            applied = migrate(conn)
    except StoreError:
        eng.dispose()
        raise
    except (SQLAlchemyError, OSError) as exc:
        eng.dispose()
        raise StoreError(f"cannot open the database {shown}: {getattr(exc, 'orig', None) or exc}. "
                         "Check the path and its permissions, or choose another with --db / ACCORDS_DB") \
            from exc
    store = Store(eng, shown)
    store.migrations_applied = applied
    return store


def pending_migrations(url: str | os.PathLike | None = None) -> tuple[int, list[tuple[int, str]]]:
    """The schema version of the database at `url` and the migrations opening it would run; changes nothing."""
    sa_url = _engine.resolve_url(url)
    eng = _engine.create(sa_url)
    try:
        with eng.connect() as conn:
            version = current_version(conn)
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot read the database {sa_url.render_as_string(hide_password=True)}: "
                         f"{getattr(exc, 'orig', None) or exc}") from exc
    finally:
        eng.dispose()
    return version, [(n, description) for n, description, _ in MIGRATIONS if n > version]
