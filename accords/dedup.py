"""Syndicated copies: one wire story reprinted by many outlets is stored as one story with several outlets.

Exact copies (the same text, whitespace aside) are caught by the store's
content hash and not stored twice. Near-copies (an AP, Reuters or AFP story
with a new headline, a dateline, a trimmed last paragraph, an outlet's
"additional reporting" line) are found with MinHash over word 5-shingles
(datasketch) and locality-sensitive hashing: each stored document's
signature is cut into BANDS bands whose hashes are indexed in the
`story_bands` table, so a new document's candidates come from one indexed
query, in any process, across runs. A candidate whose estimated Jaccard
similarity is at least THRESHOLD joins its story.

`documents.story_id` holds the id of the story's first document (its own
id for a document that copies nothing); NULL means "not yet grouped", which
`assign_pending` repairs (an ingest interrupted between storing a document
and grouping it leaves exactly that). Count corroboration by distinct
story_id, not by document.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Column, ForeignKey, Index, LargeBinary, String, Table, and_, column, func, select, table

from accords.store import schema as t
from accords.store.engine import WRITE_OPTION

SHINGLE = 5  # words per shingle
NUM_PERM = 128  # MinHash permutations
BANDS, ROWS = 32, 4  # LSH: 32 bands of 4 rows (candidates from about 0.4 Jaccard up)
THRESHOLD = 0.5  # estimated Jaccard at which a document joins a story
MAX_CANDIDATES = 20  # compared in full: those sharing the most bands (bounds the work inside a big story)
MIN_WORDS = 25  # shorter texts are too short to call copies (exact duplicates are still caught)
_SEED = 1
_SCHEME = "affine32"  # datasketch's hash scheme: stored signatures are only comparable under the same one

story_signatures = Table(
    "story_signatures", t.metadata,
    Column("doc_id", String, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("signature", LargeBinary, nullable=False),  # NUM_PERM little-endian uint32 values
)

story_bands = Table(
    "story_bands", t.metadata,
    Column("band_key", String(24), primary_key=True),  # band number + hash of its rows
    Column("doc_id", String, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_story_bands_doc_id", "doc_id"),
)

# documents.story_id (migration 5) and author (6): read and written through this light view of the table.
_docs = table("documents", column("id"), column("story_id"), column("outlet"), column("url"), column("title"),
              column("published"), column("ingested_at"), column("content_hash"), column("text"),
              column("author"))

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass
class StoryMatch:
    doc_id: str
    story_id: str
    similarity: float | None = None  # to the closest earlier copy; None for a story of its own
    copy_of: str | None = None  # that copy's document id

    @property
    def is_copy(self) -> bool:
        return self.copy_of is not None


@dataclass
class Story:
    story_id: str
    documents: list[dict[str, Any]] = field(default_factory=list)  # id, outlet, url, title, published

    @property
    def outlets(self) -> list[str]:
        return sorted({d["outlet"] for d in self.documents if d.get("outlet")})

    def to_dict(self) -> dict[str, Any]:
        return {"story_id": self.story_id, "copies": len(self.documents), "outlets": self.outlets,
                "documents": self.documents}


def shingles(text: str) -> set[bytes]:
    """Word 5-shingles of lowercased text, punctuation and case ignored."""
    words = _WORD.findall(text.lower())
    return {" ".join(words[i:i + SHINGLE]).encode("utf-8") for i in range(max(0, len(words) - SHINGLE + 1))}


def signature(text: str):
    """The MinHash of a text, or None when it is too short to compare."""
    from datasketch import MinHash

    grams = shingles(text)
    if len(grams) < MIN_WORDS - SHINGLE + 1:
        return None
    mh = MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=_SCHEME)
    mh.update_batch(list(grams))
    return mh


def band_keys(sig) -> list[str]:
    values = sig.hashvalues
    keys = []
    for b in range(BANDS):
        chunk = values[b * ROWS:(b + 1) * ROWS].astype("<u4").tobytes()
        keys.append(f"{b:02d}{hashlib.blake2b(chunk, digest_size=8).hexdigest()}")
    return keys


def similarity(a, b) -> float:
    return float(a.jaccard(b))


def assign(conn, doc_id: str, text: str) -> StoryMatch:
    """Group one stored document with the earlier copy it is most like (inside the caller's transaction)."""
    sig = signature(text)
    if sig is None:
        return _set_story(conn, StoryMatch(doc_id, doc_id))
    keys = band_keys(sig)
    b, s = story_bands.c, story_signatures.c
    shared = func.count().label("shared")
    nearest = (select(b.doc_id, shared).where(and_(b.band_key.in_(keys), b.doc_id != doc_id))
               .group_by(b.doc_id).order_by(shared.desc(), b.doc_id).limit(MAX_CANDIDATES).subquery())
    rows = conn.execute(
        select(s.doc_id, s.signature, _docs.c.story_id)
        .join(_docs, _docs.c.id == s.doc_id).join(nearest, nearest.c.doc_id == s.doc_id)).all()
    best: StoryMatch | None = None
    for other_id, blob, story_id in rows:
        score = similarity(sig, _unpack(blob))
        if score >= THRESHOLD and (best is None or score > best.similarity):
            best = StoryMatch(doc_id, story_id or other_id, round(score, 3), other_id)
    match = best or StoryMatch(doc_id, doc_id)
    conn.execute(story_signatures.delete().where(s.doc_id == doc_id))
    conn.execute(story_bands.delete().where(b.doc_id == doc_id))
    conn.execute(story_signatures.insert().values(doc_id=doc_id, signature=_pack(sig)))
    conn.execute(story_bands.insert(), [{"band_key": k, "doc_id": doc_id} for k in dict.fromkeys(keys)])
    return _set_story(conn, match)


def assign_document(store, doc_id: str, text: str, *, author: str | None = None) -> StoryMatch:
    """`assign` in a write transaction of its own (recording the document's `author` too, when given)."""
    with store.engine.execution_options(**{WRITE_OPTION: True}).begin() as conn:
        if author:
            conn.execute(_docs.update().where(_docs.c.id == doc_id).values(author=author))
        return assign(conn, doc_id, text)


def assign_pending(store, limit: int | None = None) -> list[StoryMatch]:
    """Group every document not yet grouped (story_id NULL), oldest first."""
    d = _docs.c
    q = select(d.id, d.text).where(d.story_id.is_(None)).order_by(d.ingested_at, d.id)
    if limit:
        q = q.limit(limit)
    with store.engine.connect() as conn:
        pending = conn.execute(q).all()
    return [assign_document(store, doc_id, text) for doc_id, text in pending]


def story_of(store, doc_id: str) -> Story | None:
    """The story a document belongs to, with every copy, or None for an unknown (or ungrouped) document."""
    with store.engine.connect() as conn:
        sid = conn.execute(select(_docs.c.story_id).where(_docs.c.id == doc_id)).scalar()
    if sid is None:
        return None
    found = stories(store, min_copies=1, story_id=sid)
    return found[0] if found else None


def stories(store, *, min_copies: int = 2, story_id: str | None = None, limit: int | None = None) -> list[Story]:
    """Stories with at least `min_copies` documents, largest first, each with its documents oldest first."""
    d = _docs.c
    sizes = select(d.story_id, func.count().label("n")).where(d.story_id.is_not(None)).group_by(d.story_id)
    if story_id:
        sizes = sizes.where(d.story_id == story_id)
    sizes = sizes.having(func.count() >= min_copies).order_by(func.count().desc(), d.story_id)
    if limit:
        sizes = sizes.limit(limit)
    with store.engine.connect() as conn:
        chosen = [row.story_id for row in conn.execute(sizes)]
        if not chosen:
            return []
        rows = conn.execute(select(d.story_id, d.id, d.outlet, d.url, d.title, d.published)
                            .where(d.story_id.in_(chosen)).order_by(d.ingested_at, d.id)).mappings().all()
    by_story: dict[str, Story] = {sid: Story(sid) for sid in chosen}
    for r in rows:
        by_story[r["story_id"]].documents.append({k: r[k] for k in ("id", "outlet", "url", "title", "published")})
    return [by_story[sid] for sid in chosen]


def _set_story(conn, match: StoryMatch) -> StoryMatch:
    conn.execute(_docs.update().where(_docs.c.id == match.doc_id).values(story_id=match.story_id))
    if match.story_id != match.doc_id:
        # A copy joining a story changes how many sources facts have: derived answers are stale.
        conn.execute(t.meta.update().where(t.meta.c.key == "data_generation").values(value=t.meta.c.value + 1))
    return match


def _pack(sig) -> bytes:
    return sig.hashvalues.astype("<u4").tobytes()


def _unpack(blob: bytes):
    import numpy as np
    from datasketch import MinHash

    values = np.frombuffer(blob, dtype="<u4").astype(np.uint32)
    return MinHash(num_perm=NUM_PERM, seed=_SEED, hashvalues=values, scheme=_SCHEME)
