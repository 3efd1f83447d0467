"""Extraction throughput at scale: 1 and N local processes and an N-worker Dask LocalCluster, against bare spaCy.

All on the same corpus in one run (the dev set and the example read from
../shared at run time and repeated to --words words; their texts are not
copied into the repository), extraction only (no database):

    bare spaCy x1      the model's own components accords runs (no NER), nlp.pipe, this process
    bare spaCy xN      the same with nlp.pipe(n_process=N) (spaCy's own multiprocessing)
    accords x1         accords.batch in this process (the pipeline plus the accords components)
    accords xN         accords.batch with N local processes
    accords dask xN    accords.batch on a LocalCluster of N single-threaded worker processes

Pools and clusters are started and warmed up before the clock starts (their
start-up is reported apart); spaCy's n_process pool cannot be, so its figure
includes start-up. Reported: words/s and documents/s; each against bare spaCy
x1 (the cost of the accords components); scaling efficiency (xN throughput /
(N x the x1 throughput)); the framework's cost (accords xN / accords x1
scaled, and dask against the local pool); and a per-core figure for sizing.

    python benchmarks/bench_scale.py [--words 60000] [--workers 2] [--json]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from accords.batch import BatchOptions, cpu_count, runner  # noqa: E402
from accords.batch.partitions import chunked, in_order  # noqa: E402
from accords.extract import EXCLUDE, MODEL  # noqa: E402
from accords.model import Document  # noqa: E402
from tests.shared_data import DEV, EXAMPLE_TXT  # noqa: E402


def corpus(words: int) -> list[Document]:
    texts = []
    if DEV.exists():
        texts += [json.loads(line)["text"] for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    if EXAMPLE_TXT.exists():
        texts.append(EXAMPLE_TXT.read_text(encoding="utf-8"))
    if not texts:
        sys.exit(f"no corpus: {DEV} not found (set ACCORDS_SHARED)")
    docs, n, i = [], 0, 0
    while n < words:
        docs.append(Document(id=f"d{i}", text=texts[i % len(texts)]))
        n += len(docs[-1].text.split())
        i += 1
    return docs


def run_batch(docs: list[Document], options: BatchOptions) -> tuple[float, float, int]:
    """(start-up seconds, extraction seconds, facts) with the runner `options` asks for, warmed up first."""
    t0 = time.perf_counter()
    with runner(options) as run:
        warm = docs[: max(2, 2 * run.workers)]
        list(in_order(chunked(warm, 1), run.submit, run.wait, run.window))  # every worker has its model loaded
        startup = time.perf_counter() - t0
        t = time.perf_counter()
        facts = sum(len(found) for _, result in in_order(chunked(docs, options.partition_size, first=1),
                                                         run.submit, run.wait, run.window)
                    for found in result.assertions)
        return startup, time.perf_counter() - t, facts


def bare(docs: list[Document], n_process: int) -> float:
    import spacy

    nlp = spacy.load(MODEL, exclude=EXCLUDE)
    list(nlp.pipe([d.text for d in docs[:5]]))
    t = time.perf_counter()
    for _ in nlp.pipe((d.text for d in docs), batch_size=32, n_process=n_process):
        pass
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--words", type=int, default=60000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--partition-size", type=int, default=16)
    ap.add_argument("--no-dask", action="store_true")
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    args = ap.parse_args()
    n = args.workers
    docs = corpus(args.words)
    words = sum(len(d.text.split()) for d in docs)

    rows: dict[str, dict] = {}

    def add(name: str, seconds: float, startup: float | None = None, facts: int | None = None) -> None:
        rows[name] = {"seconds": round(seconds, 2), "words_per_s": round(words / seconds),
                      "docs_per_s": round(len(docs) / seconds, 1), "startup_s": None if startup is None
                      else round(startup, 1), "facts": facts}

    add("bare spaCy x1", bare(docs, 1))
    add(f"bare spaCy x{n}", bare(docs, n))
    s, t, f = run_batch(docs, BatchOptions(workers=1, partition_size=args.partition_size))
    add("accords x1", t, s, f)
    s, t, f2 = run_batch(docs, BatchOptions(workers=n, partition_size=args.partition_size))
    add(f"accords x{n}", t, s, f2)
    assert f2 == f, "parallel extraction found other facts"
    if not args.no_dask:
        s, t, f3 = run_batch(docs, BatchOptions(scheduler="local", workers=n, partition_size=args.partition_size))
        add(f"accords dask x{n}", t, s, f3)
        assert f3 == f, "Dask extraction found other facts"

    base = rows["bare spaCy x1"]["words_per_s"]
    one = rows["accords x1"]["words_per_s"]
    for name, r in rows.items():
        r["vs_bare_x1"] = round(r["words_per_s"] / base, 2)
    summary = {
        "corpus": {"documents": len(docs), "words": words, "cores": cpu_count()},
        "runs": rows,
        "accords_components_cost": round(base / one, 2),  # bare spaCy x1 is this many times faster
        f"scaling_efficiency_bare_x{n}": round(rows[f"bare spaCy x{n}"]["words_per_s"] / (n * base), 2),
        f"scaling_efficiency_accords_x{n}": round(rows[f"accords x{n}"]["words_per_s"] / (n * one), 2),
        "per_core_docs_per_s": rows["accords x1"]["docs_per_s"],
        "per_core_words_per_s": one,
    }
    if not args.no_dask:
        summary[f"scaling_efficiency_dask_x{n}"] = round(rows[f"accords dask x{n}"]["words_per_s"] / (n * one), 2)
        summary["dask_vs_local_pool"] = round(rows[f"accords dask x{n}"]["words_per_s"]
                                              / rows[f"accords x{n}"]["words_per_s"], 2)
    if args.json:
        print(json.dumps(summary))
        return
    print(f"corpus: {len(docs)} documents, {words} words, {cpu_count()} cores")
    print(f"{'run':<18} {'words/s':>9} {'docs/s':>8} {'vs bare x1':>10} {'start-up s':>10}")
    for name, r in rows.items():
        print(f"{name:<18} {r['words_per_s']:>9} {r['docs_per_s']:>8} {r['vs_bare_x1']:>10} "
              f"{'' if r['startup_s'] is None else r['startup_s']:>10}")
    for k, v in summary.items():
        if k not in ("corpus", "runs"):
            print(f"{k}: {v}")


if __name__ == "__main__":
    main()
