"""`accords ingest`, `extract`, `stories` and `watch` on real-world inputs served by a local HTTP server."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from accords.cli import app
from tests.fixtures.server import FixtureServer

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def server():
    srv = FixtureServer().start()
    yield srv
    srv.stop()


def lines(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def url_list(tmp_path: Path, server, paths: list[str]) -> Path:
    p = tmp_path / "urls.txt"
    p.write_text("# pages to read\n" + "\n".join(server.url(x) for x in paths) + "\n\nnot-a-url\n", encoding="utf-8")
    return p


def test_ingest_urls_reports_each_skip_with_its_reason_and_a_rerun_fetches_nothing(runner, tmp_path, db_path,
                                                                                   server):
    urls = url_list(tmp_path, server, ["/pages/chile-peru-planet.html", "/redirect", "/missing", "/image.png",
                                       "/pages/ecuador-mexico-time.html", "/text"])
    errors = tmp_path / "errors.jsonl"
    result = runner.invoke(app, ["ingest", "--urls", str(urls), "--db", db_path, "--allow-private",
                                 "--errors", str(errors)])
    assert result.exit_code == 3, result.output
    out = result.stdout.splitlines()
    # /redirect lands on the page already read: the same content, stored once
    assert out[0] == "ingested 3 documents (3 facts), 1 already stored, 3 skipped", result.output
    assert out[1] == "skipped: 1 http-status, 1 content-type, 1 bad-url"
    got = {(e["reason"], e.get("status")) for e in lines(errors)}
    assert got == {("http-status", 404), ("content-type", 200), ("bad-url", None)}
    assert "accords: skipped " + server.url("/missing") + ": HTTP 404 Not Found" in result.stderr

    hits = dict(server.hits)
    again = runner.invoke(app, ["ingest", "--urls", str(urls), "--db", db_path, "--allow-private"])
    # stored pages are not fetched again; /redirect is (its content was stored under the page's own URL),
    # and so are the failures, which may work this time
    assert again.stdout.splitlines()[:2] == ["ingested 0 documents (0 facts), 1 already stored, 3 skipped",
                                            "read 1 documents: 3 URLs already stored, not fetched again"]
    assert server.hits["/pages/ecuador-mexico-time.html"] == hits["/pages/ecuador-mexico-time.html"]
    assert server.hits["/text"] == hits["/text"]
    assert server.hits["/missing"] == hits["/missing"] + 1

    from accords.store import open_store

    with open_store(db_path) as store:
        stored = {d.document.url: d.document for d in store.documents()}
    page = stored[server.url("/pages/chile-peru-planet.html")]
    assert (page.outlet, page.published_source, page.source) == ("The Daily Planet", "metadata",
                                                                 server.url("/pages/chile-peru-planet.html"))
    import sqlite3

    with sqlite3.connect(db_path) as conn:  # the byline, in documents.author (migration 6)
        assert conn.execute("SELECT author FROM documents WHERE id = ?", (page.id,)).fetchone() == ("Lucia Ferreyra",)


def test_private_addresses_are_refused_without_allow_private(runner, tmp_path, db_path, server):
    errors = tmp_path / "errors.jsonl"
    before = sum(server.hits.values())
    result = runner.invoke(app, ["ingest", server.url("/text"), "--db", db_path, "--errors", str(errors)])
    assert result.exit_code == 3
    [err] = lines(errors)
    assert err["reason"] == "private-address" and "--allow-private" in err["message"]
    assert sum(server.hits.values()) == before  # refused before connecting


def test_a_feed_url_fetches_the_page_of_each_entry(runner, tmp_path, db_path, server):
    result = runner.invoke(app, ["ingest", server.url("/feeds/world.rss"), "--db", db_path, "--allow-private"])
    assert result.exit_code == 3, result.output  # the photo gallery's page is not on the server
    assert result.stdout.startswith("ingested 2 documents")
    assert server.url("/pictures/oruro") + ": HTTP 404" in result.stderr
    from accords.store import open_store

    with open_store(db_path) as store:
        docs = {d.document.title: d.document for d in store.documents()}
    chile = docs["Chile and Peru restore diplomatic ties after trade row"]
    # the page itself was read (its full text and metadata), not the feed's short content
    assert "Trade ministers from both countries" in chile.text and chile.published_source == "metadata"


def test_a_gdelt_export_fetches_each_source_url_once(runner, tmp_path, db_path, server):
    def row(event_id: int, path: str) -> str:
        return "\t".join([str(event_id), "20260227"] + [""] * 57 + ["20260228101500", server.url(path)])

    export = tmp_path / "20260228101500.export.CSV"
    export.write_text("\n".join([row(1, "/pages/ecuador-mexico-time.html"), row(2, "/pages/ecuador-mexico-time.html"),
                                 row(3, "/pages/norway-mercosur-ldjson.html")]) + "\n", encoding="utf-8")
    before = server.hits["/pages/ecuador-mexico-time.html"]
    result = runner.invoke(app, ["ingest", str(export), "--db", db_path, "--allow-private"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("ingested 2 documents")
    assert server.hits["/pages/ecuador-mexico-time.html"] - before == 1


def test_syndicated_copies_are_one_story_with_several_outlets(runner, db_path):
    result = runner.invoke(app, ["ingest", str(FIXTURES / "pages"), "--db", db_path])
    assert "2 syndicated copies grouped with an earlier story" in result.stdout, result.output
    stories = json.loads(runner.invoke(app, ["stories", "--db", db_path, "--format", "json"]).stdout)
    [story] = stories
    assert story["copies"] == 3
    assert story["outlets"] == ["Coastal Times", "Highland Herald", "Lakeside Gazette"]
    # the outlet's own reporting on the same event is another story
    one = json.loads(runner.invoke(app, ["stories", "kenya-somalia-own-reporting", "--db", db_path,
                                         "--format", "json"]).stdout)
    assert one[0]["copies"] == 1


def test_extract_reads_urls_and_corpus_columns(runner, tmp_path, server):
    result = runner.invoke(app, ["extract", server.url("/pages/ecuador-mexico-time.html"), "--allow-private"])
    assert result.exit_code == 0, result.output
    recs = [json.loads(x) for x in result.stdout.splitlines()]
    assert any(r["type"] == "cut_relations" and r["date"] == "2026-02-27" for r in recs)

    corpus = tmp_path / "c.csv"
    corpus.write_text("key,body,day\nk1,Chile and Peru restored diplomatic relations on Monday.,2026-03-02\n",
                      encoding="utf-8")
    result = runner.invoke(app, ["extract", str(corpus), "--text-col", "body", "--date-col", "day", "--id-col", "key"])
    [rec] = [json.loads(x) for x in result.stdout.splitlines()]
    assert (rec["doc"], rec["date"]) == ("k1", "2026-03-02")


def test_no_input_at_all_is_a_usage_error(runner):
    result = runner.invoke(app, ["ingest"])
    assert result.exit_code == 2 and "--urls FILE" in result.stderr


def feed(*items: tuple[str, str]) -> bytes:
    entries = "".join(f"<item><title>{t}</title><link>https://courier.example{p}</link>"
                      f"<pubDate>Mon, 02 Mar 2026 08:00:00 +0100</pubDate></item>" for p, t in items)
    return f"<?xml version='1.0'?><rss version='2.0'><channel><title>Courier</title>{entries}</channel></rss>".encode()


def test_watch_prints_each_fact_that_changes_and_nothing_twice(runner, tmp_path, db_path, server):
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(server.url("/dynamic.xml") + "\n", encoding="utf-8")
    args = ["watch", str(feeds), "--rounds", "1", "--db", db_path, "--allow-private"]

    server.feed = feed(("/pages/norway-mercosur-ldjson.html", "Norway to join Mercosur"))
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    changes = [json.loads(x) for x in first.stdout.splitlines()]
    [join] = [c for c in changes if c["kind"] == "membership" and c["key"] == "NOR|mercosur"]
    assert (join["change"], join["status"], join["previous"]) == ("new", "announced", None)

    # unchanged feed: a 304, nothing fetched, nothing printed
    fetched = server.hits["/pages/norway-mercosur-ldjson.html"]
    again = runner.invoke(app, args)
    assert again.exit_code == 0 and again.stdout == ""
    assert server.hits["/pages/norway-mercosur-ldjson.html"] == fetched

    # a new entry: Norway has now joined, and Ecuador cut its relations with Mexico
    server.feed = feed(("/pages/norway-mercosur-joined.html", "Norway completes Mercosur entry"),
                       ("/pages/norway-mercosur-ldjson.html", "Norway to join Mercosur"),
                       ("/pages/ecuador-mexico-time.html", "Ecuador cuts ties"))
    third = runner.invoke(app, args + ["--format", "text"])
    assert third.exit_code == 0, third.output
    out = third.stdout.splitlines()
    assert any("changed membership: Norway in Mercosur: announced -> member" in x for x in out), out
    assert any("new relation: relations Ecuador – Mexico: down" in x for x in out), out
    assert server.hits["/pages/norway-mercosur-ldjson.html"] == fetched  # stored: not fetched again


def test_watch_needs_a_duration_it_understands(runner, tmp_path):
    feeds = tmp_path / "feeds.txt"
    feeds.write_text("https://news.example/feed.xml\n", encoding="utf-8")
    result = runner.invoke(app, ["watch", str(feeds), "--every", "soon"])
    assert result.exit_code == 2 and "not a duration" in result.stderr


def test_an_unchanged_feed_costs_one_conditional_request(server):
    from accords.sources.fetch import FetchOptions
    from accords.sources.ingest import Reader, ReadOptions

    server.feed = feed(("/pages/ecuador-mexico-time.html", "Ecuador cuts ties"))
    reader = Reader(ReadOptions(fetch=FetchOptions(allow_private=True, per_host_interval=0)))
    try:
        first = list(reader.refresh([server.url("/dynamic.xml")]))
        before = server.answers[("/dynamic.xml", 304)]
        second = list(reader.refresh([server.url("/dynamic.xml")]))
    finally:
        reader.close()
    assert [d.title for d in first] == ["Ecuador cuts ties with Mexico"] and second == []
    assert server.answers[("/dynamic.xml", 304)] == before + 1
