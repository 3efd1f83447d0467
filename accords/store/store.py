"""The Store: documents, assertions and entities in, facts and filtered reads out.

Writes go through one transaction each (`BEGIN IMMEDIATE` on SQLite): a
document and all its assertions are stored together or not at all. Facts are
derived: `ingest` marks them stale, `consolidate` rebuilds every fact table in
one transaction, and the fact readers (`memberships`, `relation_facts`,
`summit_facts`) consolidate first when the facts are stale, so they are
always current.

Reads return model objects: `StoredAssertion` (the `Assertion` plus its
database id and its document's published date, title, outlet, url) and
`StoredDocument` (the `Document` plus its hash, ingest time and assertion
count).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import (Engine, and_, delete, exists, func, insert, inspect, literal_column, or_, select, text,
                        update)
from sqlalchemy.exc import DataError, IntegrityError, SQLAlchemyError

from accords import consolidate as cons
from accords.consolidate import (Facts, MembershipFact, RelationFact, StoredAssertion, SummitFact, date_ceil,
                                 date_floor)
from accords.errors import AccordsError, StoreError
from accords.model import Assertion, Document, Entity, EventType, Status
from accords.store import schema as t
from accords.store import writer
from accords.store.engine import WRITE_OPTION


@dataclass
class StoredDocument:
    document: Document
    content_hash: str
    ingested_at: datetime
    assertions: int = 0

    def to_dict(self, text: bool = False) -> dict[str, Any]:
        d = self.document
        out = {"id": d.id, "url": d.url, "title": d.title, "outlet": d.outlet,
               "published": d.published.isoformat() if d.published else None,
               "published_precision": d.published_precision, "published_source": d.published_source,
               "language": d.language, "source": d.source, "content_hash": self.content_hash,
               "ingested_at": self.ingested_at.isoformat(), "assertions": self.assertions}
        if text:
            out["text"] = d.text
        return out


@dataclass
class IngestReport:
    """What `ingest_many` did: ids added, skipped (content already stored), failed (id, message)."""

    added: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _as_list(value: Any) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, (str, EventType, Status)):
        value = [value]
    return [v.value if isinstance(v, (EventType, Status)) else str(v) for v in value]


def _as_date(value: date | str | None, ceil: bool = False) -> date | None:
    if value is None or isinstance(value, date):
        return value.date() if isinstance(value, datetime) else value
    parsed = date_ceil(value) if ceil else date_floor(value)
    if parsed is None:
        raise AccordsError(f"not a date: {value!r}; use YYYY, YYYY-MM or YYYY-MM-DD")
    return parsed


class Store:
    """A database of documents, assertions, entities and consolidated facts. Use `open_store()`."""

    def __init__(self, engine: Engine, url: str):
        self.engine = engine
        self.url = url  # for messages; password hidden
        self._writer = engine.execution_options(**{WRITE_OPTION: True})
        self.migrations_applied: list[int] = []  # set by open_store: the migrations it ran

    # -- lifecycle --------------------------------------------------------------
    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.url!r})"

    # -- writing ----------------------------------------------------------------
    def ingest(self, document: Document, assertions: list[Assertion]) -> bool:
        """Store a document and its assertions in one transaction.

        False (and nothing written) when a document with the same content is
        already stored, also by a concurrent writer. Raises StoreError, with
        nothing written, when the document or an assertion cannot be stored.
        """
        [(kind, message)] = self.ingest_batch([(document, assertions)])
        if kind == writer.FAILED:
            raise StoreError(message)
        return kind == writer.ADDED

    def ingest_many(self, items: Iterable[tuple[Document, list[Assertion]]], *,
                    batch_size: int = 200) -> IngestReport:
        """Ingest many documents, `batch_size` per transaction, with a few multi-row INSERTs per batch.

        A malformed document is refused alone, reported in `failed`, and the
        others go on; when a batch cannot be written as a whole, its documents
        are retried one transaction each. Content already stored (by an earlier
        run or a concurrent writer) is reported in `skipped`, so a rerun after a
        crash picks up where it stopped.
        """
        report = IngestReport()
        batch: list[tuple[Document, list[Assertion]]] = []
        for item in items:
            batch.append(item)
            if len(batch) >= batch_size:
                self._ingest_batch(batch, report)
                batch = []
        if batch:
            self._ingest_batch(batch, report)
        return report

    def copy_from(self, source: "Store", *, batch_size: int = 500,
                  progress: Callable[[IngestReport], None] | None = None) -> IngestReport:
        """Copy every document and assertion of `source` into this store, keeping ingest times and order.

        Streams a batch at a time (memory stays bounded), skips content this
        store already has (so an interrupted copy can be rerun, and two stores
        can be merged), and calls `progress(report)` after each batch. Facts are
        derived, so they are rebuilt here when next read.
        """
        report = IngestReport()
        batch: list[tuple[Document, list[Assertion], str]] = []
        for stored, assertions in source.iter_contents(page_size=batch_size):
            batch.append((stored.document, assertions, stored.ingested_at.isoformat(timespec="seconds")))
            if len(batch) >= batch_size:
                self._ingest_batch(batch, report)
                batch = []
                if progress:
                    progress(report)
        if batch:
            self._ingest_batch(batch, report)
        if progress:
            progress(report)
        return report

    def ingest_batch(self, items: list[tuple]) -> list[tuple[str, str | None]]:
        """Store a batch in one transaction: ('added' | 'skipped' | 'failed', message) per item, in order.

        Items are (document, assertions), or (document, assertions, ingested_at
        ISO text) to keep an ingest time. A malformed document fails alone; when
        the batch cannot be written as a whole (bad data such as a NUL byte on
        PostgreSQL), its documents are written one transaction each. Raises
        StoreError when the database itself fails.
        """
        now = _now()
        outcome: list[tuple[str, str | None]] = [(writer.FAILED, None)] * len(items)
        prepared, where = [], []
        for i, (document, assertions, *when) in enumerate(items):
            try:
                prepared.append(writer.prepare(document, assertions, when[0] if when else now))
                where.append(i)
            except Exception as exc:
                outcome[i] = (writer.FAILED, writer.error_for(document, exc, self.url).message)
        if not prepared:
            return outcome
        try:
            try:
                with self._writer.begin() as conn:
                    results = writer.write(conn, prepared)
            except (IntegrityError, DataError):  # one document's data: find it, store the others
                results = [self._write_alone(p) for p in prepared]
        except SQLAlchemyError as exc:
            raise StoreError(f"could not write to {self.url}: {getattr(exc, 'orig', None) or exc}") from exc
        for i, (kind, _, message) in zip(where, results):
            outcome[i] = (kind, message)
        return outcome

    def _write_alone(self, p: writer.Prepared) -> tuple[str, str, str | None]:
        try:
            with self._writer.begin() as conn:
                [result] = writer.write(conn, [p])
            return result
        except (IntegrityError, DataError) as exc:
            return writer.FAILED, p.document.id, writer.error_for(p.document, exc, self.url).message

    def _ingest_batch(self, batch: list[tuple], report: IngestReport) -> None:
        for item, (kind, message) in zip(batch, self.ingest_batch(batch)):
            if kind == writer.FAILED:
                report.failed.append((item[0].id, message))
            else:
                getattr(report, kind).append(item[0].id)

    def _has_content(self, conn, content_hash: str) -> bool:
        return conn.execute(select(exists().where(t.documents.c.content_hash == content_hash))).scalar()

    # -- documents and entities ---------------------------------------------------
    def has_content(self, content_hash: str) -> bool:
        with self.engine.connect() as conn:
            return self._has_content(conn, content_hash)

    def known_hashes(self, content_hashes: Iterable[str]) -> set[str]:
        """Those of the content hashes already stored (one query: for skipping known documents in bulk)."""
        wanted = list(dict.fromkeys(content_hashes))
        if not wanted:
            return set()
        c = t.documents.c.content_hash
        with self.engine.connect() as conn:
            return set(conn.execute(select(c).where(c.in_(wanted))).scalars())

    def document(self, id: str) -> StoredDocument | None:
        """A document by id, or by content hash."""
        docs = self._documents(or_(t.documents.c.id == id, t.documents.c.content_hash == id))
        exact = [d for d in docs if d.document.id == id]
        return (exact or docs or [None])[0]

    def documents(self, *, limit: int | None = None, offset: int = 0) -> list[StoredDocument]:
        """Documents in ingest order."""
        return self._documents(None, limit=limit, offset=offset)

    def _documents(self, where, limit: int | None = None, offset: int = 0) -> list[StoredDocument]:
        d = t.documents.c
        n = (select(func.count()).select_from(t.assertions).where(t.assertions.c.doc_id == d.id)
             .correlate(t.documents).scalar_subquery())  # per document, by its index: cheap on big stores
        q = select(t.documents, n.label("n")).order_by(d.ingested_at, d.id)
        if where is not None:
            q = q.where(where)
        if limit is not None:
            q = q.limit(limit)
        if offset:
            q = q.offset(offset)
        with self.engine.connect() as conn:
            rows = conn.execute(q).mappings().all()
        return [StoredDocument(_document(r), r["content_hash"], datetime.fromisoformat(r["ingested_at"]), r["n"])
                for r in rows]

    def iter_contents(self, page_size: int = 500) -> Iterator[tuple[StoredDocument, list[Assertion]]]:
        """Every document with its assertions (in their original order), in ingest order, a page at a time.

        Memory stays bounded whatever the store's size (keyset pagination), so
        this is what `accords db copy` streams from one database to another.
        """
        d, a = t.documents.c, t.assertions.c
        after: tuple[str, str] | None = None
        while True:
            q = select(t.documents).order_by(d.ingested_at, d.id).limit(page_size)
            if after is not None:
                q = q.where(or_(d.ingested_at > after[0], and_(d.ingested_at == after[0], d.id > after[1])))
            with self.engine.connect() as conn:
                rows = conn.execute(q).mappings().all()
                if not rows:
                    return
                found: dict[str, list[Assertion]] = {r["id"]: [] for r in rows}
                for doc_id, record in conn.execute(select(a.doc_id, a.record).where(a.doc_id.in_(list(found)))
                                                   .order_by(a.doc_id, a.seq, a.id)):
                    found[doc_id].append(Assertion.from_record(record))
            for r in rows:
                yield (StoredDocument(_document(r), r["content_hash"], datetime.fromisoformat(r["ingested_at"]),
                                      len(found[r["id"]])), found[r["id"]])
            after = (rows[-1]["ingested_at"], rows[-1]["id"])

    def entity(self, id: str) -> Entity | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(t.entities).where(t.entities.c.id == id)).first()
        return Entity(row.id, row.name, row.kind) if row else None

    def entities(self, kind: str | None = None) -> list[Entity]:
        q = select(t.entities).order_by(t.entities.c.id)
        if kind:
            q = q.where(t.entities.c.kind == kind)
        with self.engine.connect() as conn:
            return [Entity(r.id, r.name, r.kind) for r in conn.execute(q)]

    # -- assertions ---------------------------------------------------------------
    def assertions(self, type: Any = None, status: Any = None, since: date | str | None = None,
                   until: date | str | None = None, body: str | None = None, country: str | None = None,
                   doc: str | None = None) -> list[StoredAssertion]:
        """Stored assertions, oldest first.

        type/status: one value or several. body: the object's id. country: an
        id named as subject, object or participant. since/until (dates or
        partial ISO): an assertion matches when its date's span overlaps
        [since, until]; an undated one when its reported date (published, else
        ingest day) lies inside.
        """
        a = t.assertions.c
        q = self._assertion_select()
        types, statuses = _as_list(type), _as_list(status)
        since_d, until_d = _as_date(since), _as_date(until, ceil=True)
        if types:
            q = q.where(a.type.in_(types))
        if statuses:
            q = q.where(a.status.in_(statuses))
        if body:
            q = q.where(a.object_id == body)
        if doc:
            q = q.where(a.doc_id == doc)
        if country:  # IN, not a correlated EXISTS: SQLite then starts from the entity's index
            ae = t.assertion_entities.c
            q = q.where(a.id.in_(select(ae.assertion_id).where(ae.entity_id == country)))
        if since_d:  # coarse in SQL (the year), exact below
            q = q.where(or_(a.date.is_(None), a.date >= f"{since_d.year:04d}"))
        if until_d:
            q = q.where(or_(a.date.is_(None), a.date <= until_d.isoformat()))
        with self.engine.connect() as conn:
            out = [self._stored(r) for r in conn.execute(q).mappings()]
        if since_d or until_d:
            out = [sa for sa in out if _in_window(sa, since_d, until_d)]
        return out

    @staticmethod
    def _assertion_select():
        a, d = t.assertions.c, t.documents.c
        # story_id comes from migration 5 (syndicated copies), which the core table object does not declare.
        return (select(a.id, a.record, a.ingested_at, d.published, d.title, d.outlet, d.url,
                       literal_column("documents.story_id").label("story_id"))
                .join(t.documents, d.id == a.doc_id).order_by(a.id))

    @staticmethod
    def _stored(r) -> StoredAssertion:
        # story_id: syndicated copies of one story count as one source in consolidation.
        return StoredAssertion(
            r["id"], Assertion.from_record(r["record"]),
            date.fromisoformat(r["published"]) if r["published"] else None,
            r["title"], r["outlet"], r["url"], datetime.fromisoformat(r["ingested_at"]), r["story_id"])

    @property
    def data_generation(self) -> int:
        """Grows with every ingest (and story grouping): what a cache of derived answers is keyed by."""
        with self.engine.connect() as conn:
            value = conn.execute(select(t.meta.c.value).where(t.meta.c.key == "data_generation")).scalar()
        return int(value or 0)

    # -- facts ----------------------------------------------------------------------
    @property
    def facts_stale(self) -> bool:
        with self.engine.connect() as conn:
            gens = dict(conn.execute(select(t.meta.c.key, t.meta.c.value)).all())
        return gens.get("data_generation") != gens.get("facts_generation")

    def ensure_facts(self) -> bool:
        """Consolidate when the facts are stale; True when it did."""
        if self.facts_stale:
            return self._rebuild(only_if_stale=True) is not None
        return False

    def consolidate(self) -> Facts:
        """Rebuild every fact table from all assertions, in one transaction."""
        return self._rebuild(only_if_stale=False)

    def _rebuild(self, only_if_stale: bool) -> Facts | None:
        try:
            with self._writer.begin() as conn:
                # One rebuild at a time: on PostgreSQL a row lock (SQLite's BEGIN IMMEDIATE already is one);
                # the counters are read after it, so a rebuild that waited sees the one before it.
                conn.execute(select(t.meta.c.value).where(t.meta.c.key == "facts_generation").with_for_update())
                gens = dict(conn.execute(select(t.meta.c.key, t.meta.c.value)).all())
                generation = gens["data_generation"]
                if only_if_stale and gens.get("facts_generation") == generation:
                    return None  # another process rebuilt them meanwhile
                items = [self._stored(r) for r in conn.execute(self._assertion_select()).mappings()]
                facts = cons.consolidate(items)
                for table in t.FACT_TABLES:
                    conn.execute(delete(table))
                self._write_facts(conn, facts)
                conn.execute(update(t.meta).where(t.meta.c.key == "facts_generation").values(value=generation))
            return facts
        except SQLAlchemyError as exc:
            raise StoreError(f"could not rebuild the facts in {self.url}: {exc}") from exc

    @staticmethod
    def _write_facts(conn, facts: Facts) -> None:
        """The fact tables, emptied just before, in bulk (COPY on PostgreSQL); ids numbered here, from 1."""
        writer.bulk_insert(conn, t.memberships, [
            {"id": n, "member_id": f.member.id, "body_id": f.body.id, "status": f.status,
             "valid_from": f.valid_from, "valid_to": f.valid_to,
             "reported": f.reported.isoformat() if f.reported else None, "supporting": f.supporting,
             "contradicting": f.contradicting, "fact": f.to_dict()} for n, f in enumerate(facts.memberships, 1)])
        writer.bulk_insert(conn, t.relations, [
            {"id": n, "a_id": f.a.id, "b_id": f.b.id, "status": f.status, "valid_from": f.valid_from,
             "valid_to": f.valid_to, "supporting": f.supporting, "contradicting": f.contradicting,
             "fact": f.to_dict()} for n, f in enumerate(facts.relations, 1)])
        writer.bulk_insert(conn, t.summits, [
            {"id": n, "gathering_id": f.gathering.id, "type": f.type, "date": f.date, "status": f.status,
             "supporting": f.supporting, "fact": f.to_dict()} for n, f in enumerate(facts.summits, 1)])
        writer.bulk_insert(conn, t.summit_participants, [
            {"summit_id": n, "entity_id": p.id} for n, f in enumerate(facts.summits, 1) for p in f.participants])

    def _facts(self, q, cls):
        self.ensure_facts()
        with self.engine.connect() as conn:
            return [cls.from_dict(row.fact) for row in conn.execute(q)]

    def memberships(self, body: str | None = None, member: str | None = None) -> list[MembershipFact]:
        """Membership facts (consolidating first if stale), of one body and/or one member."""
        m = t.memberships.c
        q = select(m.fact).order_by(m.id)
        if body:
            q = q.where(m.body_id == body)
        if member:
            q = q.where(m.member_id == member)
        return self._facts(q, MembershipFact)

    def relation_facts(self, state: str | None = None, other: str | None = None) -> list[RelationFact]:
        """Relation facts of a state (with every partner), or of a pair."""
        r = t.relations.c
        q = select(r.fact).order_by(r.id)
        for sid in (state, other):
            if sid:
                q = q.where(or_(r.a_id == sid, r.b_id == sid))
        return self._facts(q, RelationFact)

    def summit_facts(self, gathering: str | None = None, country: str | None = None) -> list[SummitFact]:
        """Summit and meeting facts, of one gathering and/or with one participant."""
        s = t.summits.c
        q = select(s.fact).order_by(s.id)
        if gathering:
            q = q.where(s.gathering_id == gathering)
        if country:
            sp = t.summit_participants.c
            q = q.where(s.id.in_(select(sp.summit_id).where(sp.entity_id == country)))
        return self._facts(q, SummitFact)

    # -- full-text search -----------------------------------------------------------
    def search_evidence(self, query: str, *, limit: int = 20) -> list[StoredAssertion]:
        """Assertions whose evidence matches every word of `query`, each word as a prefix ("norw join" finds
        "Norway joined"), best matches first.

        PostgreSQL: the English full-text GIN index of migration 4 (stemmed).
        SQLite: the FTS5 index of migration 2 (stemmed; evidence and the
        subject's and object's names). Other databases: substrings, newest first.
        """
        words = re.findall(r"\w+", query or "")[:12]
        if not words:
            raise AccordsError("nothing to search for: give one or more words")
        a = t.assertions.c
        q = self._assertion_select().order_by(None)
        with self.engine.connect() as conn:
            dialect = conn.dialect.name
            if dialect == "postgresql":
                tsq = func.to_tsquery(text("'english'::regconfig"), " & ".join(f"{w}:*" for w in words))
                q = q.where(t.EVIDENCE_TSVECTOR.bool_op("@@")(tsq)).order_by(
                    func.ts_rank(t.EVIDENCE_TSVECTOR, tsq).desc(), a.id)
            elif dialect == "sqlite" and inspect(conn).has_table("assertions_fts"):
                match = " ".join('"' + w + '"*' for w in words)
                hits = (select(literal_column("rowid").label("id"), literal_column("rank").label("rank"))
                        .select_from(text("assertions_fts")).where(text("assertions_fts MATCH :m")
                                                                   .bindparams(m=match)).subquery())
                q = q.join(hits, hits.c.id == a.id).order_by(hits.c.rank, a.id)
            else:
                q = q.where(and_(*[func.lower(a.evidence_text).contains(w.lower()) for w in words])
                            ).order_by(a.id.desc())
            return [self._stored(r) for r in conn.execute(q.limit(limit)).mappings()]

    # -- overview -------------------------------------------------------------------
    @property
    def backend(self) -> str:
        """The database's dialect name: sqlite or postgresql."""
        return self.engine.dialect.name

    def size_bytes(self) -> int | None:
        """The database's size on disk (SQLite: pages in use; PostgreSQL: the database), None if unknown."""
        with self.engine.connect() as conn:
            if self.backend == "sqlite":
                pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
                return pages * conn.exec_driver_sql("PRAGMA page_size").scalar()
            if self.backend == "postgresql":
                return conn.execute(text("SELECT pg_database_size(current_database())")).scalar()
        return None

    def stats(self) -> dict[str, Any]:
        """Counts of everything, for `accords stats` and the API."""
        a, d = t.assertions.c, t.documents.c
        with self.engine.connect() as conn:
            def count(table) -> int:
                return conn.execute(select(func.count()).select_from(table)).scalar_one()

            by_type = dict(conn.execute(select(a.type, func.count()).group_by(a.type)).all())
            by_status = dict(conn.execute(select(a.status, func.count()).group_by(a.status)).all())
            first, last = conn.execute(select(func.min(d.published), func.max(d.published))).one()
            version = conn.execute(select(func.max(t.schema_version.c.version))).scalar()
            out = {"url": self.url, "schema_version": version, "documents": count(t.documents),
                   "assertions": count(t.assertions), "entities": count(t.entities),
                   "assertions_by_type": dict(sorted(by_type.items())),
                   "assertions_by_status": dict(sorted(by_status.items())),
                   "published_first": first, "published_last": last,
                   "memberships": count(t.memberships), "relations": count(t.relations),
                   "summits": count(t.summits)}
        out["facts_stale"] = self.facts_stale
        return out


def _document(r) -> Document:
    return Document(id=r["id"], text=r["text"], published=date.fromisoformat(r["published"]) if r["published"]
                    else None, published_precision=r["published_precision"],
                    published_source=r["published_source"], url=r["url"], title=r["title"], outlet=r["outlet"],
                    language=r["language"] or "en", source=r["source"])


def _in_window(sa: StoredAssertion, since: date | None, until: date | None) -> bool:
    lo, hi = date_floor(sa.assertion.date), date_ceil(sa.assertion.date)
    if lo is None:
        lo = hi = sa.reported
        if lo is None:
            return False
    return (since is None or hi >= since) and (until is None or lo <= until)
