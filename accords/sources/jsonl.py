"""JSON Lines corpora, read line by line: one document per line, bad lines reported and skipped."""
from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import BinaryIO

from accords.errors import InputError
from accords.model import Document
from accords.sources.records import DEFAULT_COLUMNS, Columns, Link, read_record

MAX_LINE_BYTES = 10 * 2**20  # one JSONL line (one document) may be at most 10 MB
_BOM = b"\xef\xbb\xbf"


def read_jsonl(fh: BinaryIO, name: str, *, published: date | None = None,
               columns: Columns = DEFAULT_COLUMNS) -> Iterator[Document | Link | InputError]:
    """Documents from a binary stream of JSON Lines; `name` is the file named in messages.

    Blank lines are ignored. A line that is too long, not UTF-8, not JSON, not
    an object, has no text, or repeats an earlier id is reported as
    InputError('name:N', ...) and skipped; see document_from_object for fields
    (a line with a URL and no text is a Link to fetch).
    """
    seen: dict[str, int] = {}
    content = False
    for lineno, offset, raw in _lines(fh):
        where = f"{name}:{lineno}"
        if raw is None:
            content = True
            yield InputError(where, f"line longer than {_mb(MAX_LINE_BYTES)}, the limit for one document")
            continue
        if lineno == 1 and raw.startswith(_BOM):
            raw, offset = raw[len(_BOM):], offset + len(_BOM)
        if not raw.strip():
            continue
        if b"\0" in raw:
            if not content:
                yield InputError(name, "binary file (contains NUL bytes), not JSON Lines")
                return
            content = True
            yield InputError(where, "binary data (NUL bytes) in the line")
            continue
        content = True
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield InputError(where, f"not valid UTF-8 at byte offset {offset + exc.start} of the file")
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError(where, f"not valid JSON ({exc.msg} at column {exc.colno})")
            continue
        yield from read_record(obj, where, lineno, seen, published=published, columns=columns)
    if not content:
        yield InputError(name, "empty file")


def _lines(fh: BinaryIO, limit: int | None = None) -> Iterator[tuple[int, int, bytes | None]]:
    """(line number, byte offset, bytes) per line; bytes None for a line over `limit` (never held whole)."""
    limit = limit or MAX_LINE_BYTES
    lineno = offset = 0
    while True:
        raw = fh.readline(limit + 1)
        if not raw:
            return
        lineno += 1
        start = offset
        offset += len(raw)
        if len(raw) > limit and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):  # skip the rest of the line
                raw = fh.readline(limit)
                offset += len(raw)
            yield lineno, start, None
            continue
        yield lineno, start, raw


def _mb(n: int) -> str:
    return f"{n / 2**20:g} MB"
