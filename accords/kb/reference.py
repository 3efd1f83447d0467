"""Curated membership data, and where the news and it disagree.

    report = import_csv(store, "nato-wikidata.csv")           # dataset named after the file
    found = diff(store, dataset="nato-wikidata")               # news vs. reference

Files are CSV (or TSV), one membership per row, read by their column names
(case and punctuation ignored):

- organization: organization, org, body, ioname, orgname, igo, alliance, agreement (and Wikidata's
  orgLabel, organizationLabel); ids in it that the gazetteer does not know (an ATOP atopid) are named with
  `names={"3180": "NATO"}`; a file without such a column is all about `organization=`;
- member: member, country, state, participant (and their Wikidata ...Label columns), iso3, ccode (COW
  numeric), stateabb (COW letters);
- joined: joined, start, from, since, entry, styear (+ stmonth, stday), yrent (+ moent, dayent);
- left: left, end, to, until, exit, endyear (+ endmonth, endday), yrexit (+ moexit, dayexit);
- source: source, reference, url, citation.

Wikidata's dates (2004-05-01T00:00:00Z) keep their day, except 1 January, which is how Wikidata writes a
year it knows no more of: it is read as the year. Correlates of War IGO data in its state-year form
(ccode, year, one column per organization: 1 full member) is turned into intervals: joined in the first
year of a run of membership, left in the year after it, open when the run reaches the file's last year.

Re-importing a dataset replaces it. The rows live in `reference_memberships` (a migration of
accords.store).
"""
from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import Column, Index, Integer, MetaData, String, Table, Text, delete, func, insert, select

from accords import consolidate as cons
from accords.errors import AccordsError, UnknownEntityError
from accords.model import Entity
from accords.store.engine import WRITE_OPTION

# Its own metadata: created by its migration, never by the core schema's create_all.
metadata = MetaData()
reference_memberships = Table(
    "reference_memberships", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("dataset", String(255), nullable=False),
    Column("body_id", String(255), nullable=False),
    Column("body_name", Text, nullable=False),
    Column("member_id", String(255), nullable=False),
    Column("member_name", Text, nullable=False),
    Column("joined", String(10)),
    Column("left", String(10)),
    Column("source", Text),
    Column("line", Integer),
    Column("imported_at", String(32), nullable=False),
    Index("ix_reference_memberships_dataset", "dataset"),
    Index("ix_reference_memberships_body_id", "body_id"),
    Index("ix_reference_memberships_member_id", "member_id"),
)


def create_table(conn) -> None:
    """The migration step (accords.store.migrations)."""
    reference_memberships.create(conn, checkfirst=True)


# ---------------------------------------------------------------------------
# rows

@dataclass
class ReferenceRow:
    dataset: str
    body: Entity
    member: Entity
    joined: str | None = None
    left: str | None = None
    source: str | None = None
    line: int | None = None

    def holds_on(self, day: date) -> bool:
        start, end = cons.date_floor(self.joined), cons.date_floor(self.left)
        return (start is None or start <= day) and (end is None or end > day)

    def to_dict(self) -> dict[str, Any]:
        return {"dataset": self.dataset, "body": self.body.to_dict(), "member": self.member.to_dict(),
                "joined": self.joined, "left": self.left, "source": self.source, "line": self.line}


def rows(store, *, dataset: str | None = None, body: str | None = None,
         member: str | None = None) -> list[ReferenceRow]:
    r = reference_memberships.c
    q = select(reference_memberships).order_by(r.dataset, r.body_id, r.member_id, r.joined, r.id)
    for col, value in ((r.dataset, dataset), (r.body_id, body), (r.member_id, member)):
        if value:
            q = q.where(col == value)
    with store.engine.connect() as conn:
        found = conn.execute(q).mappings().all()
    return [ReferenceRow(x["dataset"], _entity(x["body_id"], x["body_name"], False),
                         _entity(x["member_id"], x["member_name"], True), x["joined"], x["left"], x["source"],
                         x["line"]) for x in found]


def _entity(id_: str, name: str, country: bool) -> Entity:
    from accords.reference import gazetteer

    return gazetteer().get(id_) or Entity(id_, name, "country" if country else "organization")


def datasets(store) -> list[dict[str, Any]]:
    """The imported datasets: name, rows, bodies, members, when imported."""
    r = reference_memberships.c
    q = (select(r.dataset, func.count(), func.count(func.distinct(r.body_id)), func.count(func.distinct(r.member_id)),
                func.max(r.imported_at)).group_by(r.dataset).order_by(r.dataset))
    with store.engine.connect() as conn:
        return [{"dataset": d, "rows": n, "bodies": b, "members": m, "imported_at": at}
                for d, n, b, m, at in conn.execute(q)]


# ---------------------------------------------------------------------------
# import

@dataclass
class ImportReport:
    dataset: str
    format: str  # long | cow-state-year
    read: int = 0  # data rows read
    imported: int = 0  # memberships stored
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)
    bodies: Counter = field(default_factory=Counter)  # body id -> memberships

    def reasons(self) -> Counter:
        return Counter(re.sub(r":.*", "", reason) for _, reason in self.skipped)

    def to_dict(self) -> dict[str, Any]:
        return {"dataset": self.dataset, "format": self.format, "read": self.read, "imported": self.imported,
                "skipped": [{"line": n, "reason": r} for n, r in self.skipped],
                "bodies": dict(sorted(self.bodies.items()))}


_COLUMNS = {
    "organization": ["organization", "organisation", "org", "body", "ioname", "orgname", "igo", "alliance",
                     "agreement", "orglabel", "organizationlabel", "organisationlabel", "bodylabel", "atopid"],
    "member": ["memberlabel", "countrylabel", "statelabel", "participantlabel", "member", "country", "state",
               "participant", "membername", "countryname", "statename", "iso3", "iso3c", "iso", "ccode", "cowcode",
               "stateabb", "cowc"],
    "joined": ["joined", "start", "starttime", "startdate", "from", "since", "entry", "datejoined", "joineddate",
               "styear", "yrent"],
    "left": ["left", "end", "endtime", "enddate", "to", "until", "exit", "dateleft", "leftdate", "endyear", "yrexit"],
    "source": ["source", "reference", "ref", "url", "citation", "sourceurl"],
}
_PARTS = {"styear": ("stmonth", "stday"), "yrent": ("moent", "dayent"), "endyear": ("endmonth", "endday"),
          "yrexit": ("moexit", "dayexit")}
_STATE_YEAR = {"ccode", "year"}


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def import_csv(store, path: str | Path, *, dataset: str | None = None, organization: str | None = None,
               names: dict[str, str] | None = None) -> ImportReport:
    """Read a membership file and store it as `dataset` (default: the file's name), replacing an earlier
    import of that name. Rows that cannot be read are reported in the result and left out."""
    path = Path(path)
    if not path.is_file():
        raise AccordsError(f"no file at {path}; give a CSV or TSV file of memberships")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise AccordsError(f"cannot read {path}: {exc}; save it as UTF-8 CSV") from exc
    return import_text(store, text, dataset=dataset or path.stem, organization=organization, names=names,
                       tabbed=path.suffix.lower() in (".tsv", ".tab"))


def import_text(store, text: str, *, dataset: str, organization: str | None = None,
                names: dict[str, str] | None = None, tabbed: bool = False) -> ImportReport:
    reader = csv.reader(io.StringIO(text), delimiter="\t" if tabbed or _tabbed(text) else ",")
    try:
        header = next(reader)
    except StopIteration:
        raise AccordsError("the file is empty; give a header line (organization, member, joined, left, "
                           "source) and one membership per line") from None
    cols = {_norm(h): i for i, h in reversed(list(enumerate(header)))}
    resolver = _Resolver(organization, names or {})
    if _STATE_YEAR <= set(cols) and not any(c in cols for c in _COLUMNS["joined"]):
        report, found = _state_year(dataset, header, cols, reader, resolver)
    else:
        report, found = _long(dataset, cols, reader, resolver)
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    with store.engine.execution_options(**{WRITE_OPTION: True}).begin() as conn:
        conn.execute(delete(reference_memberships).where(reference_memberships.c.dataset == dataset))
        if found:
            conn.execute(insert(reference_memberships), [
                {"dataset": dataset, "body_id": r.body.id, "body_name": r.body.name, "member_id": r.member.id,
                 "member_name": r.member.name, "joined": r.joined, "left": r.left, "source": r.source,
                 "line": r.line, "imported_at": now} for r in found])
    report.imported = len(found)
    report.bodies = Counter(r.body.id for r in found)
    return report


def _tabbed(text: str) -> bool:
    first = text.split("\n", 1)[0]
    return first.count("\t") > first.count(",")


class _Resolver:
    def __init__(self, organization: str | None, names: dict[str, str]):
        from accords.reference import gazetteer

        self.g = gazetteer()
        self.names = {k.strip(): v for k, v in names.items()}
        self.body = lru_cache(maxsize=4096)(self._body)
        self.member = lru_cache(maxsize=4096)(self._member)
        self.default = self.body(organization) if organization else None

    def _body(self, value: str) -> Entity:
        value = self.names.get(value.strip(), value).strip()
        try:
            entity = self.g.resolve(value)
        except UnknownEntityError:
            raise AccordsError(f"organization not known: {value!r} (name it with --name {value}=BODY)") from None
        if entity.is_country:
            raise AccordsError(f"organization not known: {value!r} is a country")
        return entity

    def _member(self, value: str) -> Entity:
        value = value.strip()
        cow = _cow().get(value.upper()) or _cow().get(value.lstrip("0") or value)
        entity = self.g.get(cow) if cow else None
        if entity is None:
            try:
                entity = self.g.resolve(value)
            except UnknownEntityError:
                raise AccordsError(f"member not known: {value!r}") from None
        if not entity.is_country:
            raise AccordsError(f"member not known: {value!r} is {entity.name}, not a state")
        return entity


@lru_cache(maxsize=1)
def _cow() -> dict[str, str]:
    """COW ccode and stateabb -> ISO alpha-3."""
    out: dict[str, str] = {}
    text = resources.files("accords.kb").joinpath("data/cow_states.tsv").read_text(encoding="utf-8")
    for row in csv.DictReader((line for line in text.splitlines() if not line.startswith("#")), delimiter="\t"):
        out[row["ccode"]] = row["iso3"]
        out[row["stateabb"]] = row["iso3"]
    return out


def _pick(cols: dict[str, int], role: str) -> tuple[str, int] | None:
    return next(((c, cols[c]) for c in _COLUMNS[role] if c in cols), None)


def _long(dataset: str, cols: dict[str, int], reader, resolver: _Resolver) -> tuple[ImportReport, list[ReferenceRow]]:
    report = ImportReport(dataset, "long")
    member_col, org_col = _pick(cols, "member"), _pick(cols, "organization")
    if member_col is None or (org_col is None and resolver.default is None):
        raise AccordsError("no member column (member, country, state, iso3, ccode...)" if member_col is None else
                           "no organization column (organization, org, body, ioname...): name the body with "
                           "--organization NAME")
    joined, left, source = _pick(cols, "joined"), _pick(cols, "left"), _pick(cols, "source")
    found: list[ReferenceRow] = []
    seen: set[tuple] = set()
    for n, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        report.read += 1
        try:
            raw_org = _cell(row, org_col[1]) if org_col else ""
            body = resolver.body(raw_org) if raw_org else resolver.default
            if body is None:
                raise AccordsError("organization missing")
            raw_member = _cell(row, member_col[1])
            if not raw_member:
                raise AccordsError("member missing")
            member = resolver.member(raw_member)
            start = _date_of(row, cols, joined, "joined")
            end = _date_of(row, cols, left, "left")
        except AccordsError as exc:
            report.skipped.append((n, exc.message))
            continue
        key = (body.id, member.id, start, end)
        if key in seen:  # Wikidata repeats a membership once per qualifier or reference
            continue
        seen.add(key)
        found.append(ReferenceRow(dataset, body, member, start, end, (_cell(row, source[1]) or None) if source else None,
                                  n))
    return report, found


def _cell(row: list[str], i: int) -> str:
    return row[i].strip() if i < len(row) else ""


_WIKIDATA = re.compile(r"^(-?\d{4})-(\d{2})-(\d{2})T")
_NUMBER = re.compile(r"^-?\d+(\.0+)?$")


def _date_of(row: list[str], cols: dict[str, int], col: tuple[str, int] | None, what: str) -> str | None:
    if col is None:
        return None
    name, i = col
    value = _cell(row, i)
    if not value or value in ("-9", "-8", ".", "NA", "NaN", "None"):
        return None
    if name in _PARTS:  # year, month, day in separate columns (COW, ATOP)
        parts = [value] + [_cell(row, cols[p]) if p in cols else "" for p in _PARTS[name]]
        nums = [int(float(p)) if _NUMBER.match(p) else 0 for p in parts]
        if not nums[0] or nums[0] < 0:
            return None
        y, m, d = nums[0], nums[1] if 1 <= nums[1] <= 12 else 0, nums[2] if 1 <= nums[2] <= 31 else 0
        text = f"{y:04d}" + (f"-{m:02d}" if m else "") + (f"-{d:02d}" if m and d else "")
    else:
        wd = _WIKIDATA.match(value)
        if wd:
            text = wd[1] if (wd[2], wd[3]) == ("01", "01") else f"{wd[1]}-{wd[2]}-{wd[3]}"
        else:
            text = value[:10]
    if cons.precision_of(text) is None:
        raise AccordsError(f"{what} date not understood: {value!r} (use YYYY-MM-DD, YYYY-MM or YYYY)")
    return text


def _state_year(dataset: str, header: list[str], cols: dict[str, int], reader,
                resolver: _Resolver) -> tuple[ImportReport, list[ReferenceRow]]:
    """COW IGO state-year data: one row per state and year, one column per organization (1 = full member)."""
    report = ImportReport(dataset, "cow-state-year")
    skip = {"ccode", "year", "state", "stateabb", "version", "statename", "countryname"}
    org_cols: dict[int, Entity] = {}
    for i, name in enumerate(header):
        if _norm(name) in skip:
            continue
        try:
            org_cols[i] = resolver.body(name)
        except AccordsError as exc:
            report.skipped.append((1, exc.message))
    years: dict[tuple[str, str], list[int]] = {}
    members: dict[str, Entity] = {}
    last_year = 0
    for n, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        report.read += 1
        try:
            member = resolver.member(_cell(row, cols["ccode"]))
            year = int(float(_cell(row, cols["year"])))
        except (AccordsError, ValueError) as exc:
            report.skipped.append((n, getattr(exc, "message", f"year not understood: {exc}")))
            continue
        members[member.id] = member
        last_year = max(last_year, year)
        for i, body in org_cols.items():
            if _cell(row, i) in ("1", "1.0"):
                years.setdefault((member.id, body.id), []).append(year)
    found = []
    bodies = {b.id: b for b in org_cols.values()}
    for (member_id, body_id), ys in sorted(years.items()):
        ys = sorted(set(ys))
        run_start = prev = ys[0]
        for y in ys[1:] + [None]:
            if y is not None and y == prev + 1:
                prev = y
                continue
            end = None if prev == last_year else str(prev + 1)
            found.append(ReferenceRow(dataset, bodies[body_id], members[member_id], str(run_start), end, None, None))
            if y is not None:
                run_start = prev = y
    return report, found


# ---------------------------------------------------------------------------
# diff

KINDS = ("news_only", "reference_only", "status", "joined_date", "left_date")


@dataclass
class Difference:
    kind: str  # one of KINDS
    body: Entity
    member: Entity
    note: str
    news: dict[str, Any] | None = None  # status, valid_from, valid_to, sources, confidence, reported, evidence
    reference: dict[str, Any] | None = None  # dataset, joined, left, source

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "body": self.body.to_dict(), "member": self.member.to_dict(), "note": self.note,
                "news": self.news, "reference": self.reference}


def _news(f: cons.MembershipFact) -> dict[str, Any]:
    return {"status": f.status, "valid_from": f.valid_from, "valid_to": f.valid_to, "reported": cons._iso(f.reported),
            "sources": f.sources, "confidence": f.confidence,
            "evidence": f.evidence.to_dict() if f.evidence else None}


def _ref(r: ReferenceRow) -> dict[str, Any]:
    return {"dataset": r.dataset, "joined": r.joined, "left": r.left, "source": r.source, "line": r.line}


def compare(refs: list[ReferenceRow], facts: list[cons.MembershipFact], body: Entity, member: Entity,
            as_of: date | None = None) -> list[Difference]:
    """How one pair's reference rows and news facts differ (nothing when they agree)."""
    intervals = [f for f in facts if f.status in ("member", "left")]
    pending = [f for f in facts if f.status not in ("member", "left")]
    if as_of is not None:
        return _compare_on(refs, intervals, pending, body, member, as_of)
    if not refs:
        return [Difference("news_only", body, member, f"the news reports {_span(f)}; the reference lacks it "
                           f"(news ahead of the reference?)", news=_news(f)) for f in intervals]
    if not intervals:
        r = refs[0]
        if pending:
            f = pending[-1]
            return [Difference("status", body, member, f"the reference has it a member ({_ref_span(r)}); the news "
                               f"only reports it {f.status}", _news(f), _ref(r))]
        return [Difference("reference_only", body, member, f"the reference has it a member ({_ref_span(r)}); "
                           "the news never mentions it", reference=_ref(r)) for r in refs]
    out = []
    for r in refs:
        f = min(intervals, key=lambda f: (not _overlaps(f, r), abs(_days(f.valid_from, r.joined))))
        if r.joined and f.valid_from and not cons.spans_overlap(r.joined, f.valid_from):
            out.append(Difference("joined_date", body, member, f"joined {r.joined} says the reference, "
                                  f"{f.valid_from} the news", _news(f), _ref(r)))
        if r.left and f.status == "member":
            out.append(Difference("status", body, member, f"the reference has it leave in {r.left}; the news "
                                  "still has it a member", _news(f), _ref(r)))
        elif f.status == "left" and not r.left:
            out.append(Difference("status", body, member, f"the news reports it left"
                                  + (f" in {f.valid_to}" if f.valid_to else "") + "; the reference has it a member "
                                  "(news ahead of the reference?)", _news(f), _ref(r)))
        elif r.left and f.valid_to and not cons.spans_overlap(r.left, f.valid_to):
            out.append(Difference("left_date", body, member, f"left {r.left} says the reference, {f.valid_to} "
                                  "the news", _news(f), _ref(r)))
    return out


def _compare_on(refs, intervals, pending, body, member, day: date) -> list[Difference]:
    ref_in = [r for r in refs if r.holds_on(day)]
    news_in = [f for f in intervals if _holds(f, day)]
    if ref_in and not news_in:
        known = pending or intervals
        kind = "status" if known else "reference_only"
        what = (f"the news has it {known[-1].status}" if known else "the news never mentions it")
        return [Difference(kind, body, member, f"on {day}: a member says the reference ({_ref_span(ref_in[0])}); "
                           + what, _news(known[-1]) if known else None, _ref(ref_in[0]))]
    if news_in and not ref_in:
        return [Difference("news_only", body, member, f"on {day}: a member says the news ({_span(news_in[0])}); "
                           "not the reference", _news(news_in[0]), _ref(refs[0]) if refs else None)]
    return []


def _holds(f: cons.MembershipFact, day: date) -> bool:
    start = cons.date_floor(f.valid_from) or f.reported
    end = cons.date_floor(f.valid_to) if f.valid_to else f.left_reported
    return (start is None or start <= day) and (f.status == "member" or end is None or end > day)


def _overlaps(f: cons.MembershipFact, r: ReferenceRow) -> bool:
    return cons.spans_overlap(f.valid_from, r.joined)


def _days(a: str | None, b: str | None) -> int:
    da, db = cons.date_floor(a), cons.date_floor(b)
    return abs((da - db).days) if da and db else 0


def _span(f: cons.MembershipFact) -> str:
    if f.status == "left":
        return "a member" + (f" from {f.valid_from}" if f.valid_from else "") + ", left" + \
            (f" {f.valid_to}" if f.valid_to else "")
    return "a member" + (f" since {f.valid_from}" if f.valid_from else " (date unknown)")


def _ref_span(r: ReferenceRow) -> str:
    return f"joined {r.joined or 'date unknown'}" + (f", left {r.left}" if r.left else "")


def diff(store, *, dataset: str | None = None, body: str | None = None, kinds: list[str] | None = None,
         as_of: date | str | None = None, known_on: date | str | None = None) -> list[Difference]:
    """Where the news (as known on `known_on`) and the reference disagree, over the bodies the reference
    covers: members the news reports and the reference lacks, reference members the news never mentions,
    different statuses and dates. With `as_of`, only who was a member on that day is compared."""
    from accords.kb import load

    for k in kinds or []:
        if k not in KINDS:
            raise AccordsError(f"unknown kind of difference {k!r}; use one of: {', '.join(KINDS)}")
    refs = rows(store, dataset=dataset, body=body)
    if not refs:
        what = f"dataset {dataset!r}" if dataset else "reference data"
        raise AccordsError(f"no {what}" + (f" for {body}" if body else "") + "; import some first: accords "
                           "reference import FILE.csv")
    day = load.as_date(as_of, "as_of")
    out: list[Difference] = []
    by_body: dict[str, list[ReferenceRow]] = {}
    for r in refs:
        by_body.setdefault(r.body.id, []).append(r)
    for body_id in sorted(by_body):
        body_refs = by_body[body_id]
        facts = load.memberships(store, body=body_id, known_on=known_on)
        pairs: dict[str, tuple[Entity, list, list]] = {}
        for r in body_refs:
            pairs.setdefault(r.member.id, (r.member, [], []))[1].append(r)
        for f in facts:
            pairs.setdefault(f.member.id, (f.member, [], []))[2].append(f)
        for member_id in sorted(pairs):
            member, rs, fs = pairs[member_id]
            out.extend(compare(rs, fs, body_refs[0].body, member, day))
    if kinds:
        out = [d for d in out if d.kind in kinds]
    return sorted(out, key=lambda d: (d.body.name, KINDS.index(d.kind), d.member.name))


def verdict(r: ReferenceRow, fact: cons.MembershipFact | None) -> str:
    """One pair, one reference row, in words (for `accords explain`)."""
    found = compare([r], [fact] if fact else [], r.body, r.member)
    return "agrees with the news" if not found else "; ".join(d.note for d in found)
