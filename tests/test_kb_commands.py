"""accords conflicts, changes (lines, JSON, Atom) and explain, over a store filled from sentences written for
these tests through the real extractor."""
from __future__ import annotations

import json

import feedparser
import pytest

from accords.cli import app
from accords.kb import changes as kch
from accords.kb import conflicts as kc
from accords.kb.explain import explain
from accords.reference import gazetteer
from accords.store import open_store
from tests.kb_helpers import doc, ingest

ARTICLES = [
    doc("b1", "2024-01-03", "Saudi Arabia joined the BRICS group on January 1, the state news agency reported.",
        "Gulf Wire", "https://gulf.example/sa-brics"),
    doc("b2", "2024-01-10", "Saudi Arabia has been invited to join BRICS but has not yet decided, officials said.",
        "Desert Daily"),
    doc("e1", "2024-01-04", "Egypt joined BRICS on January 1, 2024, along with Ethiopia and Iran.", "Nile"),
    doc("e2", "2024-02-20", "Egypt became a member of BRICS in February 2024, the ministry said.", "Delta"),
    doc("n1", "2026-03-02", "Norway will join the Mercosur trade bloc on Thursday, officials said.", "North Wire"),
    doc("n2", "2026-03-05", "Norway joined the Mercosur trade bloc on Thursday, the foreign ministry said.",
        "South Post", "https://south.example/norway"),
    doc("r1", "2026-03-02", "Chile and Bolivia restored diplomatic relations on Monday.", "Andes"),
    doc("h1", "2026-03-03", "The Abraham Accords were first signed in September 2020 by Israel, the UAE and Bahrain.",
        "Archive Desk"),
]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("kb") / "kb.db")
    with open_store(path) as s:
        ingest(s, *ARTICLES)
    return path


def run(runner, *args):
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_conflicts_library_and_filters(db):
    with open_store(db) as s:
        found = kc.conflicts(s)
        assert [(c.subject.id, c.object.id, c.kind) for c in found] == [("EGY", "brics", "date"),
                                                                       ("SAU", "brics", "status")]
        assert kc.conflicts(s, kind="status")[0].subject.id == "SAU"
        assert kc.conflicts(s, body="mercosur") == []
        assert [c.kind for c in kc.conflicts(s, country="EGY")] == ["date"]
        assert kc.conflicts(s, known_on="2024-01-05") == []  # the dissenting reports came later


def test_conflicts_command_side_by_side(db, runner):
    out = run(runner, "conflicts", "--db", db)
    assert "2 disagreements between sources" in out
    assert "invited only" in out and "Desert Daily" in out and "Gulf Wire" in out
    data = json.loads(run(runner, "conflicts", "--db", db, "--kind", "date", "-f", "json"))
    [c] = data
    assert c["subject"]["id"] == "EGY" and [s["date"] for s in c["sides"]] == ["2024-01-01", "2024-02"]
    csv_out = run(runner, "conflicts", "--db", db, "--country", "Saudi Arabia", "-f", "csv")
    assert csv_out.splitlines()[0].startswith("kind,field,subject") and len(csv_out.splitlines()) == 3
    bad = runner.invoke(app, ["conflicts", "--db", db, "--kind", "colour"])
    assert bad.exit_code == 2


def test_changes_since_and_kinds(db):
    with open_store(db) as s:
        found = kch.changes(s, since="2026-03-01")
        assert [(c.reported.isoformat(), c.kind, c.subject.id) for c in found] == [
            ("2026-03-02", "relations_restored", "BOL"), ("2026-03-02", "announced", "NOR"),
            ("2026-03-05", "joined", "NOR")]
        assert found[1].due == "2026-03-05" and found[1].title == "Norway to join Mercosur on 2026-03-05"
        # Background (signed in 2020, first read in 2026) only when asked for.
        back = kch.changes(s, since="2026-03-01", background=True)
        assert {c.subject.id for c in back if c.background} == {"ARE", "BHR", "ISR"}
        assert [c.kind for c in kch.changes(s, since="2026-03-01", until="2026-03-04")] == [
            "relations_restored", "announced"]
        assert [c.subject.id for c in kch.changes(s, since="2024-01-01", body="brics")] == ["SAU", "EGY"]
        assert [c.kind for c in kch.changes(s, since="2026-01-01", country="CHL")] == ["relations_restored"]
        assert kch.changes(s, since="2026-01-01", kinds=["joined"])[0].subject.id == "NOR"


def test_changes_lines_json_and_atom(db, runner):
    lines = run(runner, "changes", "--since", "2026-03-01", "--db", db).splitlines()
    assert len(lines) == 3 and lines[2].startswith("2026-03-05  joined") and "South Post" in lines[2]
    data = json.loads(run(runner, "changes", "--since", "2026-03-01", "--db", db, "-f", "json"))
    assert [c["kind"] for c in data] == ["relations_restored", "announced", "joined"]
    atom = run(runner, "changes", "--since", "2026-03-01", "--db", db, "-f", "atom", "--body", "Mercosur")
    feed = feedparser.parse(atom)
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title == "accords: changes in Mercosur since 2026-03-01"
    assert [e.title for e in feed.entries] == ["Norway joined Mercosur (2026-03-05)",
                                               "Norway to join Mercosur on 2026-03-05"]
    assert feed.entries[0].link == "https://south.example/norway"
    assert feed.entries[0].updated.startswith("2026-03-05") and feed.entries[0].tags[0].term == "joined"
    # Entry ids depend only on what changed: a reader sees each change once, whatever the run.
    again = feedparser.parse(run(runner, "changes", "--since", "2026-01-01", "--db", db, "-f", "atom"))
    assert {e.id for e in feed.entries} <= {e.id for e in again.entries}
    empty = runner.invoke(app, ["changes", "--since", "2030-01-01", "--db", db])
    assert empty.exit_code == 0 and empty.stdout == "" and "no changes reported since 2030-01-01" in empty.stderr


def test_explain_cites_each_article(db, runner):
    with open_store(db) as s:
        g = gazetteer()
        e = explain(s, g.resolve("Saudi Arabia"), g.resolve("BRICS"), as_of="2024-02-01")
    text = e.text()
    assert text.startswith("As of 2024-02-01, accords holds that Saudi Arabia has been a member of BRICS since "
                           "2024-01-01.")
    assert "but 1 statement contradicts it" in text and "Sources disagree on the status" in text
    assert "invited only" in text and "[2] Desert Daily, 2024-01-10" in text
    assert "[1] Gulf Wire, 2024-01-03, \u201cSaudi Arabia joins BRICS\u201d" not in text  # no title stored
    assert [c["outlet"] for c in e.citations] == ["Gulf Wire", "Desert Daily"]
    out = run(runner, "explain", "Norway", "Mercosur", "--db", db, "--as-of", "2026-03-06")
    assert "Norway has been a member of Mercosur since 2026-03-05" in out
    assert "1. announced, due 2026-03-05; first reported 2026-03-02" in out
    assert "2. became a member, taking effect 2026-03-05" in out and "https://south.example/norway" in out
    before = run(runner, "explain", "Norway", "Mercosur", "--db", db, "--as-of", "2026-03-06",
                 "--known-on", "2026-03-04")
    assert "has been announced for 2026-03-05, but no article has confirmed it happened, as known on 2026-03-04" \
        in before
    pair = json.loads(run(runner, "explain", "Chile", "Bolivia", "--db", db, "-f", "json"))
    assert "Bolivia and Chile have diplomatic relations since 2026-03-02" in pair["summary"]
    nothing = run(runner, "explain", "Chile", "NATO", "--db", db)
    assert "accords knows nothing about Chile and NATO" in nothing
