"""Files, directories, globs and standard input to Documents (and Links to fetch)."""
from __future__ import annotations

import glob
import io
import json
import stat
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import BinaryIO

from accords.errors import InputError
from accords.model import Document
from accords.sources.jsonl import read_jsonl
from accords.sources.problems import problem
from accords.sources.records import DEFAULT_COLUMNS, Columns, Link, document_from_object
from accords.sources.streams import CorruptStream, inner_suffix, open_stream

MAX_TEXT_BYTES = 50 * 2**20  # a single text (or .json, or HTML page) document may be at most 50 MB
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
CSV_SUFFIXES = {".csv", ".tsv", ".tab"}
PARQUET_SUFFIXES = {".parquet", ".pq"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
FEED_SUFFIXES = {".rss", ".atom", ".rdf", ".xml"}
PLAIN_SUFFIXES = {".txt", ".text", ".md"}
# What a directory scan reads. Not CSV: folders hold many CSV files that are no corpus (give those by name or glob).
DIRECTORY_SUFFIXES = {".txt", ".json", *JSONL_SUFFIXES, *PARQUET_SUFFIXES, *HTML_SUFFIXES, *FEED_SUFFIXES}
STDIN = "stdin"
_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_GLOB_CHARS = set("*?[")

Item = Document | Link | InputError


def read_glob(pattern: str, *, published: date | None = None, columns: Columns = DEFAULT_COLUMNS) -> Iterator[Item]:
    """The files a glob pattern matches ('**' recurses), in path order."""
    matches = sorted(glob.glob(pattern, recursive=True))
    if not matches:
        yield problem(pattern, "no files match this pattern", "not-found")
        return
    for m in matches:
        yield from read_path(Path(m), published=published, columns=columns)


def is_glob(text: str) -> bool:
    return bool(_GLOB_CHARS & set(text)) and not Path(text).exists()


def read_path(path: Path, *, published: date | None = None, columns: Columns = DEFAULT_COLUMNS) -> Iterator[Item]:
    """A file (by suffix, see read_file) or a directory."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        yield InputError(str(path), "no such file or directory")
        return
    except OSError as exc:
        yield InputError(str(path), f"cannot read it ({exc.strerror or exc})")
        return
    if stat.S_ISDIR(mode):
        yield from read_directory(path, published=published, columns=columns)
    elif not stat.S_ISREG(mode):
        yield InputError(str(path), "not a regular file")
    else:
        yield from read_file(path, published=published, columns=columns)


def read_directory(path: Path, *, published: date | None = None,
                   columns: Columns = DEFAULT_COLUMNS) -> Iterator[Item]:
    """The files accords reads under a directory (hidden ones left out), in path order."""
    files = sorted(p for p in path.rglob("*")
                   if inner_suffix(p) in DIRECTORY_SUFFIXES and p.is_file()
                   and not any(part.startswith(".") for part in p.relative_to(path).parts))
    if not files:
        yield InputError(str(path), "directory holds no .txt, .json or .jsonl files (nor HTML pages, feeds or "
                                    "Parquet corpora; give CSV files by name or glob)")
        return
    for f in files:
        yield from read_file(f, published=published, columns=columns)


def read_file(path: Path, *, published: date | None = None, columns: Columns = DEFAULT_COLUMNS) -> Iterator[Item]:
    """One file, by what its suffix (under .gz or .zst) says it holds.

    .jsonl/.ndjson and .csv/.tsv corpora and .parquet tables give one item per
    record; .html pages and .rss/.atom/.xml feeds are read as such; .json is
    one document; .txt/.md plain text; any other file is sniffed (HTML, feed,
    else plain text).
    """
    from accords.sources.tables import read_csv, read_parquet

    name = str(path)
    suffix = inner_suffix(path)
    try:
        if suffix in PARQUET_SUFFIXES:
            if path.suffix.lower() != suffix:
                yield problem(name, "a compressed Parquet file cannot be streamed; Parquet compresses its own "
                                    "columns, so give the .parquet file itself", "malformed")
                return
            yield from read_parquet(path, name, published=published, columns=columns)
            return
        with open_stream(path) as fh:
            if suffix in JSONL_SUFFIXES:
                yield from read_jsonl(fh, name, published=published, columns=columns)
                return
            if suffix in CSV_SUFFIXES:
                yield from read_csv(fh, name, published=published, columns=columns)
                return
            data = _read_limited(path, fh)
    except CorruptStream as exc:
        yield problem(name, f"{exc}; whatever came before the break was read", "malformed")
        return
    except OSError as exc:
        yield InputError(name, f"cannot read it ({exc.strerror or exc})")
        return
    if isinstance(data, InputError):
        yield data
        return
    yield from read_bytes(data, name, _stem(path), suffix, published)


def read_bytes(data: bytes, name: str, stem: str, suffix: str, published: date | None) -> Iterator[Item]:
    """One file's content, read by its suffix, else by sniffing it: an HTML page, a feed, JSON, or text."""
    from accords.sources.feeds import entry_document, looks_like_feed, parse_feed
    from accords.sources.html import looks_like_html

    sniff = suffix not in PLAIN_SUFFIXES and suffix != ".json"
    if suffix in FEED_SUFFIXES or (sniff and suffix not in HTML_SUFFIXES and looks_like_feed(data)):
        if not looks_like_feed(data):
            if looks_like_html(data):
                yield from _html(data, name, stem, published)
                return
            yield problem(name, "not an RSS or Atom feed (no <rss>, <feed> or <rdf:RDF> element)", "not-html")
            return
        entries, problems = parse_feed(data, name)
        yield from problems
        for entry in entries:
            doc, found = entry_document(entry, published)
            yield from found
            if doc is not None:
                yield doc
        return
    if suffix in HTML_SUFFIXES or (sniff and looks_like_html(data)):
        if not data.strip():
            yield problem(name, "empty file", "empty")
            return
        if b"\0" not in data[:8192] and not looks_like_html(data) and b"<" not in data[:4096]:
            yield problem(name, "not an HTML page (no markup in it)", "not-html")
            return
        yield from _html(data, name, stem, published)
        return
    text = decode(data, name)
    if isinstance(text, InputError):
        yield text
    elif suffix == ".json":
        yield from _json_document(text, name, stem, published)
    else:
        yield text_document(text, stem, name, published)


def _html(data: bytes, name: str, stem: str, published: date | None) -> Iterator[Item]:
    from accords.sources.html import document_from_html

    if b"\0" in data[:8192] and not data.startswith(_UTF16_BOMS):
        yield problem(name, "binary file (contains NUL bytes), not an HTML page", "encoding")
        return
    doc, problems = document_from_html(data, source=name, doc_id=stem, published=published)
    yield from problems
    if doc is not None:
        yield doc


def _stem(path: Path) -> str:
    name = path.name
    for _ in range(2 if len(path.suffixes) >= 2 and inner_suffix(path) != path.suffix.lower() else 1):
        name = name.rsplit(".", 1)[0] if "." in name else name
    return name


def read_stdin(fh: BinaryIO, *, published: date | None = None, columns: Columns = DEFAULT_COLUMNS) -> Iterator[Item]:
    """Standard input: JSON Lines when its first non-blank character is '{', else one page, feed or text 'stdin'."""
    head = fh.read(64 * 1024)
    first = head.lstrip(_BOM + b" \t\r\n")[:1]
    if first == b"{":
        yield from read_jsonl(_Prefixed(head, fh), STDIN, published=published, columns=columns)
        return
    data = head + fh.read(MAX_TEXT_BYTES + 1 - len(head))
    if len(data) > MAX_TEXT_BYTES:
        yield InputError(STDIN, _too_big(len(data), more=True))
        return
    yield from read_bytes(data, STDIN, STDIN, "", published)


def text_document(text: str, doc_id: str, source: str, published: date | None) -> Document:
    return Document(id=doc_id, text=text, published=published, published_precision="day" if published else None,
                    published_source="given" if published else None, source=source)


def decode(data: bytes, name: str) -> str | InputError:
    """UTF-8 (or BOM-marked UTF-16) text, with newlines normalized; an InputError for what is not text."""
    if not data.strip():
        return InputError(name, "empty file")
    if data.startswith(_UTF16_BOMS):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            return InputError(name, f"not valid UTF-16 at byte offset {exc.start}")
    elif b"\0" in data:
        return InputError(name, "binary file (contains NUL bytes), not text")
    else:
        skip = len(_BOM) if data.startswith(_BOM) else 0
        try:
            text = data[skip:].decode("utf-8")
        except UnicodeDecodeError as exc:
            return InputError(name, f"not valid UTF-8 at byte offset {skip + exc.start} "
                                    "(convert it, e.g. iconv -f latin1 -t utf-8)")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return InputError(name, "empty file (only whitespace)")
    return text


def _json_document(text: str, name: str, stem: str, published: date | None) -> Iterator[Document | InputError]:
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        yield InputError(name, f"not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})")
        return
    if isinstance(obj, list):
        yield InputError(name, "holds a list; a .json file is one document (use a .jsonl file for many)")
        return
    doc, problems = document_from_object(obj, name, default_id=stem, published=published)
    yield from problems
    if doc is not None:
        yield doc


def _read_limited(path: Path, fh: BinaryIO) -> bytes | InputError:
    size = path.stat().st_size
    if size > MAX_TEXT_BYTES:
        return InputError(str(path), _too_big(size))
    data = fh.read(MAX_TEXT_BYTES + 1)
    if len(data) > MAX_TEXT_BYTES:  # grew while we looked, or decompressed to more
        return InputError(str(path), _too_big(len(data), more=True))
    return data


def _too_big(size: int, more: bool = False) -> str:
    limit = f"{MAX_TEXT_BYTES / 2**20:g} MB"
    shown = f"more than {limit}" if more else f"{size / 2**20:.1f} MB"
    return (f"too large for one document ({shown}; the limit is {limit}): split it, "
            "or give a .jsonl corpus with one document per line")


class _Prefixed:
    """A binary stream whose first bytes were already read: readline() over prefix + rest."""

    def __init__(self, prefix: bytes, rest: BinaryIO):
        self._head = io.BytesIO(prefix)
        self._rest = rest

    def readline(self, limit: int = -1) -> bytes:
        line = self._head.readline(limit)
        if line.endswith(b"\n") or (limit >= 0 and len(line) >= limit):
            return line
        return line + self._rest.readline(limit - len(line) if limit >= 0 else -1)
