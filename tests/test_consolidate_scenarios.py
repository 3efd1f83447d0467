"""Consolidation scenarios, from sentences written for these tests through the real extractor and store:
an announcement then its confirmation, outlets that disagree, a withdrawal announced then reversed, one
wire story reprinted five times."""
from __future__ import annotations

import json
from datetime import date

import pytest

from accords import query
from accords.kb import load
from accords.store import open_store
from tests.kb_helpers import doc, ingest


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path / "kb.db")
    yield s
    s.close()


def fact_of(store, member, body, **kw):
    [f] = [f for f in load.memberships(store, body=body, **kw) if f.member.id == member]
    return f


def test_announcement_then_confirmation(store):
    ingest(store, doc("a1", "2026-03-02", "Norway will join the Mercosur trade bloc on Thursday, officials said.",
                      "North Wire"))
    day_after = query.members(store, "mercosur", as_of="2026-03-06")
    assert day_after.ids("announced") == ["NOR"] and day_after.ids() == []
    [entry] = day_after.announced
    assert entry.unconfirmed and entry.note == "announced for 2026-03-05, unconfirmed"

    ingest(store, doc("a2", "2026-03-05", "Norway joined the Mercosur trade bloc on Thursday, the foreign "
                                          "ministry said.", "South Post"))
    now = query.members(store, "mercosur", as_of="2026-03-06")
    assert now.ids() == ["NOR"] and now.announced == []
    f = fact_of(store, "NOR", "mercosur")
    assert (f.status, f.valid_from, f.reported) == ("member", "2026-03-05", date(2026, 3, 5))
    assert [(s["status"], s["date"], s["due"], s["reported"]) for s in f.steps] == [
        ("announced", "2026-03-02", "2026-03-05", "2026-03-02"), ("member", "2026-03-05", None, "2026-03-05")]
    assert f.conflicts == [] and f.contradicting == [] and f.sources == 1
    # What was known before the confirmation is still there, bitemporally.
    before = query.members(store, "mercosur", as_of="2026-03-06", known_on="2026-03-04")
    assert before.ids("announced") == ["NOR"] and before.announced[0].unconfirmed
    assert before.to_dict()["known_on"] == "2026-03-04"
    # Valid time before the join, known now: it had been announced, not done.
    eve = query.members(store, "mercosur", as_of="2026-03-04")
    assert eve.ids() == [] and eve.ids("announced") == ["NOR"] and not eve.announced[0].unconfirmed


def test_two_outlets_disagree_on_status(store):
    ingest(store,
           doc("b1", "2024-01-03", "Saudi Arabia joined the BRICS group on January 1, the state news agency "
                                   "reported.", "Gulf Wire"),
           doc("b2", "2024-01-10", "Saudi Arabia has been invited to join BRICS but has not yet decided, "
                                   "officials said.", "Desert Daily"))
    f = fact_of(store, "SAU", "brics")
    assert (f.status, f.valid_from) == ("member", "2024-01-01")
    [c] = f.conflicts
    assert c["kind"] == "status"
    assert [s["claim"] for s in c["sides"]] == ["member from 2024-01-01", "invited only"]
    assert [s["outlets"] for s in c["sides"]] == [["Gulf Wire"], ["Desert Daily"]]
    assert c["sides"][1]["evidence"]["text"].startswith("Saudi Arabia has been invited")
    assert f.contradicting == c["sides"][1]["assertions"]
    # Disagreement costs confidence: the same report alone is surer.
    alone = fact_of(store, "SAU", "brics", known_on="2024-01-05")
    assert alone.conflicts == [] and alone.confidence > f.confidence
    entry = query.members(store, "brics", as_of="2024-02-01").members[0]
    assert entry.conflicts == ["status"] and entry.confidence == f.confidence


def test_outlets_disagree_on_date_and_more_sources_win(store):
    ingest(store,
           doc("e1", "2024-01-04", "Egypt joined BRICS on January 1, 2024, along with Ethiopia and Iran.", "Nile"),
           doc("e2", "2024-02-20", "Egypt became a member of BRICS in February 2024, the ministry said.", "Delta"))
    f = fact_of(store, "EGY", "brics")
    [c] = f.conflicts
    assert c["kind"] == "date" and c["field"] == "valid_from"
    assert [s["date"] for s in c["sides"]] == ["2024-01-01", "2024-02"]  # one source each: the earlier holds
    assert f.valid_from == "2024-01-01"
    ingest(store, doc("e3", "2024-02-22", "Egypt joined BRICS in February 2024, diplomats said.", "Cairo Times"))
    f = fact_of(store, "EGY", "brics")
    [c] = f.conflicts
    assert f.valid_from == "2024-02" and [s["sources"] for s in c["sides"]] == [2, 1]
    assert c["sides"][0]["claim"] == "joined 2024-02"
    assert f.sources == 3


def test_withdrawal_announced_then_reversed(store):
    ingest(store,
           doc("c0", "2015-05-02", "Niger joined the African Union in 2002."),
           doc("c1", "2026-03-02", "Niger will withdraw from the African Union, the military government said "
                                   "on Monday."),
           doc("c2", "2026-03-20", "Niger has reversed its decision and will not leave the African Union, the "
                                   "foreign minister said."))
    mid = fact_of(store, "NER", "african-union", known_on="2026-03-10")
    assert (mid.status, mid.leaving) == ("member", "announced")
    r = query.members(store, "african-union", as_of="2026-03-10", known_on="2026-03-10")
    assert r.members[0].note == "exit announced"
    f = fact_of(store, "NER", "african-union")
    assert (f.status, f.leaving, f.valid_from) == ("member", None, "2002")
    assert [s["status"] for s in f.steps] == ["member", "leaving", "exit_reversed"]
    assert f.contradicting == []  # a reversal is a new step, not a disagreement
    assert query.members(store, "african-union", as_of="2026-04-01").members[0].note is None


WIRE = ("Kenya and Somalia restored full diplomatic relations on Monday after a year-long rift over a maritime "
        "boundary, the two foreign ministries said in a joint statement issued in Nairobi, which also announced "
        "the reopening of both embassies and the resumption of direct flights between the two capitals.")


def test_syndicated_story_counts_once(tmp_path, runner):
    from accords.cli import app

    corpus = tmp_path / "wire.jsonl"
    outlets = ["Wire One", "Coast Daily", "Horn Herald", "Lake Times", "Rift Post"]
    # Five reprints of one wire text: each with its own dateline or closing line, so none is an exact copy.
    rows = [{"id": f"copy{i}", "published": "2026-03-02", "outlet": outlet, "title": f"{outlet}: a rift ends",
             "text": (f"NAIROBI ({outlet}) - " if i % 2 else "") + WIRE + f" Additional reporting by {outlet}."}
            for i, outlet in enumerate(outlets)]
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    db = str(tmp_path / "wire.db")
    result = runner.invoke(app, ["ingest", str(corpus), "--db", db])
    assert result.exit_code == 0, result.output
    with open_store(db) as s:
        [f] = query.relations(s, "KEN", "SOM")
        assert (f.status, f.valid_from) == ("up", "2026-03-02")
        assert len(f.supporting) == 5 and f.sources == 1
        assert len(f.outlets) == 5
        one_story = f.confidence
    other = tmp_path / "other.txt"
    other.write_text("Somalia and Kenya restored diplomatic relations on Monday.\n", encoding="utf-8")
    result = runner.invoke(app, ["ingest", str(other), "--db", db, "--published", "2026-03-02"])
    assert result.exit_code == 0, result.output
    with open_store(db) as s:
        [f] = query.relations(s, "KEN", "SOM")
        assert len(f.supporting) == 6 and f.sources == 2 and f.confidence > one_story
