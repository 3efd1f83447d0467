"""What the endpoints and pages show, assembled from library calls (store, query, reference).

Shared by the JSON routes (routes.py) and the web pages (web.py), so both say the
same thing: entity resolution, cursor pages, a document with its evidence spans
marked, and a fact with the other articles that support or contradict it.
"""
from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from accords import query
from accords.api.errors import ApiError
from accords.consolidate import StoredAssertion
from accords.errors import UnknownEntityError
from accords.model import GATHERING_TYPES, MEMBERSHIP_TYPES, RELATION_TYPES, Entity, EntityKind
from accords.store import Store, StoredDocument

BODY_KINDS = {k.value for k in EntityKind} - {EntityKind.COUNTRY.value, EntityKind.GATHERING.value,
                                               EntityKind.GROUP.value}
MAX_PAGE = 500


# ---------------------------------------------------------------------------
# entities


def resolve(store: Store, ref: str, want: str | None = None) -> Entity:
    """An entity by id as stored, else by any name the gazetteer knows; 404 with suggestions otherwise.

    `want` is 'country' or 'body': the other kind is a 400 that says what was found.
    """
    from accords.reference import gazetteer

    entity = store.entity(ref) or store.entity(ref.upper()) or store.entity(ref.lower())
    if entity is None:
        entity = gazetteer().resolve(ref)  # raises UnknownEntityError with suggestions
    if want == "country" and not entity.is_country:
        raise ApiError(f"{ref!r} is {entity.name} ({entity.kind}), not a country; see /bodies/{entity.id}")
    if want == "body" and entity.is_country:
        raise ApiError(f"{ref!r} is a country ({entity.name}); see /countries/{entity.id}")
    return entity


def bodies(store: Store) -> list[Entity]:
    """The bodies the store knows (agreements, organizations, blocs, alliances, formats), by name."""
    return sorted((e for e in store.entities() if e.kind in BODY_KINDS), key=lambda e: (e.name.lower(), e.id))


def body_reference(entity: Entity) -> dict[str, Any]:
    """What the gazetteer says of a body: its founding date and other names."""
    from accords.reference import gazetteer

    ref = gazetteer().bodies.get(entity.id)
    return {"body": entity.to_dict(), "founded": ref.founded if ref else None,
            "aliases": list(ref.aliases) if ref else []}


def body_info(store: Store, entity: Entity) -> dict[str, Any]:
    """The body's reference data and how many members (and so on) it has today."""
    current = query.members(store, entity)
    return {**body_reference(entity), "counts": {name: len(getattr(current, name)) for name in current.SECTIONS},
            "as_of": current.as_of.isoformat()}


# ---------------------------------------------------------------------------
# cursor pages


def encode_cursor(position: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"p": position}).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    if cursor is None:
        return 0
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        position = json.loads(raw)["p"]
        if isinstance(position, int) and position >= 0:
            return position
    except (binascii.Error, ValueError, TypeError, KeyError, UnicodeDecodeError):
        pass
    raise ApiError(f"cursor {cursor!r} not understood; pass the 'next' value of the previous page unchanged")


def page(records: list[StoredAssertion], cursor: str | None, limit: int, *, by_id: bool) -> dict[str, Any]:
    """One page of fact records and the cursor of the next.

    by_id: the records are in id order and the cursor is the last id seen, so a
    feed read page by page misses nothing that is ingested meanwhile; otherwise
    the cursor is a position in the (date) order.
    """
    if not 1 <= limit <= MAX_PAGE:
        raise ApiError(f"limit must be between 1 and {MAX_PAGE}")
    position = decode_cursor(cursor)
    if by_id:
        rest = [sa for sa in records if sa.id > position]
        items = rest[:limit]
        more = len(rest) > limit
        nxt = encode_cursor(items[-1].id) if more else None
    else:
        items = records[position:position + limit]
        more = position + limit < len(records)
        nxt = encode_cursor(position + limit) if more else None
    return {"ok": True, "items": [sa.record() for sa in items], "count": len(items), "total": len(records),
            "next": nxt}


def feed_page(store: Store, cursor: str | None, limit: int) -> dict[str, Any]:
    """The unfiltered /facts feed, a page straight from the database (keyset on the id): a million
    facts are not loaded to show a hundred. Same answer as page(store.assertions(), ...)."""
    from sqlalchemy import func, select

    from accords.store import schema as t

    if not 1 <= limit <= MAX_PAGE:
        raise ApiError(f"limit must be between 1 and {MAX_PAGE}")
    after = decode_cursor(cursor)
    a = t.assertions.c
    with store.engine.connect() as conn:
        rows = conn.execute(Store._assertion_select().where(a.id > after).limit(limit + 1)).mappings().all()
        total = conn.execute(select(func.count()).select_from(t.assertions)).scalar_one()
    items = [Store._stored(r) for r in rows[:limit]]
    nxt = encode_cursor(items[-1].id) if len(rows) > limit else None
    return {"ok": True, "items": [sa.record() for sa in items], "count": len(items), "total": total, "next": nxt}


# ---------------------------------------------------------------------------
# documents with their evidence marked


@dataclass
class Segment:
    text: str
    facts: list[int] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "facts": list(self.facts)}


def spans(sa: StoredAssertion) -> list[tuple[int, int]]:
    """Where an assertion's sentences sit in its document: the evidence, and any repeats of it."""
    ev = sa.assertion.evidence
    out = [(ev.start, ev.end)]
    for more in sa.assertion.extra.get("more_evidence") or []:
        if isinstance(more, dict) and isinstance(more.get("start"), int) and isinstance(more.get("end"), int):
            out.append((more["start"], more["end"]))
    return out


def segments(text: str, facts: list[StoredAssertion]) -> list[Segment]:
    """The text cut at every evidence boundary; each piece lists the facts whose sentence covers it."""
    marks = [(max(0, s), min(len(text), e), sa.id) for sa in facts for s, e in spans(sa) if 0 <= s < e]
    cuts = sorted({0, len(text), *[s for s, _, _ in marks], *[e for _, e, _ in marks]})
    out = []
    for lo, hi in zip(cuts, cuts[1:]):
        ids = sorted({i for s, e, i in marks if s <= lo and hi <= e})
        if out and out[-1].facts == ids:
            out[-1].text += text[lo:hi]
        else:
            out.append(Segment(text[lo:hi], ids))
    return out


def document(store: Store, doc_id: str) -> tuple[StoredDocument, list[StoredAssertion]]:
    found = store.document(doc_id)
    if found is None:
        raise ApiError(f"no document {doc_id!r}; list them with /facts or find one with /search", 404)
    return found, store.assertions(doc=found.document.id)


def document_dict(found: StoredDocument, facts: list[StoredAssertion]) -> dict[str, Any]:
    return {"ok": True, "document": found.to_dict(text=True), "facts": [sa.record() for sa in facts],
            "segments": [s.to_dict() for s in segments(found.document.text, facts)]}


# ---------------------------------------------------------------------------
# a fact and what else says so


@dataclass
class Related:
    """The consolidated fact(s) an assertion belongs to, and the other assertions for and against them."""

    assertion: StoredAssertion
    facts: list[dict[str, Any]] = field(default_factory=list)
    supporting: list[StoredAssertion] = field(default_factory=list)
    contradicting: list[StoredAssertion] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"ok": True, "fact": self.assertion.record(), "consolidated": self.facts,
                "supporting": [sa.record() for sa in self.supporting],
                "contradicting": [sa.record() for sa in self.contradicting]}


def related(store: Store, sa: StoredAssertion) -> Related:
    a = sa.assertion
    subject, obj = a.subject.id, a.object.id
    if a.type in MEMBERSHIP_TYPES:
        facts = store.memberships(body=obj, member=subject)
        pool = store.assertions(body=obj, country=subject)
    elif a.type in RELATION_TYPES:
        facts = store.relation_facts(subject, obj)
        pool = [x for x in store.assertions(type=list(RELATION_TYPES), country=subject)
                if {x.assertion.subject.id, x.assertion.object.id} == {subject, obj}]
    elif a.type in GATHERING_TYPES:
        facts = store.summit_facts(gathering=obj)
        pool = store.assertions(body=obj)
    else:
        facts, pool = [], store.assertions(type=a.type, body=obj)
    holding = [f for f in facts if sa.id in f.supporting or sa.id in getattr(f, "contradicting", [])]
    pros = {i for f in holding for i in f.supporting}
    cons = {i for f in holding for i in getattr(f, "contradicting", [])}
    if sa.id in cons:  # seen from a contradicting statement, the supporting ones contradict it
        pros, cons = cons, pros
    if not holding:  # not consolidated (e.g. a founding): everything else said of the same pair agrees
        pros = {x.id for x in pool}
    by_id = {x.id: x for x in pool}
    order = sorted(by_id.values(), key=lambda x: (x.reported or date.max, x.id))
    return Related(sa, [f.to_dict() for f in holding],
                   [x for x in order if x.id in pros and x.id != sa.id],
                   [x for x in order if x.id in cons and x.id != sa.id])


def assertion_in(store: Store, doc_id: str, fact_id: int) -> tuple[StoredDocument, list[StoredAssertion],
                                                                      StoredAssertion]:
    found, facts = document(store, doc_id)
    for sa in facts:
        if sa.id == fact_id:
            return found, facts, sa
    raise ApiError(f"document {doc_id!r} has no fact {fact_id}; its facts are listed at /documents/{doc_id}", 404)


def as_of(value: str | None, name: str = "as_of") -> date:
    """A date parameter (YYYY, YYYY-MM, YYYY-MM-DD), read as the queries read it; today when absent."""
    from accords.kb.load import as_date

    return as_date(value, name) or date.today()


__all__ = ["resolve", "bodies", "body_info", "page", "segments", "document", "document_dict", "related",
           "assertion_in", "as_of", "UnknownEntityError"]
