"""accords reference import | list | diff: curated membership data (made up for these tests, in the shapes of a
Wikidata export, a Correlates of War state-year file and an ATOP member file) against news read by the real
extractor."""
from __future__ import annotations

import json

import pytest

from accords.cli import app
from accords.kb import reference
from accords.kb.explain import explain
from accords.reference import gazetteer
from accords.store import open_store
from tests.kb_helpers import doc, ingest

NEWS = [
    doc("b1", "2024-01-03", "Saudi Arabia joined the BRICS group on January 1, the state news agency reported.",
        "Gulf Wire"),
    doc("e1", "2024-01-04", "Egypt joined BRICS on January 1, 2024, along with Ethiopia and Iran.", "Nile"),
    doc("k1", "2025-06-02", "Brazil has been a member of BRICS since 2009, the foreign minister said.", "Rio Post"),
    doc("m1", "2026-03-02", "Norway will join the Mercosur trade bloc on Thursday, officials said.", "North Wire"),
]

# A Wikidata query export: entity URIs, labels, dates as timestamps; the body is given on the command line.
WIKIDATA = """country,countryLabel,start,end,reference
http://www.wikidata.org/entity/Q155,Brazil,2009-06-16T00:00:00Z,,https://example.org/brics-1
http://www.wikidata.org/entity/Q79,Egypt,2024-02-01T00:00:00Z,,
http://www.wikidata.org/entity/Q115,Ethiopia,2024-01-01T00:00:00Z,,
http://www.wikidata.org/entity/Q115,Ethiopia,2024-01-01T00:00:00Z,,
http://www.wikidata.org/entity/Q999,Atlantis,2024-01-01T00:00:00Z,,
"""


@pytest.fixture
def db(tmp_path):
    path = str(tmp_path / "ref.db")
    with open_store(path) as s:
        ingest(s, *NEWS)
    return path


def test_import_wikidata_export(db, tmp_path, runner):
    csv_path = tmp_path / "brics-wikidata.csv"
    csv_path.write_text(WIKIDATA, encoding="utf-8")
    result = runner.invoke(app, ["reference", "import", str(csv_path), "--organization", "BRICS", "--db", db])
    assert result.exit_code == 3, result.output  # one row skipped: reported, the others imported
    assert "imported 3 memberships into dataset 'brics-wikidata' (long) from 5 rows, 1 skipped" in result.stdout
    assert "brics-wikidata.csv:6: skipped: member not known: 'Atlantis'" in result.stderr
    with open_store(db) as s:
        got = {(r.member.id, r.joined, r.left, r.source) for r in reference.rows(s, dataset="brics-wikidata")}
    # 1 January is how Wikidata writes a bare year: read as the year; repeated rows are stored once.
    assert got == {("BRA", "2009-06-16", None, "https://example.org/brics-1"), ("EGY", "2024-02-01", None, None),
                   ("ETH", "2024", None, None)}
    listed = json.loads(runner.invoke(app, ["reference", "list", "--db", db, "-f", "json"]).stdout)
    assert listed[0]["dataset"] == "brics-wikidata" and listed[0]["rows"] == 3
    # Importing again replaces the dataset.
    csv_path.write_text("organization,member,joined\nBRICS,Brazil,2009\n", encoding="utf-8")
    again = runner.invoke(app, ["reference", "import", str(csv_path), "--db", db])
    assert again.exit_code == 0, again.output
    with open_store(db) as s:
        assert [(r.member.id, r.joined) for r in reference.rows(s)] == [("BRA", "2009")]


def test_diff_news_against_a_disagreeing_reference(db, tmp_path, runner):
    csv_path = tmp_path / "brics.csv"
    csv_path.write_text(WIKIDATA, encoding="utf-8")
    with open_store(db) as s:
        reference.import_csv(s, csv_path, dataset="wd", organization="BRICS")
        found = reference.diff(s)
        assert [(d.kind, d.member.id) for d in found] == [("news_only", "SAU"), ("reference_only", "ETH"),
                                                          ("joined_date", "EGY")]
        egypt = found[2]
        assert egypt.news["valid_from"] == "2024-01-01" and egypt.reference["joined"] == "2024-02-01"
        assert "the reference lacks it" in found[0].note and found[0].news["sources"] == 1
        # Brazil: "since 2009" in the news, 2009-06-16 in the reference: the same year, no difference.
        assert "BRA" not in {d.member.id for d in found}
        # Before the news said anything about Saudi Arabia, there was nothing to disagree about.
        early = reference.diff(s, known_on="2024-01-02")
        assert ("news_only", "SAU") not in [(d.kind, d.member.id) for d in early]
        assert ("reference_only", "EGY") in [(d.kind, d.member.id) for d in early]
        # As of a date, only who was a member then is compared.
        on = reference.diff(s, as_of="2024-01-15")
        assert [(d.kind, d.member.id) for d in on] == [("news_only", "EGY"), ("news_only", "SAU"),
                                                       ("reference_only", "ETH")]
        assert [d.member.id for d in reference.diff(s, kinds=["reference_only"])] == ["ETH"]
        g = gazetteer()
        text = explain(s, g.resolve("Egypt"), g.resolve("BRICS")).text()
        assert "Curated reference data:\n  wd: joined 2024-02-01 — joined 2024-02-01 says the reference" in text
    out = runner.invoke(app, ["reference", "diff", "--db", db])
    assert out.exit_code == 0, out.output
    assert "3 differences between the news and the reference" in out.stdout
    data = json.loads(runner.invoke(app, ["reference", "diff", "--db", db, "-f", "json", "--kind",
                                          "news_only"]).stdout)
    assert [d["member"]["id"] for d in data] == ["SAU"]


def test_reference_members_the_news_only_announced(db, tmp_path):
    path = tmp_path / "mercosur.tsv"
    path.write_text("org\tiso3\tjoined\tleft\nMercosur\tNOR\t2026-03-05\t\nMercosur\tVEN\t2012-07-31\t2016-12-01\n",
                    encoding="utf-8")
    with open_store(db) as s:
        report = reference.import_csv(s, path)
        assert (report.dataset, report.imported, report.bodies) == ("mercosur", 2, {"mercosur": 2})
        found = reference.diff(s, body="mercosur")
    assert [(d.kind, d.member.id) for d in found] == [("reference_only", "VEN"), ("status", "NOR")]
    assert found[1].note == "the reference has it a member (joined 2026-03-05); the news only reports it announced"


def test_cow_state_year_format(db, tmp_path):
    # One row per state and year, one column per organization: 1 full member, 0 not, -9 missing.
    lines = ["ccode,year,state,NATO,ASEAN"]
    for year in range(1990, 1996):
        lines.append(f"375,{year},FIN,0,0")  # never a member
        lines.append(f"255,{year},GMY,1,0")  # member throughout: open at the file's end
        lines.append(f"850,{year},INS,0,{1 if year >= 1992 else 0}")
        lines.append(f"220,{year},FRN,{1 if year in (1990, 1991, 1994, 1995) else 0},0")  # out, then back
    lines.append("999,1995,XXX,1,0")
    path = tmp_path / "igo_state_year.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with open_store(db) as s:
        report = reference.import_csv(s, path, dataset="cow")
        assert report.format == "cow-state-year" and report.read == 25
        assert [reason for _, reason in report.skipped] == ["member not known: '999'"]
        got = [(r.body.id, r.member.id, r.joined, r.left) for r in reference.rows(s, dataset="cow")]
    assert got == [("asean", "IDN", "1992", None), ("nato", "DEU", "1990", None),
                   ("nato", "FRA", "1990", "1992"), ("nato", "FRA", "1994", None)]


def test_atop_style_member_file(db, tmp_path, runner):
    path = tmp_path / "atop_members.csv"
    path.write_text("atopid,member,yrent,moent,dayent,yrexit,moexit,dayexit\n"
                    "3180,2,1949,8,24,0,0,0\n3180,220,1949,8,24,0,0,0\n3180,260,1955,5,6,0,0,0\n"
                    "1010,200,1815,11,20,1822,-9,-9\n", encoding="utf-8")
    result = runner.invoke(app, ["reference", "import", str(path), "--db", db, "--name", "3180=NATO"])
    assert result.exit_code == 3 and "organization not known: '1010'" in result.stderr
    with open_store(db) as s:
        got = [(r.member.id, r.joined, r.left) for r in reference.rows(s, body="nato")]
    assert got == [("DEU", "1955-05-06", None), ("FRA", "1949-08-24", None), ("USA", "1949-08-24", None)]
    usage = runner.invoke(app, ["reference", "import", str(path), "--db", db, "--name", "3180"])
    assert usage.exit_code == 2 and "give VALUE=BODY" in usage.stderr


def test_bad_files(db, tmp_path, runner):
    missing = runner.invoke(app, ["reference", "import", str(tmp_path / "nope.csv"), "--db", db])
    assert missing.exit_code == 2 and "no file at" in missing.stderr
    no_org = tmp_path / "members.csv"
    no_org.write_text("member,joined\nBrazil,2009\n", encoding="utf-8")
    result = runner.invoke(app, ["reference", "import", str(no_org), "--db", db])
    assert result.exit_code == 1 and "--organization NAME" in result.stderr
    bad_date = tmp_path / "dates.csv"
    bad_date.write_text("organization,member,joined\nBRICS,Brazil,sometime\n", encoding="utf-8")
    result = runner.invoke(app, ["reference", "import", str(bad_date), "--db", db])
    assert result.exit_code == 3 and "joined date not understood: 'sometime'" in result.stderr
    with open_store(db) as s:
        with pytest.raises(Exception, match="import some first"):
            reference.diff(s, dataset="none-such")
