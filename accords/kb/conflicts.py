"""Where sources disagree: member vs. not, different dates, did vs. did not, with the evidence side by side.

Each conflict comes from a consolidated fact (accords.consolidate records them
while it builds facts): `sides[0]` is what the fact holds, the other sides
disagree with it, each with its claim, its assertions, its independent source
count, its outlets and the sentence of its surest assertion.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from accords import consolidate as cons
from accords.errors import AccordsError
from accords.kb import load
from accords.model import Entity, MEMBERSHIP_TYPES, RELATION_TYPES

KINDS = ("status", "date", "negation")


@dataclass
class Conflict:
    kind: str  # status | date | negation
    field: str  # status | valid_from | valid_to
    subject: Entity  # the member, or the first state of a pair
    object: Entity  # the body, or the second state
    fact: str  # 'membership' | 'relations'
    status: str  # the fact's status
    confidence: float
    sides: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "field": self.field, "fact": self.fact, "subject": self.subject.to_dict(),
                "object": self.object.to_dict(), "status": self.status, "confidence": self.confidence,
                "sides": [dict(s) for s in self.sides]}


def of_fact(f: cons.MembershipFact | cons.RelationFact) -> list[Conflict]:
    if isinstance(f, cons.MembershipFact):
        subject, obj, what = f.member, f.body, "membership"
    else:
        subject, obj, what = f.a, f.b, "relations"
    return [Conflict(c["kind"], c["field"], subject, obj, what, f.status, f.confidence, list(c["sides"]))
            for c in f.conflicts]


def conflicts(store, *, body: str | None = None, country: str | None = None, kind: str | None = None,
              known_on: date | str | None = None) -> list[Conflict]:
    """Every disagreement between sources, as known on `known_on`: about one body's members, one state's
    memberships and relations, or everything; optionally of one kind (status, date, negation)."""
    if kind is not None and kind not in KINDS:
        raise AccordsError(f"unknown kind of conflict {kind!r}; use one of: {', '.join(KINDS)}")
    facts: list = []
    if body or country:
        facts.extend(load.memberships(store, body=body, member=country, known_on=known_on))
        if country and not body:
            facts.extend(load.relations(store, country, known_on=known_on))
    else:
        items = load.assertions(store, known_on=known_on, types=MEMBERSHIP_TYPES | RELATION_TYPES)
        facts.extend(cons.membership_facts(items))
        facts.extend(cons.relation_facts(items))
    found = [c for f in facts for c in of_fact(f) if kind is None or c.kind == kind]
    return sorted(found, key=lambda c: (c.subject.name, c.object.name, c.fact, KINDS.index(c.kind), c.field))
