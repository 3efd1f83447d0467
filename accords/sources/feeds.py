"""RSS 0.9x/1.0/2.0 and Atom feeds, with feedparser: their entries, as Documents or as pages to fetch.

A feed read from a file gives one Document per entry, from the entry's full
content (else its summary); a feed fetched from a URL gives the entries'
links, whose pages the caller fetches (the entry's title and date are used
when the page has none: `published_source` "feed").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from email.utils import parsedate_to_datetime

from accords.errors import InputError
from accords.model import Document, content_hash
from accords.sources.dates import parse_published
from accords.sources.html import MIN_TEXT_CHARS, clean_text, outlet_of
from accords.sources.problems import problem, warning
from accords.sources.records import HASH_ID_LENGTH

_FEED_HEAD = re.compile(rb"<(?:rss|feed|rdf:RDF)[\s>]", re.IGNORECASE)
_BLOCKS = ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "section", "article")


@dataclass
class FeedEntry:
    link: str | None
    title: str | None
    published: date | None
    html: str  # full content, else summary ("" when neither)
    author: str | None
    entry_id: str | None
    outlet: str | None
    where: str  # feed and entry number, for messages


def looks_like_feed(data: bytes) -> bool:
    return bool(_FEED_HEAD.search(data[:4096]))


def parse_feed(data: bytes, source: str, url: str | None = None,
               content_type: str | None = None) -> tuple[list[FeedEntry], list[InputError]]:
    """The entries of a feed, and the problems found (a feed that is not well-formed is read as far as it goes)."""
    import feedparser

    headers = {"content-type": content_type or "application/xml"}
    if url:
        headers["content-location"] = url
    parsed = feedparser.parse(data, response_headers=headers)
    problems: list[InputError] = []
    if isinstance(parsed.get("bozo_exception"), (feedparser.NonXMLContentType, feedparser.CharacterEncodingOverride)):
        parsed["bozo"] = 0  # a server's content type or charset label, not a broken feed
    if parsed.get("bozo") and not parsed.entries:
        exc = parsed.get("bozo_exception")
        return [], [problem(source, f"not a readable RSS or Atom feed ({exc or 'unknown format'})", "malformed")]
    if parsed.get("bozo"):
        problems.append(warning(source, f"the feed is not well-formed ({parsed.get('bozo_exception')}); "
                                        f"read the {len(parsed.entries)} entries found", "malformed"))
    if not parsed.entries:
        problems.append(problem(source, "the feed has no entries", "empty"))
    feed_title = _text(parsed.feed.get("title")) if parsed.get("feed") else None
    entries = []
    for n, e in enumerate(parsed.entries, 1):
        content = e.get("content") or []
        html = (content[0].get("value") if content else None) or e.get("summary") or ""
        link = e.get("link")
        entries.append(FeedEntry(link=link, title=_text(e.get("title")), published=_entry_date(e), html=html,
                                 author=_text(e.get("author")), entry_id=e.get("id"),
                                 outlet=feed_title or outlet_of(None, link or url), where=f"{source}#{n}"))
    return entries, problems


def entry_document(entry: FeedEntry, published: date | None = None) -> tuple[Document | None, list[InputError]]:
    """A Document from an entry's own content or summary (no fetching)."""
    text = clean_text(fragment_text(entry.html), entry.title)
    if len(text) < MIN_TEXT_CHARS:
        what = "content or summary" if entry.html else "content"
        return None, [problem(entry.link or entry.where, f"the feed entry has no {what} to read "
                                                         "(fetch the feed from its URL to read the pages)", "no-text")]
    problems: list[InputError] = []
    day, how = entry.published, "feed"
    if day is None and published is not None:
        day, how = published, "given"
    if day is None:
        problems.append(warning(entry.link or entry.where, "the feed entry has no date; relative dates stay "
                                                          "unresolved", "no-date"))
    return Document(id=content_hash(text)[:HASH_ID_LENGTH], text=text, published=day,
                    published_precision="day" if day else None, published_source=how if day else None,
                    url=entry.link, title=entry.title, outlet=entry.outlet, source=entry.where,
                    author=entry.author), problems


def fragment_text(html: str) -> str:
    """Plain text of an HTML fragment (an entry's content), one block per line."""
    if not html or "<" not in html:
        return (html or "").strip()
    import lxml.html
    from lxml.etree import ParserError

    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (ParserError, ValueError):
        return re.sub(r"<[^>]+>", " ", html).strip()
    for bad in root.xpath("//script|//style|//figure|//aside|//nav|//form"):
        bad.drop_tree()
    for el in root.iter(*_BLOCKS):
        el.tail = "\n" + (el.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().splitlines())
    return "\n".join(line for line in lines if line)


def _entry_date(e) -> date | None:
    for key in ("published", "updated", "created"):
        raw = e.get(key)
        if not raw:
            continue
        try:  # RFC 822 (RSS): the day as written, in the outlet's own time zone
            return parsedate_to_datetime(raw).date()
        except (TypeError, ValueError, IndexError):
            pass
        try:  # ISO 8601 (Atom) and other wordings
            day, _ = parse_published(raw)
        except ValueError:
            day = None
        if day:
            return day
        parsed = e.get(f"{key}_parsed")
        if parsed:
            return date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)
    return None


def _text(value) -> str | None:
    if not value or not isinstance(value, str):
        return None
    return " ".join(fragment_text(value).split()) or None
