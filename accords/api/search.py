"""Search over entity names and evidence sentences.

SQLite: the FTS5 indexes of store migration 2 (porter stemming, accents folded,
every word a prefix: "norw join" finds "Norway joined"), best match first.
PostgreSQL: evidence through the English tsvector GIN index of migration 4 (every
word a stemmed prefix, ranked by ts_rank); entity names, a small table, by
substring. Other databases: a case-insensitive substring match on every word. A name the gazetteer knows ("UAE", "Emirati") finds
its entity even when the store spells it otherwise.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, func, select, text

from accords.consolidate import StoredAssertion
from accords.model import Entity
from accords.store import Store
from accords.store import schema as t

WORD = re.compile(r"\w+", re.UNICODE)
MAX_WORDS = 12


@dataclass
class SearchResult:
    q: str
    entities: list[Entity] = field(default_factory=list)
    evidence: list[StoredAssertion] = field(default_factory=list)

    @property
    def words(self) -> list[str]:
        return words(self.q)

    def to_dict(self) -> dict[str, Any]:
        return {"ok": True, "q": self.q, "entities": [e.to_dict() for e in self.entities],
                "evidence": [sa.record() for sa in self.evidence]}


def words(q: str) -> list[str]:
    return WORD.findall(q)[:MAX_WORDS]


def search(store: Store, q: str, limit: int = 20) -> SearchResult:
    """Entities and evidence sentences matching every word of `q` (as a prefix)."""
    terms = words(q)
    result = SearchResult(q)
    if not terms:
        return result
    with store.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            match = " ".join('"' + w.replace('"', "") + '"*' for w in terms)
            entity_rows = conn.execute(text(
                "SELECT e.id, e.name, e.kind FROM entities_fts JOIN entities e ON e.rowid = entities_fts.rowid "
                "WHERE entities_fts MATCH :m ORDER BY rank LIMIT :n"), {"m": match, "n": limit}).all()
            ids = conn.execute(text("SELECT rowid FROM assertions_fts WHERE assertions_fts MATCH :m "
                                    "ORDER BY rank LIMIT :n"), {"m": match, "n": limit}).scalars().all()
        else:
            e, a = t.entities.c, t.assertions.c
            entity_rows = conn.execute(select(e.id, e.name, e.kind).where(
                and_(*[func.lower(e.name).contains(w.lower()) for w in terms])).order_by(e.name).limit(limit)).all()
            if conn.dialect.name == "postgresql":
                query = func.to_tsquery(text("'english'::regconfig"), " & ".join(f"{w}:*" for w in terms))
                found = (select(a.id).where(t.EVIDENCE_TSVECTOR.op("@@")(query))
                         .order_by(func.ts_rank(t.EVIDENCE_TSVECTOR, query).desc(), a.id))
            else:
                found = select(a.id).where(and_(*[func.lower(a.evidence_text).contains(w.lower()) for w in terms])) \
                    .order_by(a.id.desc())
            ids = conn.execute(found.limit(limit)).scalars().all()
        rows = (conn.execute(Store._assertion_select().where(t.assertions.c.id.in_(ids))).mappings().all()
                if ids else [])
    found = {r["id"]: Store._stored(r) for r in rows}
    result.evidence = [found[i] for i in ids if i in found]
    result.entities = _with_gazetteer(q, [Entity(r.id, r.name, r.kind) for r in entity_rows])
    return result


def _with_gazetteer(q: str, entities: list[Entity]) -> list[Entity]:
    from accords.reference import gazetteer

    g = gazetteer()
    named = g.lookup(q) or g.demonym(q)
    if named is not None and all(e.id != named.id for e in entities):
        return [named, *entities]
    return entities


def highlight(sentence: str, terms: list[str]) -> list[tuple[str, bool]]:
    """The sentence in pieces, True for those that start with a search word (for <mark>, escaped)."""
    if not terms:
        return [(sentence, False)]
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in terms) + r")\w*", re.IGNORECASE)
    out, last = [], 0
    for m in pattern.finditer(sentence):
        if m.start() > last:
            out.append((sentence[last:m.start()], False))
        out.append((m.group(0), True))
        last = m.end()
    if last < len(sentence):
        out.append((sentence[last:], False))
    return out
