"""Readers: paths to Documents, never crashing on bad input.

    for item in read_paths(["articles/", "corpus.jsonl", "-"], published=date(2025, 11, 6)):
        if isinstance(item, InputWarning):   # read anyway; tell the user
            ...
        elif isinstance(item, InputError):   # skipped; tell the user and go on
            ...
        else:                                # a Document
            ...

What is read:
- a .jsonl (or .ndjson) corpus, streamed line by line: one JSON object per
  line with `text` and optionally `id` (default: the first 16 characters of
  the content hash), `published` (ISO date, else any wording dateparser
  knows; kept only when it names a day, its precision kept otherwise),
  `title`, `url`, `outlet`, `language`. A line may be at most 10 MB.
- a .json file: one such object (id defaults to the file name's stem).
- any other file: plain UTF-8 text, one document named by the file's stem;
  at most 50 MB.
- a directory: its .txt, .json and .jsonl files (recursively, hidden ones
  left out), in path order.
- '-': standard input, JSON Lines when it starts with '{', else one text
  document with id 'stdin'.

`published` is the publication date of plain-text documents, and of corpus
documents that give none (or one that cannot be understood).

Every problem comes back as an InputError value naming the file (and line):
an InputWarning when the document was still read, a plain InputError when
the file or line was skipped.
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
from accords.sources.files import MAX_TEXT_BYTES, read_directory, read_file, read_path, read_stdin
from accords.sources.jsonl import MAX_LINE_BYTES, read_jsonl
from accords.sources.records import InputWarning, document_from_object

__all__ = ["read_paths", "read_path", "read_file", "read_directory", "read_stdin", "read_jsonl",
           "document_from_object", "parse_published", "InputWarning", "MAX_TEXT_BYTES", "MAX_LINE_BYTES"]


def read_paths(paths: Iterable[str], *, published: date | None = None,
               stdin: BinaryIO | None = None) -> Iterator[Document | InputError]:
    """Documents from files, directories and '-' (standard input, or `stdin`), with InputErrors for bad input."""
    for p in paths:
        if str(p) == "-":
            yield from read_stdin(stdin if stdin is not None else sys.stdin.buffer, published=published)
        else:
            yield from read_path(Path(p), published=published)
