"""The current database schema, as SQLAlchemy Core tables.

Portable across SQLite and PostgreSQL: dates are ISO text (possibly partial:
'2020', '2020-09', '2020-09-15'), timestamps ISO text in UTC, JSON columns use
SQLAlchemy's JSON type (TEXT on SQLite). Migrations (migrations.py) bring a
database to this schema; change both together.
"""
from __future__ import annotations

from sqlalchemy import (JSON, Column, Float, ForeignKey, Index, Integer, MetaData, String, Table, Text,
                        UniqueConstraint, func, text)
from sqlalchemy.dialects import postgresql  # noqa: F401  (registers to_tsvector() before it is used below)

metadata = MetaData()

schema_version = Table(
    "schema_version", metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("description", Text, nullable=False),
    Column("applied_at", String(32), nullable=False),
)

# Counters: data_generation grows with every ingest, facts_generation records the
# data_generation the fact tables were built from. Facts are stale when they differ.
meta = Table(
    "meta", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Integer, nullable=False),
)

documents = Table(
    "documents", metadata,
    Column("id", String, primary_key=True),  # input id or content hash: no length limit
    Column("content_hash", String(64), nullable=False),
    Column("url", Text),
    Column("title", Text),
    Column("outlet", Text),
    Column("published", String(10)),
    Column("published_precision", String(8)),
    Column("published_source", Text),
    Column("text", Text, nullable=False),
    Column("language", String(16)),
    Column("source", Text),
    Column("ingested_at", String(32), nullable=False),
    UniqueConstraint("content_hash", name="uq_documents_content_hash"),
    Index("ix_documents_published", "published"),
)

entities = Table(
    "entities", metadata,
    Column("id", String(255), primary_key=True),
    Column("name", Text, nullable=False),
    Column("kind", String(32), nullable=False),
)

assertions = Table(
    "assertions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("doc_id", String, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("type", String(32), nullable=False),
    Column("subject_id", String(255), nullable=False),
    Column("subject_name", Text, nullable=False),
    Column("subject_kind", String(32), nullable=False),
    Column("object_id", String(255), nullable=False),
    Column("object_name", Text, nullable=False),
    Column("object_kind", String(32), nullable=False),
    Column("participants", JSON, nullable=False),
    Column("date", String(10)),
    Column("date_precision", String(8)),
    Column("date_text", Text),
    Column("date_role", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("evidence_text", Text, nullable=False),
    Column("evidence_start", Integer, nullable=False),
    Column("evidence_end", Integer, nullable=False),
    Column("confidence", Float, nullable=False),
    Column("extractor", String(255), nullable=False),
    Column("attribution", Text),
    Column("details", JSON),
    Column("record", JSON, nullable=False),
    Column("ingested_at", String(32), nullable=False),
    # Position in its document's list of assertions: with the extractor, the identity of an
    # assertion, so the same extraction can never be stored twice (migration 3; NULL never occurs
    # for rows written by accords, but a column added by ALTER TABLE has to allow it).
    Column("seq", Integer),
    Index("uq_assertions_doc_extractor_seq", "doc_id", "extractor", "seq", unique=True),
    Index("ix_assertions_doc_id", "doc_id"),
    Index("ix_assertions_object_id", "object_id"),
    Index("ix_assertions_subject_id", "subject_id"),
    Index("ix_assertions_type", "type"),
    Index("ix_assertions_date", "date"),
)

# Full-text search of evidence sentences on PostgreSQL (migration 4): a GIN index over the
# English tsvector. Queries must use the same expression (EVIDENCE_TSVECTOR) to use it.
EVIDENCE_TSVECTOR = func.to_tsvector(text("'english'::regconfig"), assertions.c.evidence_text)
evidence_fulltext = Index("ix_assertions_evidence_fts", EVIDENCE_TSVECTOR,
                          postgresql_using="gin").ddl_if(dialect="postgresql")

# Every entity an assertion names (subject, object, participant): lets "everything
# about country X" be a portable indexed join instead of a JSON search.
assertion_entities = Table(
    "assertion_entities", metadata,
    Column("assertion_id", Integer, ForeignKey("assertions.id", ondelete="CASCADE"), primary_key=True),
    Column("entity_id", String(255), primary_key=True),
    Column("role", String(16), primary_key=True),
    Index("ix_assertion_entities_entity_id", "entity_id"),
)

# Fact tables: derived by consolidation, rebuilt as a whole. `fact` holds the full
# serialized fact (consolidate.*Fact.to_dict()); the other columns are for filtering.
memberships = Table(
    "memberships", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("member_id", String(255), nullable=False),
    Column("body_id", String(255), nullable=False),
    Column("status", String(16), nullable=False),
    Column("valid_from", String(10)),
    Column("valid_to", String(10)),
    Column("reported", String(10)),
    Column("supporting", JSON, nullable=False),
    Column("contradicting", JSON, nullable=False),
    Column("fact", JSON, nullable=False),
    Index("ix_memberships_body_id", "body_id"),
    Index("ix_memberships_member_id", "member_id"),
)

relations = Table(
    "relations", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("a_id", String(255), nullable=False),
    Column("b_id", String(255), nullable=False),
    Column("status", String(16), nullable=False),
    Column("valid_from", String(10)),
    Column("valid_to", String(10)),
    Column("supporting", JSON, nullable=False),
    Column("contradicting", JSON, nullable=False),
    Column("fact", JSON, nullable=False),
    Index("ix_relations_a_id", "a_id"),
    Index("ix_relations_b_id", "b_id"),
)

summits = Table(
    "summits", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("gathering_id", String(255), nullable=False),
    Column("type", String(16), nullable=False),
    Column("date", String(10)),
    Column("status", String(16), nullable=False),
    Column("supporting", JSON, nullable=False),
    Column("fact", JSON, nullable=False),
    Index("ix_summits_gathering_id", "gathering_id"),
)

summit_participants = Table(
    "summit_participants", metadata,
    Column("summit_id", Integer, ForeignKey("summits.id", ondelete="CASCADE"), primary_key=True),
    Column("entity_id", String(255), primary_key=True),
    Index("ix_summit_participants_entity_id", "entity_id"),
)

FACT_TABLES = (summit_participants, summits, relations, memberships)
