"""Resumable ingest: kill -9 (and Ctrl-C) in the middle of a run, run again, nothing lost and nothing doubled."""
from __future__ import annotations

import itertools
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

COUNTRIES = ["Norway", "Chile", "Peru", "Kenya", "Ghana", "Togo", "Finland", "Sweden", "Ecuador", "Mexico"]
BODIES = ["NATO", "Mercosur", "the African Union", "ASEAN", "the OECD", "the Commonwealth"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
WAIT_LIMIT = 180  # seconds to wait for the run to store its first documents, or to finish


def write_corpus(path: Path, copies: int = 2) -> list[str]:
    """Short made-up articles, one per line; their ids."""
    ids = []
    with path.open("w", encoding="utf-8") as fh:
        for i, (c, b, d) in enumerate(itertools.product(COUNTRIES, BODIES, DAYS)):
            for k in range(copies):
                doc_id = f"doc-{i}-{k}"
                text = (f"{c} will join {b} on {d}, officials said in briefing {i}-{k}. "
                        f"The decision follows talks that lasted {k + 2} years, and ministers welcomed the step.")
                fh.write(json.dumps({"id": doc_id, "text": text, "published": "2026-03-02"}) + "\n")
                ids.append(doc_id)
    return ids


def count(db: Path, sql: str) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30) as conn:
            return conn.execute(sql).fetchone()[0]
    except sqlite3.OperationalError:  # the schema is not there yet
        return 0


def start(corpus: Path, db: Path) -> subprocess.Popen:
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.Popen([sys.executable, "-m", "accords", "ingest", str(corpus), "--db", str(db)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def wait_for_documents(proc: subprocess.Popen, db: Path, at_least: int) -> None:
    deadline = time.monotonic() + WAIT_LIMIT
    while count(db, "SELECT count(*) FROM documents") < at_least:
        assert proc.poll() is None, f"the run ended before it could be interrupted: {proc.communicate()}"
        assert time.monotonic() < deadline, "the run stored nothing in time"
        time.sleep(0.2)


def test_kill_9_mid_run_then_rerun_loses_nothing_and_doubles_nothing(tmp_path: Path):
    from accords.extract import extract_docs
    from accords.sources import read_paths

    corpus, db = tmp_path / "corpus.jsonl", tmp_path / "accords.db"
    ids = write_corpus(corpus)
    proc = start(corpus, db)
    wait_for_documents(proc, db, at_least=70)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    with sqlite3.connect(db) as conn:  # the killed run left a consistent database
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        orphans = conn.execute("SELECT count(*) FROM assertions a LEFT JOIN documents d ON d.id = a.doc_id "
                               "WHERE d.id IS NULL").fetchone()[0]
    assert 0 < stored < len(ids) and orphans == 0

    rerun = subprocess.run([sys.executable, "-m", "accords", "ingest", str(corpus), "--db", str(db)],
                           capture_output=True, text=True, timeout=WAIT_LIMIT * 3)
    assert rerun.returncode == 0, rerun.stderr
    first = rerun.stdout.splitlines()[0]
    assert first.startswith(f"ingested {len(ids) - stored} documents (") and f"{stored} already stored" in first

    # the same documents and facts as one uninterrupted extraction: none lost, none twice
    expected = {doc.id: len(found) for doc, found in extract_docs(d for d in read_paths([str(corpus)]))}
    with sqlite3.connect(db) as conn:
        got_docs = [r[0] for r in conn.execute("SELECT id FROM documents")]
        per_doc = dict(conn.execute("SELECT doc_id, count(*) FROM assertions GROUP BY doc_id").fetchall())
        ungrouped = conn.execute("SELECT count(*) FROM documents WHERE story_id IS NULL").fetchone()[0]
        unsigned = conn.execute("SELECT count(*) FROM documents d LEFT JOIN story_signatures s "
                                "ON s.doc_id = d.id WHERE s.doc_id IS NULL").fetchone()[0]
    assert sorted(got_docs) == sorted(ids)
    assert {k: per_doc.get(k, 0) for k in expected} == expected
    assert ungrouped == 0 and unsigned == 0  # a document stored but not grouped before the kill was grouped


def test_ctrl_c_stops_cleanly_and_says_what_is_stored(tmp_path: Path):
    corpus, db = tmp_path / "corpus.jsonl", tmp_path / "accords.db"
    write_corpus(corpus)
    proc = start(corpus, db)
    wait_for_documents(proc, db, at_least=10)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "interrupted after" in err and "a rerun skips them" in err and "Traceback" not in err
