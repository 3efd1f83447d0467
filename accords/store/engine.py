"""Turning a path or URL into a configured SQLAlchemy engine.

SQLite (the default) gets foreign keys, WAL, `synchronous=NORMAL` and a busy
timeout on every connection. pysqlite's own transaction handling is switched
off so that SQLAlchemy's `begin()` emits the BEGIN: `BEGIN IMMEDIATE` on the
writer engine (one writer at a time, no lock upgrades mid-transaction), plain
`BEGIN` for readers. Any other database URL (e.g. postgresql+psycopg://...)
is used as is.
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import URL, Engine, create_engine, event, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.pool import StaticPool

from accords.errors import StoreError

DEFAULT_PATH = "accords.db"
ENV_VAR = "ACCORDS_DB"
WRITE_OPTION = "accords_write"


def resolve_url(target: str | os.PathLike | None) -> URL:
    """A SQLAlchemy URL from a URL, a filesystem path, ':memory:', or None (ACCORDS_DB, else ./accords.db)."""
    if target is None:
        target = os.environ.get(ENV_VAR) or DEFAULT_PATH
    text = os.fspath(target)
    if text == ":memory:":
        return make_url("sqlite://")
    if "://" in text:
        try:
            return make_url(text)
        except ArgumentError as exc:
            raise StoreError(f"cannot read the database URL {text!r}: {exc}. Give a file path or a URL "
                             "such as sqlite:///accords.db or postgresql+psycopg://user@host/accords") from exc
    return URL.create("sqlite", database=str(Path(text).expanduser().resolve()))


def is_memory(url: URL) -> bool:
    return url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:")


def create(url: URL) -> Engine:
    """An engine for `url`, with the SQLite settings above; parent directories are created."""
    kwargs: dict = {}
    if url.get_backend_name() == "sqlite":
        if is_memory(url):
            # One shared connection, so every thread sees the same in-memory database.
            kwargs.update(poolclass=StaticPool, connect_args={"check_same_thread": False})
        else:
            path = Path(url.database)
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create the directory for the database {path}: {exc}. "
                                 "Choose another path (--db or ACCORDS_DB)") from exc
            kwargs.update(connect_args={"check_same_thread": False, "timeout": 30})
    try:
        engine = create_engine(url, **kwargs)
    except (NoSuchModuleError, ModuleNotFoundError, ImportError) as exc:
        raise StoreError(f"no database driver for {url.render_as_string(hide_password=True)}: {exc}. "
                         "Install the driver (e.g. pip install 'psycopg[binary]') or use SQLite") from exc
    except ArgumentError as exc:
        raise StoreError(f"cannot use the database URL {url.render_as_string(hide_password=True)}: {exc}") \
            from exc
    if url.get_backend_name() == "sqlite":
        _configure_sqlite(engine, memory=is_memory(url))
    return engine


def _configure_sqlite(engine: Engine, memory: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # pragma: no cover - exercised by every test
        dbapi_connection.isolation_level = None  # SQLAlchemy's begin() below emits BEGIN itself
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        if not memory:
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        write = conn.get_execution_options().get(WRITE_OPTION)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


@contextmanager
def temporary_database(server_url: str) -> Iterator[str]:
    """A new, empty PostgreSQL database on the server of `server_url`, dropped on exit; yields its URL.

    For tests and benchmarks that need a database of their own (CREATE DATABASE rights needed).
    """
    import uuid

    admin = create_engine(make_url(server_url), isolation_level="AUTOCOMMIT")
    name = f"accords_tmp_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()
