"""Queries over a store: members as of a date, timelines, relations, countries, events, summits."""
from __future__ import annotations

from datetime import date

import pytest

from accords import query
from accords.errors import UnknownEntityError
from accords.model import Assertion, Document, Entity, Evidence, EventType, Status
from accords.store import open_store

C = {code: Entity(code, name, "country") for code, name in [
    ("KAZ", "Kazakhstan"), ("ISR", "Israel"), ("ARE", "United Arab Emirates"), ("BHR", "Bahrain"),
    ("MAR", "Morocco"), ("SDN", "Sudan"), ("SAU", "Saudi Arabia"), ("SYR", "Syria"), ("USA", "United States"),
    ("UZB", "Uzbekistan"), ("KGZ", "Kyrgyzstan"), ("TJK", "Tajikistan"), ("TKM", "Turkmenistan"),
    ("QAT", "Qatar")]}
AA = Entity("abraham-accords", "Abraham Accords", "agreement")
C51 = Entity("c5-1-summit", "C5+1 Summit", "gathering")
J, L, S = EventType.JOIN, EventType.LEAVE, EventType.SIGN
EST, RES, CUT = EventType.ESTABLISH_RELATIONS, EventType.RESTORE_RELATIONS, EventType.CUT_RELATIONS
DONE, ANN, PROS = Status.COMPLETED, Status.ANNOUNCED, Status.PROSPECTIVE

HILL_TEXT = ("President Trump on Thursday will welcome Kazakhstan into the Abraham Accords. "
             "Israel and Kazakhstan have maintained diplomatic relations since 1992. "
             "The accords were first signed in September 2020 by Israel, the UAE and Bahrain. "
             "Morocco and Sudan quickly joined. Leaders of five Central Asian nations meet for the C5+1 Summit. "
             "He has chased adding Saudi Arabia and is working on getting Syria to join.")


def a(doc, type_, subj, obj, status, when=None, sentence="", **kw):
    subject = C[subj] if isinstance(subj, str) else subj
    object_ = C[obj] if isinstance(obj, str) else obj
    return Assertion(doc=doc, type=type_, subject=subject, object=object_, status=status,
                     evidence=Evidence(sentence or f"{subject.name} {type_.value} {object_.name}.", 0, 10),
                     date=when, **kw)


def hill():
    d = Document(id="hill", text=HILL_TEXT, published=date(2025, 11, 6), outlet="The Hill",
                 title="Kazakhstan to join Abraham Accords")
    facts = [
        a("hill", J, "KAZ", AA, ANN, "2025-11-06", "President Trump on Thursday will welcome Kazakhstan."),
        a("hill", EST, "ISR", "KAZ", DONE, "1992", date_role="start"),
        *[a("hill", S, c, AA, DONE, "2020-09", "The accords were first signed in September 2020.")
          for c in ("ARE", "BHR", "ISR")],
        a("hill", EST, "ISR", "ARE", DONE, "2020-09"),
        a("hill", EST, "ISR", "BHR", DONE, "2020-09"),
        a("hill", J, "MAR", AA, DONE, sentence="Morocco and Sudan quickly joined."),
        a("hill", J, "SDN", AA, DONE, sentence="Morocco and Sudan quickly joined."),
        a("hill", J, "SAU", AA, PROS),
        a("hill", J, "SYR", AA, PROS),
        a("hill", EventType.SUMMIT, "USA", C51, ANN, "2025-11-06",
          participants=[C[c] for c in ("USA", "KAZ", "UZB", "KGZ", "TJK", "TKM")],
          extra={"place": "White House", "format": "c5-1"}),
        a("hill", EventType.FOUND, C51, C51, DONE, "2015"),
    ]
    return d, facts


def later(doc_id, published, *facts_):
    return Document(id=doc_id, text=f"Later news {doc_id}.", published=published, outlet="Wire"), list(facts_)


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path / "q.db")
    assert s.ingest(*hill())
    yield s
    s.close()


def sections(result):
    return {name: result.ids(name) for name in result.SECTIONS}


def test_members_day_after(store):
    r = query.members(store, AA.id, date(2025, 11, 7))
    assert sorted(r.ids()) == ["ARE", "BHR", "ISR", "MAR", "SDN"]
    assert r.ids("announced") == ["KAZ"] and sorted(r.ids("prospective")) == ["SAU", "SYR"]
    assert r.former == [] and r.negated == []
    by = {e.member.id: e for e in r.members}
    assert by["MAR"].note == "date unknown, reported by 2025-11-06" and by["MAR"].valid_from is None
    assert by["ISR"].valid_from == "2020-09" and by["ISR"].note is None
    assert by["ISR"].evidence == "The accords were first signed in September 2020."
    assert (by["ISR"].doc, by["ISR"].outlet, by["ISR"].published) == ("hill", "The Hill", date(2025, 11, 6))
    kaz = r.announced[0]
    assert kaz.valid_from == "2025-11-06" and kaz.note == "announced for 2025-11-06, unconfirmed"
    assert r.prospective[0].note == "sought"
    d = r.to_dict()
    assert d["as_of"] == "2025-11-07" and d["members"][0]["member"]["id"] in {"ARE", "BHR", "ISR"}


def test_members_before_and_between(store):
    early = query.members(store, AA.id, date(2020, 1, 1))
    assert sections(early) == {n: [] for n in early.SECTIONS}
    r = query.members(store, AA, "2021-01-01")  # by start date, then name
    assert sections(r) == {"members": ["BHR", "ISR", "ARE"], "announced": [], "prospective": [], "former": [],
                           "negated": []}
    assert sorted(query.members(store, AA.id, date(2020, 9, 1)).ids()) == ["ARE", "BHR", "ISR"]
    assert query.members(store, AA.id, date(2020, 8, 31)).ids() == []
    eve = query.members(store, AA.id, date(2025, 11, 5))
    assert "MAR" not in eve.ids() and eve.announced == []  # not yet reported


def test_members_default_today_and_unknown_body(store):
    assert query.members(store, AA.id).as_of == date.today()
    with pytest.raises(UnknownEntityError):
        query.members(store, "no-such-body")


def test_ingesting_same_document_twice_changes_nothing(store):
    before = query.members(store, AA.id, date(2025, 11, 7)).to_dict()
    assert store.ingest(*hill()) is False
    assert query.members(store, AA.id, date(2025, 11, 7)).to_dict() == before


def test_completed_join_supersedes_announcement(store):
    store.ingest(*later("d2", date(2025, 11, 8), a("d2", J, "KAZ", AA, DONE, "2025-11-07")))
    r = query.members(store, AA.id, date(2025, 11, 7))
    assert "KAZ" in r.ids() and r.announced == []
    # On the day of the announcement, before the completion, it was announced.
    eve = query.members(store, AA.id, date(2025, 11, 6))
    assert "KAZ" not in eve.ids() and eve.ids("announced") == ["KAZ"]
    assert eve.announced[0].note == "announced for 2025-11-06, unconfirmed"


def test_leave_closes_the_interval(store):
    store.ingest(*later("d3", date(2026, 2, 1), a("d3", L, "MAR", AA, DONE, "2026-01-15")))
    assert "MAR" in query.members(store, AA.id, date(2026, 1, 14)).ids()
    r = query.members(store, AA.id, date(2026, 1, 15))
    assert "MAR" not in r.ids() and r.ids("former") == ["MAR"]
    assert r.former[0].note == "left 2026-01-15" and r.former[0].valid_to == "2026-01-15"


def test_timeline(store):
    entries = query.timeline(store, AA.id)
    assert [(e.subject.id, e.status, e.date) for e in entries] == [
        ("ARE", "completed", "2020-09"), ("BHR", "completed", "2020-09"), ("ISR", "completed", "2020-09"),
        ("KAZ", "announced", "2025-11-06"),
        ("MAR", "completed", None), ("SDN", "completed", None), ("SAU", "prospective", None),
        ("SYR", "prospective", None)]
    assert entries[0].precision == "month" and entries[0].doc == "hill" and entries[0].outlet == "The Hill"
    assert [e.type for e in query.timeline(store, C51.id)] == ["found"]


def test_relations_cut_and_restore(store):
    store.ingest(*later("d4", date(2026, 2, 1), a("d4", CUT, "KAZ", "ISR", DONE, "2026-01")))
    store.ingest(*later("d5", date(2026, 6, 1), a("d5", RES, "ISR", "KAZ", DONE, "2026-05-20")))
    pair = query.relations(store, "KAZ", "ISR")
    assert [(f.status, f.valid_from, f.valid_to) for f in pair] == [
        ("up", "1992", "2026-01"), ("down", "2026-01", "2026-05-20"), ("up", "2026-05-20", None)]
    israel = query.relations(store, "ISR")
    assert [(f.other("ISR").id, f.status) for f in israel] == [
        ("KAZ", "up"), ("ARE", "up"), ("BHR", "up"), ("KAZ", "down"), ("KAZ", "up")]


def test_country(store):
    kaz = query.country(store, "KAZ")
    assert [(f.body.id, f.status) for f in kaz.memberships] == [(AA.id, "announced")]
    assert [f.other("KAZ").id for f in kaz.relations] == ["ISR"]
    assert [f.gathering.id for f in kaz.summits] == [C51.id]
    assert kaz.counts["assertions"] == 3 and kaz.counts["partners"] == 1
    assert kaz.to_dict()["country"]["name"] == "Kazakhstan"


def test_events_and_summits(store):
    assert [sa.assertion.subject.id for sa in query.events(store, type="sign")] == ["ARE", "BHR", "ISR"]
    assert [sa.assertion.subject.id for sa in query.events(store, status="prospective", body=AA.id)] == [
        "SAU", "SYR"]
    assert len(query.events(store, since="2025-01-01", country="KAZ")) == 2
    [summit] = query.summits(store, country="UZB")
    assert (summit.date, summit.status, summit.place) == ("2025-11-06", "announced", "White House")
    assert query.summits(store, body_id="c5-1") == [summit] == query.summits(store, body_id=C51.id)
    assert query.summits(store, country="ISR") == []


def test_in_memory_store_works_too():
    s = open_store(":memory:")
    s.ingest(*hill())
    assert sorted(query.members(s, AA.id, date(2025, 11, 7)).ids()) == ["ARE", "BHR", "ISR", "MAR", "SDN"]
    s.close()
