"""Assertions as the news had reported them by a date, with their stories, and the facts they support.

Two times (DESIGN.md): *valid time* is when a fact held in the world (the
queries' `as_of`); *reported time* is when the news said so. `known_on=R`
keeps only assertions whose document was published on or before R (or, when
its publication date is unknown, ingested by then), so every fact below is
what accords would have concluded on R. Facts are consolidated here from the
assertions that concern the question (a body's, a state's), so they carry
story-based source counts and can be rebuilt for any R; the store's fact
tables stay the fast path for everything else.
"""
from __future__ import annotations

from collections import OrderedDict

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from sqlalchemy import and_, column, or_, select, table

from accords import consolidate as cons
from accords.consolidate import MembershipFact, RelationFact, StoredAssertion, SummitFact
from accords.errors import AccordsError
from accords.model import Assertion, GATHERING_TYPES, MEMBERSHIP_TYPES, RELATION_TYPES
from accords.store import schema as t

__all__ = ["as_date", "assertions", "memberships", "relations", "summits", "all_facts", "known"]

# documents.story_id comes with migration 5 (accords.dedup); schema.documents does not list it.
_docs = table("documents", column("id"), column("published"), column("title"), column("outlet"), column("url"),
              column("story_id"))


def as_date(value: date | str | None, name: str = "date") -> date | None:
    """A date from a date or an ISO text (partial: its first day); None stays None."""
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    if isinstance(value, datetime):
        return value.date()
    parsed = cons.date_floor(str(value).strip())
    if parsed is None:
        raise AccordsError(f"{name}: {value!r} is not a date; use YYYY-MM-DD (or YYYY-MM, YYYY)")
    return parsed


def known(sa: StoredAssertion, known_on: date | None) -> bool:
    """Whether the news had said it by `known_on` (always, when None)."""
    return known_on is None or (sa.reported is not None and sa.reported <= known_on)


def assertions(store, *, known_on: date | str | None = None, entities: Iterable[str] | None = None,
               objects: Iterable[str] | None = None, types: Iterable | None = None) -> list[StoredAssertion]:
    """Stored assertions with their documents' stories, as known on `known_on`.

    entities: only assertions naming one of these ids (subject, object or participant); objects: only
    those whose object is one of these; types: EventTypes or their values.
    """
    known_on = as_date(known_on, "known_on")
    a, d, ae = t.assertions.c, _docs.c, t.assertion_entities.c
    q = (select(a.id, a.record, a.ingested_at, d.published, d.title, d.outlet, d.url, d.story_id)
         .join(_docs, d.id == a.doc_id).order_by(a.id))
    if entities is not None:
        ids = sorted(set(entities))
        if not ids:
            return []
        # IN, not a correlated EXISTS: SQLite then starts from the entity index instead of scanning.
        q = q.where(a.id.in_(select(ae.assertion_id).where(ae.entity_id.in_(ids))))
    if objects is not None:
        ids = sorted(set(objects))
        if not ids:
            return []
        q = q.where(a.object_id.in_(ids))
    if types is not None:
        q = q.where(a.type.in_(sorted({getattr(x, "value", x) for x in types})))
    if known_on is not None:  # coarse in SQL, exact below (ingest times are UTC timestamps)
        q = q.where(or_(d.published <= known_on.isoformat(),
                        and_(d.published.is_(None), a.ingested_at < (known_on + timedelta(days=1)).isoformat())))
    with store.engine.connect() as conn:
        rows = conn.execute(q).mappings().all()
    out = [StoredAssertion(r["id"], Assertion.from_record(r["record"]),
                           date.fromisoformat(r["published"]) if r["published"] else None, r["title"], r["outlet"],
                           r["url"], datetime.fromisoformat(r["ingested_at"]), r["story_id"]) for r in rows]
    return [sa for sa in out if known(sa, known_on)]


def _cached(kind: str):
    """Answers derived from the store, remembered until the store's data changes.

    Consolidating a body's thousands of assertions takes most of a second; a server asked the
    same question again answers from memory. The key holds the store's data generation, which
    every ingest moves on, so an answer is never older than the data.
    """
    def wrap(fn):
        cache: OrderedDict = OrderedDict()

        def cached(store, *args, **kwargs):
            key = (id(store.engine), str(store.engine.url), store.data_generation, args,
                   tuple(sorted((k, str(v)) for k, v in kwargs.items())))
            if key in cache:
                cache.move_to_end(key)
                return list(cache[key])
            value = fn(store, *args, **kwargs)
            cache[key] = value
            if len(cache) > _CACHE_SIZE:
                cache.popitem(last=False)
            return list(value)

        cached.__wrapped__ = fn
        cached.__doc__ = fn.__doc__
        return cached
    return wrap


_CACHE_SIZE = 256


@_cached("memberships")
def memberships(store, *, body: str | None = None, member: str | None = None,
                known_on: date | str | None = None) -> list[MembershipFact]:
    """Membership facts of a body and/or a member, consolidated from what was reported by `known_on`."""
    scope = [x for x in (body, member) if x]
    items = assertions(store, known_on=known_on, entities=scope[:1] or None, types=MEMBERSHIP_TYPES)
    return [f for f in cons.membership_facts(items)
            if (not body or f.body.id == body) and (not member or f.member.id == member)]


@_cached("relations")
def relations(store, state: str | None = None, other: str | None = None, *,
              known_on: date | str | None = None) -> list[RelationFact]:
    """Relation facts of a state with every partner, or of a pair, as known on `known_on`."""
    items = assertions(store, known_on=known_on, entities=[state] if state else None, types=RELATION_TYPES)
    return [f for f in cons.relation_facts(items)
            if all(not s or s in (f.a.id, f.b.id) for s in (state, other))]


@_cached("summits")
def summits(store, *, country: str | None = None, known_on: date | str | None = None) -> list[SummitFact]:
    """Summit and meeting facts (with this state among the participants), as known on `known_on`."""
    gatherings = None
    if country:
        named = assertions(store, known_on=known_on, entities=[country], types=GATHERING_TYPES)
        gatherings = {sa.assertion.object.id for sa in named}
    items = assertions(store, known_on=known_on, objects=gatherings, types=GATHERING_TYPES)
    facts = cons.summit_facts(items)
    if country:
        facts = [f for f in facts if any(p.id == country for p in f.participants)]
    return facts


def all_facts(store, *, known_on: date | str | None = None) -> cons.Facts:
    """Every fact, consolidated from everything reported by `known_on`."""
    return cons.consolidate(assertions(store, known_on=known_on))
