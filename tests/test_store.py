"""The store: opening and migrating, atomic idempotent ingest, reads, lazy consolidation."""
from __future__ import annotations

import dataclasses
import os
import sqlite3
import time
from datetime import date

import pytest
from sqlalchemy import select

from accords.errors import StoreError
from accords.model import Assertion, Document, Entity, Evidence, EventType, Status
from accords.store import open_store
from accords.store import schema
from accords.store.migrations import LATEST

KAZ, ISR, ARE = (Entity("KAZ", "Kazakhstan", "country"), Entity("ISR", "Israel", "country"),
                 Entity("ARE", "United Arab Emirates", "country"))
USA, UZB = Entity("USA", "United States", "country"), Entity("UZB", "Uzbekistan", "country")
AA = Entity("abraham-accords", "Abraham Accords", "agreement")
LOBITO = Entity("lobito-corridor-agreement", "Lobito Corridor Agreement", "agreement")
C51 = Entity("c5-1-summit", "C5+1 Summit", "gathering")


def doc(id_="hill", text="Kazakhstan will join the Abraham Accords on Thursday.", published=date(2025, 11, 6)):
    return Document(id=id_, text=text, published=published, outlet="The Hill", title="Kazakhstan to join")


def fact(doc_id, type_, subject, object_, status, when=None, **kw):
    return Assertion(doc=doc_id, type=type_, subject=subject, object=object_, status=status,
                     evidence=Evidence("Kazakhstan will join the Abraham Accords on Thursday.", 0, 53),
                     date=when, **kw)


def hill_assertions(doc_id="hill"):
    return [fact(doc_id, EventType.JOIN, KAZ, AA, Status.ANNOUNCED, "2025-11-06", date_text="on Thursday"),
            fact(doc_id, EventType.SIGN, ARE, AA, Status.COMPLETED, "2020-09"),
            fact(doc_id, EventType.ESTABLISH_RELATIONS, ISR, KAZ, Status.COMPLETED, "1992", date_role="start"),
            fact(doc_id, EventType.SUMMIT, USA, C51, Status.ANNOUNCED, "2025-11-06", participants=[USA, KAZ, UZB],
                 extra={"place": "White House"})]


@pytest.fixture
def store():
    s = open_store(":memory:")
    yield s
    s.close()


def test_open_file_creates_dirs_wal_and_is_idempotent(tmp_path):
    path = tmp_path / "nested" / "dir" / "accords.db"
    s = open_store(path)
    assert s.ingest(doc(), hill_assertions())
    s.close()
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert raw.execute("SELECT max(version) FROM schema_version").fetchone()[0] == LATEST
    again = open_store(f"sqlite:///{path}")  # re-open by URL: migrations do nothing
    with again.engine.connect() as conn:
        assert len(conn.execute(select(schema.schema_version)).all()) == LATEST
    assert again.stats()["documents"] == 1
    again.close()


def test_open_default_from_env(tmp_path, monkeypatch):
    monkeypatch.setenv("ACCORDS_DB", str(tmp_path / "env.db"))
    open_store().close()
    assert (tmp_path / "env.db").exists()
    monkeypatch.delenv("ACCORDS_DB")
    monkeypatch.chdir(tmp_path)
    open_store().close()
    assert (tmp_path / "accords.db").exists()


def test_open_errors_are_store_errors(tmp_path):
    bad = tmp_path / "not-a-db"
    bad.write_text("this is not a database " * 100)
    with pytest.raises(StoreError, match="cannot open"):
        open_store(bad)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="directory"):
        open_store(blocker / "sub" / "accords.db")
    with pytest.raises(StoreError):
        open_store("nosuchdialect://x")


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "a.db"
    open_store(path).close()
    with sqlite3.connect(path) as raw:
        raw.execute("INSERT INTO schema_version VALUES (999, 'future', '2100-01-01')")
    with pytest.raises(StoreError, match="upgrade accords"):
        open_store(path)


def test_ingest_is_idempotent_by_content(store):
    assert store.ingest(doc(), hill_assertions()) is True
    assert store.ingest(doc(), hill_assertions()) is False
    # Same content under another id, or with different whitespace: still the same document.
    assert store.ingest(doc("copy", text="Kazakhstan  will join the Abraham Accords\non Thursday."),
                        hill_assertions("copy")) is False
    stats = store.stats()
    assert (stats["documents"], stats["assertions"]) == (1, 4)
    assert store.has_content(doc().content_hash)


def test_same_id_different_content_is_refused(store):
    store.ingest(doc(), [])
    with pytest.raises(StoreError, match="another id"):
        store.ingest(doc(text="Something else entirely."), [])


def test_failed_ingest_leaves_previous_documents_intact(tmp_path):
    s = open_store(tmp_path / "a.db")
    assert s.ingest(doc(), hill_assertions())
    bad = hill_assertions("later")
    bad.append(dataclasses.replace(bad[0], date="next Thursday"))  # fails after the first rows are written
    with pytest.raises(StoreError, match="nothing of it was stored"):
        s.ingest(doc("later", text="A later article."), bad)
    worse = hill_assertions("later")
    worse.insert(2, dataclasses.replace(worse[0], type="join"))  # not an EventType
    with pytest.raises(StoreError):
        s.ingest(doc("later", text="A later article."), worse)
    assert [d.document.id for d in s.documents()] == ["hill"]
    assert len(s.assertions()) == 4 and s.entity(LOBITO.id) is None
    assert s.ingest(doc("later", text="A later article."), hill_assertions("later"))  # and it can be retried
    s.close()


def test_assertion_must_belong_to_document(store):
    with pytest.raises(StoreError, match="names document"):
        store.ingest(doc(), hill_assertions("other"))
    assert store.stats()["documents"] == 0


def test_reads_return_model_objects_with_db_ids_and_doc_meta(store):
    store.ingest(doc(), hill_assertions())
    store.ingest(doc("wire", text="Angola signed the Lobito Corridor Agreement.", published=date(2024, 3, 1)),
                 [fact("wire", EventType.SIGN, Entity("AGO", "Angola", "country"), LOBITO, Status.COMPLETED,
                       "2023-10")])
    everything = store.assertions()
    assert [sa.id for sa in everything] == [1, 2, 3, 4, 5]
    first = everything[0]
    assert first.assertion == hill_assertions()[0]
    assert (first.published, first.outlet, first.title) == (date(2025, 11, 6), "The Hill", "Kazakhstan to join")
    assert first.record()["id"] == 1 and first.record()["published"] == "2025-11-06"
    assert store.entity(LOBITO.id) == LOBITO  # new bodies become known as they arrive
    assert [e.id for e in store.entities(kind="gathering")] == [C51.id]

    assert [sa.id for sa in store.assertions(type="join")] == [1]
    assert [sa.id for sa in store.assertions(type=[EventType.SIGN], status=Status.COMPLETED)] == [2, 5]
    assert [sa.id for sa in store.assertions(body=AA.id)] == [1, 2]
    assert [sa.id for sa in store.assertions(country="UZB")] == [4]  # a participant
    assert [sa.id for sa in store.assertions(country="KAZ")] == [1, 3, 4]
    assert [sa.id for sa in store.assertions(doc="wire")] == [5]
    assert [sa.id for sa in store.assertions(since="2020-09-30", until="2023")] == [2, 5]
    assert [sa.id for sa in store.assertions(since=date(2025, 1, 1))] == [1, 4]

    stored = store.document("hill")
    assert stored.document.published == date(2025, 11, 6) and stored.assertions == 4
    assert store.document(stored.content_hash).document.id == "hill"
    assert store.document("nope") is None
    assert [d.document.id for d in store.documents()] == ["hill", "wire"]


def test_undated_assertion_filtered_by_reported_date(store):
    store.ingest(doc(), [fact("hill", EventType.JOIN, Entity("MAR", "Morocco", "country"), AA,
                              Status.COMPLETED)])
    assert len(store.assertions(since="2025-11-01")) == 1
    assert store.assertions(until="2025-01-01") == []


def test_facts_are_stale_after_ingest_and_rebuilt_lazily(tmp_path):
    s = open_store(tmp_path / "a.db")
    s.ingest(doc(), hill_assertions())
    assert s.facts_stale
    assert {f.member.id for f in s.memberships(body=AA.id)} == {"KAZ", "ARE"}  # consolidates on demand
    assert not s.facts_stale
    assert [f.status for f in s.memberships(member="KAZ")] == ["announced"]
    s.ingest(doc("d2", text="Kazakhstan joined the Abraham Accords.", published=date(2025, 11, 8)),
             [fact("d2", EventType.JOIN, KAZ, AA, Status.COMPLETED, "2025-11-07")])
    assert s.facts_stale
    assert [f.status for f in s.memberships(member="KAZ")] == ["member"]
    [rel] = s.relation_facts("KAZ")
    assert (rel.a.id, rel.b.id, rel.valid_from) == ("ISR", "KAZ", "1992")
    assert s.relation_facts("KAZ", "ARE") == []
    [summit] = s.summit_facts(country="UZB")
    assert summit.place == "White House"
    assert s.summit_facts(country="ARE") == []
    first = s.consolidate().to_dict()
    assert s.consolidate().to_dict() == first  # idempotent
    assert s.stats()["memberships"] == 2
    s.close()


def test_ingest_many_reports_and_is_fast(store):
    docs = []
    for i in range(300):
        d = doc(f"d{i}", text=f"Article number {i}.")
        docs.append((d, [fact(d.id, EventType.JOIN, KAZ, AA, Status.PROSPECTIVE) for _ in range(5)]))
    bad = (doc("bad", text="bad one"), [fact("bad", EventType.JOIN, LOBITO, AA, Status.COMPLETED),
                                        fact("bad", EventType.JOIN, KAZ, AA, Status.COMPLETED, "soon")])
    docs.insert(150, bad)  # in the middle of a batch
    docs.append(docs[0])
    start = time.perf_counter()
    report = store.ingest_many(docs, batch_size=100)
    assert time.perf_counter() - start < 3
    assert len(report.added) == 300 and report.skipped == ["d0"] and [f[0] for f in report.failed] == ["bad"]
    assert "not ISO" in report.failed[0][1]
    assert store.stats()["assertions"] == 1500 and store.stats()["documents"] == 300
    assert store.document("bad") is None and store.entity(LOBITO.id) is None


PG_URL = os.environ.get("ACCORDS_TEST_POSTGRES_URL")


@pytest.mark.skipif(not PG_URL, reason="set ACCORDS_TEST_POSTGRES_URL to a scratch PostgreSQL database")
def test_postgresql_same_code():
    from sqlalchemy import create_engine, text
    scratch = create_engine(PG_URL)
    with scratch.begin() as conn:  # a scratch database: start from nothing
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    scratch.dispose()
    s = open_store(PG_URL)
    assert s.ingest(doc(), hill_assertions()) and not s.ingest(doc(), hill_assertions())
    report = s.ingest_many([(doc("bad", text="bad"), [fact("bad", EventType.JOIN, KAZ, AA, Status.COMPLETED,
                                                            "soon")]),
                            (doc("ok", text="fine"), [fact("ok", EventType.SIGN, ARE, LOBITO, Status.COMPLETED)])])
    assert report.added == ["ok"] and [f[0] for f in report.failed] == ["bad"]
    assert [sa.id for sa in s.assertions(country="UZB")] == [4]
    assert {f.member.id for f in s.memberships(body=AA.id)} == {"KAZ", "ARE"}
    assert s.entity(LOBITO.id) == LOBITO and s.stats()["documents"] == 2
    s.close()
    again = open_store(PG_URL)
    assert again.stats()["schema_version"] == LATEST
    again.close()
