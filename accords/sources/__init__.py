"""Readers: paths to Documents, never crashing on bad input.

    for item in read_paths(["articles/", "corpus.jsonl", "-"], published=date(2025, 11, 6)):
        if isinstance(item, InputWarning):   # read anyway; tell the user
            ...
        elif isinstance(item, InputError):   # skipped; tell the user and go on
            ...
        else:                                # a Document
            ...

What is read (see docs/sources.md):
- http(s) URLs: a Link each, fetched by the caller (accords.sources.ingest)
  with accords.sources.fetch; `read_url_list` reads a file of URLs.
- .jsonl/.ndjson corpora, streamed line by line: one JSON object per line
  with `text` and optionally `id` (default: the first 16 characters of the
  content hash), `published` (ISO date, else any wording dateparser knows;
  kept only when it names a day, its precision kept otherwise), `title`,
  `url`, `outlet`, `language`; a line with a `url` and no text is a Link.
  A line may be at most 10 MB. Field names are set by `Columns`.
- .csv/.tsv corpora (delimiter sniffed; GDELT event exports recognized) and
  .parquet tables, row by row, with the same fields.
- any of these compressed with gzip (.gz) or zstd (.zst), decompressed as a
  stream.
- .html/.htm pages (main text, title, outlet, author and a publication date
  found in metadata, JSON-LD, <time>, the URL or by htmldate), .rss/.atom/.xml
  feeds (one document per entry, from its content or summary).
- a .json file: one such object (id defaults to the file name's stem).
- any other file: plain UTF-8 text (or a page or feed, when it looks like
  one), one document named by the file's stem; at most 50 MB.
- a directory: the files above (not CSV), recursively, hidden ones left out,
  in path order; a glob pattern ('corpus/**/*.csv.gz'): the files it matches.
- '-': standard input, JSON Lines when it starts with '{', else one page,
  feed or text document with id 'stdin'.

`published` is the publication date of plain-text documents, and of corpus
documents and pages that give none.

Every problem comes back as an InputError value naming the file (and line):
an InputWarning when the document was still read, a plain InputError when
the file or line was skipped; `problems.reason_of(err)` says why, in a word.
"""
from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import BinaryIO

from accords.errors import InputError
from accords.model import Document
from accords.sources.dates import parse_published
from accords.sources.fetch import is_url
from accords.sources.files import (MAX_TEXT_BYTES, is_glob, read_directory, read_file, read_glob, read_path,
                                   read_stdin)
from accords.sources.jsonl import MAX_LINE_BYTES, read_jsonl
from accords.sources.problems import problem
from accords.sources.records import DEFAULT_COLUMNS, Columns, InputWarning, Link, document_from_object

__all__ = ["read_paths", "read_path", "read_file", "read_directory", "read_stdin", "read_jsonl", "read_url_list",
           "document_from_object", "parse_published", "InputWarning", "Columns", "Link", "MAX_TEXT_BYTES",
           "MAX_LINE_BYTES"]

Item = Document | Link | InputError


def read_paths(paths: Iterable[str], *, published: date | None = None, stdin: BinaryIO | None = None,
               columns: Columns = DEFAULT_COLUMNS) -> Iterator[Item]:
    """Documents from files, directories, globs, URLs (as Links) and '-' (standard input, or `stdin`),
    with InputErrors for bad input."""
    for p in paths:
        text = str(p)
        if text == "-":
            yield from read_stdin(stdin if stdin is not None else sys.stdin.buffer, published=published,
                                  columns=columns)
        elif is_url(text):
            yield Link(url=text, where=text)
        elif is_glob(text):
            yield from read_glob(text, published=published, columns=columns)
        else:
            yield from read_path(Path(p), published=published, columns=columns)


def read_url_list(path: str) -> Iterator[Link | InputError]:
    """Links from a file of URLs, one per line ('#' starts a comment; '-' is standard input)."""
    try:
        fh = sys.stdin if path == "-" else open(path, encoding="utf-8", errors="replace")
    except OSError as exc:
        yield problem(path, f"cannot read the URL list ({exc.strerror or exc})", "not-found")
        return
    with fh:
        for n, line in enumerate(fh, 1):
            url = line.split("#", 1)[0].strip() if not line.lstrip().startswith("#") else ""
            if not url:
                continue
            if not is_url(url):
                yield problem(f"{path}:{n}", f"not an http(s) URL: {url[:80]!r}", "bad-url")
                continue
            yield Link(url=url, where=f"{path}:{n}")
