"""The store at scale, on SQLite and PostgreSQL: bulk ingest, memory, size, and query latency.

The documents and assertions are SYNTHETIC (made here from the gazetteer's
countries and bodies, with random types, statuses and dates): they bypass the
extractor, so what is measured is the store alone. Every figure comes with a
baseline measured in the same run, on the same machine:

    ingest   N documents (3 assertions each) through Store.ingest_many, streamed;
             documents/s and assertions/s against the bare DB-API driver inserting
             the same rows into plain tables (the cost of validation, constraints,
             indexes, entity links and upserts); peak RSS at 10%, 50% and 100% of
             the corpus (flat means bounded); database bytes per assertion.
    query    a knowledge base of N assertions (10 per document), then p50/p99 of
             members-as-of, timeline and relations (accords.query, as the CLI and
             API ask them), and of the store's indexed reads under them, against
             a primary-key lookup of one entity (the cheapest read there is); and
             the one-off whole-store fact rebuild's time and memory (--no-rebuild
             skips it).

    python benchmarks/bench_store.py ingest --docs 100000 [--db sqlite|postgresql]
    python benchmarks/bench_store.py query --assertions 1000000 [--db sqlite|postgresql]

PostgreSQL: --pg-url (default $ACCORDS_TEST_POSTGRES_URL); a scratch database
is created and dropped. SQLite: a file in --dir (default a temporary folder).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from accords.model import Assertion, Document, Entity, Evidence, EventType, Status  # noqa: E402
from accords.reference import gazetteer  # noqa: E402
from accords.store import open_store  # noqa: E402
from accords.store.engine import temporary_database  # noqa: E402

MEMBERSHIP = [EventType.JOIN, EventType.APPLY, EventType.SIGN, EventType.LEAVE, EventType.INVITE]
RELATION = [EventType.ESTABLISH_RELATIONS, EventType.RESTORE_RELATIONS, EventType.CUT_RELATIONS]
STATUSES = [Status.COMPLETED] * 5 + [Status.ANNOUNCED] * 2 + [Status.PROSPECTIVE] * 2 + [Status.NEGATED]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def entities() -> tuple[list[Entity], list[Entity]]:
    """The gazetteer's countries and bodies, as entities."""
    g = gazetteer()
    countries = [Entity(c.id, c.name, "country") for c in sorted(g.countries.values(), key=lambda c: c.id)]
    bodies = [Entity(b.id, b.name, b.kind) for b in sorted(g.bodies.values(), key=lambda b: b.id)]
    return countries, bodies


def synthetic(n_docs: int, per_doc: int, seed: int = 6):
    """(Document, [Assertion]) pairs, generated lazily: one sentence per assertion."""
    rng = random.Random(seed)
    countries, bodies = entities()
    gathering = Entity("synthetic-summit", "Synthetic Summit", "gathering")
    for i in range(n_docs):
        sentences, found = [], []
        offset = 0
        for k in range(per_doc):
            roll = rng.random()
            year = rng.randint(1990, 2025)
            when = rng.choice([f"{year}", f"{year}-{rng.randint(1, 12):02d}",
                               f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"])
            a, b = rng.sample(countries, 2)
            if roll < 0.7:
                body = rng.choice(bodies)
                kind, subject, obj, parts = rng.choice(MEMBERSHIP), a, body, []
                sentence = f"{a.name} took a step about {body.name} in {when} (report {i}.{k})."
            elif roll < 0.9:
                kind, subject, obj, parts = rng.choice(RELATION), min(a, b, key=lambda e: e.id), \
                    max(a, b, key=lambda e: e.id), []
                sentence = f"{a.name} and {b.name} changed their relations in {when} (report {i}.{k})."
            else:
                kind, subject, obj, parts = EventType.SUMMIT, a, gathering, [a, b]
                sentence = f"{a.name} and {b.name} met at a summit in {when} (report {i}.{k})."
            found.append(Assertion(doc=f"syn-{i}", type=kind, subject=subject, object=obj,
                                   status=rng.choice(STATUSES), participants=parts, date=when,
                                   evidence=Evidence(sentence, offset, offset + len(sentence))))
            sentences.append(sentence)
            offset += len(sentence) + 1
        published = date(2000 + i % 26, 1 + i % 12, 1 + i % 28)
        yield Document(id=f"syn-{i}", text=" ".join(sentences), published=published, outlet="Synthetic Wire"), found


@contextmanager
def database(kind: str, pg_url: str | None, folder: Path):
    """A fresh database URL of the kind asked for; dropped (PostgreSQL) when done."""
    if kind == "sqlite":
        path = folder / f"bench-{uuid.uuid4().hex[:8]}.db"
        yield f"sqlite:///{path}"
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        return
    if not pg_url:
        sys.exit("PostgreSQL: give --pg-url or set ACCORDS_TEST_POSTGRES_URL (bash scripts/ci-postgres.sh)")
    with temporary_database(pg_url) as url:
        yield url


def raw_insert(url: str, n_docs: int, per_doc: int, batch: int = 500) -> float:
    """Seconds for the bare driver to insert the same document and assertion rows into plain tables."""
    if url.startswith("sqlite"):
        import sqlite3

        conn = sqlite3.connect(url.removeprefix("sqlite:///") + ".raw")
        mark = "?"
    else:
        import psycopg
        from sqlalchemy import make_url

        u = make_url(url)
        conn = psycopg.connect(host=u.host, port=u.port, user=u.username, dbname=u.database, password=u.password)
        mark = "%s"
    cur = conn.cursor()
    cur.execute("CREATE TABLE raw_docs (id TEXT PRIMARY KEY, text TEXT, published TEXT, outlet TEXT)")
    cur.execute("CREATE TABLE raw_assertions (doc_id TEXT, type TEXT, subject_id TEXT, object_id TEXT, "
                "status TEXT, date TEXT, evidence TEXT, record TEXT)")
    start = time.perf_counter()
    docs, rows = [], []

    def flush():
        cur.executemany(f"INSERT INTO raw_docs VALUES ({', '.join([mark] * 4)})", docs)
        cur.executemany(f"INSERT INTO raw_assertions VALUES ({', '.join([mark] * 8)})", rows)
        conn.commit()
        docs.clear()
        rows.clear()

    for d, found in synthetic(n_docs, per_doc):
        docs.append((d.id, d.text, d.published.isoformat(), d.outlet))
        for a in found:
            rows.append((a.doc, a.type.value, a.subject.id, a.object.id, a.status.value, a.date, a.evidence.text,
                         json.dumps(a.to_record())))
        if len(docs) >= batch:
            flush()
    flush()
    elapsed = time.perf_counter() - start
    conn.close()
    if url.startswith("sqlite"):
        Path(url.removeprefix("sqlite:///") + ".raw").unlink(missing_ok=True)
    return elapsed


def bench_ingest(kind: str, n_docs: int, pg_url: str | None, folder: Path, per_doc: int = 3) -> dict:
    with database(kind, pg_url, folder) as url:
        raw_s = raw_insert(url, n_docs, per_doc)
    with database(kind, pg_url, folder) as url:
        store = open_store(url)
        empty = store.size_bytes() or 0
        checkpoints = {max(1, n_docs // 10): None, max(1, n_docs // 2): None, n_docs: None}
        done, start, batch = 0, time.perf_counter(), []
        for item in synthetic(n_docs, per_doc):
            batch.append(item)
            if len(batch) == 500:
                store.ingest_many(batch, batch_size=500)
                done += len(batch)
                batch = []
                for mark in checkpoints:
                    if checkpoints[mark] is None and done >= mark:
                        checkpoints[mark] = round(peak_rss_mb())
        if batch:
            store.ingest_many(batch, batch_size=500)
            done += len(batch)
        elapsed = time.perf_counter() - start
        for mark in checkpoints:
            checkpoints[mark] = checkpoints[mark] or round(peak_rss_mb())
        stats = store.stats()
        size = (store.size_bytes() or 0) - empty
        store.close()
    assert stats["documents"] == n_docs and stats["assertions"] == n_docs * per_doc
    return {"backend": kind, "documents": n_docs, "assertions": n_docs * per_doc,
            "docs_per_s": round(n_docs / elapsed), "assertions_per_s": round(n_docs * per_doc / elapsed),
            "raw_driver_docs_per_s": round(n_docs / raw_s), "ratio_to_raw_driver": round(raw_s / elapsed, 2),
            "peak_rss_mb_at": {str(k): v for k, v in checkpoints.items()},
            "bytes_per_assertion": round(size / (n_docs * per_doc)), "seconds": round(elapsed, 1)}


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def latencies(fn, args: list) -> dict:
    out = []
    for a in args:
        t = time.perf_counter()
        fn(a)
        out.append((time.perf_counter() - t) * 1000)
    return {"p50_ms": round(percentile(out, 0.5), 2), "p99_ms": round(percentile(out, 0.99), 2),
            "mean_ms": round(statistics.fmean(out), 2)}


def bench_query(kind: str, n_assertions: int, pg_url: str | None, folder: Path, samples: int = 200,
                rebuild: bool = True) -> dict:
    from accords import query

    per_doc = 10
    n_docs = n_assertions // per_doc
    countries, bodies = entities()
    rng = random.Random(7)
    with database(kind, pg_url, folder) as url:
        store = open_store(url)
        t = time.perf_counter()
        batch = []
        for item in synthetic(n_docs, per_doc, seed=11):
            batch.append(item)
            if len(batch) == 1000:
                store.ingest_many(batch, batch_size=1000)
                batch = []
        if batch:
            store.ingest_many(batch, batch_size=1000)
        load_s = time.perf_counter() - t
        rss_before = peak_rss_mb()
        rebuild_s = rebuild_rss = None
        if rebuild:
            t = time.perf_counter()
            store.consolidate()
            rebuild_s, rebuild_rss = round(time.perf_counter() - t, 1), round(peak_rss_mb())
        stats = store.stats()
        ids = [c.id for c in countries]
        result = {
            "backend": kind, "assertions": stats["assertions"], "documents": stats["documents"],
            "load_s": round(load_s, 1), "rebuild_s": rebuild_s,
            "rebuild_peak_rss_mb": rebuild_rss, "peak_rss_before_rebuild_mb": round(rss_before),
            "facts": {"memberships": stats["memberships"], "relations": stats["relations"],
                      "summits": stats["summits"]},
            "baseline_entity_lookup": latencies(store.entity, [rng.choice(ids) for _ in range(samples)]),
            # Distinct bodies and states: every question is a first one (accords.kb caches answers per
            # store generation, so asking again is a memory read).
            "members_as_of": latencies(lambda a: query.members(store, a[0], as_of=a[1]),
                                       [(b.id, f"{rng.randint(1995, 2025)}-06-30")
                                        for b in rng.sample(bodies, min(samples, len(bodies)))]),
            "timeline": latencies(lambda b: query.timeline(store, b),
                                  [b.id for b in rng.sample(bodies, min(max(20, samples // 4), len(bodies)))]),
            "relations": latencies(lambda c: query.relations(store, c), rng.sample(ids, min(samples, len(ids)))),
            # The store's own indexed reads under those questions:
            "store_assertions_of_entity": latencies(lambda c: store.assertions(country=c),
                                                    [rng.choice(ids) for _ in range(max(20, samples // 4))]),
            "size_bytes": store.size_bytes(),
        }
        base = result["baseline_entity_lookup"]["p50_ms"] or 0.01
        if rebuild:
            result["store_membership_facts_of_body"] = latencies(lambda b: store.memberships(body=b),
                                                                 [rng.choice(bodies).id for _ in range(samples)])
        for name in ("members_as_of", "timeline", "relations"):
            result[name]["p50_vs_lookup"] = round(result[name]["p50_ms"] / base, 1)
        store.close()
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("what", choices=["ingest", "query"])
    ap.add_argument("--docs", type=int, default=100_000, help="ingest: synthetic documents (3 assertions each)")
    ap.add_argument("--assertions", type=int, nargs="+", default=[1_000_000], help="query: knowledge base sizes")
    ap.add_argument("--db", choices=["sqlite", "postgresql"], nargs="+", default=["sqlite", "postgresql"])
    ap.add_argument("--pg-url", default=os.environ.get("ACCORDS_TEST_POSTGRES_URL"))
    ap.add_argument("--dir", type=Path, default=None, help="where SQLite files go (default: a temporary folder)")
    ap.add_argument("--samples", type=int, default=200, help="query: questions of each kind timed")
    ap.add_argument("--no-rebuild", action="store_true",
                    help="query: skip the whole-store fact rebuild (it holds every assertion in memory)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        for kind in args.db:
            if args.what == "ingest":
                print(json.dumps(bench_ingest(kind, args.docs, args.pg_url, Path(tmp))), flush=True)
            else:
                for n in args.assertions:
                    print(json.dumps(bench_query(kind, n, args.pg_url, Path(tmp), samples=args.samples,
                                                 rebuild=not args.no_rebuild)),
                          flush=True)


if __name__ == "__main__":
    main()
