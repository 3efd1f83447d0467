"""What changed in the knowledge base: new members, exits, status changes, relations established or cut.

A change is one step of a consolidated fact (accords.consolidate: prospective →
announced → member → left for a membership, up/down for relations) dated by
when the news *first reported* it. `changes(store, since=D)` lists the steps
first reported on or after D (and, with `until`, on or before it), each with
the date it took effect, its independent sources and the sentence of the
first report. A step the news reports long after it took effect (an article's
background: "first signed in September 2020") is marked `background`, and is
left out unless asked for, so a feed follows the news, not the archive.

Three renderings: `Change.line()` (one line each), `to_dict()` (JSON), and
`atom_feed()` (an Atom 1.0 feed whose entry ids depend only on what changed,
so a reader or a chat bot following it sees each change once).
"""
from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from accords import __version__
from accords import consolidate as cons
from accords.consolidate import FactEvidence, MembershipFact, RelationFact, StoredAssertion
from accords.errors import AccordsError
from accords.kb import load
from accords.model import Entity, EventType, MEMBERSHIP_TYPES, RELATION_TYPES

BACKGROUND_DAYS = 30  # a step reported more than this long after it took effect is background
ATOM = "http://www.w3.org/2005/Atom"

KINDS = ("joined", "left", "announced", "applied", "invited", "sought", "exit_announced", "exit_reversed",
         "denied", "relations_established", "relations_restored", "relations_cut", "relations_announced",
         "relations_sought", "relations_denied")


@dataclass
class Change:
    reported: date  # the day the news first said so
    kind: str  # one of KINDS
    subject: Entity  # the member, or the first state of a pair
    object: Entity  # the body, or the second state
    date: str | None  # when it took effect (partial ISO), if known
    due: str | None  # for announcements: the date announced
    sources: int
    assertions: list[int]
    evidence: FactEvidence
    background: bool = False

    @property
    def title(self) -> str:
        return _title(self)

    def line(self) -> str:
        when = []
        if self.date and self.kind not in ("announced", "exit_announced"):
            when.append(f"took effect {self.date}")
        if self.due:
            when.append(f"due {self.due}")
        when.append(f"{self.sources} source{'s' * (self.sources != 1)}")
        ev = self.evidence
        cite = " / ".join(x for x in (ev.outlet, ev.doc) if x)
        return f"{self.reported.isoformat()}  {self.kind:<21} {self.title} ({'; '.join(when)}) «{ev.text}» {cite}"

    def entry_id(self) -> str:
        """Stable across stores and runs: depends only on what changed and when it was first reported."""
        key = "|".join([self.kind, self.subject.id, self.object.id, self.date or "", self.due or "",
                        self.reported.isoformat()])
        return uuid.uuid5(uuid.NAMESPACE_URL, "accords:change:" + key).urn

    def to_dict(self) -> dict[str, Any]:
        return {"reported": self.reported.isoformat(), "kind": self.kind, "title": self.title,
                "subject": self.subject.to_dict(), "object": self.object.to_dict(), "date": self.date,
                "due": self.due, "sources": self.sources, "assertions": list(self.assertions),
                "evidence": self.evidence.to_dict(), "background": self.background, "id": self.entry_id()}


def changes(store, *, since: date | str, until: date | str | None = None, body: str | None = None,
            country: str | None = None, kinds: list[str] | None = None,
            background: bool = False) -> list[Change]:
    """Changes first reported in [since, until] (until: default no limit), oldest first; of one body's
    memberships, of one state's memberships and relations, or of everything."""
    since_d = load.as_date(since, "since")
    until_d = load.as_date(until, "until") if until is not None else None
    if since_d is None:
        raise AccordsError("since: give a date (YYYY-MM-DD): changes first reported on or after it are listed")
    for k in kinds or []:
        if k not in KINDS:
            raise AccordsError(f"unknown kind of change {k!r}; use one of: {', '.join(KINDS)}")
    if body or country:
        types = MEMBERSHIP_TYPES | (RELATION_TYPES if country and not body else set())
        items = load.assertions(store, known_on=until_d, entities=[body or country], types=types)
    else:
        items = load.assertions(store, known_on=until_d, types=MEMBERSHIP_TYPES | RELATION_TYPES)
    by_id = {sa.id: sa for sa in items}
    facts: list = [f for f in cons.membership_facts(items)
                   if (not body or f.body.id == body) and (not country or f.member.id == country)]
    if not body:
        facts += [f for f in cons.relation_facts(items) if not country or country in (f.a.id, f.b.id)]
    found = []
    for f in facts:
        for step in f.steps:
            change = _change(f, step, by_id)
            if change is None or change.reported < since_d or (until_d and change.reported > until_d):
                continue
            if (change.background and not background) or (kinds and change.kind not in kinds):
                continue
            found.append(change)
    return sorted(found, key=lambda c: (c.reported, c.subject.name, c.object.name, KINDS.index(c.kind)))


def _change(fact, step: dict[str, Any], by_id: dict[int, StoredAssertion]) -> Change | None:
    items = [by_id[i] for i in step["assertions"] if i in by_id]
    reported = cons.date_floor(step.get("reported"))
    if not items or reported is None:
        return None
    first = min(items, key=lambda sa: (cons._rep(sa), -round(sa.assertion.confidence, 3), cons.content_key(sa)))
    kind = _kind(fact, step["status"], first)
    if kind is None:
        return None
    when = step.get("date") if step["status"] not in ("announced", "leaving", "exit_reversed", "negated") else None
    if isinstance(fact, RelationFact) and step["status"] in ("announced", "prospective"):
        when = None
    subject, obj = (fact.member, fact.body) if isinstance(fact, MembershipFact) else (fact.a, fact.b)
    ceil = cons.date_ceil(when)
    bg = ceil is not None and ceil < reported - timedelta(days=BACKGROUND_DAYS)
    return Change(reported, kind, subject, obj, when, step.get("due"), step["sources"], list(step["assertions"]),
                  FactEvidence.of(first), bg)


def _kind(fact, status: str, lead: StoredAssertion) -> str | None:
    t = lead.assertion.type
    if isinstance(fact, MembershipFact):
        if status == "prospective":
            return {EventType.APPLY: "applied", EventType.INVITE: "invited"}.get(t, "sought")
        return {"member": "joined", "left": "left", "announced": "announced", "leaving": "exit_announced",
                "exit_reversed": "exit_reversed", "negated": "denied"}.get(status)
    if status == "up":
        return "relations_restored" if t == EventType.RESTORE_RELATIONS else "relations_established"
    return {"down": "relations_cut", "announced": "relations_announced", "prospective": "relations_sought",
            "negated": "relations_denied"}.get(status)


def the(e: Entity) -> str:
    """'the African Union', 'the Abraham Accords', but 'NATO', 'Mercosur': names of several words take 'the'."""
    if e.is_country or len(e.name.split()) < 2 or e.name.lower().startswith("the "):
        return e.name
    return "the " + e.name


def _title(c: Change) -> str:
    s, o = c.subject.name, the(c.object)
    due = f" on {c.due}" if c.due else ""
    pair = f"{c.subject.name} and {c.object.name}"
    relation_verb = {"relations_established": "established", "relations_restored": "restored",
                     "relations_cut": "cut"}
    return {
        "joined": f"{s} joined {o}" + (f" ({c.date})" if c.date else ""),
        "left": f"{s} left {o}" + (f" ({c.date})" if c.date else ""),
        "announced": f"{s} to join {o}{due}",
        "applied": f"{s} applied to join {o}",
        "invited": f"{s} invited to join {o}",
        "sought": f"{s} seeks to join {o}",
        "exit_announced": f"{s} to leave {o}{due}",
        "exit_reversed": f"{s} will stay in {o} after all",
        "denied": f"Reports deny that {s} joined {o}",
        "relations_announced": f"{pair} to change diplomatic relations{due}",
        "relations_sought": f"{pair} move toward a change in diplomatic relations",
        "relations_denied": f"Reports deny a change in relations between {pair}",
    }.get(c.kind) or f"{pair} {relation_verb[c.kind]} diplomatic relations" + (f" ({c.date})" if c.date else "")


# ---------------------------------------------------------------------------
# Atom

def atom_feed(found: list[Change], *, title: str, feed_id: str, self_url: str | None = None,
              alternate_url: str | None = None) -> str:
    """An Atom 1.0 document (RFC 4287), newest entries first."""
    ET.register_namespace("", ATOM)

    def el(parent, tag: str, text: str | None = None, **attrs) -> ET.Element:
        node = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: v for k, v in attrs.items() if v is not None})
        if text is not None:
            node.text = text
        return node

    feed = ET.Element(f"{{{ATOM}}}feed")
    el(feed, "title", title)
    el(feed, "id", feed_id)
    newest = max((c.reported for c in found), default=None)
    el(feed, "updated", _stamp(newest or date.today()))
    author = el(feed, "author")
    el(author, "name", "accords")
    el(feed, "generator", "accords", version=__version__)
    if self_url:
        el(feed, "link", rel="self", href=self_url, type="application/atom+xml")
    if alternate_url:
        el(feed, "link", rel="alternate", href=alternate_url)
    for c in sorted(found, key=lambda c: (c.reported, c.subject.name, c.object.name, c.kind), reverse=True):
        entry = el(feed, "entry")
        el(entry, "id", c.entry_id())
        el(entry, "title", c.title)
        el(entry, "updated", _stamp(c.reported))
        el(entry, "published", _stamp(c.reported))
        el(entry, "category", term=c.kind)
        if c.evidence.url:
            el(entry, "link", rel="alternate", href=c.evidence.url)
        el(entry, "summary", c.line())
        ev = c.evidence
        body = [c.title + ".",
                f"Took effect: {c.date}." if c.date and c.kind not in ("announced", "exit_announced") else "",
                f"Due: {c.due}." if c.due else "",
                f"{c.sources} independent source{'s' * (c.sources != 1)}.",
                f"First reported {c.reported.isoformat()} by {ev.outlet or ev.doc}"
                + (f" ({ev.title})" if ev.title else "") + f": \u201c{ev.text}\u201d"]
        el(entry, "content", " ".join(b for b in body if b), type="text")
    return ET.tostring(feed, encoding="unicode", xml_declaration=True)


def feed_id(scope: str | None = None) -> str:
    """The feed's id: one per scope (a body, a state, or everything), the same whatever its dates."""
    return uuid.uuid5(uuid.NAMESPACE_URL, "accords:changes:" + (scope or "*")).urn


def _stamp(d: date) -> str:
    return f"{d.isoformat()}T00:00:00Z"
