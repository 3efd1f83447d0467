"""Web pages to Documents: the article's main text with trafilatura, its metadata, and how its date was found.

The text is the article body only: headline, byline, navigation, ads,
"READ NEXT" and related-links blocks, newsletter boxes and copyright lines are
left out. The publication date is looked for, in order, in

    metadata   <meta property="article:published_time">, itemprop/name="datePublished", ...
    json-ld    a JSON-LD NewsArticle's datePublished
    time       a <time datetime> marked as the publication time, or the first in the <article>
    url        a date in the URL (/2026/03/02/, /2026-03-02-, /20260302/)
    htmldate   other markup htmldate knows (its fast search)
    heuristic  htmldate's extensive search over the page's text: a guess, marked as such

and `Document.published_source` records which one gave it. A page with no
date keeps none (relative dates such as "on Monday" then stay unresolved)
unless the caller gives one (`published`, recorded as "given").
"""
from __future__ import annotations

import json
import re
from datetime import date
from urllib.parse import urlsplit

from accords.errors import InputError
from accords.model import Document, content_hash
from accords.sources.dates import parse_published
from accords.sources.problems import problem, warning
from accords.sources.records import HASH_ID_LENGTH

MIN_TEXT_CHARS = 40  # less than this is no article

_META_DATES = ("article:published_time", "og:article:published_time", "og:published_time",
               "datepublished", "pubdate", "publishdate", "publish-date", "publication_date", "date",
               "dc.date", "dc.date.issued", "dcterms.created", "dcterms.issued", "sailthru.date",
               "parsely-pub-date", "citation_publication_date")
_ARTICLE_TYPES = {"newsarticle", "article", "reportagenews", "analysisnewsarticle", "blogposting",
                  "backgroundnewsarticle", "opinionnewsarticle", "report", "liveblogposting"}
_URL_DATES = (re.compile(r"/((?:19|20)\d{2})[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?=[/_.-]|$)"),
              re.compile(r"/((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?=[/_.-]|$)"))
# Lines that are page furniture even when the extractor keeps them (matched on short lines only).
_FURNITURE = re.compile(
    r"^\s*(?:©|\(c\)\s|copyright\b|all rights reserved|read (?:next|more)\b|related(?: articles| stories| news| "
    r"coverage| content)?\s*:?\s*$|more from\b|advertisement\s*$|sponsored\b|sign up\b|subscribe\b|"
    r"share (?:this|on)\b|follow us\b|click here\b|recommended\s*:?\s*$|you may also like|"
    r"(?:reporting|additional reporting|writing|editing) by\b|by\s+[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3}\s*$)",
    re.IGNORECASE)
_FURNITURE_MAX = 160


def looks_like_html(data: bytes) -> bool:
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<!--")) or \
        b"<html" in head or b"<body" in head


def document_from_html(data: bytes | str, *, source: str, url: str | None = None, doc_id: str | None = None,
                       published: date | None = None, title: str | None = None,
                       fallback_date: tuple[date, str] | None = None) -> tuple[Document | None, list[InputError]]:
    """The Document of a page, or None, and the problems found (InputError skips, InputWarning notes).

    `url` is where the page lives (it helps metadata, the date and the
    outlet); `doc_id` defaults to the content hash prefix; `published` is used
    when the page has no date. `title` and `fallback_date` (date, how found)
    come from a feed entry, used when the page has none.
    """
    import trafilatura
    from trafilatura.utils import load_html

    if isinstance(data, bytes) and not data.strip():
        return None, [problem(source, "empty page", "empty")]
    tree = load_html(data)
    if tree is None:
        return None, [problem(source, "not an HTML page that can be parsed", "not-html")]
    day, how = find_date(tree, url)
    if day is None and fallback_date is not None:
        day, how = fallback_date
    try:
        found = trafilatura.bare_extraction(tree, url=url, with_metadata=True, include_comments=False,
                                            include_tables=False, favor_precision=True)
    except Exception as exc:  # trafilatura raises assorted errors on pathological markup
        return None, [problem(source, f"the page could not be parsed ({type(exc).__name__})", "not-html")]
    text = clean_text(found.text if found else "", found.title if found else None)
    if len(text) < MIN_TEXT_CHARS:
        return None, [problem(source, "no article text found in the page", "no-text")]
    problems: list[InputError] = []
    precision = "day" if day else None
    if day is None:
        if published is not None:
            day, how, precision = published, "given", "day"
        else:
            problems.append(warning(source, "no publication date found in the page or its URL; relative dates "
                                            "in it stay unresolved (give one with --published)", "no-date"))
    doc = Document(id=doc_id or content_hash(text)[:HASH_ID_LENGTH], text=text, published=day,
                   published_precision=precision, published_source=how if day else None, url=url,
                   title=_clean(found.title) or title, outlet=outlet_of(found.sitename, url),
                   source=source, author=_clean(found.author))
    return doc, problems


def clean_text(text: str, title: str | None) -> str:
    """The extracted text without its headline, bylines and furniture lines; paragraphs one per line."""
    lines = [ln.strip() for ln in (text or "").splitlines()]
    lines = [ln for ln in lines if ln]
    if lines and title and _norm(lines[0]) == _norm(title):
        lines = lines[1:]
    kept = [ln for ln in lines if not (len(ln) <= _FURNITURE_MAX and _FURNITURE.match(ln))]
    return "\n".join(kept).strip()


def find_date(tree, url: str | None) -> tuple[date | None, str | None]:
    """The publication date of a page and how it was found (see the module's docstring), or (None, None)."""
    for how, finder in (("metadata", _meta_date), ("json-ld", _json_ld_date), ("time", _time_date)):
        day = finder(tree)
        if day:
            return day, how
    day = date_from_url(url)
    if day:
        return day, "url"
    return _htmldate(tree, url)


def date_from_url(url: str | None) -> date | None:
    if not url:
        return None
    path = urlsplit(url).path
    for rx in _URL_DATES:
        m = rx.search(path)
        if m:
            try:
                return date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                continue
    return None


def outlet_of(sitename: str | None, url: str | None) -> str | None:
    name = _clean(sitename)
    if name:
        return name
    host = urlsplit(url).hostname if url else None
    return host[4:] if host and host.startswith("www.") else host


def _day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        day, _ = parse_published(value.strip())
    except ValueError:
        return None
    return day


def _meta_date(tree) -> date | None:
    by_key: dict[str, str] = {}
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        if key in _META_DATES and key not in by_key and meta.get("content"):
            by_key[key] = meta.get("content")
    for key in _META_DATES:  # in order of trust
        day = _day(by_key.get(key))
        if day:
            return day
    return None


def _json_ld_date(tree) -> date | None:
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except ValueError:
            continue
        for obj in _ld_objects(data):
            types = obj.get("@type")
            types = {t.lower() for t in (types if isinstance(types, list) else [types]) if isinstance(t, str)}
            if types & _ARTICLE_TYPES:
                day = _day(obj.get("datePublished") if isinstance(obj.get("datePublished"), str) else None)
                if day:
                    return day
    return None


def _ld_objects(data, depth: int = 0):
    if depth > 4:
        return
    if isinstance(data, list):
        for item in data:
            yield from _ld_objects(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _ld_objects(data["@graph"], depth + 1)


def _time_date(tree) -> date | None:
    marked = tree.xpath("//time[@pubdate or @itemprop='datePublished' or contains(@class, 'publish')]/@datetime")
    first = tree.xpath("(//article//time | //header//time)[1]/@datetime")
    for value in [*marked, *first]:
        day = _day(value)
        if day:
            return day
    return None


def _htmldate(tree, url: str | None) -> tuple[date | None, str | None]:
    from htmldate import find_date as htmldate_find

    for extensive, how in ((False, "htmldate"), (True, "heuristic")):
        try:
            found = htmldate_find(tree, extensive_search=extensive, original_date=True, url=url)
        except Exception:  # htmldate gives up on odd markup in many ways: no date then
            return None, None
        day = _day(found)
        if day:
            return day, how
    return None, None


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def _clean(value: str | None) -> str | None:
    if not value or not isinstance(value, str):
        return None
    text = " ".join(value.split())
    return text or None
