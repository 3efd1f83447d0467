"""Web pages: the article's text without furniture, its metadata, and how its publication date was found."""
from __future__ import annotations

import gzip
from datetime import date
from pathlib import Path

import pytest

from accords.model import Document
from accords.sources import InputWarning, read_paths
from accords.sources.html import date_from_url, document_from_html, find_date
from accords.sources.problems import reason_of

PAGES = Path(__file__).parent / "fixtures" / "pages"


def page(name: str) -> bytes:
    return (PAGES / name).read_bytes()


def read_page(name: str, **kw) -> tuple[Document | None, list]:
    return document_from_html(page(name), source=name, **kw)


def test_main_text_keeps_the_article_and_drops_the_furniture():
    doc, problems = read_page("chile-peru-planet.html")
    assert problems == []
    assert doc.text.startswith("Chile and Peru restored diplomatic relations on Monday")
    assert "Trade ministers from both countries" in doc.text  # the paragraph after the newsletter box
    for furniture in ("Chile and Peru restore diplomatic ties after trade row",  # the headline
                      "By Lucia Ferreyra", "Lucia Ferreyra",  # the byline
                      "World Briefing", "newsletter", "Subscribe",  # the newsletter box
                      "READ NEXT", "Norway sweeps the podium", "Copper prices",  # related links
                      "Copyright", "All rights reserved", "Privacy",  # footer
                      "Advertisement", "Search the Planet", "Business", "Opinion"):  # ads, navigation
        assert furniture not in doc.text, furniture


def test_title_outlet_and_author_come_from_the_metadata():
    doc, _ = read_page("chile-peru-planet.html")
    assert (doc.title, doc.outlet, doc.author) == ("Chile and Peru restore diplomatic ties after trade row",
                                                   "The Daily Planet", "Lucia Ferreyra")


@pytest.mark.parametrize("name, day, how", [
    ("chile-peru-planet.html", date(2026, 3, 2), "metadata"),  # article:published_time, the outlet's local day
    ("norway-mercosur-ldjson.html", date(2026, 3, 2), "json-ld"),  # datePublished, not dateModified
    ("ecuador-mexico-time.html", date(2026, 2, 27), "time"),  # <time datetime> in the article header
])
def test_the_publication_date_and_how_it_was_found(name, day, how):
    doc, _ = read_page(name)
    assert (doc.published, doc.published_precision, doc.published_source) == (day, "day", how)


def test_a_date_in_the_url_is_used_when_the_page_has_none():
    html = page("undated-opinion.html")
    doc, problems = document_from_html(html, source="x", url="https://opinion.example/2026/03/04/gulf-summit")
    assert (doc.published, doc.published_source) == (date(2026, 3, 4), "url") and problems == []


@pytest.mark.parametrize("url, day", [
    ("https://a.example/world/2026/03/02/story", date(2026, 3, 2)),
    ("https://a.example/2026-03-02-story.html", date(2026, 3, 2)),
    ("https://a.example/news/20260302/story", date(2026, 3, 2)),
    ("https://a.example/2026/13/45/story", None),
    ("https://a.example/story-2026", None),
])
def test_dates_in_urls(url, day):
    assert date_from_url(url) == day


def test_a_date_only_in_the_text_is_found_by_htmldate_and_marked_heuristic():
    from trafilatura.utils import load_html

    html = ("<html><body><article><p>Posted on 5 January 2026 in World</p><p>Ghana and Togo agreed to reopen "
            "their border crossings, officials said at a meeting in Lome.</p></article></body></html>")
    assert find_date(load_html(html), None) == (date(2026, 1, 5), "heuristic")


def test_a_page_without_a_date_keeps_none_and_warns():
    doc, problems = read_page("undated-opinion.html")
    assert doc.published is None and doc.published_source is None
    [warning] = problems
    assert isinstance(warning, InputWarning) and reason_of(warning) == "no-date"


def test_relative_dates_of_an_undated_page_stay_unresolved():
    from accords.extract import extract

    doc, _ = read_page("undated-opinion.html")
    facts = [a for a in extract([doc]) if a.type.value == "restore_relations"]
    assert facts and all(a.date is None for a in facts)  # "on Monday" is not guessed


def test_the_callers_date_fills_in_for_an_undated_page():
    doc, problems = read_page("undated-opinion.html", published=date(2026, 3, 2))
    assert (doc.published, doc.published_source) == (date(2026, 3, 2), "given") and problems == []


def test_the_pages_own_date_wins_over_the_callers():
    doc, _ = read_page("chile-peru-planet.html", published=date(2020, 1, 1))
    assert (doc.published, doc.published_source) == (date(2026, 3, 2), "metadata")


def test_html_files_gzipped_files_and_sniffed_files_are_read(tmp_path: Path):
    (tmp_path / "a.html.gz").write_bytes(gzip.compress(page("chile-peru-planet.html")))
    (tmp_path / "saved-page").write_bytes(page("ecuador-mexico-time.html"))  # no suffix: sniffed
    items = list(read_paths([str(tmp_path / "a.html.gz"), str(tmp_path / "saved-page")]))
    assert [(d.id, d.published_source) for d in items] == [("a", "metadata"), ("saved-page", "time")]


@pytest.mark.parametrize("content, reason", [
    (b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "no-text"),
    (b"", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "encoding"),
    (b"just some words, no markup at all", "not-html"),
])
def test_pages_that_cannot_be_read_are_skipped_with_a_reason(tmp_path: Path, content: bytes, reason: str):
    p = tmp_path / "bad.html"
    p.write_bytes(content)
    [err] = list(read_paths([str(p)]))
    assert not isinstance(err, Document) and reason_of(err) == reason, err


def test_a_truncated_page_still_gives_what_it_holds(tmp_path: Path):
    data = page("chile-peru-planet.html")
    cut = data[: data.index(b"Trade ministers")]
    p = tmp_path / "cut.html"
    p.write_bytes(cut)
    [doc] = [x for x in read_paths([str(p)]) if isinstance(x, Document)]
    assert doc.text.startswith("Chile and Peru restored") and doc.published == date(2026, 3, 2)


def test_a_latin1_page_declaring_its_charset_is_decoded():
    html = ("<html><head><meta charset='iso-8859-1'><meta property='article:published_time' content='2026-03-02'>"
            "</head><body><article><p>Bogotá and Caracas restored diplomatic relations on Monday, the foreign "
            "ministers said in Cúcuta.</p></article></body></html>").encode("latin-1")
    doc, _ = document_from_html(html, source="x")
    assert "Bogotá" in doc.text and "Cúcuta" in doc.text
