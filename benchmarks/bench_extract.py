"""Extraction throughput: accords' pipeline against the bare spaCy model with all its components.

Both run in this process on the same corpus, so the ratio is meaningful on any
machine. The corpus is the dev set and the example read from ../shared at run
time (their texts belong to their publishers and are not copied), repeated
until it has --words words.

    python benchmarks/bench_extract.py [--words 60000] [--json]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import spacy

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from accords.extract import MODEL, extract_docs, pipeline  # noqa: E402
from accords.model import Document  # noqa: E402
from tests.shared_data import DEV, EXAMPLE_TXT  # noqa: E402


def corpus(words: int) -> list[Document]:
    texts: list[tuple[str, str | None]] = []
    if DEV.exists():
        for line in DEV.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            texts.append((row["text"], row.get("published")))
    if EXAMPLE_TXT.exists():
        texts.append((EXAMPLE_TXT.read_text(encoding="utf-8"), "2025-11-06"))
    if not texts:
        sys.exit(f"no corpus: {DEV} not found (set ACCORDS_SHARED)")
    docs, n, i = [], 0, 0
    while n < words:
        text, _ = texts[i % len(texts)]
        docs.append(Document(id=f"d{i}", text=text))
        n += len(text.split())
        i += 1
    return docs


def timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--words", type=int, default=60000)
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    args = ap.parse_args()
    docs = corpus(args.words)
    words = sum(len(d.text.split()) for d in docs)

    bare = spacy.load(MODEL)  # every component, NER included
    accords_nlp = pipeline()
    # Warm both up so model loading and first-call caches are not measured.
    list(bare.pipe([d.text for d in docs[:5]]))
    list(extract_docs(docs[:5]))

    t_bare = timed(lambda: list(bare.pipe((d.text for d in docs), batch_size=32)))
    facts = 0

    def run():
        nonlocal facts
        facts = sum(len(found) for _, found in extract_docs(docs))

    t_acc = timed(run)
    result = {
        "documents": len(docs), "words": words,
        "bare_spacy_components": bare.pipe_names, "accords_components": accords_nlp.pipe_names,
        "bare_words_per_s": round(words / t_bare), "accords_words_per_s": round(words / t_acc),
        "ratio_accords_to_bare": round(t_bare / t_acc, 2), "facts": facts,
    }
    if args.json:
        print(json.dumps(result))
        return
    print(f"corpus: {len(docs)} documents, {words} words")
    print(f"bare spaCy ({', '.join(bare.pipe_names)}): {result['bare_words_per_s']:>8} words/s")
    print(f"accords    ({', '.join(accords_nlp.pipe_names)}): {result['accords_words_per_s']:>8} words/s, {facts} facts")
    print(f"ratio accords / bare spaCy: {result['ratio_accords_to_bare']}x")


if __name__ == "__main__":
    main()
