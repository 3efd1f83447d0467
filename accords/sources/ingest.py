"""Reading the real world into the store: inputs to Documents (fetching what must be fetched), then facts.

    with Ingest(store, ReadOptions(published=..., columns=..., fetch=FetchOptions(...)), reporter) as run:
        stats = run.run(["pages/", "corpus.csv.gz", "https://news.example/feed.xml"], url_lists=["urls.txt"])

`Reader` turns inputs into Documents: files, directories, globs and stdin
through accords.sources.read_paths; URLs, URL lists, corpus rows that only
give a URL, and the entries of fetched feeds through the Fetcher (robots.txt,
rate limits, size caps, no private addresses unless allowed). Every problem
goes to `reporter.problem` and the run goes on.

`Ingest` extracts and stores through accords.batch (a document with all its
facts is committed together or not at all; the first transactions hold one
document, later ones up to a partition), then groups each stored document
with any earlier copy of the same story (accords.dedup). A
document whose content is already stored is not extracted again, and a URL
already stored is not fetched again, so an interrupted run (Ctrl-C, kill -9,
power loss) is finished by running the same command again; a document stored
but not yet grouped when the run stopped is grouped at the start of the next.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from sqlalchemy import exists, or_, select

from accords.errors import InputError
from accords.model import Assertion, Document, content_hash
from accords.sources import read_paths, read_url_list
from accords.sources.feeds import FeedEntry, entry_document, looks_like_feed, parse_feed
from accords.sources.fetch import PAGE_TYPES, FetchError, Fetcher, FetchOptions
from accords.sources.files import decode
from accords.sources.html import document_from_html, looks_like_html
from accords.sources.problems import problem, reason_of
from accords.sources.records import DEFAULT_COLUMNS, HASH_ID_LENGTH, Columns, InputWarning, Link


@dataclass(frozen=True)
class ReadOptions:
    published: date | None = None  # date of inputs that give none (see read_paths)
    columns: Columns = DEFAULT_COLUMNS
    fetch: FetchOptions = field(default_factory=FetchOptions)


class Reporter(Protocol):
    """What a run tells its user about (the CLI shows a progress bar or log lines; see accords.cli)."""

    def problem(self, err: InputError) -> None: ...

    def stored(self, doc: Document, assertions: list[Assertion], copy_of: str | None) -> None: ...

    def known(self, what: str) -> None: ...


class _Silent:
    def problem(self, err: InputError) -> None:
        pass

    def stored(self, doc: Document, assertions: list[Assertion], copy_of: str | None) -> None:
        pass

    def known(self, what: str) -> None:
        pass


@dataclass
class RunStats:
    read: int = 0  # documents read (pages, entries, records, files)
    ingested: int = 0  # documents stored by this run
    facts: int = 0  # facts (assertions) in them
    already: int = 0  # exact copies: content already stored, by this run or an earlier one
    copies: int = 0  # stored, and grouped with an earlier near-copy (a syndicated story)
    known_urls: int = 0  # URLs not fetched because a document from them is stored
    skipped_by: Counter = field(default_factory=Counter)  # reason -> items skipped
    warnings_by: Counter = field(default_factory=Counter)  # reason -> items read with a warning

    @property
    def documents(self) -> int:  # the name the CLI summary has always used
        return self.ingested

    @property
    def skipped(self) -> int:
        return sum(self.skipped_by.values())

    @property
    def warnings(self) -> int:
        return sum(self.warnings_by.values())

    @property
    def exit_code(self) -> int:
        """The CLI's: 3 when anything was skipped, else 0."""
        return 3 if self.skipped else 0

    def count(self, err: InputError) -> None:
        (self.warnings_by if isinstance(err, InputWarning) else self.skipped_by)[reason_of(err)] += 1

    def to_dict(self) -> dict:
        return {"read": self.read, "ingested": self.ingested, "facts": self.facts, "already_stored": self.already,
                "syndicated_copies": self.copies, "known_urls": self.known_urls,
                "skipped": dict(sorted(self.skipped_by.items())),
                "warnings": dict(sorted(self.warnings_by.items()))}


class Reader:
    """Inputs to Documents. `known_url(url)` True skips fetching a URL (already stored)."""

    def __init__(self, options: ReadOptions = ReadOptions(), reporter: Reporter | None = None, *,
                 known_url=None, stats: RunStats | None = None):
        self.options = options
        self.reporter = reporter or _Silent()
        self.stats = stats if stats is not None else RunStats()
        self._known_url = known_url or (lambda url: False)
        self._fetcher: Fetcher | None = None
        self._seen_urls: set[str] = set()
        self._validators: dict[str, dict[str, str]] = {}  # feed URL -> If-None-Match / If-Modified-Since

    def close(self) -> None:
        if self._fetcher is not None:
            self._fetcher.close()
            self._fetcher = None

    @property
    def fetcher(self) -> Fetcher:
        if self._fetcher is None:
            self._fetcher = Fetcher(self.options.fetch)
        return self._fetcher

    def documents(self, inputs: Iterable[str], url_lists: Iterable[str] = ()) -> Iterator[Document]:
        """The Documents of all inputs, in order; problems reported (and counted) as they come."""
        o = self.options
        for item in _chain(read_paths(inputs, published=o.published, columns=o.columns),
                           *(read_url_list(p) for p in url_lists)):
            yield from self._item(item)

    def refresh(self, feed_urls: Iterable[str]) -> Iterator[Document]:
        """The new entries of feeds (conditional requests: an unchanged feed costs one short answer)."""
        self._seen_urls.clear()  # a page that failed last time is tried again; stored ones are known_url
        for url in feed_urls:
            yield from self._link(Link(url=url, where=url), feed_only=True)

    # -- internals -------------------------------------------------------------------
    def _item(self, item) -> Iterator[Document]:
        if isinstance(item, InputError):
            self._problem(item)
        elif isinstance(item, Link):
            yield from self._link(item)
        else:
            self.stats.read += 1
            yield item

    def _problem(self, err: InputError) -> None:
        self.stats.count(err)
        self.reporter.problem(err)

    def _link(self, link: Link, depth: int = 0, feed_only: bool = False) -> Iterator[Document]:
        url = link.url
        if url in self._seen_urls:  # e.g. a GDELT export names one article in many rows
            return
        self._seen_urls.add(url)
        if not feed_only and self._known_url(url):
            self.stats.known_urls += 1
            self.reporter.known(url)
            return
        try:
            page = self.fetcher.get(url, accept=PAGE_TYPES, headers=self._validators.get(url))
        except FetchError as exc:
            if link.where != url:
                exc.details = {**exc.details, "input": link.where}
            self._problem(exc)
            return
        if page.status == 304:
            return
        if page.is_feed or (not page.is_html and looks_like_feed(page.content)):
            self._remember(url, page.headers)
            yield from self._feed(page.content, url, page.final_url, depth, page.content_type)
            return
        if feed_only:
            self._problem(problem(url, f"not an RSS or Atom feed ({page.content_type})", "not-html"))
            return
        self.stats.read += 1
        how = "feed" if depth else "metadata"  # a feed entry's date, or a corpus row's
        if page.is_html or looks_like_html(page.content):
            doc, problems = document_from_html(page.content, source=url, url=page.final_url, doc_id=link.doc_id,
                                               published=self.options.published, title=link.title,
                                               fallback_date=(link.published, how) if link.published else None)
        else:
            doc, problems = _text_page(page.content, url, page.final_url, link, how, self.options.published)
        for p in problems:
            self._problem(p)
        if doc is not None:
            if link.outlet and (depth == 0 or not doc.outlet):  # a corpus's outlet wins; a feed's fills in
                doc.outlet = link.outlet
            yield doc

    def _feed(self, data: bytes, url: str, final_url: str, depth: int,
              content_type: str | None = None) -> Iterator[Document]:
        entries, problems = parse_feed(data, url, final_url, content_type)
        for p in problems:
            self._problem(p)
        for entry in entries:
            if entry.link and depth == 0 and entry.link.startswith(("http://", "https://")):
                yield from self._link(_entry_link(entry), depth=1)
            else:
                yield from self._entry(entry)

    def _entry(self, entry: FeedEntry) -> Iterator[Document]:
        self.stats.read += 1
        doc, problems = entry_document(entry, self.options.published)
        for p in problems:
            self._problem(p)
        if doc is not None:
            yield doc

    def _remember(self, url: str, headers: dict[str, str]) -> None:
        lower = {k.lower(): v for k, v in headers.items()}
        found = {}
        if lower.get("etag"):
            found["If-None-Match"] = lower["etag"]
        if lower.get("last-modified"):
            found["If-Modified-Since"] = lower["last-modified"]
        if found:
            self._validators[url] = found


def in_this_process(store, documents: Iterable[Document]):
    """The default pipeline: accords.batch in this process (small partitions first, each a transaction)."""
    from accords.batch import ingest_stream

    return ingest_stream(store, documents)


class Ingest:
    """A run: read, extract, store, group copies. Use as a context manager; `stats` tells what it did so far.

    `pipeline(store, documents)` extracts and stores, yielding one
    accords.batch.IngestEvent per document (`document`, `outcome`
    added/skipped/failed, `assertions`, `message`): accords.batch in this
    process by default; pass e.g. `lambda st, docs: ingest_stream(st, docs,
    BatchOptions(workers=0))` to extract in parallel.
    """

    def __init__(self, store, options: ReadOptions = ReadOptions(), reporter: Reporter | None = None, *,
                 pipeline=None):
        self.store = store
        self.stats = RunStats()
        self.reader = Reader(options, reporter, known_url=self.has_url, stats=self.stats)
        self.pipeline = pipeline or in_this_process

    @property
    def reporter(self) -> Reporter:
        return self.reader.reporter

    @reporter.setter
    def reporter(self, value: Reporter) -> None:
        self.reader.reporter = value

    def __enter__(self) -> "Ingest":
        return self

    def __exit__(self, *exc) -> None:
        self.reader.close()

    def run(self, inputs: Iterable[str], url_lists: Iterable[str] = ()) -> RunStats:
        """Read, extract and store every input; the stats of the whole run."""
        return self.store_documents(self.reader.documents(inputs, url_lists))

    def store_documents(self, documents: Iterable[Document]) -> RunStats:
        """Extract and store documents, grouping copies; content already stored is not extracted again."""
        from accords import dedup

        dedup.assign_pending(self.store)  # what an interrupted run stored but did not group
        for event in self.pipeline(self.store, self._fresh(documents)):
            doc = event.document
            if event.outcome == "failed":
                self.reader._problem(problem(doc.source or doc.id, event.message or "could not be stored", "store"))
            elif event.outcome != "added":
                self._already(doc)
            else:
                match = dedup.assign_document(self.store, doc.id, doc.text, author=doc.author)
                self.stats.ingested += 1
                self.stats.facts += len(event.assertions)
                self.stats.copies += match.is_copy
                self.reporter.stored(doc, event.assertions, match.copy_of)
        return self.stats

    def has_url(self, url: str) -> bool:
        from accords.store import schema as t

        d = t.documents.c
        with self.store.engine.connect() as conn:
            return bool(conn.execute(select(exists().where(or_(d.url == url, d.source == url)))).scalar())

    def _fresh(self, documents: Iterable[Document]) -> Iterator[Document]:
        for doc in documents:
            if self.store.has_content(doc.content_hash):  # stored before: not extracted again
                self._already(doc)
                continue
            yield doc

    def _already(self, doc: Document) -> None:
        self.stats.already += 1
        self.reporter.known(doc.source or doc.id)


def _text_page(data: bytes, url: str, final_url: str, link: Link, how: str,
               published: date | None) -> tuple[Document | None, list[InputError]]:
    text = decode(data, url)
    if isinstance(text, InputError):
        return None, [text]
    day, how = (link.published, how) if link.published else (published, "given")
    return Document(id=link.doc_id or content_hash(text)[:HASH_ID_LENGTH], text=text, published=day,
                    published_precision="day" if day else None, published_source=how if day else None,
                    url=final_url, title=link.title, source=url), []


def _entry_link(entry: FeedEntry) -> Link:
    return Link(url=entry.link, where=entry.where, title=entry.title, outlet=entry.outlet, published=entry.published)


def _chain(*iterables):
    for it in iterables:
        yield from it
