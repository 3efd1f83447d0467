"""Files, directories and standard input to Documents."""
from __future__ import annotations

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
from accords.sources.records import document_from_object

MAX_TEXT_BYTES = 50 * 2**20  # a single text (or .json) document may be at most 50 MB
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
DIRECTORY_SUFFIXES = {".txt", ".json", *JSONL_SUFFIXES}
STDIN = "stdin"
_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def read_path(path: Path, *, published: date | None = None) -> Iterator[Document | InputError]:
    """A file (by suffix: .jsonl corpus, .json document, anything else plain text) or a directory."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        yield InputError(str(path), "no such file or directory")
        return
    except OSError as exc:
        yield InputError(str(path), f"cannot read it ({exc.strerror or exc})")
        return
    if stat.S_ISDIR(mode):
        yield from read_directory(path, published=published)
    elif not stat.S_ISREG(mode):
        yield InputError(str(path), "not a regular file")
    else:
        yield from read_file(path, published=published)


def read_directory(path: Path, *, published: date | None = None) -> Iterator[Document | InputError]:
    """The .txt, .json and .jsonl files under a directory (hidden ones left out), in path order."""
    files = sorted(p for p in path.rglob("*")
                   if p.suffix.lower() in DIRECTORY_SUFFIXES and p.is_file()
                   and not any(part.startswith(".") for part in p.relative_to(path).parts))
    if not files:
        yield InputError(str(path), "directory holds no .txt, .json or .jsonl files")
        return
    for f in files:
        yield from read_file(f, published=published)


def read_file(path: Path, *, published: date | None = None) -> Iterator[Document | InputError]:
    name = str(path)
    suffix = path.suffix.lower()
    try:
        if suffix in JSONL_SUFFIXES:
            with path.open("rb") as fh:
                yield from read_jsonl(fh, name, published=published)
            return
        data = _read_limited(path)
    except OSError as exc:
        yield InputError(name, f"cannot read it ({exc.strerror or exc})")
        return
    if isinstance(data, InputError):
        yield data
        return
    text = decode(data, name)
    if isinstance(text, InputError):
        yield text
    elif suffix == ".json":
        yield from _json_document(text, name, path.stem, published)
    else:
        yield text_document(text, path.stem, name, published)


def read_stdin(fh: BinaryIO, *, published: date | None = None) -> Iterator[Document | InputError]:
    """Standard input: JSON Lines when its first non-blank character is '{', else one text document 'stdin'."""
    head = fh.read(64 * 1024)
    first = head.lstrip(_BOM + b" \t\r\n")[:1]
    if first == b"{":
        yield from read_jsonl(_Prefixed(head, fh), STDIN, published=published)
        return
    data = head + fh.read(MAX_TEXT_BYTES + 1 - len(head))
    if len(data) > MAX_TEXT_BYTES:
        yield InputError(STDIN, _too_big(len(data), more=True))
        return
    text = decode(data, STDIN)
    yield text if isinstance(text, InputError) else text_document(text, STDIN, STDIN, published)


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


def _read_limited(path: Path) -> bytes | InputError:
    size = path.stat().st_size
    if size > MAX_TEXT_BYTES:
        return InputError(str(path), _too_big(size))
    with path.open("rb") as fh:
        data = fh.read(MAX_TEXT_BYTES + 1)
    if len(data) > MAX_TEXT_BYTES:  # grew while we looked
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
