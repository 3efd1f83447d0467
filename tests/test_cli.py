"""The `accords` command, end to end with the real extractor and model, on short articles from conftest."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

from accords import __version__
from accords.cli import app

COMMANDS = ["extract", "ingest", "export", "eval", "members", "timeline", "relations", "summits", "country",
            "events", "demo"]


def invoke(runner, *args, input=None):
    return runner.invoke(app, [str(a) for a in args], input=input)


def records(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


@pytest.fixture
def stored(stored_db) -> str:
    return stored_db


def has_fact(recs, type_, subject, obj, status=None, date=None) -> bool:
    return any(r["type"] == type_ and r["subject"]["id"] == subject and r["object"]["id"] == obj
               and (status is None or r["status"] == status) and (date is None or r["date"] == date)
               for r in recs)


# -- help and version ------------------------------------------------------------------

def test_version(runner):
    result = invoke(runner, "--version")
    assert result.exit_code == 0 and result.stdout.strip() == f"accords {__version__}"


def test_help_lists_commands_and_exit_codes(runner):
    result = invoke(runner, "--help")
    assert result.exit_code == 0
    for name in COMMANDS:
        assert name in result.stdout
    assert "Exit codes" in result.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(runner, command):
    result = invoke(runner, command, "--help")
    assert result.exit_code == 0, result.output
    assert "Usage" in result.stdout and "Exit codes" in result.stdout


def test_python_dash_m_runs_the_cli():
    out = subprocess.run([sys.executable, "-m", "accords", "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == f"accords {__version__}"


# -- extract ---------------------------------------------------------------------------

def test_extract_prints_fact_records(runner, article_paths, articles, published, record_keys):
    result = invoke(runner, "extract", *article_paths, "--published", published)
    assert result.exit_code == 0, result.output
    recs = records(result.stdout)
    assert recs and all(record_keys <= set(r) for r in recs)
    assert has_fact(recs, "join", "NOR", "mercosur", "announced", "2026-03-02")
    assert has_fact(recs, "restore_relations", "CHL", "PER", "completed")
    assert {r["doc"] for r in recs} >= {"mercosur-norway", "chile-peru"}
    mercosur = next(r for r in recs if r["object"]["id"] == "mercosur")
    ev = mercosur["evidence"]
    assert ev["text"] == articles["mercosur-norway"][ev["start"]:ev["end"]]


def test_extract_keeps_non_ascii_as_is(runner, tmp_path):
    p = tmp_path / "t.txt"
    p.write_text("Türkiye joined NATO in 1952.", encoding="utf-8")
    result = invoke(runner, "extract", p)
    assert result.exit_code == 0
    assert "\\u" not in result.stdout


def test_extract_from_stdin(runner, articles, published):
    result = invoke(runner, "extract", "-", "--published", published, input=articles["mercosur-norway"])
    assert result.exit_code == 0, result.output
    assert has_fact(records(result.stdout), "join", "NOR", "mercosur", "announced")
    assert all(r["doc"] == "stdin" for r in records(result.stdout))


def test_extract_table(runner, article_paths, published):
    result = invoke(runner, "extract", *article_paths, "--published", published, "--format", "table")
    assert result.exit_code == 0
    assert "Mercosur" in result.stdout and "Norway" in result.stdout


def test_extract_reports_skipped_inputs_and_exits_3(runner, tmp_path, article_paths, published):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    result = invoke(runner, "extract", article_paths[0], empty, tmp_path / "missing.txt", "--published", published)
    assert result.exit_code == 3
    assert f"accords: skipped {empty}: empty file" in result.stderr
    assert f"accords: skipped {tmp_path / 'missing.txt'}: no such file" in result.stderr
    assert has_fact(records(result.stdout), "join", "NOR", "mercosur")


@pytest.mark.parametrize("value", ["2026-02-30", "yesterday", "2026-03"])
def test_bad_published_is_a_usage_error(runner, article_paths, value):
    result = invoke(runner, "extract", article_paths[0], "--published", value)
    assert result.exit_code == 2
    assert result.stderr.startswith("accords: --published:") and "Traceback" not in result.output


# -- ingest ----------------------------------------------------------------------------

def test_ingest_twice_adds_nothing_the_second_time(runner, article_paths, db_path, published):
    first = invoke(runner, "ingest", *article_paths, "--db", db_path, "--published", published)
    assert first.exit_code == 0, first.output
    assert first.stdout.startswith(f"ingested {len(article_paths)} documents (")
    n_facts = len(records(invoke(runner, "export", "--db", db_path).stdout))
    second = invoke(runner, "ingest", *article_paths, "--db", db_path, "--published", published)
    assert second.exit_code == 0
    assert second.stdout.strip() == f"ingested 0 documents (0 facts), {len(article_paths)} already stored, 0 skipped"
    assert len(records(invoke(runner, "export", "--db", db_path).stdout)) == n_facts


def test_bad_file_among_good_ones_exits_3_and_stores_the_good(runner, tmp_path, article_paths, db_path, published):
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x00\x01binary\x00")
    corpus = tmp_path / "extra.jsonl"
    corpus.write_text('{"id": "broken", "text": \n'
                      + json.dumps({"id": "ok-line", "text": "Norway joined NATO in 1949."}) + "\n", encoding="utf-8")
    result = invoke(runner, "ingest", article_paths[0], binary, corpus, article_paths[1], "--db", db_path,
                    "--published", published)
    assert result.exit_code == 3, result.output
    assert f"accords: skipped {binary}: binary file" in result.stderr
    assert f"accords: skipped {corpus}:1: not valid JSON" in result.stderr
    assert "ingested 3 documents" in result.stdout and "2 skipped" in result.stdout
    docs = {r["doc"] for r in records(invoke(runner, "export", "--db", db_path).stdout)}
    assert {"mercosur-norway", "chile-peru", "ok-line"} <= docs


def test_ingest_corpus_keeps_outlet_and_date(runner, corpus_path, db_path, published):
    assert invoke(runner, "ingest", corpus_path, "--db", db_path).exit_code == 0
    recs = records(invoke(runner, "export", "--db", db_path).stdout)
    mercosur = next(r for r in recs if r["object"]["id"] == "mercosur")
    assert mercosur["outlet"] == "Test Wire" and mercosur["published"] == published and "id" in mercosur


# -- queries -----------------------------------------------------------------------------

def test_members_as_of_gives_sections_in_json(runner, stored):
    result = invoke(runner, "members", "NATO", "--as-of", "2024-01-01", "--db", stored, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) >= {"body", "as_of", "members", "announced", "prospective", "former", "negated"}
    assert data["body"]["id"] == "nato" and data["as_of"] == "2024-01-01"
    assert {e["member"]["id"] for e in data["members"]} == {"FIN", "NOR"}  # Sweden only from March 2024
    later = json.loads(invoke(runner, "members", "nato", "--as-of", "2025", "--db", stored, "-f", "json").stdout)
    assert {e["member"]["id"] for e in later["members"]} == {"FIN", "NOR", "SWE"}


def test_members_announced(runner, stored):
    data = json.loads(invoke(runner, "members", "Mercosur", "--as-of", "2026-03-05", "--db", stored,
                             "-f", "json").stdout)
    assert [e["member"]["id"] for e in data["announced"]] == ["NOR"]
    assert not data["members"]


def test_members_table_and_csv(runner, stored):
    table = invoke(runner, "members", "NATO", "--as-of", "2025-01-01", "--db", stored)
    assert table.exit_code == 0 and "Finland" in table.stdout and "Sweden joined NATO" in table.stdout
    rows = list(csv.DictReader(io.StringIO(invoke(runner, "members", "NATO", "--as-of", "2025-01-01",
                                                  "--db", stored, "-f", "csv").stdout)))
    assert {(r["section"], r["member_id"]) for r in rows} >= {("members", "FIN"), ("members", "SWE")}


def test_unknown_name_exits_2_with_a_suggestion(runner, stored):
    result = invoke(runner, "members", "Mercosr", "--db", stored)
    assert result.exit_code == 2
    assert result.stderr.startswith("accords: unknown name 'Mercosr'. Did you mean: Mercosur")
    assert "Traceback" not in result.output


def test_wrong_kind_of_name_is_a_usage_error(runner, stored):
    assert invoke(runner, "members", "Norway", "--db", stored).exit_code == 2
    assert invoke(runner, "relations", "NATO", "--db", stored).exit_code == 2


def test_bad_as_of_is_a_usage_error(runner, stored):
    result = invoke(runner, "members", "NATO", "--as-of", "07/11/2025", "--db", stored)
    assert result.exit_code == 2 and "not a date" in result.stderr


def test_missing_database_fails_clearly(runner, tmp_path):
    result = invoke(runner, "members", "NATO", "--db", tmp_path / "none.db")
    assert result.exit_code == 1 and "no database at" in result.stderr
    assert not (tmp_path / "none.db").exists()


def test_relations_by_alias_and_pair(runner, stored):
    data = json.loads(invoke(runner, "relations", "Peru", "--db", stored, "-f", "json").stdout)
    assert any({f["a"]["id"], f["b"]["id"]} == {"CHL", "PER"} and f["status"] == "up" for f in data)
    pair = invoke(runner, "relations", "ECU", "Mexico", "--db", stored, "-f", "json")
    assert pair.exit_code == 0 and all({f["a"]["id"], f["b"]["id"]} == {"ECU", "MEX"} for f in json.loads(pair.stdout))
    assert "Chile" in invoke(runner, "relations", "Chile", "--db", stored).stdout


def test_timeline_country_events_summits(runner, stored, record_keys):
    tl = json.loads(invoke(runner, "timeline", "NATO", "--db", stored, "-f", "json").stdout)
    assert [e["subject"]["id"] for e in tl if e["type"] == "join"][:3] == ["NOR", "FIN", "SWE"]
    country = json.loads(invoke(runner, "country", "Norway", "--db", stored, "-f", "json").stdout)
    assert country["country"]["id"] == "NOR"
    assert {m["body"]["id"] for m in country["memberships"]} >= {"nato", "mercosur"}
    events = json.loads(invoke(runner, "events", "--type", "join", "--since", "2023", "--body", "NATO",
                               "--db", stored, "-f", "json").stdout)
    assert {e["subject"]["id"] for e in events} == {"FIN", "SWE"}
    assert all(record_keys <= set(e) for e in events)
    cut = json.loads(invoke(runner, "events", "--country", "Ecuador", "--status", "completed", "--db", stored,
                            "-f", "json").stdout)
    assert [e["type"] for e in cut] == ["cut_relations"]
    summits = invoke(runner, "summits", "--db", stored, "-f", "json")
    assert summits.exit_code == 0 and isinstance(json.loads(summits.stdout), list)
    for command in (["timeline", "NATO"], ["country", "Norway"], ["events"], ["summits"]):
        for fmt in ("table", "csv"):
            assert invoke(runner, *command, "--db", stored, "-f", fmt).exit_code == 0


# -- export ----------------------------------------------------------------------------------

def test_export_jsonl_and_csv(runner, stored, tmp_path, record_keys):
    recs = records(invoke(runner, "export", "--db", stored).stdout)
    assert recs and all(record_keys | {"id", "published", "outlet"} <= set(r) for r in recs)
    out = tmp_path / "facts.csv"
    result = invoke(runner, "export", out, "--db", stored, "--format", "csv")
    assert result.exit_code == 0 and f"wrote {len(recs)} fact records" in result.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == len(recs)
    assert {"id", "doc", "type", "subject_id", "object_id", "status", "date", "evidence_text"} <= set(rows[0])
    assert any(r["type"] == "join" and r["subject_id"] == "NOR" and r["object_id"] == "mercosur" for r in rows)


# -- eval ------------------------------------------------------------------------------------

def test_eval_prints_precision(runner, tmp_path, articles, published):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({
        "id": "g1", "text": articles["nato-history"], "published": published, "title": "NATO",
        "gold": [{"type": "join", "subject": "Finland", "object": "NATO", "date": "2023-04", "status": "completed",
                  "evidence": "Finland joined NATO in April 2023."},
                 {"type": "join", "subject": "Denmark", "object": "NATO", "date": "1949", "status": "completed",
                  "evidence": "(a deliberate miss)"}],
    }) + "\n", encoding="utf-8")
    result = invoke(runner, "eval", gold)
    assert result.exit_code == 0, result.output
    assert "precision" in result.stdout and "recall" in result.stdout
    explained = invoke(runner, "eval", gold, "--explain")
    assert "== misses" in explained.stdout and "Denmark" in explained.stdout
    data = json.loads(invoke(runner, "eval", gold, "--format", "json").stdout)
    assert data["documents"] == 1 and data["tp"] >= 1 and data["fn"] >= 1 and "misses" not in data


def test_eval_bad_gold_fails_clearly(runner, tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text("{not json\n", encoding="utf-8")
    result = invoke(runner, "eval", gold)
    assert result.exit_code == 1 and "not valid JSON" in result.stderr and "Traceback" not in result.output
    assert invoke(runner, "eval", tmp_path / "missing.jsonl").exit_code == 2


# -- demo --------------------------------------------------------------------------------------

def test_demo_with_a_given_article(runner, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Kazakhstan will join the Abraham Accords on Thursday. Israel and Kazakhstan have "
                       "maintained diplomatic relations since 1992.", encoding="utf-8")
    result = invoke(runner, "demo", article, "--published", "2025-11-06", "--db", tmp_path / "demo.db")
    assert result.exit_code == 0, result.output
    assert "ingested 1 documents" in result.stdout and "Abraham Accords" in result.stdout


def test_demo_on_the_example_article(runner, tmp_path):
    from accords.cli import demo_article

    if not demo_article().is_file():
        pytest.skip(f"no example article at {demo_article()}")
    result = invoke(runner, "demo", "--db", ":memory:")
    assert result.exit_code == 0, result.output
    assert "Kazakhstan" in result.stdout and "Relations of Israel" in result.stdout


def test_demo_without_the_article_says_how_to_pass_one(runner, tmp_path):
    result = invoke(runner, "demo", tmp_path / "nope.txt")
    assert result.exit_code == 2 and "accords demo PATH/TO/ARTICLE.txt" in result.stderr
