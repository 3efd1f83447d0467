"""Helpers for the knowledge-base tests: articles written for the tests, run through the real extractor
into a real store, grouped into stories as `accords ingest` does."""
from __future__ import annotations

from datetime import date

from accords import dedup
from accords.extract import extract_docs
from accords.model import Document


def doc(id: str, published: str, text: str, outlet: str | None = None, url: str | None = None) -> Document:
    return Document(id=id, text=text, published=date.fromisoformat(published), outlet=outlet, url=url)


def ingest(store, *documents: Document) -> None:
    """Extract with the real pipeline, store, and group syndicated copies (accords.dedup)."""
    for d, found in extract_docs(list(documents)):
        store.ingest(d, found)
        dedup.assign_document(store, d.id, d.text)


def normalized(data, keys: dict[int, tuple]):
    """A facts dict with every assertion id replaced by what that assertion says (its content key), so two
    stores holding the same documents ingested in different orders compare equal."""
    if isinstance(data, dict):
        out = {}
        for k, v in data.items():
            if k == "assertion" and isinstance(v, int):
                out[k] = keys[v]
            elif k in ("assertions", "supporting", "contradicting") and isinstance(v, list):
                out[k] = sorted(keys[i] for i in v)
            else:
                out[k] = normalized(v, keys)
        return out
    if isinstance(data, list):
        return [normalized(v, keys) for v in data]
    return data
