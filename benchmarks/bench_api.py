"""HTTP API throughput: /bodies/{id}/members on a database of a million facts, from a second process.

1. builds (once; reused while its size matches) a SQLite database of synthetic
   fact records: joins, exits, applications, signatures and invitations of real
   states to real bodies (from the gazetteer), on random dates, written through
   Store.ingest_many in bulk (no extraction), then consolidated;
2. starts `accords serve` (uvicorn, --workers N, default 1) on 127.0.0.1;
3. runs a load generator in a second process (asyncio, keep-alive HTTP/1.1
   connections): first against a static file (the server's own floor, the
   baseline), then against /bodies/{id}/members?as_of=DATE for random bodies and
   dates; reports requests per second and p50/p99 latency, and the ratio of
   the two throughputs.

    python benchmarks/bench_api.py [--facts 1000000] [--db /tmp/accords-bench.db] [--requests 3000]
                                   [--concurrency 16] [--workers 1] [--json]

Not run by CI (it takes minutes and ~1 GB of disk).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PER_DOCUMENT = 50
TYPES = [("join", "completed", 0.55), ("leave", "completed", 0.08), ("apply", "prospective", 0.12),
         ("sign", "completed", 0.1), ("invite", "announced", 0.07), ("join", "announced", 0.05),
         ("join", "negated", 0.03)]


# ---------------------------------------------------------------------------
# the database


def _synthetic(n_facts: int, seed: int = 5):
    """(Document, [Assertion]) pairs: PER_DOCUMENT facts each, sentences made up from templates."""
    from accords.model import Assertion, Document, Entity, EventType, Evidence, Status
    from accords.reference import gazetteer

    g = gazetteer()
    rng = random.Random(seed)
    countries = [c.entity for c in g.countries.values()]
    bodies = [b.entity for b in g.bodies.values()]
    weights = [w for *_, w in TYPES]
    start = date(1950, 1, 1).toordinal()
    span = date(2025, 12, 31).toordinal() - start
    verbs = {"join": "joined", "leave": "left", "apply": "applied to join", "sign": "signed",
             "invite": "was invited to join"}
    for d in range(0, n_facts, PER_DOCUMENT):
        published = date.fromordinal(start + rng.randrange(span))
        doc_id = f"synthetic-{d // PER_DOCUMENT:07d}"
        sentences, facts = [], []
        for k in range(min(PER_DOCUMENT, n_facts - d)):
            kind, status, _ = rng.choices(TYPES, weights)[0]
            c, b = rng.choice(countries), rng.choice(bodies)
            when = date.fromordinal(start + rng.randrange(span))
            precision = rng.choice(["day", "day", "month", "year"])
            iso = when.isoformat()[:{"day": 10, "month": 7, "year": 4}[precision]]
            neg = "did not " if status == "negated" else ""
            text = f"Report {k}: {c.name} {neg}{verbs[kind]} the {b.name} in {iso}."
            offset = sum(len(s) + 1 for s in sentences)
            sentences.append(text)
            facts.append(Assertion(doc=doc_id, type=EventType(kind), subject=c, object=b,
                                   status=Status(status), evidence=Evidence(text, offset, offset + len(text)),
                                   date=iso, date_precision=precision, date_text=iso, confidence=0.8))
        yield Document(id=doc_id, text=" ".join(sentences), published=published, published_precision="day",
                       outlet=f"Synthetic Wire {d % 7}"), facts


def build(path: Path, n_facts: int) -> dict:
    from accords.store import open_store

    with open_store(path) as store:
        have = store.stats()["assertions"]
        if have == n_facts and not store.facts_stale:
            return {"built": False, "facts": have}
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    t0 = time.perf_counter()
    with open_store(path) as store:
        report = store.ingest_many(_synthetic(n_facts), batch_size=200)
        t1 = time.perf_counter()
        store.consolidate()
        t2 = time.perf_counter()
        stats = store.stats()
    return {"built": True, "facts": stats["assertions"], "documents": len(report.added),
            "memberships": stats["memberships"], "ingest_s": round(t1 - t0, 1), "consolidate_s": round(t2 - t1, 1),
            "db_mb": round(path.stat().st_size / 2**20)}


# ---------------------------------------------------------------------------
# the load generator (run in its own process: `bench_api.py --load URL-PATHS-FILE ...`)


async def _worker(host: str, port: int, paths: list[str], latencies: list[float], errors: list[str]) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        for path in paths:
            t0 = time.perf_counter()
            writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: application/json\r\n\r\n".encode())
            await writer.drain()
            status_line = await reader.readline()
            length = 0
            while True:
                line = await reader.readline()
                if line in (b"\r\n", b""):
                    break
                name, _, value = line.decode("latin-1").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - t0)
            if b" 200 " not in status_line:
                errors.append(status_line.decode("latin-1").strip() + " " + path)
    finally:
        writer.close()


async def _load(host: str, port: int, paths: list[str], concurrency: int) -> dict:
    latencies: list[float] = []
    errors: list[str] = []
    shares = [paths[i::concurrency] for i in range(concurrency)]
    t0 = time.perf_counter()
    await asyncio.gather(*[_worker(host, port, share, latencies, errors) for share in shares if share])
    elapsed = time.perf_counter() - t0
    q = statistics.quantiles(latencies, n=100, method="inclusive")
    return {"requests": len(latencies), "errors": len(errors), "first_errors": errors[:3],
            "seconds": round(elapsed, 2), "rps": round(len(latencies) / elapsed, 1),
            "p50_ms": round(q[49] * 1000, 1), "p99_ms": round(q[98] * 1000, 1)}


def load_main(argv: list[str]) -> None:
    host, port, paths_file, concurrency = argv[0], int(argv[1]), argv[2], int(argv[3])
    paths = json.loads(Path(paths_file).read_text())
    print(json.dumps(asyncio.run(_load(host, port, paths, concurrency))))


def run_load(port: int, paths: list[str], concurrency: int, tmp: Path) -> dict:
    tmp.write_text(json.dumps(paths))
    out = subprocess.run([sys.executable, __file__, "--load", "127.0.0.1", str(port), str(tmp), str(concurrency)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


# ---------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    if sys.argv[1:2] == ["--load"]:
        return load_main(sys.argv[2:])
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--facts", type=int, default=1_000_000)
    ap.add_argument("--db", type=Path, default=Path("/tmp/accords-bench.db"))
    ap.add_argument("--requests", type=int, default=3000)
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--workers", type=int, default=1, help="accords serve --workers")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    info = build(args.db, args.facts)
    from accords.reference import gazetteer

    bodies = sorted(gazetteer().bodies)
    rng = random.Random(7)
    days = [date(1950, 1, 1) + timedelta(days=rng.randrange(76 * 365)) for _ in range(args.requests)]
    member_paths = [f"/bodies/{rng.choice(bodies)}/members?as_of={d.isoformat()}" for d in days]
    port = _free_port()
    env = {**os.environ, "ACCORDS_API_TOKEN": ""}
    server = subprocess.Popen([sys.executable, "-m", "accords", "serve", "--db", str(args.db), "--port", str(port),
                               "--workers", str(args.workers), "--log-level", "warning"], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        import httpx

        deadline = time.monotonic() + 120
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{port}/static/style.css", timeout=2)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or server.poll() is not None:
                    sys.exit("accords serve did not start")
                time.sleep(0.3)
        tmp = args.db.with_suffix(".paths.json")
        run_load(port, member_paths[:max(4, min(100, len(member_paths) // 20))], 4, tmp)  # warm-up: imports, pages
        baseline = run_load(port, ["/static/style.css"] * args.requests, args.concurrency, tmp)
        members = run_load(port, member_paths, args.concurrency, tmp)
        tmp.unlink(missing_ok=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    result = {"database": info, "concurrency": args.concurrency, "workers": args.workers,
              "baseline_static_file": baseline,
              "members": members, "members_vs_baseline_rps": round(members["rps"] / baseline["rps"], 3)}
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"database: {info['facts']:,} facts" + (f" (built in {info['ingest_s']} s, consolidated in "
                                                 f"{info['consolidate_s']} s, {info['db_mb']} MB, "
                                                 f"{info['memberships']:,} membership facts)" if info["built"] else ""))
    for name, r in (("GET /static/style.css (baseline)", baseline), ("GET /bodies/{id}/members?as_of=", members)):
        print(f"{name:36s} {r['rps']:8.1f} req/s  p50 {r['p50_ms']:7.1f} ms  p99 {r['p99_ms']:7.1f} ms  "
              f"({r['requests']} requests, {args.concurrency} connections, {args.workers} workers, "
              f"{r['errors']} errors)")
    print(f"members / baseline throughput: {result['members_vs_baseline_rps']}")


if __name__ == "__main__":
    main()
