"""Parallel extraction in local processes: the same stored facts as one process, bounded, resumable."""
from __future__ import annotations

import json
import signal
import threading
from datetime import date

import pytest

from accords.batch import BatchError, BatchOptions, extract_stream, ingest, ingest_stream
from accords.batch.partitions import chunked, in_order
from accords.model import Document
from accords.store import open_store
from tests.conftest import ARTICLES

# Short articles written for these tests (with the shared ones of conftest), published on a Monday.
MORE = {
    "paraguay-asean": "Paraguay applied to join the Association of Southeast Asian Nations on Monday, its foreign "
                      "minister said. Officials expect a decision next year.",
    "fiji-wto": "Fiji joined the World Trade Organization in 1996. The island state has since pressed for fisheries "
                "rules.",
    "ghana-togo": "Ghana and Togo established diplomatic relations in 1960, shortly after independence.",
    "bolivia-israel": "Bolivia cut diplomatic relations with Israel on Tuesday, a government spokesman said.",
    "austria-nato": "Austria has not joined NATO and has no plans to do so, the chancellor said on Monday.",
    "kenya-brics": "Kenya is seeking to join BRICS, the president told reporters on Monday after talks in Nairobi.",
    "uruguay-summit": "Leaders of Uruguay, Brazil and Argentina met in Montevideo on Monday for a Mercosur summit.",
    "oman-iran": "Oman and Iran restored diplomatic relations in 1988 after a pause of several years.",
}
PUBLISHED = date(2026, 3, 2)


def corpus(copies: int = 4) -> list[Document]:
    """Every article `copies` times, each copy with its own last sentence (so each is new content)."""
    texts = {**ARTICLES, **MORE}
    return [Document(id=f"{name}-{i}", text=f"{text} Reported by desk {i}.", published=PUBLISHED)
            for i in range(copies) for name, text in texts.items()]


def snapshot(store) -> dict:
    """Everything a run leaves in a store, ids and order included."""
    return {"documents": sorted(d.document.id for d in store.documents()),  # ingest order: by the clock
            "assertions": [json.dumps(sa.record(), sort_keys=True) for sa in store.assertions()],
            "memberships": [json.dumps(f.to_dict(), sort_keys=True) for f in store.memberships()],
            "relations": [json.dumps(f.to_dict(), sort_keys=True) for f in store.relation_facts()],
            "summits": [json.dumps(f.to_dict(), sort_keys=True) for f in store.summit_facts()]}


@pytest.fixture(scope="module")
def single_run(tmp_path_factory) -> dict:
    """The reference: the whole corpus ingested in this process."""
    with open_store(tmp_path_factory.mktemp("single") / "a.db") as store:
        report = ingest(store, corpus())
        assert not report.failed and len(report.added) == len(corpus())
        snap = snapshot(store)
    assert len(snap["assertions"]) > len(corpus()) and snap["memberships"] and snap["relations"]
    return snap


def test_options_are_checked():
    for bad in ({"workers": -1}, {"partition_size": 0}, {"window": 0}):
        with pytest.raises(BatchError):
            BatchOptions(**bad)


def test_in_order_keeps_order_and_bounds_what_is_in_flight():
    submitted, pending, most = [], set(), 0

    def submit(part):
        nonlocal most
        submitted.append(part[0])
        pending.add(part[0])
        most = max(most, len(pending))
        return part

    def wait(part):
        pending.discard(part[0])
        return [x * 10 for x in part]

    parts = chunked(iter(range(23)), 5)
    out = [(p, r) for p, r in in_order(parts, submit, wait, window=3)]
    assert [p for p, _ in out] == [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9], [10, 11, 12, 13, 14], [15, 16, 17, 18, 19],
                                   [20, 21, 22]]
    assert [r for _, r in out][-1] == [200, 210, 220] and most == 3


def test_chunked_can_start_small_and_grow():
    assert [len(c) for c in chunked(range(40), 8, first=1)] == [1, 2, 4, 8, 8, 8, 8, 1]
    assert [len(c) for c in chunked(range(5), 8, first=16)] == [5]


def test_chunked_reads_lazily():
    seen = []

    def source():
        for i in range(10):
            seen.append(i)
            yield i

    first = next(chunked(source(), 4))
    assert first == [0, 1, 2, 3] and seen == [0, 1, 2, 3]


@pytest.mark.slow
def test_two_processes_store_exactly_what_one_process_stores(tmp_path, single_run):
    with open_store(tmp_path / "b.db") as store:
        report = ingest(store, corpus(), BatchOptions(workers=2, partition_size=5))
        assert len(report.added) == len(corpus()) and not report.failed
        assert snapshot(store) == single_run
        # A rerun extracts nothing and stores nothing: every document is already there.
        again = list(ingest_stream(store, corpus(), BatchOptions(workers=2, partition_size=5)))
        assert {e.outcome for e in again} == {"skipped"} and len(again) == len(corpus())
        assert snapshot(store) == single_run


@pytest.mark.slow
def test_extract_stream_matches_in_process_extraction():
    docs = corpus(1)
    here = [(d.id, [a.to_record() for a in found]) for d, found in extract_stream(docs)]
    there = [(d.id, [a.to_record() for a in found])
             for d, found in extract_stream(docs, BatchOptions(workers=2, partition_size=3))]
    assert here == there and sum(len(f) for _, f in here) > 0


@pytest.mark.slow
def test_a_killed_local_worker_stops_the_run_cleanly_and_a_rerun_finishes_it(tmp_path, single_run):
    psutil = pytest.importorskip("psutil")
    path = tmp_path / "c.db"
    events = []
    killed = threading.Event()

    with open_store(path) as store:
        with pytest.raises(BatchError, match="rerun"):
            for event in ingest_stream(store, corpus(), BatchOptions(workers=2, partition_size=3, window=4)):
                events.append(event)
                if not killed.is_set():
                    workers = [p for p in psutil.Process().children()
                               if "spawn_main" in " ".join(p.cmdline())]
                    assert workers, "no worker process found"
                    workers[0].send_signal(signal.SIGKILL)
                    killed.set()
        stored_before = store.stats()["documents"]
    assert killed.is_set() and 0 < stored_before < len(corpus())
    assert stored_before == sum(e.outcome == "added" for e in events)
    with open_store(path) as store:
        report = ingest(store, corpus(), BatchOptions(workers=2, partition_size=3))
        assert len(report.skipped) == stored_before and len(report.added) == len(corpus()) - stored_before
        assert snapshot(store) == single_run


@pytest.mark.slow
def test_cli_ingest_with_workers(tmp_path, runner, single_run):
    from accords.cli import app

    path = tmp_path / "corpus.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for d in corpus():
            fh.write(json.dumps({"id": d.id, "text": d.text, "published": d.published.isoformat()}) + "\n")
    db = str(tmp_path / "cli.db")
    result = runner.invoke(app, ["ingest", str(path), "--db", db, "--workers", "2"])
    assert result.exit_code == 0, result.output
    n = len(corpus())
    assert f"ingested {n} documents ({len(single_run['assertions'])} facts), 0 already stored" in result.output
    with open_store(db) as store:
        assert snapshot(store)["assertions"] == single_run["assertions"]
    again = runner.invoke(app, ["ingest", str(path), "--db", db, "-w", "0"])
    assert again.exit_code == 0 and f"ingested 0 documents (0 facts), {n} already stored" in again.output
    bad = runner.invoke(app, ["ingest", str(path), "--db", db, "--workers", "-1"])
    assert bad.exit_code == 2
