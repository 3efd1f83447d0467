"""How well a fact is sourced: its steps, its independent sources, its conflicts and its confidence.

Consolidation (accords.consolidate) calls these while it builds facts. Items
are StoredAssertions; `sa.source` is the assertion's story (syndicated copies
of one text share it) or else its document, so a story reprinted five times is
one source, not five.

Confidence follows from three things, each visible in the fact:

- how many independent sources state the fact's status (noisy-or: each source
  is right with probability PER_SOURCE × the extractor's confidence in what it
  read there, its surest assertion counting);
- how much they agree: × S / (S + K) for S supporting and K contradicting sources,
  and × DATE_DISAGREEMENT when sources give incompatible dates;
- the status: a completed change is surer than an announced one, an announced
  one than one merely sought (STATUS_WEIGHT).
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from accords import consolidate as cons
from accords.model import EventType, Status

PER_SOURCE = 0.7
DATE_DISAGREEMENT = 0.9
STATUS_WEIGHT = {"member": 1.0, "left": 1.0, "up": 1.0, "down": 1.0, "completed": 1.0, "announced": 0.8,
                 "prospective": 0.6, "negated": 0.8}

_VERB = {EventType.JOIN: "joined", EventType.SIGN: "signed", EventType.LEAVE: "left",
         EventType.ESTABLISH_RELATIONS: "established relations", EventType.RESTORE_RELATIONS: "restored relations",
         EventType.CUT_RELATIONS: "cut relations"}
_STAGE_CLAIM = {EventType.APPLY: "applied only", EventType.INVITE: "invited only"}


def sources(items: Iterable) -> int:
    """Independent sources: distinct stories (else documents)."""
    return len({sa.source for sa in items})


def outlets(items: Iterable) -> list[str]:
    return sorted({sa.outlet for sa in items if sa.outlet})


def confidence(support: Iterable, against: Iterable, status: str, dates_disputed: bool = False) -> float:
    """0..1 from the supporting and contradicting assertions and the fact's status (see the module doc)."""
    best: dict[str, float] = {}
    for sa in support:
        best[sa.source] = max(best.get(sa.source, 0.0), min(max(float(sa.assertion.confidence), 0.0), 1.0))
    if not best:
        return 0.0
    miss = 1.0
    for c in best.values():
        miss *= 1.0 - PER_SOURCE * c
    k = sources(against)
    value = (1.0 - miss) * len(best) / (len(best) + k) * STATUS_WEIGHT.get(status, 0.6)
    if dates_disputed:
        value *= DATE_DISAGREEMENT
    return round(value, 3)


def finish(fact, support: list, against: list) -> None:
    """Set a fact's sources, outlets and confidence from what supports and what contradicts it."""
    fact.sources = sources(support)
    fact.outlets = outlets(support)
    disputed = any(c["kind"] == "date" for c in fact.conflicts)
    fact.confidence = confidence(support, against, fact.status, disputed)


# ---------------------------------------------------------------------------
# steps

def step(status: str, items: list, *, when: str | None = None, due: str | None = None) -> dict[str, Any]:
    """One step of a fact's history: its status, the date it took effect (`date`; for an announcement the
    day it was first reported, `due` the date announced), its first report, and the assertions behind it."""
    first = cons._min_reported(items)
    return {"status": status, "date": when if when is not None else cons._iso(first), "due": due,
            "reported": cons._iso(first), "assertions": cons._ids(items), "sources": sources(items)}


def pending_steps(items: list) -> list[dict[str, Any]]:
    """The prospective and announced steps of superseded or pending assertions, in that order."""
    announced = [sa for sa in items if sa.assertion.status == Status.ANNOUNCED
                 and sa.assertion.type not in (EventType.APPLY, EventType.INVITE)]
    prospective = [sa for sa in items if sa not in announced]
    out = []
    if prospective:
        out.append(step("prospective", prospective,
                        when=cons._refine([sa.assertion.date for sa in prospective if cons._dated(sa)])
                        or cons._iso(cons._min_reported(prospective))))
    if announced:
        out.append(step("announced", announced, due=cons._latest(announced).assertion.date))
    return out


# ---------------------------------------------------------------------------
# conflicts

def side(claim: str, items: list, when: str | None = None) -> dict[str, Any]:
    """One side of a disagreement: what it claims, the assertions and sources saying so, and the evidence
    of the surest of them."""
    lead = cons._best(items)
    return {"claim": claim, "date": when, "assertions": cons._ids(items), "sources": sources(items),
            "outlets": outlets(items), "evidence": cons.FactEvidence.of(lead).to_dict()}


def conflict(kind: str, field: str, sides: list[dict[str, Any]]) -> dict[str, Any]:
    """kind: 'status' (member vs. not yet), 'date' (incompatible dates), 'negation' (it did not happen).
    sides[0] is what the fact holds, the others disagree with it."""
    return {"kind": kind, "field": field, "sides": sides}


def vote_dates(items: list, field: str) -> tuple[set[int], list[dict[str, Any]]]:
    """Among the dated assertions of one change (same type), groups of incompatible dates ('2020-09' and
    '2020-09-15' agree, 2021 and 2022 do not). The group with most sources wins (then the earliest); the
    ids of the others, and a 'date' conflict per type where groups disagree."""
    outvoted: set[int] = set()
    found = []
    by_type: dict[EventType, list] = {}
    for sa in items:
        if cons._dated(sa):
            by_type.setdefault(sa.assertion.type, []).append(sa)
    for type_ in sorted(by_type, key=lambda t: t.value):
        groups = _date_groups(by_type[type_])
        if len(groups) < 2:
            continue
        groups.sort(key=lambda g: (-sources(g), min(cons.date_floor(sa.assertion.date) for sa in g),
                                   min(cons.content_key(sa) for sa in g)))
        for g in groups[1:]:
            outvoted.update(sa.id for sa in g)
        verb = _VERB.get(type_, type_.value)
        sides = []
        for g in groups:
            when = cons._refine([sa.assertion.date for sa in g])
            sides.append(side(f"{verb} {when}", g, when))
        found.append(conflict("date", field, sides))
    return outvoted, found


def _date_groups(items: list) -> list[list]:
    ordered = sorted(items, key=lambda sa: (-cons._PRECISION_RANK.get(cons.precision_of(sa.assertion.date), 0),
                                            sa.assertion.date, cons.content_key(sa)))
    groups: list[list] = []
    for sa in ordered:
        home = next((g for g in groups if all(cons.spans_overlap(sa.assertion.date, o.assertion.date) for o in g)),
                    None)
        if home is None:
            groups.append([sa])
        else:
            home.append(sa)
    return groups


def is_stale(sa, first_reported: date | None, start: date | None) -> bool:
    """A pending report (sought, invited, announced) made after the change was already reported done, and
    not dated before it took effect: a source that disagrees, not an earlier step."""
    if sa.reported is None or first_reported is None or sa.reported <= first_reported:
        return False
    return not cons._dated(sa) or start is None or cons.date_floor(sa.assertion.date) >= start


def pending_claim(sa) -> str:
    a = sa.assertion
    if a.type in _STAGE_CLAIM:
        return _STAGE_CLAIM[a.type]
    return "announced, not yet done" if a.status == Status.ANNOUNCED else "sought, not yet done"


def status_conflict(holding: str, support: list, stale: list, field: str = "status") -> dict[str, Any]:
    by_claim: dict[str, list] = {}
    for sa in stale:
        by_claim.setdefault(pending_claim(sa), []).append(sa)
    return conflict("status", field, [side(holding, support)] +
                    [side(claim, by_claim[claim]) for claim in sorted(by_claim)])


def negation_conflict(holding: str, support: list, negated: list) -> dict[str, Any]:
    return conflict("negation", "status", [side(holding, support), side("did not happen", negated)])
