"""Cost of the knowledge base's questions on synthetic data, as ratios to a baseline measured in the same run.

    .venv/bin/python benchmarks/bench_kb.py [--assertions 50000] [--samples 100]

Baseline: reading a body's membership facts from the store's persisted fact tables (store.memberships), the
fastest read there is. Measured against it: query.members (facts consolidated from the body's assertions,
with sources counted by story), the same as known on a past date (--known-on), changes over a year for one
body, conflicts of one body, and consolidating everything (the store's rebuild vs. kb.load.all_facts).
Synthetic data comes from bench_store.synthetic (the same generator the store benchmark uses).
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_store import entities, latencies, synthetic  # noqa: E402

from accords import query  # noqa: E402
from accords.kb import changes as kch  # noqa: E402
from accords.kb import conflicts as kc  # noqa: E402
from accords.kb import load  # noqa: E402
from accords.store import open_store  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--assertions", type=int, default=50_000)
    parser.add_argument("--samples", type=int, default=100)
    args = parser.parse_args()
    per_doc = 10
    _, bodies = entities()
    rng = random.Random(3)
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder) / "kb.db")
        items = list(synthetic(args.assertions // per_doc, per_doc, seed=11))
        store.ingest_many(items, batch_size=1000)
        t = time.perf_counter()
        store.consolidate()
        rebuild_s = time.perf_counter() - t
        t = time.perf_counter()
        load.all_facts(store)
        all_facts_s = time.perf_counter() - t
        picks = [rng.choice(bodies).id for _ in range(args.samples)]
        result = {
            "assertions": store.stats()["assertions"], "bodies": len(bodies),
            "baseline_persisted_memberships": latencies(lambda b: store.memberships(body=b), picks),
            "members": latencies(lambda b: query.members(store, b, as_of="2020-06-30"), picks),
            "members_known_on": latencies(lambda b: query.members(store, b, as_of="2020-06-30",
                                                                  known_on="2015-01-01"), picks),
            "changes_one_year": latencies(lambda b: kch.changes(store, since="2019-01-01", until="2019-12-31",
                                                                body=b), picks[: max(10, len(picks) // 4)]),
            "conflicts_of_body": latencies(lambda b: kc.conflicts(store, body=b), picks[: max(10, len(picks) // 4)]),
            "rebuild_all_s": round(rebuild_s, 2), "kb_all_facts_s": round(all_facts_s, 2),
        }
        base = result["baseline_persisted_memberships"]["p50_ms"] or 0.01
        for name in ("members", "members_known_on", "changes_one_year", "conflicts_of_body"):
            result[name]["p50_vs_baseline"] = round(result[name]["p50_ms"] / base, 1)
        result["all_facts_vs_rebuild"] = round(all_facts_s / rebuild_s, 2) if rebuild_s else None
        store.close()
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
