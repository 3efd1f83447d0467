"""Consolidation: assertions (with ids and reported dates) → membership, relation and summit facts."""
from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from accords.consolidate import (StoredAssertion, consolidate, date_ceil, date_floor, membership_facts,
                                 precision_of, relation_facts, summit_facts)
from accords.model import Assertion, Entity, Evidence, EventType, Status

C = {code: Entity(code, name, "country") for code, name in [
    ("KAZ", "Kazakhstan"), ("ISR", "Israel"), ("ARE", "United Arab Emirates"), ("BHR", "Bahrain"),
    ("MAR", "Morocco"), ("SDN", "Sudan"), ("SAU", "Saudi Arabia"), ("SYR", "Syria"), ("USA", "United States"),
    ("UZB", "Uzbekistan"), ("KGZ", "Kyrgyzstan"), ("TJK", "Tajikistan"), ("TKM", "Turkmenistan"),
    ("QAT", "Qatar"), ("EGY", "Egypt")]}
AA = Entity("abraham-accords", "Abraham Accords", "agreement")
C51 = Entity("c5-1-summit", "C5+1 Summit", "gathering")
J, L, S, AP, INV = EventType.JOIN, EventType.LEAVE, EventType.SIGN, EventType.APPLY, EventType.INVITE
EST, RES, CUT = EventType.ESTABLISH_RELATIONS, EventType.RESTORE_RELATIONS, EventType.CUT_RELATIONS
DONE, ANN, PROS, NEG = Status.COMPLETED, Status.ANNOUNCED, Status.PROSPECTIVE, Status.NEGATED


class Maker:
    """Builds StoredAssertions with consecutive ids."""

    def __init__(self):
        self.n = 0

    def __call__(self, type_, subj, obj, status, when=None, *, doc="d1", published=date(2025, 11, 6),
                 role="event", participants=(), extra=None, text=None):
        self.n += 1
        subject = C[subj] if isinstance(subj, str) else subj
        object_ = C[obj] if isinstance(obj, str) else obj
        a = Assertion(doc=doc, type=type_, subject=subject, object=object_, status=status,
                      evidence=Evidence(text or f"sentence {self.n}", 0, 10), date=when,
                      date_precision=precision_of(when), date_role=role,
                      participants=[C[p] for p in participants], extra=extra or {})
        return StoredAssertion(self.n, a, published, outlet="The Hill")


def scenario() -> list[StoredAssertion]:
    m = Maker()
    return [
        m(J, "KAZ", AA, ANN, "2025-11-06"),
        m(EST, "ISR", "KAZ", DONE, "1992", role="start"),
        *[m(S, c, AA, DONE, "2020-09") for c in ("ARE", "BHR", "ISR")],
        m(EST, "ISR", "ARE", DONE, "2020-09"),
        m(EST, "ISR", "BHR", DONE, "2020-09"),
        m(J, "MAR", AA, DONE),
        m(J, "SDN", AA, DONE),
        m(J, "SAU", AA, PROS),
        m(J, "SYR", AA, PROS),
        m(EventType.SUMMIT, "USA", C51, ANN, "2025-11-06",
          participants=("USA", "KAZ", "UZB", "KGZ", "TJK", "TKM"), extra={"place": "White House"}),
    ]


def by_member(facts):
    return {f.member.id: f for f in facts}


def test_partial_dates():
    assert date_floor("2020-09") == date(2020, 9, 1)
    assert date_ceil("2020-02") == date(2020, 2, 29)
    assert date_ceil("1992") == date(1992, 12, 31)
    assert date_floor("2020-13") is None and precision_of("soon") is None
    assert precision_of("2025-11-06") == "day"


def test_scenario_memberships():
    facts = by_member(consolidate(scenario()).memberships)
    assert set(facts) == {"KAZ", "ARE", "BHR", "ISR", "MAR", "SDN", "SAU", "SYR"}
    for c in ("ARE", "BHR", "ISR"):
        assert (facts[c].status, facts[c].valid_from, facts[c].from_precision) == ("member", "2020-09", "month")
    for c in ("MAR", "SDN"):
        assert facts[c].status == "member" and facts[c].valid_from is None
        assert facts[c].reported == date(2025, 11, 6)
    assert (facts["KAZ"].status, facts["KAZ"].valid_from) == ("announced", "2025-11-06")
    assert facts["SAU"].status == "prospective" and facts["SAU"].stages == ["sought"]
    assert facts["ISR"].evidence.doc == "d1" and facts["ISR"].evidence.outlet == "The Hill"


def test_scenario_relations_and_summit():
    facts = consolidate(scenario())
    rel = {(f.a.id, f.b.id): f for f in facts.relations}
    assert set(rel) == {("ISR", "KAZ"), ("ARE", "ISR"), ("BHR", "ISR")}
    assert (rel["ISR", "KAZ"].status, rel["ISR", "KAZ"].valid_from) == ("up", "1992")
    [summit] = facts.summits
    assert (summit.type, summit.date, summit.status, summit.place) == ("summit", "2025-11-06", "announced",
                                                                       "White House")
    assert [p.id for p in summit.participants] == ["KAZ", "KGZ", "TJK", "TKM", "USA", "UZB"]


def test_completed_join_supersedes_announcement():
    m = Maker()
    items = [m(J, "KAZ", AA, ANN, "2025-11-06"),
             m(J, "KAZ", AA, DONE, "2025-11-07", doc="d2", published=date(2025, 11, 8))]
    [fact] = membership_facts(items)
    assert (fact.status, fact.valid_from, fact.reported) == ("member", "2025-11-07", date(2025, 11, 8))
    assert fact.supporting == [1, 2]
    assert [h["status"] for h in fact.history] == ["announced"]


def test_leave_closes_interval_and_rejoin_opens_another():
    m = Maker()
    items = [m(J, "MAR", AA, DONE, "2020-12"), m(L, "MAR", AA, DONE, "2023-05-01", published=date(2023, 5, 2)),
             m(J, "MAR", AA, DONE, "2024", published=date(2024, 6, 1))]
    first, second = membership_facts(items)
    assert (first.status, first.valid_from, first.valid_to) == ("left", "2020-12", "2023-05-01")
    assert (second.status, second.valid_from, second.valid_to) == ("member", "2024", None)


def test_undated_leave_reported_after_start_closes_and_repeat_does_not_reopen():
    m = Maker()
    items = [m(J, "QAT", AA, DONE, "2021"),
             m(L, "QAT", AA, DONE, published=date(2023, 1, 1)),
             m(L, "QAT", AA, DONE, published=date(2024, 1, 1))]
    [fact] = membership_facts(items)
    assert (fact.status, fact.valid_to, fact.left_reported) == ("left", None, date(2023, 1, 1))
    assert fact.supporting == [1, 2, 3]


def test_leave_only_and_negated_only():
    m = Maker()
    items = [m(L, "MAR", "EGY", DONE, "1984"), m(J, "SAU", AA, NEG)]
    facts = by_member(membership_facts(items))
    assert (facts["MAR"].status, facts["MAR"].valid_from, facts["MAR"].valid_to) == ("left", None, "1984")
    assert facts["SAU"].status == "negated" and facts["SAU"].supporting == [2]


def test_negated_contradicts_and_apply_invite_are_prospective():
    m = Maker()
    items = [m(INV, "SAU", AA, DONE), m(J, "SAU", AA, NEG), m(AP, "QAT", AA, DONE, "2022")]
    facts = by_member(membership_facts(items))
    assert facts["SAU"].status == "prospective" and facts["SAU"].stages == ["invited"]
    assert facts["SAU"].contradicting == [2]
    assert (facts["QAT"].stages, facts["QAT"].valid_from) == (["applied"], "2022")


def test_body_inviting_a_state_is_turned_round():
    m = Maker()
    [fact] = membership_facts([m(INV, AA, "QAT", ANN)])
    assert (fact.member.id, fact.body.id, fact.status) == ("QAT", AA.id, "prospective")


def test_since_date_and_refined_start():
    m = Maker()
    items = [m(J, "ISR", AA, DONE, "2020-09"), m(S, "ISR", AA, DONE, "2020-09-15", doc="d2")]
    [fact] = membership_facts(items)
    assert fact.valid_from == "2020-09-15"
    [start] = membership_facts([m(J, "EGY", AA, DONE, "1979", role="start")])
    assert start.valid_from == "1979"


def test_pending_exit_flags_membership():
    m = Maker()
    items = [m(J, "QAT", AA, DONE, "2021"), m(L, "QAT", AA, ANN, "2026-01-01", published=date(2025, 6, 1))]
    [fact] = membership_facts(items)
    assert (fact.status, fact.leaving, fact.leaving_date) == ("member", "announced", "2026-01-01")


def test_relations_cut_then_restored_three_intervals():
    m = Maker()
    items = [m(RES, "QAT", "SAU", DONE, "2021-01-05", published=date(2021, 1, 6)),
             m(EST, "SAU", "QAT", DONE, "1970"),
             m(CUT, "SAU", "QAT", DONE, "2017-06-05", published=date(2017, 6, 5))]
    facts = relation_facts(items)
    assert [(f.status, f.valid_from, f.valid_to) for f in facts] == [
        ("up", "1970", "2017-06-05"), ("down", "2017-06-05", "2021-01-05"), ("up", "2021-01-05", None)]
    assert all((f.a.id, f.b.id) == ("QAT", "SAU") for f in facts)


def test_relations_pending_negated_and_undated_repeat():
    m = Maker()
    items = [m(EST, "ISR", "SAU", PROS), m(CUT, "ISR", "QAT", NEG),
             m(EST, "EGY", "QAT", DONE, "1972"), m(CUT, "EGY", "QAT", DONE, "2017-06"),
             m(RES, "EGY", "QAT", DONE, "2021-01"),
             m(CUT, "EGY", "QAT", DONE, published=date(2024, 1, 1))]  # an undated look back at 2017
    facts = relation_facts(items)
    pending = [f for f in facts if f.b.id == "SAU"]
    assert [(f.status, f.change) for f in pending] == [("prospective", "up")]
    negated = [f for f in facts if f.a.id == "ISR" and f.b.id == "QAT"]
    assert [(f.status, f.change) for f in negated] == [("negated", "down")]
    egy = [f.status for f in facts if f.a.id == "EGY"]
    assert egy == ["up", "down", "up"]


def test_summits_merge_across_documents():
    m = Maker()
    items = [m(EventType.SUMMIT, "USA", C51, ANN, "2025-11-06", participants=("KAZ", "UZB")),
             m(EventType.MEETING, "USA", C51, DONE, "2025-11", doc="d2", published=date(2025, 11, 7),
               participants=("TJK",), extra={"host": "USA"}),
             m(EventType.SUMMIT, "KAZ", C51, DONE, doc="d3", published=date(2025, 11, 9)),
             m(EventType.SUMMIT, "USA", C51, DONE, "2023-09-19", doc="d4")]
    facts = summit_facts(items)
    assert [(f.date, f.status) for f in facts] == [("2023-09-19", "completed"), ("2025-11-06", "completed")]
    late = facts[1]
    assert late.supporting == [1, 2, 3] and late.host == "USA"
    assert [p.id for p in late.participants] == ["KAZ", "TJK", "USA", "UZB"]


def _norm(facts):
    return facts.to_dict()


def test_idempotent():
    items = scenario()
    assert _norm(consolidate(items)) == _norm(consolidate(items)) == _norm(consolidate(items + items))


_extra = Maker()
_extra.n = 100
MIXED = scenario() + [
    _extra(J, "KAZ", AA, DONE, "2025-11-07", doc="d2", published=date(2025, 11, 8)),
    _extra(L, "MAR", AA, DONE, "2025-12", doc="d3", published=date(2025, 12, 2)),
    _extra(CUT, "ISR", "ARE", DONE, "2026-01", doc="d3", published=date(2026, 1, 2)),
    _extra(RES, "ARE", "ISR", DONE, "2026-03", doc="d4", published=date(2026, 3, 2)),
    _extra(J, "SAU", AA, NEG, doc="d4", published=date(2026, 3, 2)),
    _extra(EventType.SUMMIT, "USA", C51, DONE, doc="d4", published=date(2025, 11, 7), participants=("TKM",)),
]


@settings(max_examples=40, deadline=None)
@given(st.permutations(MIXED))
def test_order_independent(perm):
    assert _norm(consolidate(perm)) == _norm(consolidate(MIXED))
