"""Ingest throughput: saved HTML pages against the same texts as a JSONL corpus, measured in one run.

The texts are the dev set and the example read from ../shared at run time
(they belong to their publishers and are not copied into the repository),
each made unique with a numbered closing sentence and wrapped, for the HTML
side, in a page with the furniture real sites have (navigation, newsletter
box, related links, footer, metadata). Both sides go through the same
`Ingest` run into a fresh SQLite file: read, extract, store, group copies.

Reported: documents per second for each, and the HTML/JSONL ratio (the cost
of page extraction with trafilatura and date finding, relative to reading
plain records); also the reading step alone (no extraction), where the
difference shows most.

    python benchmarks/bench_ingest.py [--docs 200] [--json]
"""
from __future__ import annotations

import argparse
import html
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from accords.sources import read_paths  # noqa: E402
from accords.sources.ingest import Ingest, ReadOptions  # noqa: E402
from accords.store import open_store  # noqa: E402
from tests.shared_data import DEV, EXAMPLE_TXT  # noqa: E402

PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title} | Bench Daily</title>
<meta property="og:site_name" content="Bench Daily"><meta property="article:published_time" content="{published}">
<meta name="author" content="Staff Reporter"><script>var analytics = {{}};</script></head><body>
<header><a href="/">Bench Daily</a><nav><a href="/world">World</a> <a href="/politics">Politics</a>
<a href="/business">Business</a> <a href="/sport">Sport</a></nav></header><div class="ad">Advertisement</div>
<main><article><h1>{title}</h1><p class="byline">By Staff Reporter</p>{paragraphs}
<div class="newsletter"><h4>Sign up for the Morning Brief</h4><p>Sign up for our newsletter to get the news.</p></div>
<aside><h3>READ NEXT</h3><ul><li><a href="/a">Markets close higher</a></li><li><a href="/b">Storm warning</a></li></ul>
</aside></article></main><footer>Copyright 2026 Bench Daily. All rights reserved.</footer></body></html>
"""


def texts() -> list[tuple[str, str]]:
    out = []
    if DEV.exists():
        for line in DEV.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            out.append((row["text"], row.get("published") or "2025-11-06"))
    if EXAMPLE_TXT.exists():
        out.append((EXAMPLE_TXT.read_text(encoding="utf-8"), "2025-11-06"))
    if not out:
        sys.exit(f"no corpus: {DEV} not found (set ACCORDS_SHARED)")
    return out


def build(folder: Path, n: int) -> tuple[Path, Path]:
    """n pages in folder/pages and the same n texts in folder/corpus.jsonl."""
    pages = folder / "pages"
    pages.mkdir()
    source = texts()
    with (folder / "corpus.jsonl").open("w", encoding="utf-8") as fh:
        for i in range(n):
            text, published = source[i % len(source)]
            text = text.strip() + f"\n\nThis is bench copy number {i}, filed by the bench desk on day {i % 28 + 1}."
            paras = [p.strip() for p in text.split("\n") if p.strip()]
            title = f"Bench story {i}"
            (pages / f"story-{i:05d}.html").write_text(PAGE.format(
                title=title, published=published,
                paragraphs="\n".join(f"<p>{html.escape(p)}</p>" for p in paras)), encoding="utf-8")
            fh.write(json.dumps({"id": f"story-{i:05d}", "text": "\n".join(paras), "published": published,
                                 "title": title, "outlet": "Bench Daily"}) + "\n")
    return pages, folder / "corpus.jsonl"


def read_rate(path: Path) -> float:
    start = time.perf_counter()
    n = sum(1 for item in read_paths([str(path)]) if hasattr(item, "text"))
    return n / (time.perf_counter() - start)


def ingest_rate(path: Path, db: Path) -> tuple[float, int]:
    with open_store(db) as store, Ingest(store, ReadOptions()) as run:
        start = time.perf_counter()
        stats = run.run([str(path)])
        elapsed = time.perf_counter() - start
    return stats.ingested / elapsed, stats.ingested


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=200, help="documents on each side (default 200)")
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    args = ap.parse_args()
    from accords.extract import pipeline

    pipeline()  # load the model before timing
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        pages, corpus = build(folder, args.docs)
        (folder / "warm").mkdir()
        ingest_rate(build(folder / "warm", 10)[0], folder / "warm.db")  # first-use imports and caches, outside the timings
        read_jsonl, read_html = read_rate(corpus), read_rate(pages)
        jsonl_rate, jsonl_n = ingest_rate(corpus, folder / "jsonl.db")
        html_rate, html_n = ingest_rate(pages, folder / "html.db")
    result = {"documents": args.docs, "stored_jsonl": jsonl_n, "stored_html": html_n,
              "read_only_docs_per_s": {"jsonl": round(read_jsonl, 1), "html": round(read_html, 1),
                                       "html_over_jsonl": round(read_html / read_jsonl, 3)},
              "ingest_docs_per_s": {"jsonl": round(jsonl_rate, 1), "html": round(html_rate, 1),
                                    "html_over_jsonl": round(html_rate / jsonl_rate, 3)}}
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"{args.docs} documents each side (stored: {jsonl_n} from JSONL, {html_n} from HTML)")
    r, g = result["read_only_docs_per_s"], result["ingest_docs_per_s"]
    print(f"reading only:  JSONL {r['jsonl']:8.1f} docs/s   HTML {r['html']:8.1f} docs/s   "
          f"HTML/JSONL {r['html_over_jsonl']:.3f}")
    print(f"full ingest:   JSONL {g['jsonl']:8.1f} docs/s   HTML {g['html']:8.1f} docs/s   "
          f"HTML/JSONL {g['html_over_jsonl']:.3f}")


if __name__ == "__main__":
    main()
