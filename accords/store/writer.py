"""Bulk writes: many documents with their assertions in one transaction, a few statements per batch.

`prepare()` checks a document and its assertions and turns them into rows, in
Python, before the database is touched: a malformed one is refused alone.
`write()` then stores a batch of prepared documents with one executemany per
table (SQLAlchemy sends them as multi-row INSERTs), inside the caller's
transaction:

- documents go in with INSERT ... ON CONFLICT DO NOTHING, so several processes
  ingesting overlapping corpora into one PostgreSQL (or SQLite) database never
  store a document twice, and a duplicate does not abort the transaction; the
  unique constraints (documents.id, documents.content_hash, assertions
  (doc_id, extractor, seq)) are what guarantees it;
- assertions of the documents actually inserted follow, then their entity
  links; entities are upserted (a new name or kind wins) only when new or
  changed, in id order, so concurrent writers rarely wait on each other and
  always take row locks in the same order;
- data_generation grows once per batch, which marks the facts stale.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import JSON, Connection, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from accords.consolidate import date_floor, precision_of
from accords.errors import StoreError
from accords.model import Assertion, Document, Entity, EventType, Status
from accords.store import schema as t

ADDED, SKIPPED, FAILED = "added", "skipped", "failed"


@dataclass
class Prepared:
    """A document and its assertions as rows, checked and ready to insert."""

    document: Document
    row: dict[str, Any]
    assertions: list[dict[str, Any]] = field(default_factory=list)
    links: list[list[tuple[str, str]]] = field(default_factory=list)  # per assertion: (role, entity id)
    entities: dict[str, Entity] = field(default_factory=dict)


def id_clash(doc_id: str) -> str:
    return (f"a different document with id {doc_id!r} is already stored; give this one another id "
            "(or let it default to its content hash)")


def published_iso(value: Any) -> str | None:
    from datetime import date, datetime

    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if precision_of(str(value)) is None:
        raise ValueError(f"published date {value!r} is not ISO YYYY[-MM[-DD]]")
    return date_floor(str(value)).isoformat()


def prepare(document: Document, assertions: list[Assertion], now: str) -> Prepared:
    """Rows for a document and its assertions; ValueError (or StoreError) when something is malformed."""
    if not isinstance(document.text, str) or not document.id:
        raise ValueError("the document has no id or no text")
    p = Prepared(document, {
        "id": document.id, "content_hash": document.content_hash, "url": document.url, "title": document.title,
        "outlet": document.outlet, "published": published_iso(document.published),
        "published_precision": document.published_precision, "published_source": document.published_source,
        "text": document.text, "language": document.language, "source": document.source, "ingested_at": now})
    for n, a in enumerate(assertions):
        p.assertions.append(assertion_row(document.id, n, a, now))
        named = [("subject", a.subject), ("object", a.object)] + [("participant", e) for e in a.participants]
        p.links.append(sorted({(role, e.id) for role, e in named}))
        for _, e in named:
            p.entities[e.id] = e
    return p


def assertion_row(doc_id: str, n: int, a: Assertion, now: str) -> dict[str, Any]:
    where = f"assertion {n} of document {doc_id!r}"
    if a.doc != doc_id:
        raise ValueError(f"{where} names document {a.doc!r}")
    rec = a.to_record()  # raises on a malformed type, status or entity
    EventType(rec["type"]), Status(rec["status"])
    if a.date is not None and precision_of(a.date) is None:
        raise ValueError(f"{where} has date {a.date!r}, not ISO YYYY[-MM[-DD]]")
    for e in [a.subject, a.object, *a.participants]:
        if not (isinstance(e, Entity) and e.id and e.name and e.kind):
            raise ValueError(f"{where} names an entity without id, name or kind: {e!r}")
    if not isinstance(a.evidence.text, str):
        raise ValueError(f"{where} has no evidence sentence")
    return {
        "doc_id": doc_id, "seq": n, "type": rec["type"],
        "subject_id": a.subject.id, "subject_name": a.subject.name, "subject_kind": a.subject.kind,
        "object_id": a.object.id, "object_name": a.object.name, "object_kind": a.object.kind,
        "participants": rec["participants"], "date": a.date,
        "date_precision": a.date_precision or precision_of(a.date), "date_text": a.date_text,
        "date_role": a.date_role or "event", "status": rec["status"], "evidence_text": a.evidence.text,
        "evidence_start": int(a.evidence.start), "evidence_end": int(a.evidence.end),
        "confidence": float(a.confidence), "extractor": a.extractor, "attribution": a.attribution,
        "details": a.extra or None, "record": rec, "ingested_at": now,
    }


def _insert_ignoring_conflicts(conn: Connection, table):
    """INSERT ... ON CONFLICT DO NOTHING where the dialect has it (SQLite, PostgreSQL), else a plain INSERT."""
    name = conn.dialect.name
    if name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    if name == "sqlite":
        return sqlite.insert(table).on_conflict_do_nothing()
    return insert(table)


def write(conn: Connection, batch: list[Prepared]) -> list[tuple[str, str, str | None]]:
    """Store a batch in the caller's transaction; (outcome, document id, message) per document, in order.

    Raises SQLAlchemyError when the batch as a whole cannot be written (the
    caller rolls back and may retry the documents one by one).
    """
    d = t.documents.c
    outcome: dict[int, tuple[str, str, str | None]] = {}
    first_of: dict[str, int] = {}  # content hash -> index of its first document in the batch
    ids: dict[str, int] = {}
    for i, p in enumerate(batch):
        h, doc_id = p.row["content_hash"], p.row["id"]
        if h in first_of:
            outcome[i] = (SKIPPED, doc_id, None)
        elif doc_id in ids:
            outcome[i] = (FAILED, doc_id, id_clash(doc_id))
        else:
            first_of[h], ids[doc_id] = i, i
    if ids:
        stored = conn.execute(select(d.content_hash).where(d.content_hash.in_(list(first_of)))).scalars()
        for h in stored:
            i = first_of.pop(h)
            outcome[i] = (SKIPPED, batch[i].row["id"], None)
    todo = sorted(first_of.values(), key=lambda i: batch[i].row["content_hash"])  # one lock order for all
    if todo:
        taken = dict(conn.execute(select(d.id, d.content_hash).where(d.id.in_([batch[i].row["id"] for i in todo]))
                                  ).all())
        for i in [i for i in todo if batch[i].row["id"] in taken]:
            row = batch[i].row  # the same content may have just been stored by a concurrent writer
            outcome[i] = (SKIPPED, row["id"], None) if taken[row["id"]] == row["content_hash"] \
                else (FAILED, row["id"], id_clash(row["id"]))
        todo = [i for i in todo if i not in outcome]
    if todo:
        upsert_entities(conn, [e for i in todo for e in batch[i].entities.values()])
        inserted = set(conn.execute(_insert_ignoring_conflicts(conn, t.documents).returning(d.id),
                                    [batch[i].row for i in todo]).scalars())
        lost = [i for i in todo if batch[i].row["id"] not in inserted]  # a concurrent writer was first
        if lost:
            now_stored = set(conn.execute(select(d.content_hash).where(
                d.content_hash.in_([batch[i].row["content_hash"] for i in lost]))).scalars())
            for i in lost:
                row = batch[i].row
                outcome[i] = (SKIPPED, row["id"], None) if row["content_hash"] in now_stored \
                    else (FAILED, row["id"], id_clash(row["id"]))
        new = sorted(i for i in todo if i not in outcome)  # input order: assertion ids follow it
        _insert_assertions(conn, [batch[i] for i in new])
        for i in new:
            outcome[i] = (ADDED, batch[i].row["id"], None)
        if new:
            conn.execute(update(t.meta).where(t.meta.c.key == "data_generation").values(value=t.meta.c.value + 1))
    return [outcome[i] for i in range(len(batch))]


def _insert_assertions(conn: Connection, batch: list[Prepared]) -> None:
    """One executemany for the assertions (no RETURNING, which SQLite can only do row by row), then their ids
    by (doc_id, seq) through the unique index, then one executemany for the entity links."""
    rows = [r for p in batch for r in p.assertions]
    if not rows:
        return
    a = t.assertions.c
    bulk_insert(conn, t.assertions, rows)
    docs = [p.row["id"] for p in batch if p.assertions]
    ids = {(doc_id, seq): aid for aid, doc_id, seq in conn.execute(
        select(a.id, a.doc_id, a.seq).where(a.doc_id.in_(docs)))}
    bulk_insert(conn, t.assertion_entities, [
        {"assertion_id": ids[(p.row["id"], n)], "entity_id": eid, "role": role}
        for p in batch for n, pairs in enumerate(p.links) for role, eid in pairs])


def bulk_insert(conn: Connection, table, rows: list[dict[str, Any]]) -> None:
    """Rows (dicts with the same keys) into a table: COPY on PostgreSQL (in the caller's transaction), else
    one executemany. A serial id given in the rows is kept (the PostgreSQL sequence is not advanced)."""
    if not rows:
        return
    if conn.dialect.name != "postgresql":
        conn.execute(insert(table), rows)
        return
    columns = [c for c in table.columns if c.name in rows[0]]
    as_json = {c.name for c in columns if isinstance(c.type, JSON)}
    names = ", ".join(c.name for c in columns)
    cursor = conn.connection.driver_connection.cursor()
    with cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
        for r in rows:
            copy.write_row([json.dumps(r.get(c.name)) if c.name in as_json and r.get(c.name) is not None
                            else r.get(c.name) for c in columns])


def upsert_entities(conn: Connection, entities: list[Entity]) -> None:
    """Insert new entities and update changed ones (the latest name and kind win), in id order."""
    wanted: dict[str, Entity] = {}
    for e in entities:
        wanted[e.id] = e
    if not wanted:
        return
    e_ = t.entities.c
    known = {r.id: (r.name, r.kind) for r in conn.execute(
        select(e_.id, e_.name, e_.kind).where(e_.id.in_(list(wanted))))}
    rows = [{"id": k, "name": wanted[k].name, "kind": wanted[k].kind} for k in sorted(wanted)
            if known.get(k) != (wanted[k].name, wanted[k].kind)]
    if not rows:
        return
    dialect = conn.dialect.name
    if dialect in ("sqlite", "postgresql"):
        ins = (sqlite.insert if dialect == "sqlite" else postgresql.insert)(t.entities)
        conn.execute(ins.on_conflict_do_update(index_elements=[e_.id],
                                               set_={"name": ins.excluded.name, "kind": ins.excluded.kind}), rows)
        return
    new = [r for r in rows if r["id"] not in known]
    if new:
        conn.execute(insert(t.entities), new)
    for r in rows:
        if r["id"] in known:
            conn.execute(update(t.entities).where(e_.id == r["id"]).values(name=r["name"], kind=r["kind"]))


def error_for(document: Document, exc: Exception, url: str) -> StoreError:
    """The StoreError to report for a document that could not be stored."""
    from sqlalchemy.exc import IntegrityError, SQLAlchemyError

    if isinstance(exc, StoreError):
        return exc
    if isinstance(exc, IntegrityError):
        return StoreError(f"document {document.id!r} could not be stored: {exc.orig}")
    if isinstance(exc, SQLAlchemyError):
        return StoreError(f"document {document.id!r} could not be stored in {url}: {getattr(exc, 'orig', exc)}")
    return StoreError(f"document {document.id!r} has a malformed assertion ({exc}); nothing of it was stored")
