"""The store on a real PostgreSQL server (ACCORDS_TEST_POSTGRES_URL; scripts/ci-postgres.sh starts one) and on
SQLite: the store suite, concurrent writers, bulk batches, full-text search, copying, migrations.

Each PostgreSQL test gets a database of its own, created and dropped around it.
"""
from __future__ import annotations

import dataclasses
import multiprocessing
import os
from datetime import date

import pytest
from sqlalchemy import text

from accords.model import Document, Entity, EventType, Evidence, Status
from accords.store import open_store
from accords.store.engine import temporary_database
from accords.store.migrations import LATEST
from tests import test_store as base
from tests.test_store import AA, KAZ, LOBITO, doc, fact, hill_assertions

PG_URL = os.environ.get("ACCORDS_TEST_POSTGRES_URL")
pytestmark = pytest.mark.postgres


def test_postgresql_is_tested_in_ci():
    """CI must run this suite against PostgreSQL, not skip it: .ci/run starts the server and sets the URL."""
    if os.environ.get("CI") and not PG_URL:
        pytest.fail("CI is set but ACCORDS_TEST_POSTGRES_URL is not: .ci/run must run scripts/ci-postgres.sh")


@pytest.fixture
def pg_url():
    if not PG_URL:
        pytest.skip("set ACCORDS_TEST_POSTGRES_URL to a PostgreSQL database (bash scripts/ci-postgres.sh)")
    with temporary_database(PG_URL) as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'accords.db'}"
    return request.getfixturevalue("pg_url")


# -- the store suite of test_store.py, on PostgreSQL ----------------------------------------------
@pytest.fixture
def store(pg_url):
    s = open_store(pg_url)
    yield s
    s.close()


test_ingest_is_idempotent_by_content = base.test_ingest_is_idempotent_by_content
test_same_id_different_content_is_refused = base.test_same_id_different_content_is_refused
test_assertion_must_belong_to_document = base.test_assertion_must_belong_to_document
test_reads_return_model_objects_with_db_ids_and_doc_meta = base.test_reads_return_model_objects_with_db_ids_and_doc_meta
test_undated_assertion_filtered_by_reported_date = base.test_undated_assertion_filtered_by_reported_date


def test_failed_ingest_leaves_previous_documents_intact_on_both(url):
    s = open_store(url)
    assert s.ingest(doc(), hill_assertions())
    bad = hill_assertions("later")
    bad.append(fact("later", EventType.JOIN, KAZ, AA, Status.COMPLETED, "next Thursday"))
    with pytest.raises(Exception, match="nothing of it was stored"):
        s.ingest(doc("later", text="A later article."), bad)
    assert [d.document.id for d in s.documents()] == ["hill"] and len(s.assertions()) == 4
    s.close()


def test_facts_rebuilt_lazily_on_both(url):
    s = open_store(url)
    s.ingest(doc(), hill_assertions())
    assert s.facts_stale
    assert {f.member.id for f in s.memberships(body=AA.id)} == {"KAZ", "ARE"}
    assert not s.facts_stale
    s.ingest(doc("d2", text="Kazakhstan joined the Abraham Accords.", published=date(2025, 11, 8)),
             [fact("d2", EventType.JOIN, KAZ, AA, Status.COMPLETED, "2025-11-07")])
    assert [f.status for f in s.memberships(member="KAZ")] == ["member"]
    [rel] = s.relation_facts("KAZ")
    assert (rel.a.id, rel.b.id, rel.valid_from) == ("ISR", "KAZ", "1992")
    assert s.summit_facts(country="UZB")[0].place == "White House"
    s.close()


# -- bulk batches ----------------------------------------------------------------------------------
def synthetic(i: int, per_doc: int = 3) -> tuple[Document, list]:
    d = doc(f"s{i}", text=f"Synthetic article number {i} about Kazakhstan and the Abraham Accords.")
    return d, [fact(d.id, EventType.JOIN, KAZ, AA, Status.PROSPECTIVE, f"20{10 + i % 15}") for _ in range(per_doc)]


def test_batch_reports_every_document_in_order(url):
    with open_store(url) as s:
        items = [synthetic(i) for i in range(5)]
        items.insert(2, (doc("bad", text="bad"), [fact("bad", EventType.JOIN, KAZ, AA, Status.COMPLETED, "soon")]))
        items.append(synthetic(0))  # the same content again, in the same batch
        items.append((doc("s1", text="Different text under a stored id."), []))
        outcome = s.ingest_batch(items)
        assert [k for k, _ in outcome] == ["added", "added", "failed", "added", "added", "added", "skipped", "failed"]
        assert "not ISO" in outcome[2][1] and "another id" in outcome[7][1]
        assert s.stats()["documents"] == 5 and s.stats()["assertions"] == 15
        # seq numbers each document's assertions; assertion ids follow input order.
        with s.engine.connect() as conn:
            rows = conn.execute(text("SELECT doc_id, seq FROM assertions ORDER BY id")).all()
        assert [tuple(r) for r in rows[:6]] == [("s0", 0), ("s0", 1), ("s0", 2), ("s1", 0), ("s1", 1), ("s1", 2)]


def test_a_document_the_database_refuses_fails_alone(url):
    """PostgreSQL refuses NUL characters in text; the batch is retried one document at a time."""
    with open_store(url) as s:
        nul = (doc("nul", text="A text with a NUL \x00 character."), [])
        report = s.ingest_many([synthetic(1), nul, synthetic(2)], batch_size=10)
        assert report.added[0] == "s1" and report.added[-1] == "s2"
        if s.backend == "postgresql":
            assert [f[0] for f in report.failed] == ["nul"] and "NUL" in report.failed[0][1]
        else:
            assert report.added == ["s1", "nul", "s2"]


def _ingest_in_process(url: str, order: list[int], batch_size: int, out) -> None:
    with open_store(url) as s:
        report = s.ingest_many([synthetic(i) for i in order], batch_size=batch_size)
        s.consolidate()
    out.put((len(report.added), len(report.skipped), report.failed))


def test_concurrent_writers_store_each_document_and_fact_once(url):
    open_store(url).close()  # migrated once, before the writers start (as `accords db migrate` does)
    n = 60
    orders = [list(range(n)), list(reversed(range(n))), list(range(0, n, 2)) + list(range(1, n, 2))]
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    procs = [ctx.Process(target=_ingest_in_process, args=(url, order, 7, out)) for order in orders]
    for p in procs:
        p.start()
    results = [out.get(timeout=180) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    assert all(failed == [] for _, _, failed in results), results
    assert sum(added for added, _, _ in results) == n  # each document added by exactly one writer
    assert all(added + skipped == len(order) for (added, skipped, _), order in zip(results, orders))
    with open_store(url) as s:
        stats = s.stats()
        assert (stats["documents"], stats["assertions"]) == (n, 3 * n)
        with s.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM (SELECT DISTINCT doc_id, extractor, seq "
                                     "FROM assertions) AS u")).scalar() == 3 * n
        # Every writer consolidated at the end: the fact tables hold one build, not several.
        reference = open_store(":memory:")
        reference.ingest_many([synthetic(i) for i in range(n)])
        def summary(facts):  # assertion ids differ: the writers interleaved
            return [(f.member.id, f.body.id, f.status, f.valid_from, f.valid_to, len(f.supporting)) for f in facts]

        assert summary(s.memberships()) == summary(reference.memberships())
        assert stats["memberships"] == len(reference.memberships()) == 1
        reference.close()


# -- search, copy, migrations ----------------------------------------------------------------------
def test_full_text_search_of_evidence(url):
    with open_store(url) as s:
        s.ingest(doc(), hill_assertions())
        signed = fact("wire", EventType.SIGN, Entity("AGO", "Angola", "country"), LOBITO, Status.COMPLETED)
        s.ingest(doc("wire", text="Angola signed the Lobito Corridor Agreement in 2023."),
                 [dataclasses.replace(signed, evidence=Evidence("Angola signed the Lobito Corridor Agreement in "
                                                                "2023.", 0, 51))])
        assert [sa.assertion.doc for sa in s.search_evidence("lobito corridor")] == ["wire"]
        assert {sa.assertion.doc for sa in s.search_evidence("joining Kazakhstan")} == {"hill"}  # stemmed
        assert len(s.search_evidence("Kazakhstan", limit=2)) == 2
        assert [sa.assertion.doc for sa in s.search_evidence("lobi corr")] == ["wire"]  # prefixes
        assert s.search_evidence("Mercosur") == [] and s.search_evidence("lobito kazakhstan") == []
        with pytest.raises(Exception, match="nothing to search for"):
            s.search_evidence("  ?! ")
        if s.backend == "postgresql":  # the GIN index answers it (seq scans off: the table is tiny)
            with s.engine.connect() as conn:
                conn.exec_driver_sql("SET enable_seqscan = off")
                plan = "\n".join(r[0] for r in conn.exec_driver_sql(
                    "EXPLAIN SELECT id FROM assertions WHERE to_tsvector('english'::regconfig, evidence_text) "
                    "@@ to_tsquery('english'::regconfig, 'lobito:*')"))
            assert "ix_assertions_evidence_fts" in plan


def test_copy_keeps_everything_and_can_be_rerun(url, tmp_path):
    source = open_store(tmp_path / "laptop.db")
    source.ingest(doc(), hill_assertions())
    source.ingest_many([synthetic(i) for i in range(7)])
    with open_store(url) as target:
        report = target.copy_from(source, batch_size=3)
        assert len(report.added) == 8 and not report.failed
        assert [sa.assertion.to_record() for sa in target.assertions()] == \
               [sa.assertion.to_record() for sa in source.assertions()]
        assert [(d.document, d.ingested_at) for d in target.documents()] == \
               [(d.document, d.ingested_at) for d in source.documents()]
        assert [f.to_dict() for f in target.memberships()] == [f.to_dict() for f in source.memberships()]
        again = target.copy_from(source)
        assert again.added == [] and len(again.skipped) == 8
    source.close()


def test_iter_contents_pages_through_everything_in_order(url):
    with open_store(url) as s:
        s.ingest_many([synthetic(i, per_doc=i % 3) for i in range(7)])
        seen = [(stored.document.id, [a.doc for a in found]) for stored, found in s.iter_contents(page_size=2)]
        assert [d for d, _ in seen] == [d.document.id for d in s.documents()]
        assert sorted(d for d, _ in seen) == [f"s{i}" for i in range(7)]
        assert all(found == [d] * (int(d[1:]) % 3) for d, found in seen)


def test_migration_3_numbers_existing_assertions(url):
    with open_store(url) as s:
        s.ingest_many([synthetic(i) for i in range(3)])
        with s.engine.begin() as conn:  # back to the schema before migration 3
            conn.execute(text("DROP INDEX uq_assertions_doc_extractor_seq"))
            conn.execute(text("ALTER TABLE assertions DROP COLUMN seq"))
            conn.execute(text("DELETE FROM schema_version WHERE version >= 3"))
    with open_store(url) as s:
        assert s.migrations_applied == list(range(3, LATEST + 1))
        with s.engine.connect() as conn:
            rows = conn.execute(text("SELECT doc_id, seq FROM assertions ORDER BY id")).all()
        assert [tuple(r) for r in rows] == [(f"s{i}", k) for i in range(3) for k in range(3)]
        assert not s.ingest(*synthetic(1)) and s.ingest(*synthetic(3))
        assert s.size_bytes() > 0 and s.stats()["schema_version"] == LATEST
