"""Assertions → facts: membership intervals, relation intervals and summits.

Pure functions, no database. `consolidate()` takes every stored assertion
(with its database id and its document's publication date, the *reported*
time) and returns `Facts`. The result depends only on the set of inputs, not
on their order: everything is sorted on keys that end with the assertion id.

Rules, in short (details in the docstrings below):

- memberships, per (member, body), from join/sign/leave/apply/invite:
  completed join/sign open an interval, completed leave closes it; announced
  and prospective steps become separate facts unless a completed membership
  covers them (then they are kept as the interval's `history`); negated
  assertions contradict the pair's headline fact, or form a 'negated' fact
  when nothing else is known.
- relations, per unordered pair of states: establish/restore (up) and cut
  (down) in date order make consecutive 'up'/'down' intervals.
- summits, per gathering and date: assertions about the same gathering on
  the same (or a compatible partial, or no) date merge into one.

Undated events are placed at their reported date. An undated report of a
change that is already known (an exit, a cut) is taken as a repeat of it,
never as a new change: nothing is invented.

Every fact also says how well it is sourced (see accords.corroboration):
`steps` (prospective → announced → member → left, each with the date it took
effect, its first report and its assertions), `sources` (independent stories
stating the fact's status: syndicated copies count once), `outlets`,
`conflicts` (sources that disagree: on the status, the date, or whether it
happened at all) and a `confidence` that follows from those.

The result depends only on what the assertions say, never on their database
ids or the order documents were ingested in: every choice breaks ties on the
assertion's content (`content_key`). Only the id lists differ between two
stores holding the same documents.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Iterable

from accords.model import Assertion, Entity, EventType, Status

__all__ = [
    "StoredAssertion", "FactEvidence", "MembershipFact", "RelationFact", "SummitFact", "Facts",
    "consolidate", "membership_facts", "relation_facts", "summit_facts",
    "date_floor", "date_ceil", "precision_of", "spans_overlap", "content_key",
]

# ---------------------------------------------------------------------------
# partial ISO dates

_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_FAR = date.max
_PRECISION_RANK = {"year": 1, "month": 2, "day": 3}


def _parts(iso: str | None) -> tuple[int, int | None, int | None] | None:
    if not iso:
        return None
    m = _ISO.match(str(iso)[:10])
    if not m:
        return None
    y, mo, d = int(m[1]), int(m[2]) if m[2] else None, int(m[3]) if m[3] else None
    try:
        date(y, mo or 1, d or 1)
    except ValueError:
        return None
    return y, mo, d


def precision_of(iso: str | None) -> str | None:
    """'day', 'month' or 'year' for an ISO date, possibly partial; None when not a date."""
    p = _parts(iso)
    if p is None:
        return None
    return "day" if p[2] else "month" if p[1] else "year"


def date_floor(iso: str | None) -> date | None:
    """First day a partial ISO date covers: '2020-09' → 2020-09-01, '1992' → 1992-01-01."""
    p = _parts(iso)
    return date(p[0], p[1] or 1, p[2] or 1) if p else None


def date_ceil(iso: str | None) -> date | None:
    """Last day a partial ISO date covers: '2020-09' → 2020-09-30, '1992' → 1992-12-31."""
    p = _parts(iso)
    if p is None:
        return None
    y, mo, d = p
    if d:
        return date(y, mo, d)
    if mo:
        nxt = date(y + (mo == 12), mo % 12 + 1, 1)
        return date.fromordinal(nxt.toordinal() - 1)
    return date(y, 12, 31)


def _refine(dates: list[str]) -> str | None:
    """The earliest date, replaced by a more precise one that falls inside it ('2020-09' → '2020-09-15')."""
    good = sorted({d for d in dates if _parts(d)}, key=lambda d: (date_floor(d), -len(d), d))
    if not good:
        return None
    first = good[0]
    inside = [d for d in good if d.startswith(first) and len(d) > len(first)]
    if inside:
        return min(inside, key=lambda d: (-len(d), date_floor(d), d))
    return first


def spans_overlap(a: str | None, b: str | None) -> bool:
    """Whether two partial ISO dates can name the same day ('2020' and '2020-09-15' can; '2020-09' and
    '2020-10' cannot). A missing date overlaps everything."""
    if not _parts(a) or not _parts(b):
        return True
    return date_floor(a) <= date_ceil(b) and date_floor(b) <= date_ceil(a)


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _from_iso(s: str | None) -> date | None:
    return date.fromisoformat(s) if s else None


# ---------------------------------------------------------------------------
# input and output records

@dataclass
class StoredAssertion:
    """An assertion as stored: its database id and what is known of its document.

    `reported` is the document's publication date, or, when that is unknown, the
    day it was ingested (the news said it by then at the latest). `story` is the
    document's story (accords.dedup: syndicated copies of one text share it);
    `source`, the story or else the document, is what counts as one independent
    source.
    """

    id: int
    assertion: Assertion
    published: date | None = None
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    ingested_at: datetime | None = None
    story: str | None = None

    @property
    def reported(self) -> date | None:
        if self.published:
            return self.published
        return self.ingested_at.date() if self.ingested_at else None

    @property
    def source(self) -> str:
        return self.story or self.assertion.doc

    def record(self) -> dict[str, Any]:
        """The public fact record plus `id`, `published`, `outlet`, `title`, `url`."""
        rec = self.assertion.to_record()
        rec.update(id=self.id, published=_iso(self.published), outlet=self.outlet, title=self.title,
                   url=self.url)
        return rec


@dataclass
class FactEvidence:
    """The sentence a fact rests on, with the document it came from."""

    assertion: int
    doc: str
    text: str
    start: int
    end: int
    published: date | None = None
    outlet: str | None = None
    title: str | None = None
    url: str | None = None

    @classmethod
    def of(cls, sa: StoredAssertion) -> "FactEvidence":
        ev = sa.assertion.evidence
        return cls(sa.id, sa.assertion.doc, ev.text, ev.start, ev.end, sa.published, sa.outlet, sa.title,
                   sa.url)

    def to_dict(self) -> dict[str, Any]:
        return {"assertion": self.assertion, "doc": self.doc, "text": self.text, "start": self.start,
                "end": self.end, "published": _iso(self.published), "outlet": self.outlet,
                "title": self.title, "url": self.url}

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> "FactEvidence | None":
        if not d:
            return None
        return cls(d["assertion"], d["doc"], d["text"], d.get("start", 0), d.get("end", 0),
                   _from_iso(d.get("published")), d.get("outlet"), d.get("title"), d.get("url"))


@dataclass(kw_only=True)
class _Sourced:
    """How well a fact is sourced (accords.kb.corroboration): keyword-only, after each fact's own fields."""

    steps: list[dict[str, Any]] = field(default_factory=list)
    sources: int = 0
    outlets: list[str] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    confidence: float = 0.0


@dataclass
class MembershipFact(_Sourced):
    """One state of one member in one body.

    status: 'member' (open interval), 'left' (closed interval), 'announced'
    (valid_from is the announced date), 'prospective' (`stages` says which of
    applied/invited/sought), 'negated' (only negated assertions; they are the
    `supporting` ids here, `stages` names the negated types).
    `reported` is the first reported date of what established the fact (for an
    undated membership: "member by then"); `left_reported` the same for an exit
    of unknown date. `leaving` is 'announced'/'prospective' when an exit is
    pending (`leaving_date` if dated). `history` lists announced/prospective
    steps a completed membership superseded.

    Sourcing (accords.kb.corroboration): `steps` lists prospective → announced
    → member → (leaving) → left, each with the date it took effect, its first
    report and its assertions; `sources` counts the independent stories stating
    the status (`outlets` names them); `conflicts` lists sources that disagree
    (on the status, a date, or whether it happened), with their evidence side
    by side, and their assertions are also in `contradicting`; `confidence`
    follows from sources, agreement and status.
    """

    member: Entity
    body: Entity
    status: str
    valid_from: str | None = None
    from_precision: str | None = None
    valid_to: str | None = None
    to_precision: str | None = None
    reported: date | None = None
    left_reported: date | None = None
    stages: list[str] = field(default_factory=list)
    leaving: str | None = None
    leaving_date: str | None = None
    supporting: list[int] = field(default_factory=list)
    contradicting: list[int] = field(default_factory=list)
    history: list[dict[str, Any]] = field(default_factory=list)
    evidence: FactEvidence | None = None

    def unconfirmed(self, on: date) -> bool:
        """An announcement whose date has come by `on` with no report that it happened."""
        start = date_floor(self.valid_from)
        return self.status == "announced" and start is not None and start <= on

    def to_dict(self) -> dict[str, Any]:
        return {"member": self.member.to_dict(), "body": self.body.to_dict(), "status": self.status,
                "valid_from": self.valid_from, "from_precision": self.from_precision,
                "valid_to": self.valid_to, "to_precision": self.to_precision,
                "reported": _iso(self.reported), "left_reported": _iso(self.left_reported),
                "stages": list(self.stages), "leaving": self.leaving, "leaving_date": self.leaving_date,
                "supporting": list(self.supporting), "contradicting": list(self.contradicting),
                "history": [dict(h) for h in self.history],
                "evidence": self.evidence.to_dict() if self.evidence else None, **_sourcing(self)}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "MembershipFact":
        return cls(Entity.from_dict(d["member"]), Entity.from_dict(d["body"]), d["status"],
                   d.get("valid_from"), d.get("from_precision"), d.get("valid_to"), d.get("to_precision"),
                   _from_iso(d.get("reported")), _from_iso(d.get("left_reported")), list(d.get("stages") or []),
                   d.get("leaving"), d.get("leaving_date"), list(d.get("supporting") or []),
                   list(d.get("contradicting") or []), [dict(h) for h in d.get("history") or []],
                   FactEvidence.from_dict(d.get("evidence")), **_sourcing_from(d))


@dataclass
class RelationFact(_Sourced):
    """Diplomatic relations of a pair of states (a.id < b.id) over one interval.

    status 'up'/'down' are intervals (valid_to None: still so); 'announced',
    'prospective' and 'negated' are pending or denied changes, `change` says
    which way ('up' establish/restore, 'down' cut). `steps`, `sources`,
    `outlets`, `conflicts` and `confidence` as for MembershipFact.
    """

    a: Entity
    b: Entity
    status: str
    valid_from: str | None = None
    from_precision: str | None = None
    valid_to: str | None = None
    to_precision: str | None = None
    reported: date | None = None
    to_reported: date | None = None
    change: str | None = None
    supporting: list[int] = field(default_factory=list)
    contradicting: list[int] = field(default_factory=list)
    history: list[dict[str, Any]] = field(default_factory=list)
    evidence: FactEvidence | None = None

    def other(self, state_id: str) -> Entity:
        return self.b if self.a.id == state_id else self.a

    def to_dict(self) -> dict[str, Any]:
        return {"a": self.a.to_dict(), "b": self.b.to_dict(), "status": self.status,
                "valid_from": self.valid_from, "from_precision": self.from_precision,
                "valid_to": self.valid_to, "to_precision": self.to_precision,
                "reported": _iso(self.reported), "to_reported": _iso(self.to_reported), "change": self.change,
                "supporting": list(self.supporting), "contradicting": list(self.contradicting),
                "history": [dict(h) for h in self.history],
                "evidence": self.evidence.to_dict() if self.evidence else None, **_sourcing(self)}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "RelationFact":
        return cls(Entity.from_dict(d["a"]), Entity.from_dict(d["b"]), d["status"], d.get("valid_from"),
                   d.get("from_precision"), d.get("valid_to"), d.get("to_precision"),
                   _from_iso(d.get("reported")), _from_iso(d.get("to_reported")), d.get("change"),
                   list(d.get("supporting") or []), list(d.get("contradicting") or []),
                   [dict(h) for h in d.get("history") or []], FactEvidence.from_dict(d.get("evidence")),
                   **_sourcing_from(d))


@dataclass
class SummitFact:
    """One gathering on one date, merged across documents.

    `bodies` are the ids named in the assertions' details as the gathering's
    format or body (keys 'body' and 'format'), so a body's summits can be found.
    """

    gathering: Entity
    type: str  # summit | meeting
    date: str | None
    precision: str | None
    status: str
    participants: list[Entity] = field(default_factory=list)
    host: Any = None
    place: Any = None
    bodies: list[str] = field(default_factory=list)
    reported: date | None = None
    supporting: list[int] = field(default_factory=list)
    evidence: FactEvidence | None = None
    sources: int = 0
    outlets: list[str] = field(default_factory=list)
    confidence: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"gathering": self.gathering.to_dict(), "type": self.type, "date": self.date,
                "precision": self.precision, "status": self.status,
                "participants": [p.to_dict() for p in self.participants], "host": self.host,
                "place": self.place, "bodies": list(self.bodies), "reported": _iso(self.reported),
                "supporting": list(self.supporting),
                "evidence": self.evidence.to_dict() if self.evidence else None,
                "sources": self.sources, "outlets": list(self.outlets), "confidence": self.confidence}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "SummitFact":
        return cls(Entity.from_dict(d["gathering"]), d["type"], d.get("date"), d.get("precision"), d["status"],
                   [Entity.from_dict(p) for p in d.get("participants") or []], d.get("host"), d.get("place"),
                   list(d.get("bodies") or []), _from_iso(d.get("reported")), list(d.get("supporting") or []),
                   FactEvidence.from_dict(d.get("evidence")), int(d.get("sources") or 0),
                   list(d.get("outlets") or []), float(d.get("confidence") or 0.0))


def _sourcing(fact) -> dict[str, Any]:
    return {"steps": [dict(s) for s in fact.steps], "sources": fact.sources, "outlets": list(fact.outlets),
            "conflicts": [dict(c) for c in fact.conflicts], "confidence": fact.confidence}


def _sourcing_from(d: dict[str, Any]) -> dict[str, Any]:
    return {"steps": [dict(s) for s in d.get("steps") or []], "sources": int(d.get("sources") or 0),
            "outlets": list(d.get("outlets") or []), "conflicts": [dict(c) for c in d.get("conflicts") or []],
            "confidence": float(d.get("confidence") or 0.0)}


@dataclass
class Facts:
    memberships: list[MembershipFact] = field(default_factory=list)
    relations: list[RelationFact] = field(default_factory=list)
    summits: list[SummitFact] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"memberships": [f.to_dict() for f in self.memberships],
                "relations": [f.to_dict() for f in self.relations],
                "summits": [f.to_dict() for f in self.summits]}


# ---------------------------------------------------------------------------
# shared helpers

def _key(sa: StoredAssertion) -> date:
    """Where an assertion sits in valid time: its date, else its reported date, else last."""
    return date_floor(sa.assertion.date) or sa.reported or _FAR


def _rep(sa: StoredAssertion) -> date:
    return sa.reported or _FAR


def _dated(sa: StoredAssertion) -> bool:
    return date_floor(sa.assertion.date) is not None


def _min_reported(items: Iterable[StoredAssertion]) -> date | None:
    reps = [sa.reported for sa in items if sa.reported]
    return min(reps) if reps else None


def _best(items: list[StoredAssertion]) -> StoredAssertion:
    """Most confident, then most precisely dated, then first reported, then by content."""
    return min(items, key=lambda sa: (-round(sa.assertion.confidence, 3),
                                      -_PRECISION_RANK.get(precision_of(sa.assertion.date) or "", 0),
                                      _rep(sa), content_key(sa)))


def _latest(items: list[StoredAssertion]) -> StoredAssertion:
    """The most recent news: latest reported, then latest date, then by content."""
    return max(items, key=lambda sa: (_rep(sa) if sa.reported else date.min,
                                      date_floor(sa.assertion.date) or date.min, content_key(sa)))


def _entity(items: list[StoredAssertion], pick) -> Entity:
    """The entity as named by the most recent news."""
    return pick(_latest(items))


def _ids(items: Iterable[StoredAssertion]) -> list[int]:
    return sorted({sa.id for sa in items})


def _lead(starts: list[StoredAssertion], valid_from: str | None) -> StoredAssertion:
    """The evidence of an interval: a start giving its date, the surest, first reported; else the best."""
    dated = [sa for sa in starts if _dated(sa)]
    if not dated:
        return _best(starts)
    return min(dated, key=lambda sa: (sa.assertion.date != valid_from, -round(sa.assertion.confidence, 3),
                                      _rep(sa), content_key(sa)))


def _history(sa: StoredAssertion, status: str, stage: str | None = None) -> dict[str, Any]:
    """A superseded step: status, date, reported, and the assertion with its sentence and source."""
    h = {"status": status, "date": sa.assertion.date, "reported": _iso(sa.reported), "assertion": sa.id,
         "doc": sa.assertion.doc, "text": sa.assertion.evidence.text, "outlet": sa.outlet,
         "published": _iso(sa.published)}
    if stage:
        h["stage"] = stage
    return h


def _fact_evidence_key(f) -> tuple:
    ev = f.evidence
    return (ev.doc, ev.start, ev.end, ev.text) if ev else ("", 0, 0, "")


class _Interval:
    """A run of consecutive same-state events (membership or relation direction)."""

    def __init__(self, state: str):
        self.state = state
        self.starts: list[StoredAssertion] = []
        self.ends: list[StoredAssertion] = []  # what closed it
        self.extra: list[StoredAssertion] = []  # later repeats of the closing change
        self.history_items: list[StoredAssertion] = []  # announced/prospective steps it superseded
        self.stale: list[StoredAssertion] = []  # pending reports made after it was reported done
        self.pending: list[StoredAssertion] = []  # pending exits (memberships)
        self.reversals: list[StoredAssertion] = []  # negated exits: "will not leave after all"
        self.outvoted: set[int] = set()  # assertions whose date lost to better-sourced ones
        self.conflicts: list[dict[str, Any]] = []
        self.closed = False

    def vote(self) -> None:
        """Settle incompatible start (and exit) dates by their sources; record the disagreement."""
        out_s, found_s = _kb().vote_dates(self.starts, "valid_from")
        out_e, found_e = _kb().vote_dates(self.ends + self.extra, "valid_to")
        self.outvoted = out_s | out_e
        self.conflicts = found_s + found_e

    @property
    def valid_from(self) -> str | None:
        return _refine([sa.assertion.date for sa in self.starts if _dated(sa) and sa.id not in self.outvoted])

    @property
    def valid_to(self) -> str | None:
        return _refine([sa.assertion.date for sa in self.ends + self.extra
                        if _dated(sa) and sa.id not in self.outvoted])

    @property
    def start_key(self) -> date | None:
        if self.valid_from:
            return date_floor(self.valid_from)
        return _min_reported(self.starts) if self.starts else None

    @property
    def end_key(self) -> date | None:
        """None while open; the exit date, else the exit's first report, else far future."""
        if not self.closed:
            return None
        if self.valid_to:
            return date_floor(self.valid_to)
        return _min_reported(self.ends + self.extra) or _FAR

    def covers(self, when: date) -> bool:
        """Whether this interval was open (or still to close) at `when`: used for supersession."""
        end = self.end_key
        return end is None or end >= when

    def contains(self, when: date) -> bool:
        start = self.start_key
        return (start is None or start <= when) and self.covers(when)

    def absorb(self, sa: StoredAssertion) -> None:
        """A pending report this interval covers: an earlier step, or, reported after the change was
        reported done, a source that disagrees."""
        stale = bool(self.starts) and _kb().is_stale(sa, _min_reported(self.starts), self.start_key)
        (self.stale if stale else self.history_items).append(sa)


def _kb():
    from accords.kb import corroboration

    return corroboration


# ---------------------------------------------------------------------------
# memberships

_START_TYPES = {EventType.JOIN, EventType.SIGN}
_STAGE = {EventType.APPLY: "applied", EventType.INVITE: "invited", EventType.JOIN: "sought",
          EventType.SIGN: "sought"}


def _member_body(a: Assertion) -> tuple[Entity, Entity]:
    """Membership assertions read subject → object as member → body; a body-invites-state
    assertion (non-country subject, country object) is turned round."""
    if not a.subject.is_country and a.object.is_country:
        return a.object, a.subject
    return a.subject, a.object


def membership_facts(items: Iterable[StoredAssertion]) -> list[MembershipFact]:
    groups: dict[tuple[str, str], list[StoredAssertion]] = {}
    for sa in _sorted_unique(items):
        if sa.assertion.type not in (_START_TYPES | {EventType.LEAVE, EventType.APPLY, EventType.INVITE}):
            continue
        member, body = _member_body(sa.assertion)
        if member.id == body.id:
            continue
        groups.setdefault((member.id, body.id), []).append(sa)
    facts: list[MembershipFact] = []
    for key in sorted(groups):
        facts.extend(_membership_pair(groups[key]))
    return facts


def _membership_pair(group: list[StoredAssertion]) -> list[MembershipFact]:
    kb = _kb()
    member = _entity(group, lambda sa: _member_body(sa.assertion)[0])
    body = _entity(group, lambda sa: _member_body(sa.assertion)[1])
    completed, pending_starts, pending_leaves, negated = [], [], [], []
    for sa in group:
        a = sa.assertion
        if a.status == Status.NEGATED:
            negated.append(sa)
        elif a.type in _START_TYPES and a.status == Status.COMPLETED:
            completed.append(sa)
        elif a.type == EventType.LEAVE and a.status == Status.COMPLETED:
            completed.append(sa)
        elif a.type == EventType.LEAVE:
            pending_leaves.append(sa)
        else:  # announced/prospective join or sign; apply or invite of any non-negated status
            pending_starts.append(sa)

    intervals = _membership_intervals(completed)
    for iv in intervals:
        iv.vote()

    # Announced and prospective joins: superseded by a membership that covers them.
    announced, prospective = [], []
    for sa in pending_starts:
        when = _rep(sa) if sa.reported else _key(sa)
        covering = next((iv for iv in intervals if iv.state == "member" and iv.starts and iv.covers(when)),
                        None)
        is_announced = sa.assertion.type in _START_TYPES and sa.assertion.status == Status.ANNOUNCED
        if covering is not None:
            covering.absorb(sa)
        elif is_announced:
            announced.append(sa)
        else:
            prospective.append(sa)

    # Pending exits: flag the membership open at the time, or imply one.
    for sa in pending_leaves:
        when = _rep(sa)
        iv = next((iv for iv in intervals if iv.contains(when)), None)
        if iv is None:  # "X will leave" says X is a member
            iv = _Interval("member")
            intervals.append(iv)
        iv.pending.append(sa)

    # Negated exits ("will not leave after all") belong to the membership open when they were reported.
    for sa in [sa for sa in negated if sa.assertion.type == EventType.LEAVE]:
        iv = next((iv for iv in intervals if not iv.closed and iv.contains(_rep(sa))), None)
        if iv is not None:
            iv.reversals.append(sa)
            negated.remove(sa)

    built = [_membership_from_interval(member, body, iv) for iv in intervals]
    built.sort(key=lambda b: (date_floor(b[0].valid_from) or b[0].reported or _FAR, b[0].status,
                              b[0].valid_to or "", _fact_evidence_key(b[0])))
    if announced:
        lead = _latest(announced)
        fact = MembershipFact(
            member, body, "announced", lead.assertion.date, precision_of(lead.assertion.date),
            reported=_min_reported(announced + prospective),
            stages=sorted({_STAGE[sa.assertion.type] for sa in prospective}),
            supporting=_ids(announced + prospective), evidence=FactEvidence.of(lead),
            steps=kb.pending_steps(prospective + announced))
        built.append((fact, announced, []))
    elif prospective:
        dates = [sa.assertion.date for sa in prospective if _dated(sa)]
        first = _refine(dates)
        fact = MembershipFact(
            member, body, "prospective", first, precision_of(first), reported=_min_reported(prospective),
            stages=sorted({_STAGE[sa.assertion.type] for sa in prospective}),
            supporting=_ids(prospective), evidence=FactEvidence.of(_latest(prospective)),
            steps=kb.pending_steps(prospective))
        built.append((fact, prospective, []))
    if negated:
        if built:
            head, support, against = built[-1]
            head.contradicting = sorted(set(head.contradicting) | set(_ids(negated)))
            head.conflicts.append(kb.negation_conflict(_holding(head), support, negated))
            against.extend(negated)
        else:
            fact = MembershipFact(
                member, body, "negated", reported=_min_reported(negated),
                stages=sorted({sa.assertion.type.value for sa in negated}),
                supporting=_ids(negated), evidence=FactEvidence.of(_latest(negated)),
                steps=[kb.step("negated", negated)])
            built.append((fact, negated, []))
    for fact, support, against in built:
        kb.finish(fact, support, against)
    return [fact for fact, _, _ in built]


def _holding(f: MembershipFact) -> str:
    if f.status == "member":
        return "member" + (f" from {f.valid_from}" if f.valid_from else "")
    if f.status == "left":
        return "left" + (f" {f.valid_to}" if f.valid_to else "")
    return f.status


def _membership_intervals(completed: list[StoredAssertion]) -> list[_Interval]:
    def is_end(sa: StoredAssertion) -> bool:
        a = sa.assertion
        return a.type == EventType.LEAVE or (a.date_role == "end" and _dated(sa))

    events = sorted(completed, key=lambda sa: (_key(sa), is_end(sa), content_key(sa)))
    intervals: list[_Interval] = []
    cur: _Interval | None = None
    for sa in events:
        if not is_end(sa):
            if cur is None:
                cur = _Interval("member")
                intervals.append(cur)
            cur.starts.append(sa)
            continue
        last_closed = next((iv for iv in reversed(intervals) if iv.closed), None)
        if cur is not None and (_dated(sa) or last_closed is None):
            cur.ends.append(sa)
            cur.closed = True
            cur = None
        elif last_closed is not None:
            # A repeat of a known exit (or an undated mention of one): never a new exit.
            last_closed.extra.append(sa)
        else:
            iv = _Interval("member")
            iv.ends.append(sa)
            iv.closed = True
            intervals.append(iv)
    return intervals


def _membership_from_interval(member: Entity, body: Entity, iv: _Interval
                              ) -> tuple[MembershipFact, list[StoredAssertion], list[StoredAssertion]]:
    """The fact, the assertions that state its status, and those that contradict it."""
    kb = _kb()
    exits = iv.ends + iv.extra
    valid_from = iv.valid_from
    valid_to = iv.valid_to
    if iv.starts:
        lead, reported = _lead(iv.starts, valid_from), _min_reported(iv.starts)
        support = iv.starts + (exits if iv.closed else [])
    elif exits:
        lead, reported, support = _best(exits), None, exits
    else:  # implied by a pending exit
        lead, reported, support = _best(iv.pending), _min_reported(iv.pending), iv.pending
    fact = MembershipFact(
        member, body, "left" if iv.closed else "member", valid_from, precision_of(valid_from),
        valid_to if iv.closed else None, precision_of(valid_to) if iv.closed else None,
        reported=reported, left_reported=_min_reported(exits) if iv.closed else None,
        supporting=_ids(iv.starts + exits + iv.pending + iv.history_items),
        contradicting=_ids(iv.stale), evidence=FactEvidence.of(lead), conflicts=list(iv.conflicts))
    reversed_ = []
    if iv.pending and not iv.closed:
        nxt = _latest(iv.pending)
        reversed_ = [sa for sa in iv.reversals if _rep(sa) >= _rep(nxt)]
        if not reversed_:
            fact.leaving = nxt.assertion.status.value
            fact.leaving_date = nxt.assertion.date
    fact.supporting = sorted(set(fact.supporting) | set(_ids(iv.reversals)))
    for sa in sorted(iv.history_items, key=lambda sa: (_rep(sa), content_key(sa))):
        status = sa.assertion.status.value if sa.assertion.type in _START_TYPES else "prospective"
        if status == "completed":  # a completed apply or invite
            status = "prospective"
        stage = None if status == "announced" else _STAGE[sa.assertion.type]
        fact.history.append(_history(sa, status, stage))
    fact.steps = kb.pending_steps(iv.history_items)
    if iv.starts:
        fact.steps.append(kb.step("member", iv.starts, when=valid_from))
    if iv.pending and not iv.closed:
        fact.steps.append(kb.step("leaving", iv.pending, due=_latest(iv.pending).assertion.date))
    if reversed_:
        fact.steps.append(kb.step("exit_reversed", reversed_))
    if iv.closed:
        fact.steps.append(kb.step("left", exits, when=valid_to))
    if iv.stale:
        fact.conflicts.append(kb.status_conflict(_holding(fact), iv.starts or support, iv.stale))
    return fact, support, list(iv.stale)


# ---------------------------------------------------------------------------
# relations

_DIRECTION = {EventType.ESTABLISH_RELATIONS: "up", EventType.RESTORE_RELATIONS: "up",
              EventType.CUT_RELATIONS: "down"}
_TIE = {EventType.ESTABLISH_RELATIONS: 0, EventType.CUT_RELATIONS: 1, EventType.RESTORE_RELATIONS: 2}


def relation_facts(items: Iterable[StoredAssertion]) -> list[RelationFact]:
    groups: dict[tuple[str, str], list[StoredAssertion]] = {}
    for sa in _sorted_unique(items):
        a = sa.assertion
        if a.type not in _DIRECTION or a.subject.id == a.object.id:
            continue
        groups.setdefault(tuple(sorted((a.subject.id, a.object.id))), []).append(sa)
    facts: list[RelationFact] = []
    for key in sorted(groups):
        facts.extend(_relation_pair(key, groups[key]))
    return facts


def _relation_pair(key: tuple[str, str], group: list[StoredAssertion]) -> list[RelationFact]:
    kb = _kb()
    newest = _latest(group).assertion
    named = {newest.subject.id: newest.subject, newest.object.id: newest.object}
    a, b = named[key[0]], named[key[1]]
    completed = [sa for sa in group if sa.assertion.status == Status.COMPLETED]
    pending = [sa for sa in group if sa.assertion.status in (Status.ANNOUNCED, Status.PROSPECTIVE)]
    negated = [sa for sa in group if sa.assertion.status == Status.NEGATED]

    intervals: list[_Interval] = []
    cur: _Interval | None = None
    for sa in sorted(completed, key=lambda sa: (_key(sa), _TIE[sa.assertion.type], content_key(sa))):
        direction = _DIRECTION[sa.assertion.type]
        if cur is not None and cur.state == direction:
            cur.starts.append(sa)
            continue
        known = next((iv for iv in reversed(intervals) if iv.state == direction), None)
        if cur is not None and not _dated(sa) and known is not None:
            known.starts.append(sa)  # an undated mention of a change already known
            continue
        if cur is not None:
            cur.ends.append(sa)
            cur.closed = True
        cur = _Interval(direction)
        cur.starts.append(sa)
        intervals.append(cur)
    for iv in intervals:
        iv.ends = []  # an interval's end is the next one's start: its dates are voted there
        iv.vote()
    for before, after in zip(intervals, intervals[1:]):
        before.ends = [sa for sa in after.starts if sa.id not in after.outvoted] or after.starts

    # Pending changes: superseded by an interval of that direction covering them.
    by_direction: dict[str, list[StoredAssertion]] = {}
    for sa in pending:
        direction = _DIRECTION[sa.assertion.type]
        when = _rep(sa) if sa.reported else _key(sa)
        covering = next((iv for iv in intervals if iv.state == direction and iv.covers(when)), None)
        if covering is not None:
            covering.absorb(sa)
        else:
            by_direction.setdefault(direction, []).append(sa)

    built: list[tuple[RelationFact, list, list]] = []
    for iv in intervals:
        valid_from, valid_to = iv.valid_from, _refine([sa.assertion.date for sa in iv.ends if _dated(sa)])
        fact = RelationFact(a, b, iv.state, valid_from, precision_of(valid_from), valid_to,
                            precision_of(valid_to), reported=_min_reported(iv.starts),
                            to_reported=_min_reported(iv.ends) if iv.ends else None,
                            supporting=_ids(iv.starts + iv.ends + iv.history_items),
                            contradicting=_ids(iv.stale), evidence=FactEvidence.of(_lead(iv.starts, valid_from)),
                            conflicts=list(iv.conflicts))
        for sa in sorted(iv.history_items, key=lambda sa: (_rep(sa), content_key(sa))):
            fact.history.append(_history(sa, sa.assertion.status.value))
        fact.steps = kb.pending_steps(iv.history_items) + [kb.step(iv.state, iv.starts, when=valid_from)]
        if iv.stale:
            fact.conflicts.append(kb.status_conflict(f"relations {iv.state}", iv.starts, iv.stale))
        built.append((fact, iv.starts, list(iv.stale)))

    for direction in sorted(by_direction):
        items = by_direction[direction]
        announced = [sa for sa in items if sa.assertion.status == Status.ANNOUNCED]
        lead = _latest(announced or items)
        fact = RelationFact(a, b, "announced" if announced else "prospective", lead.assertion.date,
                            precision_of(lead.assertion.date), reported=_min_reported(items),
                            change=direction, supporting=_ids(items), evidence=FactEvidence.of(lead),
                            steps=kb.pending_steps(items))
        built.append((fact, announced or items, []))

    # Negated changes contradict the latest fact claiming that change, else stand alone.
    neg_by_direction: dict[str, list[StoredAssertion]] = {}
    for sa in negated:
        neg_by_direction.setdefault(_DIRECTION[sa.assertion.type], []).append(sa)
    for direction in sorted(neg_by_direction):
        items = neg_by_direction[direction]
        target = next((t for t in reversed(built)
                       if (t[0].change or t[0].status) == direction and t[0].status != "negated"), None)
        if target is not None:
            fact, support, against = target
            fact.contradicting = sorted(set(fact.contradicting) | set(_ids(items)))
            fact.conflicts.append(kb.negation_conflict(f"relations {fact.change or fact.status}", support, items))
            against.extend(items)
        else:
            lead = _latest(items)
            fact = RelationFact(a, b, "negated", lead.assertion.date, precision_of(lead.assertion.date),
                                reported=_min_reported(items), change=direction, supporting=_ids(items),
                                evidence=FactEvidence.of(lead), steps=[kb.step("negated", items)])
            built.append((fact, items, []))
    for fact, support, against in built:
        kb.finish(fact, support, against)
    return [fact for fact, _, _ in built]


# ---------------------------------------------------------------------------
# summits and meetings

def summit_facts(items: Iterable[StoredAssertion]) -> list[SummitFact]:
    by_gathering: dict[str, list[StoredAssertion]] = {}
    for sa in _sorted_unique(items):
        if sa.assertion.type in (EventType.SUMMIT, EventType.MEETING):
            by_gathering.setdefault(sa.assertion.object.id, []).append(sa)
    facts: list[SummitFact] = []
    for gid in sorted(by_gathering):
        for cluster in _cluster_by_date(by_gathering[gid]):
            facts.append(_summit(cluster))
    return facts


def _cluster_by_date(group: list[StoredAssertion]) -> list[list[StoredAssertion]]:
    """Same date together; a partial date joins the one cluster it fits, an undated
    mention the cluster nearest its reported date (or the undated cluster)."""
    dated = sorted((sa for sa in group if _dated(sa)),
                   key=lambda sa: (-len(sa.assertion.date), sa.assertion.date, content_key(sa)))
    clusters: dict[str, list[StoredAssertion]] = {}
    for sa in dated:
        d = sa.assertion.date
        if d in clusters:
            clusters[d].append(sa)
            continue
        fits = [c for c in clusters if c.startswith(d)]
        if len(fits) == 1:
            clusters[fits[0]].append(sa)
        else:
            clusters[d] = [sa]
    undated = [sa for sa in group if not _dated(sa)]
    loose: list[StoredAssertion] = []
    for sa in undated:
        if not clusters:
            loose.append(sa)
            continue
        rep = sa.reported
        if rep is None:
            target = min(clusters)
        else:
            target = min(clusters, key=lambda c: (abs((date_floor(c) - rep).days), c))
        clusters[target].append(sa)
    out = [clusters[c] for c in sorted(clusters, key=lambda c: (date_floor(c), c))]
    if loose:
        out.append(loose)
    return out


_SUMMIT_RANK = {Status.NEGATED: 3, Status.ANNOUNCED: 2, Status.PROSPECTIVE: 1, Status.COMPLETED: 0}


def _summit(cluster: list[StoredAssertion]) -> SummitFact:
    completed = [sa for sa in cluster if sa.assertion.status == Status.COMPLETED]
    if completed:
        status, lead = Status.COMPLETED, _best(completed)
    else:
        lead = min(cluster, key=lambda sa: (-(sa.reported or date.min).toordinal(), -_SUMMIT_RANK[sa.assertion.status],
                                            content_key(sa)))
        status = lead.assertion.status
    dated = [sa.assertion.date for sa in cluster if _dated(sa)]
    when = max(dated, key=lambda d: (len(d), dated.count(d), [-ord(c) for c in d])) if dated else None
    participants: dict[str, Entity] = {}
    for sa in sorted(cluster, key=lambda sa: (_rep(sa), content_key(sa))):
        a = sa.assertion
        for p in ([a.subject] if a.subject.is_country else []) + list(a.participants):
            if p.id != a.object.id:
                participants[p.id] = p
    ranked = sorted(cluster, key=lambda sa: (sa.assertion.status != Status.COMPLETED, -sa.assertion.confidence,
                                             content_key(sa)))

    def detail(name: str) -> Any:
        return next((sa.assertion.extra[name] for sa in ranked if sa.assertion.extra.get(name)), None)

    bodies = set()
    for sa in cluster:
        for k in ("body", "format"):
            v = sa.assertion.extra.get(k)
            if isinstance(v, dict) and v.get("id"):
                bodies.add(str(v["id"]))
            elif isinstance(v, str) and v:
                bodies.add(v)
    kind = "summit" if any(sa.assertion.type == EventType.SUMMIT for sa in cluster) else "meeting"
    fact = SummitFact(_entity(cluster, lambda sa: sa.assertion.object), kind, when, precision_of(when),
                      status.value, [participants[k] for k in sorted(participants)], detail("host"),
                      detail("place"), sorted(bodies), _min_reported(cluster), _ids(cluster),
                      FactEvidence.of(lead))
    kb = _kb()
    support = [sa for sa in cluster if sa.assertion.status == status]
    fact.sources, fact.outlets = kb.sources(support), kb.outlets(support)
    fact.confidence = kb.confidence(support, [], status.value)
    return fact


# ---------------------------------------------------------------------------

def content_key(sa: StoredAssertion) -> tuple:
    """What an assertion says and where: the same in every store that holds its document, whatever the
    ingest order (unlike its database id). Used to break every tie."""
    a = sa.assertion
    return (a.doc, a.evidence.start, a.evidence.end, a.type.value, a.subject.id, a.object.id, a.status.value,
            a.date or "", a.date_role, tuple(p.id for p in a.participants), a.extractor, a.evidence.text)


def _sorted_unique(items: Iterable[StoredAssertion]) -> list[StoredAssertion]:
    seen: dict[int, StoredAssertion] = {}
    for sa in items:
        seen.setdefault(sa.id, sa)
    return sorted(seen.values(), key=lambda sa: (content_key(sa), sa.id))


def consolidate(items: Iterable[StoredAssertion]) -> Facts:
    """Every fact the assertions support. Order-independent and idempotent."""
    items = _sorted_unique(items)
    return Facts(membership_facts(items), relation_facts(items), summit_facts(items))
