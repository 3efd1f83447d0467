"""`accords db migrate | stats | copy` through the CLI, on SQLite and (when configured) PostgreSQL."""
from __future__ import annotations

import json

import pytest

from accords.cli import app
from accords.store import open_store
from accords.store.migrations import LATEST, MIGRATIONS
from tests.test_postgres_store import pg_url, synthetic  # noqa: F401  (pg_url is a fixture)
from tests.test_store import doc, hill_assertions


@pytest.fixture
def laptop_db(tmp_path) -> str:
    path = str(tmp_path / "laptop.db")
    with open_store(path) as s:
        s.ingest(doc(), hill_assertions())
        s.ingest_many([synthetic(i) for i in range(5)])
    return path


def test_migrate_dry_run_then_apply_then_nothing_to_do(tmp_path, runner):
    db = str(tmp_path / "new.db")
    dry = runner.invoke(app, ["db", "migrate", "--db", db, "--dry-run"])
    assert dry.exit_code == 0 and f"{len(MIGRATIONS)} migrations would run, up to version {LATEST}" in dry.output
    assert not (tmp_path / "new.db").exists()  # a dry run creates nothing
    done = runner.invoke(app, ["db", "migrate", "--db", db])
    assert done.exit_code == 0 and f"migrated to schema version {LATEST}" in done.output
    assert all(f"  {n}  {d}" in done.output for n, d, _ in MIGRATIONS)
    again = runner.invoke(app, ["db", "migrate", "--db", db])
    assert again.exit_code == 0 and "up to date" in again.output
    assert "up to date" in runner.invoke(app, ["db", "migrate", "--db", db, "--dry-run"]).output


def test_stats_table_and_json(laptop_db, runner):
    result = runner.invoke(app, ["db", "stats", "--db", laptop_db, "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["backend"], data["documents"], data["assertions"]) == ("sqlite", 6, 19)
    assert data["schema_version"] == LATEST and data["size_bytes"] > 0
    assert data["bytes_per_assertion"] == round(data["size_bytes"] / 19)
    table = runner.invoke(app, ["db", "stats", "--db", laptop_db])
    assert table.exit_code == 0 and "bytes per assertion" in table.output and "sqlite" in table.output
    missing = runner.invoke(app, ["db", "stats", "--db", laptop_db + ".nope"])
    assert missing.exit_code == 1 and "no database" in missing.output


def _copy_and_check(runner, source: str, target: str) -> None:
    result = runner.invoke(app, ["db", "copy", "--from", source, "--to", target, "--batch-size", "4"])
    assert result.exit_code == 0, result.output
    assert "copied 6 documents" in result.output and "0 already there, 0 failed" in result.output
    with open_store(source) as a, open_store(target) as b:
        assert [sa.record() for sa in b.assertions()] == [sa.record() for sa in a.assertions()]
        assert [f.to_dict() for f in b.memberships()] == [f.to_dict() for f in a.memberships()]
    again = runner.invoke(app, ["db", "copy", "--from", source, "--to", target])
    assert again.exit_code == 0 and "copied 0 documents" in again.output and "6 already there" in again.output


def test_copy_sqlite_to_sqlite(laptop_db, tmp_path, runner):
    _copy_and_check(runner, laptop_db, f"sqlite:///{tmp_path / 'server.db'}")


@pytest.mark.postgres
def test_copy_sqlite_to_postgresql(laptop_db, pg_url, runner):  # noqa: F811
    _copy_and_check(runner, laptop_db, pg_url)
    stats = json.loads(runner.invoke(app, ["db", "stats", "--db", pg_url, "-f", "json"]).output)
    assert (stats["backend"], stats["documents"], stats["assertions"]) == ("postgresql", 6, 19)


def test_copy_usage_errors(laptop_db, tmp_path, runner):
    same = runner.invoke(app, ["db", "copy", "--from", laptop_db, "--to", laptop_db])
    assert same.exit_code == 2 and "same database" in same.output
    missing = runner.invoke(app, ["db", "copy", "--from", str(tmp_path / "none.db"), "--to", laptop_db])
    assert missing.exit_code == 1 and "no database" in missing.output
    assert runner.invoke(app, ["db", "copy", "--to", laptop_db]).exit_code == 2
