"""Shared fixtures: short news-style articles written for these tests, a database path, a CLI runner."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

PUBLISHED = "2026-03-02"  # a Monday: "on Monday" in the articles is this day

# Plain, clearly worded articles (made up for the tests); published on PUBLISHED.
ARTICLES = {
    "mercosur-norway": (
        "Norway will join the Mercosur trade bloc on Monday, officials said. "
        "The decision follows two years of talks, and trade ministers welcomed the step."
    ),
    "chile-peru": (
        "Chile and Peru restored diplomatic relations on Monday. "
        "The two governments had been at odds for months over border trade."
    ),
    "nato-history": (
        "Finland joined NATO in April 2023. Sweden joined NATO in March 2024. "
        "Norway joined NATO in 1949."
    ),
    "ecuador-mexico": "Ecuador cut diplomatic relations with Mexico on Friday, the foreign ministry said.",
}

RECORD_KEYS = {"doc", "type", "subject", "object", "participants", "date", "date_precision", "date_text",
               "status", "evidence", "confidence", "codes", "extractor"}


@pytest.fixture(scope="session")
def articles() -> dict[str, str]:
    return dict(ARTICLES)


@pytest.fixture(scope="session")
def published() -> str:
    return PUBLISHED


@pytest.fixture(scope="session")
def record_keys() -> set[str]:
    """The keys of the public fact record (DESIGN.md)."""
    return set(RECORD_KEYS)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def db_path(tmp_path: Path) -> str:
    return str(tmp_path / "accords.db")


def write_articles(folder: Path, names: list[str] | None = None) -> list[str]:
    """The articles as .txt files in `folder`; their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in names or list(ARTICLES):
        path = folder / f"{name}.txt"
        path.write_text(ARTICLES[name] + "\n", encoding="utf-8")
        paths.append(str(path))
    return paths


@pytest.fixture
def article_paths(tmp_path: Path) -> list[str]:
    return write_articles(tmp_path / "articles")


@pytest.fixture(scope="session")
def stored_db(tmp_path_factory) -> str:
    """A database with all the articles ingested through the CLI (once per test session)."""
    from accords.cli import app

    folder = tmp_path_factory.mktemp("stored")
    paths = write_articles(folder / "articles")
    db = str(folder / "accords.db")
    result = CliRunner().invoke(app, ["ingest", *paths, "--db", db, "--published", PUBLISHED])
    assert result.exit_code == 0, result.output
    return db


@pytest.fixture
def corpus_path(tmp_path: Path) -> str:
    """The articles as one JSONL corpus with ids, dates and outlets."""
    path = tmp_path / "corpus.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for name, text in ARTICLES.items():
            fh.write(json.dumps({"id": name, "text": text, "published": PUBLISHED, "outlet": "Test Wire"}) + "\n")
    return str(path)
