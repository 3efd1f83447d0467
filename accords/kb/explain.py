"""Why accords believes what it does about a member and a body (or a pair of states), in plain words.

    text = explain(store, "KAZ", "abraham-accords").text()

The explanation reads the same consolidated facts as every query (as of a
date, as known on a date): what accords holds, how sure it is and why (how
many independent sources, whether they agree), each step that led there with
the article that first said so and every other article that repeated it,
where sources disagree, and what a curated reference dataset says, if one was
imported. Every statement cites its article by a bracketed number.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from accords import consolidate as cons
from accords.consolidate import MembershipFact, RelationFact, StoredAssertion
from accords.kb import load
from accords.kb.changes import the
from accords.model import Entity, MEMBERSHIP_TYPES, RELATION_TYPES

_STEP_WORDS = {"prospective": "sought (applied, invited or negotiating)", "announced": "announced",
               "member": "became a member", "leaving": "an exit was announced", "exit_reversed": "the exit was "
               "called off", "left": "left", "negated": "reported as not having happened",
               "up": "relations established or restored", "down": "relations cut"}


@dataclass
class Explanation:
    subject: Entity
    object: Entity
    as_of: date
    known_on: date | None
    summary: str
    paragraphs: list[str] = field(default_factory=list)
    citations: list[dict[str, Any]] = field(default_factory=list)  # number, doc, outlet, published, title, url
    facts: list[dict[str, Any]] = field(default_factory=list)

    def text(self) -> str:
        lines = [self.summary, ""]
        for p in self.paragraphs:
            lines.extend([p, ""])
        if self.citations:
            lines.append("Articles:")
            for c in self.citations:
                parts = [c["outlet"] or "outlet unknown", c["published"] or "date unknown"]
                if c["title"]:
                    parts.append(f"\u201c{c['title']}\u201d")
                parts.append(c["url"] or f"document {c['doc']}")
                lines.append(f"  [{c['number']}] " + ", ".join(parts))
        return "\n".join(lines).rstrip() + "\n"

    def to_dict(self) -> dict[str, Any]:
        return {"subject": self.subject.to_dict(), "object": self.object.to_dict(),
                "as_of": self.as_of.isoformat(), "known_on": cons._iso(self.known_on), "summary": self.summary,
                "paragraphs": list(self.paragraphs), "citations": list(self.citations), "facts": list(self.facts),
                "text": self.text()}


class _Cites:
    """Numbers articles in the order they are first cited."""

    def __init__(self):
        self.numbers: dict[str, int] = {}
        self.entries: list[dict[str, Any]] = []

    def __call__(self, sa: StoredAssertion) -> int:
        doc = sa.assertion.doc
        if doc not in self.numbers:
            self.numbers[doc] = len(self.numbers) + 1
            self.entries.append({"number": self.numbers[doc], "doc": doc, "outlet": sa.outlet,
                                 "published": cons._iso(sa.published), "title": sa.title, "url": sa.url})
        return self.numbers[doc]


def explain(store, subject: Entity, obj: Entity, *, as_of: date | str | None = None,
            known_on: date | str | None = None) -> Explanation:
    """Membership of `subject` in `obj`, or, when both are states, their relations."""
    as_of_d, known_d = load.as_date(as_of, "as_of"), load.as_date(known_on, "known_on")
    when = as_of_d or known_d or date.today()
    pair = subject.is_country and obj.is_country
    types = RELATION_TYPES if pair else MEMBERSHIP_TYPES
    items = [sa for sa in load.assertions(store, known_on=known_d, entities=[subject.id], types=types)
             if {sa.assertion.subject.id, sa.assertion.object.id} == {subject.id, obj.id}]
    by_id = {sa.id: sa for sa in items}
    if pair:
        facts: list = cons.relation_facts(items)
    else:
        facts = [f for f in cons.membership_facts(items) if f.member.id == subject.id and f.body.id == obj.id]
    cite = _Cites()
    known = f", as known on {known_d.isoformat()}" if known_d else ""
    if not facts:
        summary = (f"accords knows nothing about {_about(subject, obj, pair)}{known}: no article it has read "
                   "says anything about it.")
        return Explanation(subject, obj, when, known_d, summary, _reference(store, subject, obj, None, pair))
    current = _current(facts, when)
    summary = _summary(current, subject, obj, when, pair) + known + "."
    paragraphs = [_grounds(current)]
    for f in facts:
        paragraphs.append(_story(f, by_id, cite, pair))
    disputes = [_dispute(c, by_id, cite) for f in facts for c in f.conflicts]
    if disputes:
        paragraphs.append("Where sources disagree:\n" + "\n".join(disputes))
    paragraphs.extend(_reference(store, subject, obj, current, pair))
    return Explanation(subject, obj, when, known_d, summary, paragraphs, cite.entries, [f.to_dict() for f in facts])


def _about(subject: Entity, obj: Entity, pair: bool) -> str:
    return f"relations between {subject.name} and {obj.name}" if pair else f"{subject.name} and {the(obj)}"


def _current(facts: list, when: date):
    """The fact that holds on `when`: the last interval begun by then, else the first pending one."""
    begun = [f for f in facts if f.status in ("member", "left", "up", "down")
             and (cons.date_floor(f.valid_from) or f.reported or date.max) <= when]
    if begun:
        return max(begun, key=lambda f: cons.date_floor(f.valid_from) or f.reported or date.min)
    pending = [f for f in facts if f.status not in ("member", "left", "up", "down")]
    return pending[0] if pending else min(facts, key=lambda f: cons.date_floor(f.valid_from) or date.max)


def _summary(f, subject: Entity, obj: Entity, when: date, pair: bool) -> str:
    on = f"As of {when.isoformat()}, accords holds that "
    if pair:
        a, b = f.a.name, f.b.name
        if f.status == "up":
            closed = f.valid_to and cons.date_floor(f.valid_to) <= when
            return on + (f"{a} and {b} have diplomatic relations" + (f" since {f.valid_from}" if f.valid_from else "")
                         if not closed else f"{a} and {b} have no diplomatic relations (cut {f.valid_to})")
        if f.status == "down":
            return on + f"{a} and {b} have cut diplomatic relations" + (f" ({f.valid_from})" if f.valid_from else "")
        verb = "restore or establish" if f.change == "up" else "cut"
        return on + f"{a} and {b} may {verb} diplomatic relations ({f.status}), not done yet"
    s, o = subject.name, the(obj)
    start = cons.date_floor(f.valid_from)
    if f.status == "member" or (f.status == "left" and _ended_after(f, when)):
        if start is None or start <= when:
            since = f" since {f.valid_from}" if f.valid_from else f" (date unknown; reported by {cons._iso(f.reported)})"
            return on + f"{s} has been a member of {o}{since}" + (f", with an exit {f.leaving}" if f.leaving else "")
        return on + f"{s} is not yet a member of {o} (it becomes one on {f.valid_from})"
    if f.status == "left":
        return on + f"{s} is no longer a member of {o}: it left" + (f" on {f.valid_to}" if f.valid_to else "")
    if f.status == "announced":
        unconfirmed = f.unconfirmed(when)
        return on + (f"{s}'s membership of {o} has been announced" + (f" for {f.valid_from}" if f.valid_from else "")
                     + (", but no article has confirmed it happened" if unconfirmed else ", not yet done"))
    if f.status == "prospective":
        return on + f"{s} is seeking membership of {o} ({', '.join(f.stages) or 'sought'}), not a member"
    return on + f"{s} is not a member of {o}: the only reports say it did not happen"


def _ended_after(f: MembershipFact, when: date) -> bool:
    end = cons.date_floor(f.valid_to) or f.left_reported
    return end is not None and end > when


def _grounds(f) -> str:
    k = len(f.contradicting)
    agreement = ("and no source contradicts it" if not k
                 else f"but {k} statement{'s' * (k != 1)} contradict{'s' * (k == 1)} it")
    n = f.sources
    return (f"Confidence {f.confidence:.2f}: {n} independent source{'s' * (n != 1)} "
            f"({', '.join(f.outlets) or 'outlets unknown'}) state{'s' * (n == 1)} it, {agreement}"
            + ("; sources give different dates" if any(c["kind"] == "date" for c in f.conflicts) else "")
            + ". Syndicated copies of one story count once.")


def _story(f, by_id: dict[int, StoredAssertion], cite: _Cites, pair: bool) -> str:
    what = f"Relations ({f.status}" + (f", {f.change}" if f.change else "") + ")" if pair else f"Membership ({f.status})"
    span = " ".join(x for x in (f"from {f.valid_from}" if f.valid_from else "",
                                f"to {f.valid_to}" if f.valid_to else "") if x)
    lines = [f"{what}{' ' + span if span else ''}: how it got there"]
    for n, step in enumerate(f.steps, 1):
        items = sorted((by_id[i] for i in step["assertions"] if i in by_id),
                       key=lambda sa: (cons._rep(sa), cons.content_key(sa)))
        head = f"  {n}. {_STEP_WORDS.get(step['status'], step['status'])}"
        if step.get("date") and step["status"] in ("member", "left", "up", "down", "prospective"):
            head += f", taking effect {step['date']}"
        if step.get("due"):
            head += f", due {step['due']}"
        head += f"; first reported {step.get('reported') or 'on an unknown date'}"
        head += f" ({step['sources']} independent source{'s' * (step['sources'] != 1)}):"
        lines.append(head)
        lines.extend(_quotes(items, cite))
    return "\n".join(lines)


def _quotes(items: list[StoredAssertion], cite: _Cites, limit: int = 6) -> list[str]:
    """One quote per source (syndicated copies listed together), each citing its articles."""
    by_source: dict[str, list[StoredAssertion]] = {}
    for sa in items:
        by_source.setdefault(sa.source, []).append(sa)
    out = []
    for group in list(by_source.values())[:limit]:
        first = group[0]
        refs = "".join(f"[{cite(sa)}]" for sa in group)
        copies = f" (and {len(group) - 1} cop{'ies' if len(group) > 2 else 'y'} of the same story)" \
            if len(group) > 1 else ""
        outlet = first.outlet or "an article"
        on = f" on {cons._iso(first.reported)}" if first.reported else ""
        out.append(f"     {outlet}{on}{copies}: \u201c{' '.join(first.assertion.evidence.text.split())}\u201d {refs}")
    if len(by_source) > limit:
        out.append(f"     … and {len(by_source) - limit} more sources")
    return out


def _dispute(c: dict[str, Any], by_id: dict[int, StoredAssertion], cite: _Cites) -> str:
    what = {"status": "on the status", "date": "on the date", "negation": "on whether it happened"}[c["kind"]]
    lines = [f"  Sources disagree {what}:"]
    for n, s in enumerate(c["sides"]):
        items = [by_id[i] for i in s["assertions"] if i in by_id]
        refs = "".join(f"[{cite(sa)}]" for sa in sorted(items, key=lambda sa: (cons._rep(sa), cons.content_key(sa))))
        held = " (what accords holds)" if n == 0 else ""
        lines.append(f"   - {s['claim']}{held}: {s['sources']} source{'s' * (s['sources'] != 1)} "
                     f"({', '.join(s['outlets']) or 'outlets unknown'}) {refs}")
        lines.append(f"     “{' '.join(s['evidence']['text'].split())}”")
    return "\n".join(lines)


def _reference(store, subject: Entity, obj: Entity, current, pair: bool) -> list[str]:
    if pair:
        return []
    from accords.kb import reference

    rows = reference.rows(store, body=obj.id, member=subject.id)
    if not rows:
        return []
    lines = ["Curated reference data:"]
    for r in rows:
        span = f"joined {r.joined or 'date unknown'}" + (f", left {r.left}" if r.left else "")
        verdict = reference.verdict(r, current)
        lines.append(f"  {r.dataset}: {span}" + (f" (source: {r.source})" if r.source else "") + f" — {verdict}")
    return ["\n".join(lines)]
