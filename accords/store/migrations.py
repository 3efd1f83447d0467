"""Numbered schema migrations, run in one transaction when a store is opened.

Each migration is (version, description, function(connection)). `migrate()`
applies those above the database's recorded version, in order, and records
each in `schema_version`; opening an up-to-date database does nothing.

To change the schema: edit schema.py and append a migration that brings an
existing database there (e.g. `ALTER TABLE ... ADD COLUMN`, guarded with
`_has_column` so a fresh database, created from the current schema.py by
migration 1, is left alone). Never edit or renumber a released migration.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Callable

from sqlalchemy import Connection, func, inspect, select

from accords.errors import StoreError
from accords.store import schema

Migration = tuple[int, str, Callable[[Connection], None]]


def _initial(conn: Connection) -> None:
    tables = [t for t in schema.metadata.sorted_tables if t.name != "schema_version"]
    schema.metadata.create_all(conn, tables=tables, checkfirst=True)
    existing = {row.key for row in conn.execute(select(schema.meta.c.key))}
    for key in ("data_generation", "facts_generation"):
        if key not in existing:
            conn.execute(schema.meta.insert().values(key=key, value=0))


def _has_column(conn: Connection, table: str, column: str) -> bool:
    return any(c["name"] == column for c in inspect(conn).get_columns(table))


# Full-text search over evidence sentences and entity names (SQLite FTS5; other databases
# search with LIKE until they get their own index). External-content tables kept in step by
# triggers, so the store's writers need not know about them.
_FTS = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS assertions_fts USING fts5(evidence_text, subject_name, object_name, "
    "content='assertions', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS assertions_fts_ai AFTER INSERT ON assertions BEGIN "
    "INSERT INTO assertions_fts(rowid, evidence_text, subject_name, object_name) "
    "VALUES (new.id, new.evidence_text, new.subject_name, new.object_name); END",
    "CREATE TRIGGER IF NOT EXISTS assertions_fts_ad AFTER DELETE ON assertions BEGIN "
    "INSERT INTO assertions_fts(assertions_fts, rowid, evidence_text, subject_name, object_name) "
    "VALUES ('delete', old.id, old.evidence_text, old.subject_name, old.object_name); END",
    "CREATE VIRTUAL TABLE IF NOT EXISTS entities_fts USING fts5(id, name, content='entities', "
    "content_rowid='rowid', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS entities_fts_ai AFTER INSERT ON entities BEGIN "
    "INSERT INTO entities_fts(rowid, id, name) VALUES (new.rowid, new.id, new.name); END",
    "CREATE TRIGGER IF NOT EXISTS entities_fts_ad AFTER DELETE ON entities BEGIN "
    "INSERT INTO entities_fts(entities_fts, rowid, id, name) VALUES ('delete', old.rowid, old.id, old.name); END",
    "CREATE TRIGGER IF NOT EXISTS entities_fts_au AFTER UPDATE ON entities BEGIN "
    "INSERT INTO entities_fts(entities_fts, rowid, id, name) VALUES ('delete', old.rowid, old.id, old.name); "
    "INSERT INTO entities_fts(rowid, id, name) VALUES (new.rowid, new.id, new.name); END",
    "INSERT INTO assertions_fts(assertions_fts) VALUES ('rebuild')",
    "INSERT INTO entities_fts(entities_fts) VALUES ('rebuild')",
]


def _sqlite_fulltext(conn: Connection) -> None:
    if conn.dialect.name != "sqlite":
        return
    for statement in _FTS:
        conn.exec_driver_sql(statement)


def _assertion_seq(conn: Connection) -> None:
    """Number each document's assertions (in id order) and make (doc_id, extractor, seq) unique."""
    if not _has_column(conn, "assertions", "seq"):
        conn.exec_driver_sql("ALTER TABLE assertions ADD COLUMN seq INTEGER")
        conn.exec_driver_sql("UPDATE assertions SET seq = (SELECT count(*) FROM assertions AS b "
                             "WHERE b.doc_id = assertions.doc_id AND b.id < assertions.id)")
    [unique] = [i for i in schema.assertions.indexes if i.name == "uq_assertions_doc_extractor_seq"]
    unique.create(conn, checkfirst=True)


def _postgresql_fulltext(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        schema.evidence_fulltext.create(conn, checkfirst=True)


MIGRATIONS: list[Migration] = [
    (1, "documents, assertions, entities, fact tables", _initial),
    (2, "full-text search of evidence and entity names (SQLite FTS5)", _sqlite_fulltext),
    (3, "assertion sequence numbers, unique per document and extractor", _assertion_seq),
    (4, "full-text search of evidence (PostgreSQL GIN index)", _postgresql_fulltext),
]


def _stories(conn: Connection) -> None:
    """Syndicated copies (accords.dedup): documents.story_id, MinHash signatures and LSH bands; url/source indexes."""
    from sqlalchemy import Column, Index, MetaData, Table, Text

    from accords.dedup import story_bands, story_signatures

    if not _has_column(conn, "documents", "story_id"):
        conn.exec_driver_sql(f"ALTER TABLE documents ADD COLUMN story_id {Text().compile(dialect=conn.dialect)}")
    docs = Table("documents", MetaData(), Column("story_id", Text), Column("url", Text), Column("source", Text))
    for column in ("story_id", "url", "source"):  # hash on PostgreSQL: equality only, and no btree size limit
        Index(f"ix_documents_{column}", docs.c[column], postgresql_using="hash").create(conn, checkfirst=True)
    story_signatures.create(conn, checkfirst=True)
    story_bands.create(conn, checkfirst=True)


MIGRATIONS.append((5, "stories: syndicated copies of one text grouped (documents.story_id, signatures, bands)",
                   _stories))


def _document_author(conn: Connection) -> None:
    """documents.author: the byline of web pages and feed entries (written by accords.sources.ingest)."""
    from sqlalchemy import Text

    if not _has_column(conn, "documents", "author"):
        conn.exec_driver_sql(f"ALTER TABLE documents ADD COLUMN author {Text().compile(dialect=conn.dialect)}")


MIGRATIONS.append((6, "documents.author: the byline of web pages and feed entries", _document_author))


def _reference_memberships(conn: Connection) -> None:
    """reference_memberships: curated membership data to compare the news with (accords.kb.reference)."""
    from accords.kb.reference import create_table

    create_table(conn)


MIGRATIONS.append((7, "reference_memberships: curated membership data (accords reference import)",
                   _reference_memberships))

LATEST = MIGRATIONS[-1][0]


def current_version(conn: Connection) -> int:
    if not inspect(conn).has_table("schema_version"):
        return 0
    return conn.execute(select(func.max(schema.schema_version.c.version))).scalar() or 0


def migrate(conn: Connection) -> list[int]:
    """Bring the database to the latest schema inside the caller's transaction; the versions applied."""
    schema.schema_version.create(conn, checkfirst=True)
    version = current_version(conn)
    if version > LATEST:
        raise StoreError(f"the database has schema version {version} but this accords knows only up to "
                         f"{LATEST}; upgrade accords or use another database")
    applied = []
    for number, description, step in MIGRATIONS:
        if number <= version:
            continue
        step(conn)
        conn.execute(schema.schema_version.insert().values(
            version=number, description=description,
            applied_at=datetime.now(timezone.utc).isoformat(timespec="seconds")))
        applied.append(number)
    return applied
