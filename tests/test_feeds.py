"""Feeds read from files: RSS 0.91, 1.0 and 2.0 and Atom, one document per entry; broken feeds reported."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from accords.model import Document
from accords.sources import InputWarning, read_paths
from accords.sources.feeds import fragment_text, parse_feed
from accords.sources.problems import reason_of

FEEDS = Path(__file__).parent / "fixtures" / "feeds"


def read(*paths) -> list:
    return list(read_paths([str(p) for p in paths]))


def docs(items) -> list[Document]:
    return [x for x in items if isinstance(x, Document)]


def test_rss2_entries_become_documents_from_their_full_content():
    items = read(FEEDS / "world.rss")
    chile, ecuador = docs(items)
    assert chile.text == ("Chile and Peru restored diplomatic relations on Monday, ending a months-long dispute "
                          "over border trade.\nThe two foreign ministers signed a joint declaration in Lima.")
    assert (chile.title, chile.outlet, chile.author) == ("Chile and Peru restore diplomatic ties after trade row",
                                                         "The Daily Planet - World", "Lucia Ferreyra")
    assert chile.url == "https://planet.example/pages/chile-peru-planet.html"
    # the day as the outlet wrote it (Monday evening in Lima is already Tuesday in UTC for the second entry)
    assert (chile.published, chile.published_source) == (date(2026, 3, 2), "feed")
    assert ecuador.published == date(2026, 2, 27)
    assert ecuador.text.startswith("Ecuador cut diplomatic relations")  # the summary, when there is no content
    [skip] = [x for x in items if not isinstance(x, Document)]  # the photo gallery has no text
    assert reason_of(skip) == "no-text" and skip.source == "https://planet.example/pictures/oruro"


def test_atom_entries_use_published_else_updated():
    norway, finland = docs(read(FEEDS / "europe.atom"))
    assert norway.published == date(2026, 3, 2) and norway.author == "Ingrid Dahl"
    assert finland.published == date(2026, 4, 4) and finland.text.startswith("Finland joined NATO")


def test_rss1_rdf_and_rss091_are_read():
    [kenya] = docs(read(FEEDS / "africa.rdf"))
    assert kenya.published == date(2026, 3, 3) and kenya.outlet == "Coastal Times"
    items = read(FEEDS / "old.rss")
    [ecuador] = docs(items)
    assert ecuador.published is None and ecuador.outlet == "Andean Post"
    [warning] = [x for x in items if isinstance(x, InputWarning)]
    assert reason_of(warning) == "no-date"


def test_a_truncated_feed_gives_the_entries_before_the_break(tmp_path: Path):
    data = (FEEDS / "world.rss").read_bytes()
    cut = data[: data.index(b"<title>Ecuador")]
    p = tmp_path / "cut.rss"
    p.write_bytes(cut)
    items = read(p)
    assert [d.title for d in docs(items)] == ["Chile and Peru restore diplomatic ties after trade row"]
    warning = [x for x in items if isinstance(x, InputWarning)][0]
    assert reason_of(warning) == "malformed" and "not well-formed" in warning.problem


def test_not_a_feed_is_skipped(tmp_path: Path):
    p = tmp_path / "notes.xml"
    p.write_text("<?xml version='1.0'?><notes><note>buy milk</note></notes>", encoding="utf-8")
    [err] = read(p)
    assert reason_of(err) == "not-html" and "not an RSS or Atom feed" in err.problem


def test_a_feed_without_entries_is_reported(tmp_path: Path):
    p = tmp_path / "empty.rss"
    p.write_text("<rss version='2.0'><channel><title>Quiet</title></channel></rss>", encoding="utf-8")
    [err] = read(p)
    assert reason_of(err) == "empty"


def test_entry_links_are_kept_for_fetching():
    entries, problems = parse_feed((FEEDS / "world.rss").read_bytes(), "world.rss")
    assert problems == [] and [e.link for e in entries][:2] == [
        "https://planet.example/pages/chile-peru-planet.html", "https://planet.example/pages/ecuador-mexico-time.html"]


def test_fragment_text_keeps_blocks_apart_and_drops_scripts():
    html = "<p>One <b>bold</b> line.</p><script>track()</script><ul><li>Two</li><li>Three</li></ul>"
    assert fragment_text(html) == "One bold line.\nTwo\nThree"
