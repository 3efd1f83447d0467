"""Scoring extracted facts against a gold set (see the gold set's README).

Gold file: JSON Lines, one document per line with ``id``, ``text``,
``published`` (ISO date, partial ISO date or null), ``title`` and ``gold``, a
list of facts (``type``, ``subject``, ``object``, ``date``, ``status``,
``evidence``, and ``participants`` for gatherings). Gold subjects and objects
are names as written: a trailing parenthesis names the person acting for a
state ("Iran (Ebrahim Raisi)") and is stripped; ``;`` outside parentheses
separates several entities, and a fact with several subjects or objects
stands for one fact per combination.

Predictions: ``{doc_id: [fact record, ...]}`` where a fact record is the JSON
of ``Assertion.to_record()`` (Assertion objects are accepted too).

Definitions
-----------
Triple
    Facts are compared per document as ``(subject, object, state)``; both
    sides are sets (duplicates within a document count once). The state
    folds type and status:

    ============================  ==========  ==========  ===========  ==========
    type                          completed   announced   prospective  negated
    ============================  ==========  ==========  ===========  ==========
    join, sign                    MEMBER      ANNOUNCED   PROSPECTIVE  NOT-MEMBER
    apply, invite                 PROSPECTIVE PROSPECTIVE PROSPECTIVE  NOT-MEMBER
    leave                         LEFT        LEAVING     LEAVING      NOT-MEMBER
    establish/restore_relations   UP          UP?         UP?          NOT-UP
    cut_relations                 DOWN        DOWN?       DOWN?        NOT-DOWN
    ============================  ==========  ==========  ===========  ==========

    summit, meeting and found are not triples (gatherings go to summit
    recall; found is not scored). Membership triples are oriented
    (state, body): when the subject is a body and the object a country the two
    are swapped, so "NATO invites Norway" and "Norway is invited to NATO" are
    the same triple. Relation triples are unordered pairs.
Entities
    A gold name is resolved with the gazetteer (lookup, then demonym). A gold
    country matches a predicted entity only by ISO3 id. A gold body matches a
    prediction whose id equals the body's id, or whose normalized name or id
    equals the gold's normalized name or any name/alias of the body. A gold
    name the gazetteer does not know keeps its normalized name (plus the
    name without, and the content of, a parenthesis) and matches a
    prediction with that normalized name or id; otherwise it is a miss.
Precision, recall, F1
    Micro-averaged over all documents: TP = gold triples ∩ predicted triples,
    FP = predicted − gold, FN = gold − predicted. Precision is None when
    nothing was predicted, recall when the gold has nothing.
Overclaim rate
    Basis: gold triples whose state is *not done* (every state except
    MEMBER, LEFT, UP, DOWN; so announced, prospective and negated facts, and
    completed apply/invite, which are "sought") for whose (subject, object)
    pair — same family (membership/relation), unordered for relations — at
    least one triple of that family was predicted in the document.
    Overclaim: such a gold triple where one of the predictions for the pair
    is the done state that gold state falls short of (ANNOUNCED, PROSPECTIVE,
    NOT-MEMBER -> MEMBER; LEAVING -> LEFT; UP?, NOT-UP -> UP; DOWN?, NOT-DOWN
    -> DOWN) and the gold of that document does not itself contain it for
    the pair. Rate = overclaims / basis.
Date accuracy
    Basis: matched triples (TP) with at least one non-null gold date. A
    predicted date agrees with a gold date when it is at least as precise and
    equals the gold when cut to the gold's precision (gold "2020-09": "2020-09"
    and "2020-09-15" agree, "2020" and "2020-10" do not). A triple is right
    when some predicted date of the triple agrees with some gold date of it.
    ``date_invented``: among matched triples whose gold dates are all null
    (basis ``date_null_basis``), those for which a predicted date was given.
Summit recall
    For each gold summit/meeting fact (not deduplicated): a hit when some
    predicted summit or meeting of the same document either names the same
    body — the gold's leading body is the first gazetteer body mentioned in
    the gold object ("BRICS summit, Johannesburg" → BRICS), else in the gold
    subject; a prediction names it in its object's id or name, or as its
    subject — or has participants that overlap the gold participants (the
    gold participants, subject and object resolved to countries, ignoring
    unresolvable names) in at least max(2, ceil(n/2)) countries where n is
    the number of resolvable gold participants. Reported for summit, meeting
    and both.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import asdict, dataclass, field
from datetime import date as Date
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from accords.errors import InputError
from accords.model import Document
from accords.reference import Gazetteer, normalize

# -- states ------------------------------------------------------------------

MEMBERSHIP = "membership"
RELATION = "relation"

MEMBERSHIP_EVENT_TYPES = {"join", "sign", "leave", "apply", "invite"}
RELATION_EVENT_TYPES = {"establish_relations", "restore_relations", "cut_relations"}
GATHERING_EVENT_TYPES = {"summit", "meeting"}
ALL_TYPES = MEMBERSHIP_EVENT_TYPES | RELATION_EVENT_TYPES | GATHERING_EVENT_TYPES | {"found"}
STATUSES = {"completed", "announced", "prospective", "negated"}

DONE_STATES = {"MEMBER", "LEFT", "UP", "DOWN"}
# The done state each not-done state would be overclaimed as: "has not cut ties" is
# overclaimed by DOWN, not by UP ("has strained relations" is no claim of a cut).
DONE_OF = {"ANNOUNCED": "MEMBER", "PROSPECTIVE": "MEMBER", "NOT-MEMBER": "MEMBER", "LEAVING": "LEFT",
           "UP?": "UP", "NOT-UP": "UP", "DOWN?": "DOWN", "NOT-DOWN": "DOWN"}


def fold_state(type_: str, status: str) -> str | None:
    """The scored state of a fact; None for facts outside the triple score (gatherings, found)."""
    if status not in STATUSES:
        return None
    if type_ in MEMBERSHIP_EVENT_TYPES:
        if status == "negated":
            return "NOT-MEMBER"
        if type_ in ("join", "sign"):
            return {"completed": "MEMBER", "announced": "ANNOUNCED", "prospective": "PROSPECTIVE"}[status]
        if type_ in ("apply", "invite"):
            return "PROSPECTIVE"
        return "LEFT" if status == "completed" else "LEAVING"  # leave
    if type_ in RELATION_EVENT_TYPES:
        up = type_ != "cut_relations"
        if status == "negated":
            return "NOT-UP" if up else "NOT-DOWN"
        if status == "completed":
            return "UP" if up else "DOWN"
        return "UP?" if up else "DOWN?"
    return None


def family_of(type_: str) -> str | None:
    if type_ in MEMBERSHIP_EVENT_TYPES:
        return MEMBERSHIP
    if type_ in RELATION_EVENT_TYPES:
        return RELATION
    return None


# -- gold --------------------------------------------------------------------


@dataclass
class GoldDoc:
    id: str
    text: str
    published: str | None
    title: str | None
    gold: list[dict[str, Any]]
    source_url: str | None = None
    notes: str | None = None
    source: str | None = None  # file:line

    def document(self) -> Document:
        """The accords Document the extractor sees (published only when a full ISO date)."""
        published, precision = parse_published(self.published)
        return Document(
            id=self.id, text=self.text, published=published, published_precision=precision,
            published_source="gold" if self.published else None,
            url=self.source_url, title=self.title, source=self.source,
        )


_ISO_PARTIAL = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def parse_published(value: str | None) -> tuple[Date | None, str | None]:
    """("2023-11-05") -> (date, "day"); ("2023-11") -> (None, "month"); ("2023") -> (None, "year")."""
    if not value:
        return None, None
    value = value.strip()
    if not _ISO_PARTIAL.match(value):
        raise ValueError(f"published {value!r} is not an ISO date")
    if len(value) == 10:
        return Date.fromisoformat(value), "day"
    return None, "month" if len(value) == 7 else "year"


def load_gold(path: str | Path) -> list[GoldDoc]:
    """Read a gold JSONL file; a malformed line raises InputError naming file and line."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(str(path), f"cannot read gold file ({exc.strerror or exc})") from exc
    docs: list[GoldDoc] = []
    seen: dict[str, int] = {}
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(where, f"not valid JSON ({exc.msg} at column {exc.colno})") from exc
        if not isinstance(obj, dict):
            raise InputError(where, "expected a JSON object per line")
        for key in ("id", "text"):
            if not isinstance(obj.get(key), str) or not obj[key]:
                raise InputError(where, f"missing or empty string field {key!r}")
        if obj["id"] in seen:
            raise InputError(where, f"duplicate document id {obj['id']!r} (first on line {seen[obj['id']]})")
        seen[obj["id"]] = lineno
        published = obj.get("published")
        if published is not None:
            try:
                parse_published(published if isinstance(published, str) else "?")
            except ValueError as exc:
                raise InputError(where, str(exc)) from exc
        gold = obj.get("gold")
        if not isinstance(gold, list):
            raise InputError(where, "field 'gold' must be a list of facts")
        for i, fact in enumerate(gold, 1):
            _check_gold_fact(where, i, fact)
        docs.append(GoldDoc(
            id=obj["id"], text=obj["text"], published=published, title=obj.get("title"),
            gold=gold, source_url=obj.get("source_url"), notes=obj.get("notes"), source=where,
        ))
    return docs


def _check_gold_fact(where: str, i: int, fact: Any) -> None:
    if not isinstance(fact, dict):
        raise InputError(where, f"gold fact {i} is not an object")
    if fact.get("type") not in ALL_TYPES:
        raise InputError(where, f"gold fact {i} has unknown type {fact.get('type')!r}")
    if fact.get("status") not in STATUSES:
        raise InputError(where, f"gold fact {i} has unknown status {fact.get('status')!r}")
    for key in ("subject", "object"):
        if not isinstance(fact.get(key), str) or not fact[key].strip():
            raise InputError(where, f"gold fact {i} has no {key} name")
    d = fact.get("date")
    if d is not None and (not isinstance(d, str) or not _ISO_PARTIAL.match(d)):
        raise InputError(where, f"gold fact {i} has date {d!r}, not an ISO (partial) date or null")
    parts = fact.get("participants")
    if parts is not None and not (isinstance(parts, list) and all(isinstance(p, str) for p in parts)):
        raise InputError(where, f"gold fact {i}: participants must be a list of names")


# -- entity resolution -------------------------------------------------------


def split_names(text: str) -> list[str]:
    """Split on ';' outside parentheses: "Israel; United States (a; b)" -> two names."""
    out, depth, cur = [], 0, []
    for ch in text:
        if ch in "([":
            depth += 1
        elif ch in ")]" and depth:
            depth -= 1
        if ch == ";" and depth == 0:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur))
    return [p.strip() for p in out if p.strip()]


_PAREN = re.compile(r"\s*[(\[]([^()\[\]]*)[)\]]")


def strip_paren(name: str) -> tuple[str, list[str]]:
    """("Iran (Ebrahim Raisi)") -> ("Iran", ["Ebrahim Raisi"])."""
    inner = [m.strip() for m in _PAREN.findall(name)]
    return _PAREN.sub("", name).strip(), [p for p in inner if p]


@dataclass
class GoldEntity:
    written: str
    key: str  # gazetteer id, or "name:<normalized>"
    kind: str | None  # "country", a body kind, or None when unresolved
    names: frozenset[str]  # normalized names a prediction may match by (empty for countries)

    @property
    def is_country(self) -> bool:
        return self.kind == "country"


class _Resolver:
    def __init__(self, gaz: Gazetteer):
        self.gaz = gaz
        self._cache: dict[str, GoldEntity] = {}

    def entity(self, ent_name: str) -> Any:
        return self.gaz.lookup(ent_name) or self.gaz.demonym(ent_name)

    def gold(self, written: str) -> GoldEntity:
        if written in self._cache:
            return self._cache[written]
        base, inner = strip_paren(written)
        ent = (self.entity(base) if base else None) or self.entity(written)
        if ent is None:  # "ASEAN Declaration (Bangkok Declaration)": the parenthesis may be an alias of a body
            for alt in inner:
                e = self.gaz.lookup(alt)
                if e is not None and e.kind != "country":
                    ent = e
                    break
        if ent is not None and ent.kind == "country":
            ge = GoldEntity(written, ent.id, "country", frozenset())
        elif ent is not None:
            names = {normalize(written), normalize(base), ent.id.lower(), normalize(ent.id), normalize(ent.name)}
            body = self.gaz.bodies.get(ent.id)
            if body is not None:
                names.update(normalize(a) for a in body.aliases)
            ge = GoldEntity(written, ent.id, ent.kind, frozenset(n for n in names if n))
        else:
            key_name = normalize(base or written)
            names = {normalize(written), key_name, *(normalize(p) for p in inner)}
            ge = GoldEntity(written, "name:" + key_name, None, frozenset(n for n in names if n))
        self._cache[written] = ge
        return ge

    def country_id(self, written: str) -> str | None:
        ge = self.gold(written)
        return ge.key if ge.is_country else None

    def bodies_in(self, text: str) -> list[str]:
        """Ids of gazetteer bodies mentioned in a short name, in order of mention (longest span first)."""
        if not text:
            return []
        tokens = normalize(text).split()
        found: list[str] = []
        i = 0
        while i < len(tokens):
            hit = None
            for j in range(min(len(tokens), i + 8), i, -1):
                ent = self.gaz.lookup(" ".join(tokens[i:j]))
                if ent is not None and ent.kind != "country" and ent.id in self.gaz.bodies:
                    hit = (ent.id, j)
                    break
            if hit:
                if hit[0] not in found:
                    found.append(hit[0])
                i = hit[1]
            else:
                i += 1
        return found


def _rec_entity(rec: Any) -> dict[str, str]:
    if isinstance(rec, dict):
        return {"id": str(rec.get("id") or ""), "name": str(rec.get("name") or ""), "kind": str(rec.get("kind") or "")}
    if isinstance(rec, str):
        return {"id": "", "name": rec, "kind": ""}
    return {"id": "", "name": "", "kind": ""}


# -- report ------------------------------------------------------------------


@dataclass
class DocRow:
    doc: str
    tp: int
    fp: int
    fn: int
    gatherings: int = 0
    gathering_hits: int = 0


@dataclass
class Item:
    """One miss, extra, overclaim, wrong or invented date, or missed gathering (for --explain)."""

    doc: str
    triple: tuple[str, str, str]  # (subject, object, state) as names
    gold_status: str | None = None
    pred_status: str | None = None
    gold_date: str | None = None
    pred_date: str | None = None
    gold_evidence: str | None = None
    pred_evidence: str | None = None
    type: str | None = None
    pred_state: str | None = None
    cause: str | None = None  # why, for --explain: see CAUSES


@dataclass
class Report:
    documents: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    precision: float | None = None
    recall: float | None = None
    f1: float | None = None
    by_family: dict[str, dict[str, Any]] = field(default_factory=dict)
    overclaims: int = 0
    overclaim_basis: int = 0
    overclaim_rate: float | None = None
    date_correct: int = 0
    date_basis: int = 0
    date_accuracy: float | None = None
    date_invented: int = 0
    date_null_basis: int = 0
    summit_recall: dict[str, dict[str, Any]] = field(default_factory=dict)
    ignored_predictions: int = 0  # unknown type/status or missing entities
    unknown_docs: list[str] = field(default_factory=list)  # predicted doc ids not in the gold
    per_doc: list[DocRow] = field(default_factory=list)
    misses: list[Item] = field(default_factory=list)
    extras: list[Item] = field(default_factory=list)
    overclaim_items: list[Item] = field(default_factory=list)
    wrong_dates: list[Item] = field(default_factory=list)
    invented_dates: list[Item] = field(default_factory=list)
    gathering_misses: list[Item] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def _prf(tp: int, fp: int, fn: int) -> tuple[float | None, float | None, float | None]:
    p = _ratio(tp, tp + fp)
    r = _ratio(tp, tp + fn)
    f = _ratio(2 * tp, 2 * tp + fp + fn)
    return p, r, f


def date_agrees(gold: str, pred: str | None) -> bool:
    """Predicted date agrees at the gold's precision: at least as precise, equal when cut to the gold's length."""
    if not pred:
        return False
    pred = str(pred).strip()
    return len(pred) >= len(gold) and pred[: len(gold)] == gold


# -- scoring -----------------------------------------------------------------


@dataclass
class _Fact:
    triple: tuple[str, str, str]
    family: str
    pair: tuple[str, str]
    subject_name: str
    object_name: str
    fact: dict[str, Any]


def _orient(family: str, s_key: str, s_kind: str | None, o_key: str, o_kind: str | None,
            s_name: str, o_name: str) -> tuple[str, str, str, str]:
    if family == RELATION:
        if o_key < s_key:
            return o_key, s_key, o_name, s_name
        return s_key, o_key, s_name, o_name
    if s_kind and s_kind != "country" and o_kind == "country":
        return o_key, s_key, o_name, s_name
    return s_key, o_key, s_name, o_name


def _evidence_text(ev: Any) -> str | None:
    if isinstance(ev, dict):
        return ev.get("text")
    return ev if isinstance(ev, str) else None


def _as_record(rec: Any) -> dict[str, Any]:
    if isinstance(rec, dict):
        return rec
    if hasattr(rec, "to_record"):
        return rec.to_record()
    raise TypeError(f"a prediction must be a fact record (dict) or an Assertion, not {type(rec).__name__}")


def score(gold_docs: Iterable[GoldDoc], predicted: Mapping[str, list] | list,
          gazetteer: Gazetteer | None = None) -> Report:
    """Score predicted fact records against gold documents (definitions in the module docstring)."""
    if gazetteer is None:
        from accords.reference import gazetteer as _packaged

        gazetteer = _packaged()
    if isinstance(predicted, list):  # a flat list of records, each with its "doc"
        grouped: dict[str, list] = {}
        for rec in predicted:
            r = _as_record(rec)
            grouped.setdefault(str(r.get("doc")), []).append(r)
        predicted = grouped
    res = _Resolver(gazetteer)
    report = Report()
    gold_docs = list(gold_docs)
    gold_ids = {g.id for g in gold_docs}
    report.unknown_docs = sorted(k for k in predicted if k not in gold_ids)
    fam_counts = {MEMBERSHIP: [0, 0, 0], RELATION: [0, 0, 0]}
    summit = {t: [0, 0] for t in ("summit", "meeting")}

    for gd in gold_docs:
        preds = [_as_record(r) for r in predicted.get(gd.id, []) or []]
        row = DocRow(gd.id, 0, 0, 0)
        gold_facts, gold_ents, gatherings = _gold_facts(gd, res)
        pred_facts, pred_gatherings, ignored = _pred_facts(gd.id, preds, gold_ents, res)
        report.ignored_predictions += ignored

        g_by: dict[tuple, list[_Fact]] = {}
        for f in gold_facts:
            g_by.setdefault(f.triple, []).append(f)
        p_by: dict[tuple, list[_Fact]] = {}
        for f in pred_facts:
            p_by.setdefault(f.triple, []).append(f)
        tp = set(g_by) & set(p_by)
        row.tp, row.fp, row.fn = len(tp), len(set(p_by) - tp), len(set(g_by) - tp)
        for t in g_by:
            fam = g_by[t][0].family
            fam_counts[fam][0 if t in tp else 2] += 1
        for t in p_by:
            if t not in tp:
                fam_counts[p_by[t][0].family][1] += 1

        pred_states = {}
        for f in pred_facts:
            pred_states.setdefault((f.family, f.pair), set()).add(f.triple[2])
        gold_states = {}
        for f in gold_facts:
            gold_states.setdefault((f.family, f.pair), set()).add(f.triple[2])
        for t in [t for t in g_by if t not in tp]:
            g = g_by[t][0]
            report.misses.append(Item(
                gd.id, (g.subject_name, g.object_name, t[2]), gold_status=g.fact["status"],
                gold_date=g.fact.get("date"), gold_evidence=g.fact.get("evidence"), type=g.fact["type"],
                pred_state=", ".join(sorted(pred_states.get((g.family, g.pair), ()))) or None,
                cause=_miss_cause(t, g, pred_states.get((g.family, g.pair), set()), pred_facts)))
        for t in [t for t in p_by if t not in tp]:
            p = p_by[t][0]
            report.extras.append(Item(
                gd.id, (p.subject_name, p.object_name, t[2]), pred_status=p.fact.get("status"),
                pred_date=p.fact.get("date"), pred_evidence=_evidence_text(p.fact.get("evidence")),
                type=p.fact.get("type"),
                cause=_extra_cause(t, gold_states.get((p.family, p.pair), set()))))

        # dates over matched triples
        for t in [t for t in g_by if t in tp]:
            g_dates = sorted({f.fact.get("date") for f in g_by[t] if f.fact.get("date")})
            p_dates = [f.fact.get("date") for f in p_by[t] if f.fact.get("date")]
            g, p = g_by[t][0], p_by[t][0]
            names = (g.subject_name, g.object_name, t[2])
            if g_dates:
                report.date_basis += 1
                if any(date_agrees(gdate, pdate) for gdate in g_dates for pdate in p_dates):
                    report.date_correct += 1
                else:
                    report.wrong_dates.append(Item(
                        gd.id, names, gold_status=g.fact["status"], pred_status=p.fact.get("status"),
                        gold_date=" | ".join(g_dates), pred_date=" | ".join(sorted(set(p_dates))) or None,
                        gold_evidence=g.fact.get("evidence"),
                        pred_evidence=_evidence_text(p.fact.get("evidence")), type=g.fact["type"]))
            else:
                report.date_null_basis += 1
                if p_dates:
                    report.date_invented += 1
                    report.invented_dates.append(Item(
                        gd.id, names, gold_status=g.fact["status"], pred_status=p.fact.get("status"),
                        pred_date=" | ".join(sorted(set(p_dates))), gold_evidence=g.fact.get("evidence"),
                        pred_evidence=_evidence_text(p.fact.get("evidence")), type=g.fact["type"]))

        # overclaims
        pred_by_pair: dict[tuple, dict[str, _Fact]] = {}
        for f in pred_facts:
            pred_by_pair.setdefault((f.family, f.pair), {}).setdefault(f.triple[2], f)
        gold_states_by_pair: dict[tuple, set[str]] = {}
        for f in gold_facts:
            gold_states_by_pair.setdefault((f.family, f.pair), set()).add(f.triple[2])
        for t in g_by:
            g = g_by[t][0]
            if t[2] in DONE_STATES:
                continue
            pair = (g.family, g.pair)
            if pair not in pred_by_pair:
                continue
            report.overclaim_basis += 1
            wrong_done = [s for s in pred_by_pair[pair]
                          if s == DONE_OF.get(t[2]) and s not in gold_states_by_pair[pair]]
            if wrong_done:
                report.overclaims += 1
                p = pred_by_pair[pair][wrong_done[0]]
                report.overclaim_items.append(Item(
                    gd.id, (g.subject_name, g.object_name, t[2]), gold_status=g.fact["status"],
                    pred_status=p.fact.get("status"), gold_date=g.fact.get("date"), pred_date=p.fact.get("date"),
                    gold_evidence=g.fact.get("evidence"), pred_evidence=_evidence_text(p.fact.get("evidence")),
                    type=g.fact["type"], pred_state=wrong_done[0]))

        # gatherings
        for gfact, g_bodies, g_parts in gatherings:
            row.gatherings += 1
            summit[gfact["type"]][0] += 1
            need = max(2, math.ceil(len(g_parts) / 2))
            hit = False
            for p_bodies, p_parts in pred_gatherings:
                if (g_bodies and g_bodies[0] in p_bodies) or (len(g_parts) >= 2 and len(g_parts & p_parts) >= need):
                    hit = True
                    break
            if hit:
                row.gathering_hits += 1
                summit[gfact["type"]][1] += 1
            else:
                report.gathering_misses.append(Item(
                    gd.id, (gfact["subject"], gfact["object"], gfact["type"]), gold_status=gfact["status"],
                    gold_date=gfact.get("date"), gold_evidence=gfact.get("evidence"), type=gfact["type"]))

        report.tp += row.tp
        report.fp += row.fp
        report.fn += row.fn
        report.per_doc.append(row)

    report.documents = len(gold_docs)
    report.precision, report.recall, report.f1 = _prf(report.tp, report.fp, report.fn)
    for fam, (tp_, fp_, fn_) in fam_counts.items():
        p, r, f = _prf(tp_, fp_, fn_)
        report.by_family[fam] = {"tp": tp_, "fp": fp_, "fn": fn_, "precision": p, "recall": r, "f1": f}
    report.overclaim_rate = _ratio(report.overclaims, report.overclaim_basis)
    report.date_accuracy = _ratio(report.date_correct, report.date_basis)
    total = [summit["summit"][0] + summit["meeting"][0], summit["summit"][1] + summit["meeting"][1]]
    for name, (basis, hits) in (("summit", summit["summit"]), ("meeting", summit["meeting"]), ("all", total)):
        report.summit_recall[name] = {"gold": basis, "hits": hits, "recall": _ratio(hits, basis)}
    return report


def _gold_facts(gd: GoldDoc, res: _Resolver):
    facts: list[_Fact] = []
    ents: list[GoldEntity] = []
    gatherings: list[tuple[dict, list[str], set[str]]] = []
    for fact in gd.gold:
        type_ = fact["type"]
        if type_ in GATHERING_EVENT_TYPES:
            gatherings.append((fact, *_gold_gathering(fact, res)))
            continue
        family = family_of(type_)
        state = fold_state(type_, fact["status"])
        if family is None or state is None:
            continue  # found
        for s_written in split_names(fact["subject"]):
            for o_written in split_names(fact["object"]):
                s, o = res.gold(s_written), res.gold(o_written)
                ents.extend((s, o))
                sk, ok, sn, on = _orient(family, s.key, s.kind, o.key, o.kind, s_written, o_written)
                facts.append(_Fact((sk, ok, state), family, (sk, ok), sn, on, fact))
    return facts, ents, gatherings


def _gold_gathering(fact: dict, res: _Resolver) -> tuple[list[str], set[str]]:
    bodies = res.bodies_in(fact["object"])
    if not bodies:
        bodies = [b for name in split_names(fact["subject"]) for b in res.bodies_in(strip_paren(name)[0])]
    parts: set[str] = set()
    for name in [*(fact.get("participants") or []), *split_names(fact["subject"]), *split_names(fact["object"])]:
        for one in split_names(name):
            cid = res.country_id(one)
            if cid:
                parts.add(cid)
    return bodies, parts


def _pred_key(ent: dict[str, str], gold_ents: list[GoldEntity], res: _Resolver) -> tuple[str, str | None]:
    """(key, kind) of a predicted entity in the gold's key space."""
    pid, pname, pkind = ent["id"], ent["name"], ent["kind"] or None
    for g in gold_ents:
        if pid and pid == g.key:
            return g.key, g.kind
    forms = {normalize(x) for x in (pid, pname) if x}
    forms.discard("")
    for g in gold_ents:
        if not g.is_country and forms & g.names:
            return g.key, g.kind
    known = res.gaz.get(pid) if pid else None
    if known is None and pname:
        known = res.gaz.lookup(pname)
    if known is not None:
        return known.id, known.kind
    if pid:
        return pid, pkind
    return "name:" + normalize(pname), pkind


def _pred_facts(doc_id: str, preds: list[dict], gold_ents: list[GoldEntity], res: _Resolver):
    facts: list[_Fact] = []
    gatherings: list[tuple[set[str], set[str]]] = []
    ignored = 0
    for rec in preds:
        type_, status = rec.get("type"), rec.get("status")
        s, o = _rec_entity(rec.get("subject")), _rec_entity(rec.get("object"))
        if type_ in GATHERING_EVENT_TYPES:
            gatherings.append(_pred_gathering(rec, s, o, res))
            continue
        family = family_of(type_ or "")
        state = fold_state(type_ or "", status or "")
        if type_ == "found":
            continue
        if family is None or state is None or not (s["id"] or s["name"]) or not (o["id"] or o["name"]):
            ignored += 1
            continue
        sk, skind = _pred_key(s, gold_ents, res)
        ok, okind = _pred_key(o, gold_ents, res)
        sk, ok, sn, on = _orient(family, sk, skind, ok, okind, s["name"] or s["id"], o["name"] or o["id"])
        facts.append(_Fact((sk, ok, state), family, (sk, ok), sn, on, rec))
    return facts, gatherings, ignored


def _pred_gathering(rec: dict, s: dict, o: dict, res: _Resolver) -> tuple[set[str], set[str]]:
    bodies: set[str] = set()
    for ent in (o, s):
        if ent["id"] in res.gaz.bodies:
            bodies.add(ent["id"])
        if ent is o or ent["kind"] != "country":
            for text in (ent["name"], ent["id"]):
                bodies.update(res.bodies_in(text))
    parts: set[str] = set()
    for ent in [s, o, *(_rec_entity(p) for p in rec.get("participants") or [])]:
        if ent["kind"] == "country" and ent["id"]:
            parts.add(ent["id"])
        elif ent["id"] in res.gaz.countries:
            parts.add(ent["id"])
        elif ent["name"]:
            cid = res.country_id(ent["name"])
            if cid:
                parts.add(cid)
    return bodies, parts


# -- running -----------------------------------------------------------------


def evaluate(gold_path: str | Path, extract: Callable[[list[Document]], Mapping[str, list]],
             gazetteer: Gazetteer | None = None) -> Report:
    """Load a gold set, run `extract(documents)` on its documents and score the result."""
    gold_docs = load_gold(gold_path)
    predicted = extract([g.document() for g in gold_docs])
    return score(gold_docs, predicted, gazetteer=gazetteer)


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{100 * x:.1f}%"


def format_report(report: Report) -> str:
    """A plain-text summary of a Report."""
    r = report
    lines = [
        f"documents        {r.documents}",
        f"triples          tp {r.tp}  fp {r.fp}  fn {r.fn}",
        f"precision        {_pct(r.precision)}",
        f"recall           {_pct(r.recall)}",
        f"F1               {_pct(r.f1)}",
    ]
    for fam, d in r.by_family.items():
        lines.append(f"  {fam:<14} P {_pct(d['precision'])}  R {_pct(d['recall'])}  F1 {_pct(d['f1'])}"
                     f"  (tp {d['tp']} fp {d['fp']} fn {d['fn']})")
    lines += [
        f"overclaim rate   {_pct(r.overclaim_rate)}  ({r.overclaims} of {r.overclaim_basis} not-done gold facts"
        " with a prediction for the pair came out as done)",
        f"date accuracy    {_pct(r.date_accuracy)}  ({r.date_correct} of {r.date_basis} matched facts with a gold date)",
        f"dates invented   {r.date_invented} of {r.date_null_basis} matched facts whose gold date is null",
    ]
    for name in ("summit", "meeting", "all"):
        d = r.summit_recall.get(name, {"gold": 0, "hits": 0, "recall": None})
        label = {"summit": "summit recall", "meeting": "meeting recall", "all": "gathering recall"}[name]
        lines.append(f"{label:<17}{_pct(d['recall'])}  ({d['hits']} of {d['gold']})")
    if r.ignored_predictions:
        lines.append(f"ignored          {r.ignored_predictions} predictions (unknown type/status or no entities)")
    if r.unknown_docs:
        lines.append(f"unknown docs     {len(r.unknown_docs)} predicted document ids not in the gold set")
    return "\n".join(lines)


CAUSES = {
    "entity not linked": "a state or body in the gold is unknown to the gazetteer, or was not recognised in the text",
    "anaphora": "the sentence refers to the body or state with 'the bloc', 'it', 'they', ... and it was not resolved",
    "modality": "the right pair, but announced / prospective / negated / completed was misjudged",
    "wrong type": "the right pair, but another kind of event (join vs apply/invite, establish vs restore, ...)",
    "pattern missing": "no rule reads how this sentence says it",
    "not in gold": "said by the text as the rules read it, but not by the gold",
    "date": "the date is wrong or missing at the precision the text gives",
}
_ANAPHORA = re.compile(r"\b(the (agreements?|accords?|bloc|alliance|group|organi[sz]ation|union|body|pact|treaty|deal|"
                       r"country|kingdom|nation|two (countries|states|sides))|it|they|its|their)\b", re.IGNORECASE)
_DONE_FAMILY = {"MEMBER": "m", "ANNOUNCED": "m", "PROSPECTIVE": "m", "NOT-MEMBER": "m", "LEFT": "l", "LEAVING": "l",
                "UP": "u", "UP?": "u", "NOT-UP": "u", "DOWN": "d", "DOWN?": "d", "NOT-DOWN": "d"}


def _miss_cause(triple: tuple, gold: "_Fact", pred_states: set[str], pred_facts: list["_Fact"]) -> str:
    if any(k.startswith("name:") for k in gold.pair):
        return "entity not linked"
    if pred_states:
        same_direction = any(_DONE_FAMILY.get(s) == _DONE_FAMILY.get(triple[2]) for s in pred_states)
        return "modality" if same_direction else "wrong type"
    evidence = gold.fact.get("evidence") or ""
    said_there = any(_evidence_text(p.fact.get("evidence")) == evidence for p in pred_facts)
    if _ANAPHORA.search(evidence) and not said_there:
        return "anaphora"
    return "pattern missing"


def _extra_cause(triple: tuple, gold_states: set[str]) -> str:
    if gold_states:
        same_direction = any(_DONE_FAMILY.get(s) == _DONE_FAMILY.get(triple[2]) for s in gold_states)
        return "modality" if same_direction else "wrong type"
    return "not in gold"


def explain(report: Report) -> str:
    """Misses, extras, overclaims and date errors, one block per item (for `--explain`)."""
    out: list[str] = []

    def block(title: str, items: list[Item]) -> None:
        if not items:
            return
        out.append(f"== {title} ({len(items)})")
        for it in items:
            s, o, st = it.triple
            head = f"[{it.doc}] {s} -> {o}: {st}"
            if it.pred_state:
                head += f" (predicted {it.pred_state})"
            out.append(head)
            details = []
            if it.gold_status or it.gold_date:
                details.append(f"gold {it.type or ''} {it.gold_status or ''} {it.gold_date or ''}".rstrip())
            if it.pred_status or it.pred_date:
                details.append(f"predicted {it.pred_status or ''} {it.pred_date or ''}".rstrip())
            if details:
                out.append("    " + "; ".join(details))
            if it.gold_evidence:
                out.append(f"    gold: {it.gold_evidence}")
            if it.pred_evidence:
                out.append(f"    pred: {it.pred_evidence}")

    def by_cause(title: str, items: list[Item]) -> None:
        causes: dict[str, list[Item]] = {}
        for it in items:
            causes.setdefault(it.cause or "other", []).append(it)
        for cause, group in sorted(causes.items(), key=lambda kv: -len(kv[1])):
            block(f"{title}: {cause} — {CAUSES.get(cause, '')}".rstrip(" —"), group)

    counts: dict[str, int] = {}
    for it in report.misses + report.extras:
        counts[it.cause or "other"] = counts.get(it.cause or "other", 0) + 1
    if counts:
        out.append("causes of misses and extras: " + ", ".join(f"{c} {n}" for c, n in sorted(counts.items(), key=lambda kv: -kv[1])))
    by_cause("misses", report.misses)
    by_cause("extras", report.extras)
    block("overclaims (modality)", report.overclaim_items)
    block("wrong dates (date)", report.wrong_dates)
    block("invented dates (date)", report.invented_dates)
    block("missed gatherings", report.gathering_misses)
    return "\n".join(out)
