"""Questions asked of a Store: who was in a body on a date, a body's timeline, a pair's
relations, everything about a country, the events themselves, summits.

Every function takes a Store and entity ids (or Entity objects, e.g. from the
gazetteer) and returns plain dataclasses with `to_dict()`, for the CLI, the
HTTP API and the web page to render. Facts are consolidated from the stored
assertions that concern the question (accords.kb.load), so answers always
reflect every ingested document, with sources counted by story.

Two times, on every question (DESIGN.md, "bitemporal"):
- `known_on=R` (reported time): answer from what the news had said by R, i.e.
  only documents published on or before R (ingested by R when undated). The
  facts are rebuilt from those alone, so "as known on R" is what accords would
  have answered on R.
- `as_of=D` (valid time): the state of the world on D. members() defaults to
  known_on, else today; the others show everything when it is not given, and
  otherwise what had happened (or been announced) by D, with ends after D
  hidden: as of D they had not happened yet.

As-of semantics (`members`): valid time, with one reported-time guard.
- A membership counts from the first day its start date covers ('2020-09' →
  2020-09-01, '1992' → 1992-01-01); an exit likewise ends it from the first day
  of its date. A membership of unknown start counts once the news first
  reported it ("date unknown, reported by R"); an exit of unknown date once
  it was first reported.
- Announced, prospective and negated entries are shown when their date or
  their first reported date is on or before as_of (nothing is shown as of a
  date before the news said it or it was due). An announcement whose date has
  passed without a confirmed completion is marked "announced for D, unconfirmed".
- A membership that starts after as_of but was announced or sought by then
  shows as announced/prospective (from the history it superseded).
- A state listed under members is not repeated in other sections.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from dataclasses import replace

from accords.consolidate import (FactEvidence, MembershipFact, RelationFact, StoredAssertion, SummitFact,
                                 date_floor, precision_of)
from accords.errors import UnknownEntityError
from accords.kb import load
from accords.model import Entity, EventType
from accords.store import Store

__all__ = ["MemberEntry", "MembersResult", "TimelineEntry", "CountryResult", "members", "timeline",
           "relations", "country", "events", "summits"]

_FAR = date.max
_RANK = {"year": 1, "month": 2, "day": 3}


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _resolve(store: Store, ref: str | Entity) -> Entity:
    """The entity for an id: as given, else as the store knows it; UnknownEntityError otherwise."""
    if isinstance(ref, Entity):
        return ref
    found = store.entity(ref)
    if found is None:
        raise UnknownEntityError(ref)
    return found


def _as_date(value: date | str | None, name: str = "as_of") -> date | None:
    return load.as_date(value, name)


def _times(as_of: date | str | None, known_on: date | str | None) -> tuple[date | None, date | None]:
    return _as_date(as_of, "as_of"), _as_date(known_on, "known_on")


# ---------------------------------------------------------------------------
# members as of a date

@dataclass
class MemberEntry:
    """One line of a members answer: who, in what state, since/until when, and the sentence saying so."""

    member: Entity
    status: str  # member | left | announced | prospective | negated
    valid_from: str | None = None
    from_precision: str | None = None
    valid_to: str | None = None
    to_precision: str | None = None
    note: str | None = None
    stages: list[str] = field(default_factory=list)
    evidence: str | None = None
    assertion: int | None = None
    doc: str | None = None
    outlet: str | None = None
    published: date | None = None
    title: str | None = None
    url: str | None = None
    reported: date | None = None
    supporting: list[int] = field(default_factory=list)
    contradicting: list[int] = field(default_factory=list)
    sources: int = 0  # independent sources (stories) stating it
    confidence: float = 0.0
    conflicts: list[str] = field(default_factory=list)  # kinds of disagreement: status, date, negation
    unconfirmed: bool = False  # announced, its date passed, no report that it happened

    @classmethod
    def of(cls, fact: MembershipFact, status: str | None = None, note: str | None = None) -> "MemberEntry":
        ev: FactEvidence | None = fact.evidence
        return cls(fact.member, status or fact.status, fact.valid_from, fact.from_precision, fact.valid_to,
                   fact.to_precision, note, list(fact.stages), ev.text if ev else None,
                   ev.assertion if ev else None, ev.doc if ev else None, ev.outlet if ev else None,
                   ev.published if ev else None, ev.title if ev else None, ev.url if ev else None,
                   fact.reported, list(fact.supporting), list(fact.contradicting), fact.sources, fact.confidence,
                   sorted({c["kind"] for c in fact.conflicts}))

    def to_dict(self) -> dict[str, Any]:
        return {"member": self.member.to_dict(), "status": self.status, "valid_from": self.valid_from,
                "from_precision": self.from_precision, "valid_to": self.valid_to,
                "to_precision": self.to_precision, "note": self.note, "stages": list(self.stages),
                "evidence": self.evidence, "assertion": self.assertion, "doc": self.doc, "outlet": self.outlet,
                "published": _iso(self.published), "title": self.title, "url": self.url,
                "reported": _iso(self.reported), "supporting": list(self.supporting),
                "contradicting": list(self.contradicting), "sources": self.sources, "confidence": self.confidence,
                "conflicts": list(self.conflicts), "unconfirmed": self.unconfirmed}


@dataclass
class MembersResult:
    body: Entity
    as_of: date
    members: list[MemberEntry] = field(default_factory=list)
    announced: list[MemberEntry] = field(default_factory=list)
    prospective: list[MemberEntry] = field(default_factory=list)
    former: list[MemberEntry] = field(default_factory=list)
    negated: list[MemberEntry] = field(default_factory=list)
    known_on: date | None = None

    SECTIONS = ("members", "announced", "prospective", "former", "negated")

    def ids(self, section: str = "members") -> list[str]:
        return [e.member.id for e in getattr(self, section)]

    def entries(self) -> list[tuple[str, MemberEntry]]:
        return [(name, e) for name in self.SECTIONS for e in getattr(self, name)]

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"body": self.body.to_dict(), "as_of": self.as_of.isoformat(),
                               "known_on": _iso(self.known_on)}
        for name in self.SECTIONS:
            out[name] = [e.to_dict() for e in getattr(self, name)]
        return out


def _visible(fact_date: str | None, reported: date | None, as_of: date) -> bool:
    """Announced/prospective/negated: shown when its date or its first report is on or before as_of."""
    when = [d for d in (date_floor(fact_date), reported) if d]
    return not when or min(when) <= as_of


def members(store: Store, body_id: str | Entity, as_of: date | str | None = None,
            known_on: date | str | None = None) -> MembersResult:
    """Who was in the body on `as_of` (default: known_on, else today), with announced, prospective, former
    and negated; from what the news had said by `known_on` (default: everything)."""
    body = _resolve(store, body_id)
    as_of, known_on = _times(as_of, known_on)
    return _sections(body, load.memberships(store, body=body.id, known_on=known_on),
                     as_of or known_on or date.today(), known_on)


def _sections(body: Entity, facts: list[MembershipFact], as_of: date, known_on: date | None) -> MembersResult:
    """Each fact placed in its section as of `as_of`."""
    result = MembersResult(body, as_of, known_on=known_on)
    for fact in facts:
        if fact.status in ("member", "left"):
            _place_interval(result, fact, as_of)
        elif fact.status == "announced" and _visible(fact.valid_from, fact.reported, as_of):
            start = date_floor(fact.valid_from)
            if fact.valid_from and start and start <= as_of:
                note = f"announced for {fact.valid_from}, unconfirmed"
            elif fact.valid_from:
                note = f"announced for {fact.valid_from}"
            else:
                note = "announced, no date given"
            entry = MemberEntry.of(fact, note=note)
            entry.unconfirmed = fact.unconfirmed(as_of)
            result.announced.append(entry)
        elif fact.status == "prospective" and _visible(fact.valid_from, fact.reported, as_of):
            result.prospective.append(MemberEntry.of(fact, note=", ".join(fact.stages) or None))
        elif fact.status == "negated" and _visible(fact.valid_from, fact.reported, as_of):
            result.negated.append(MemberEntry.of(fact, note="not so: " + ", ".join(fact.stages)))
    # One line per state in members; members are not repeated elsewhere.
    seen: set[str] = set()
    kept = []
    for e in sorted(result.members, key=lambda e: (e.member.id, e.valid_from is None, e.valid_from or "")):
        if e.member.id not in seen:
            seen.add(e.member.id)
            kept.append(e)
    result.members = kept
    for name in MembersResult.SECTIONS:
        entries = getattr(result, name)
        if name != "members":
            entries = [e for e in entries if e.member.id not in seen]
        entries.sort(key=lambda e: (date_floor(e.valid_from) or e.reported or _FAR, e.member.name, e.member.id))
        setattr(result, name, entries)
    return result


def _place_interval(result: MembersResult, fact: MembershipFact, as_of: date) -> None:
    start = date_floor(fact.valid_from)
    if fact.status == "left":
        end = date_floor(fact.valid_to) if fact.valid_to else fact.left_reported
        if end is not None and end <= as_of:
            note = (f"left {fact.valid_to}" if fact.valid_to
                    else f"left, date unknown, reported by {_iso(fact.left_reported)}")
            result.former.append(MemberEntry.of(fact, note=note))
            return
    if start is not None:
        started = start <= as_of
    elif fact.reported is not None:
        started = fact.reported <= as_of
    else:
        started = False  # known only from its exit: shown as former once it has left
    if started:
        notes = []
        if start is None:
            notes.append(f"date unknown, reported by {_iso(fact.reported)}")
        if fact.leaving:
            verb = "announced" if fact.leaving == "announced" else "sought"
            notes.append(f"exit {verb}" + (f" for {fact.leaving_date}" if fact.leaving_date else ""))
        result.members.append(MemberEntry.of(fact, status="member", note="; ".join(notes) or None))
        return
    # Not a member yet: show what had been announced or sought by then.
    steps = [h for h in fact.history if _visible(h.get("date"), date_floor(h.get("reported")), as_of)]
    if not steps:
        return
    step = max(steps, key=lambda h: (h.get("status") == "announced", h.get("reported") or "", h["assertion"]))
    entry = MemberEntry(fact.member, step["status"], step.get("date"), precision_of(step.get("date")),
                        evidence=step.get("text"), assertion=step["assertion"], doc=step.get("doc"),
                        outlet=step.get("outlet"), published=date_floor(step.get("published")),
                        reported=date_floor(step.get("reported")),
                        supporting=[h["assertion"] for h in steps])
    same = [s for s in fact.steps if s["status"] == step["status"]]
    entry.sources = same[0]["sources"] if same else 1
    if step["status"] == "announced":
        d = step.get("date")
        entry.unconfirmed = bool(d and date_floor(d) <= as_of)
        entry.note = (f"announced for {d}, unconfirmed" if entry.unconfirmed
                      else f"announced for {d}" if d else "announced, no date given")
        result.announced.append(entry)
    else:
        entry.stages = sorted({h["stage"] for h in steps if h.get("stage")})
        entry.note = ", ".join(entry.stages) or None
        result.prospective.append(entry)


# ---------------------------------------------------------------------------
# timeline and events

@dataclass
class TimelineEntry:
    assertion: int
    type: str
    status: str
    subject: Entity
    object: Entity
    date: str | None
    precision: str | None
    date_text: str | None
    date_role: str
    evidence: str
    doc: str
    published: date | None = None
    outlet: str | None = None
    title: str | None = None
    url: str | None = None
    reported: date | None = None

    @classmethod
    def of(cls, sa: StoredAssertion) -> "TimelineEntry":
        a = sa.assertion
        return cls(sa.id, a.type.value, a.status.value, a.subject, a.object, a.date,
                   a.date_precision or precision_of(a.date), a.date_text, a.date_role, a.evidence.text, a.doc,
                   sa.published, sa.outlet, sa.title, sa.url, sa.reported)

    def to_dict(self) -> dict[str, Any]:
        return {"assertion": self.assertion, "type": self.type, "status": self.status,
                "subject": self.subject.to_dict(), "object": self.object.to_dict(), "date": self.date,
                "precision": self.precision, "date_text": self.date_text, "date_role": self.date_role,
                "evidence": self.evidence, "doc": self.doc, "published": _iso(self.published),
                "outlet": self.outlet, "title": self.title, "url": self.url, "reported": _iso(self.reported)}


_TIMELINE_TYPES = [EventType.JOIN, EventType.LEAVE, EventType.SIGN, EventType.APPLY, EventType.INVITE,
                   EventType.FOUND]


def _chronological(sa: StoredAssertion) -> tuple:
    """Dated first, by date (coarser dates before finer ones on the same day); undated last, by report."""
    d = date_floor(sa.assertion.date)
    if d is not None:
        return (0, d, _RANK.get(precision_of(sa.assertion.date) or "", 0), sa.reported or _FAR, sa.id)
    return (1, sa.reported or _FAR, 0, _FAR, sa.id)


def _happened_by(sa: StoredAssertion, as_of: date | None) -> bool:
    """Valid time: dated on or before as_of (its first day), or undated and reported by then."""
    if as_of is None:
        return True
    when = date_floor(sa.assertion.date) or sa.reported
    return when is not None and when <= as_of


def timeline(store: Store, body_id: str | Entity, as_of: date | str | None = None,
             known_on: date | str | None = None) -> list[TimelineEntry]:
    """Joins, exits, signatures, applications, invitations and the founding of a body, in date order:
    those that had happened by `as_of`, as reported by `known_on`."""
    body = _resolve(store, body_id)
    as_of, known_on = _times(as_of, known_on)
    found = load.assertions(store, known_on=known_on, entities=[body.id], types=_TIMELINE_TYPES)
    items = [sa for sa in found if body.id in (sa.assertion.object.id, sa.assertion.subject.id)
             and _happened_by(sa, as_of)]
    return [TimelineEntry.of(sa) for sa in sorted(items, key=_chronological)]


def events(store: Store, type: Any = None, status: Any = None, since: date | str | None = None,
           until: date | str | None = None, body: str | None = None,
           country: str | None = None, as_of: date | str | None = None,
           known_on: date | str | None = None) -> list[StoredAssertion]:
    """The assertions themselves, in date order (see Store.assertions for the filters): those that had
    happened by `as_of`, from documents reported by `known_on`."""
    as_of, known_on = _times(as_of, known_on)
    found = store.assertions(type=type, status=status, since=since, until=until, body=body, country=country)
    found = [sa for sa in found if load.known(sa, known_on) and _happened_by(sa, as_of)]
    return sorted(found, key=_chronological)


# ---------------------------------------------------------------------------
# relations, summits, countries

def _fact_order(f: RelationFact | MembershipFact) -> tuple:
    return (date_floor(f.valid_from) or f.reported or _FAR, f.valid_to is None, f.status)


def _interval_on(fact, as_of: date | None, closed: bool, end_reported: date | None):
    """A membership or relation interval as seen on `as_of`: None when it had not begun; its end hidden
    when that came later. Pending and negated facts: shown once due or reported by then."""
    if as_of is None:
        return fact
    if fact.status not in ("member", "left", "up", "down"):
        return fact if _visible(fact.valid_from, fact.reported, as_of) else None
    start = date_floor(fact.valid_from) or fact.reported
    if start is not None and start > as_of:
        return None
    end = date_floor(fact.valid_to) if fact.valid_to else end_reported
    if closed and end is not None and end > as_of:
        return _reopened(fact)
    return fact


def _reopened(fact):
    if isinstance(fact, MembershipFact):
        return replace(fact, status="member", valid_to=None, to_precision=None, left_reported=None)
    return replace(fact, valid_to=None, to_precision=None, to_reported=None)


def _membership_on(f: MembershipFact, as_of: date | None) -> MembershipFact | None:
    return _interval_on(f, as_of, f.status == "left", f.left_reported)


def _relation_on(f: RelationFact, as_of: date | None) -> RelationFact | None:
    return _interval_on(f, as_of, bool(f.valid_to or f.to_reported), f.to_reported)


def relations(store: Store, a: str | Entity, b: str | Entity | None = None, as_of: date | str | None = None,
              known_on: date | str | None = None) -> list[RelationFact]:
    """Relation intervals (and pending or denied changes) of one state with every partner, or of a pair,
    in date order; as of `as_of` and as known on `known_on` (see the module doc)."""
    ea = _resolve(store, a)
    eb = _resolve(store, b) if b is not None else None
    as_of, known_on = _times(as_of, known_on)
    facts = [f for f in (_relation_on(f, as_of) for f in load.relations(store, ea.id, eb.id if eb else None,
                                                                        known_on=known_on)) if f]
    return sorted(facts, key=lambda f: (*_fact_order(f), f.other(ea.id).id))


def _summit_order(f: SummitFact) -> tuple:
    return (date_floor(f.date) is None, date_floor(f.date) or f.reported or _FAR, f.gathering.id)


def summits(store: Store, body_id: str | Entity | None = None,
            country: str | Entity | None = None, as_of: date | str | None = None,
            known_on: date | str | None = None) -> list[SummitFact]:
    """Summits and meetings, in date order: of a gathering or format (its id, or a body named in the
    assertions' details as 'body'/'format') and/or with a participating state; held or announced by
    `as_of`, as known on `known_on`."""
    cid = _resolve(store, country).id if country is not None else None
    bid = (body_id.id if isinstance(body_id, Entity) else body_id) if body_id is not None else None
    as_of, known_on = _times(as_of, known_on)
    facts = load.summits(store, country=cid, known_on=known_on)
    if bid:
        facts = [f for f in facts if f.gathering.id == bid or bid in f.bodies]
    if as_of is not None:
        facts = [f for f in facts if _visible(f.date, f.reported, as_of)]
    return sorted(facts, key=_summit_order)


@dataclass
class CountryResult:
    country: Entity
    memberships: list[MembershipFact] = field(default_factory=list)
    relations: list[RelationFact] = field(default_factory=list)
    summits: list[SummitFact] = field(default_factory=list)
    counts: dict[str, Any] = field(default_factory=dict)
    as_of: date | None = None
    known_on: date | None = None
    standing: list[dict[str, Any]] = field(default_factory=list)  # per body: its section as of as_of

    def to_dict(self) -> dict[str, Any]:
        return {"country": self.country.to_dict(), "memberships": [f.to_dict() for f in self.memberships],
                "relations": [f.to_dict() for f in self.relations],
                "summits": [f.to_dict() for f in self.summits], "counts": dict(self.counts),
                "as_of": _iso(self.as_of), "known_on": _iso(self.known_on), "standing": list(self.standing)}


def country(store: Store, id: str | Entity, as_of: date | str | None = None,
            known_on: date | str | None = None) -> CountryResult:
    """Everything about a state: memberships in every body (and where it stood in each on `as_of`, default
    known_on, else today), relations, gatherings, and counts; as known on `known_on`."""
    entity = _resolve(store, id)
    as_of, known_on = _times(as_of, known_on)
    facts = load.memberships(store, member=entity.id, known_on=known_on)
    by_body: dict[str, list[MembershipFact]] = {}
    for f in facts:
        by_body.setdefault(f.body.id, []).append(f)
    standing = []
    for fs in sorted(by_body.values(), key=lambda fs: (fs[0].body.name, fs[0].body.id)):
        placed = _sections(fs[0].body, fs, as_of or known_on or date.today(), known_on)
        for section, e in placed.entries():
            standing.append({"body": fs[0].body.to_dict(), "section": section, **e.to_dict()})
    ms = sorted((m for m in (_membership_on(f, as_of) for f in facts) if m),
                key=lambda f: (f.body.name, f.body.id, *_fact_order(f)))
    rels = relations(store, entity, as_of=as_of, known_on=known_on)
    meets = summits(store, country=entity, as_of=as_of, known_on=known_on)
    mentioned = [sa for sa in load.assertions(store, known_on=known_on, entities=[entity.id])
                 if _happened_by(sa, as_of)]
    counts = {
        "assertions": len(mentioned),
        "documents": len({sa.assertion.doc for sa in mentioned}),
        "sources": len({sa.source for sa in mentioned}),
        "assertions_by_type": dict(sorted(Counter(sa.assertion.type.value for sa in mentioned).items())),
        "memberships_by_status": dict(sorted(Counter(f.status for f in ms).items())),
        "relations_by_status": dict(sorted(Counter(f.status for f in rels).items())),
        "partners": len({f.other(entity.id).id for f in rels}),
        "summits": len(meets),
    }
    return CountryResult(entity, ms, rels, meets, counts, as_of, known_on, standing)
