"""Opening files as byte streams, decompressing gzip and zstd on the fly (nothing is held whole).

A truncated or corrupt compressed file raises CorruptStream from `readline`
or `read`, at the point where it breaks: what was read before it stands.
"""
from __future__ import annotations

import gzip
import io
import zlib
from pathlib import Path
from typing import BinaryIO

COMPRESSED = {".gz": "gzip", ".gzip": "gzip", ".zst": "zstd", ".zstd": "zstd"}


class CorruptStream(OSError):
    """A compressed stream that is truncated or corrupt."""


def compression_of(path: Path) -> str | None:
    return COMPRESSED.get(path.suffix.lower())


def inner_suffix(path: Path) -> str:
    """The suffix that says what a file holds: '.jsonl' for corpus.jsonl.gz, '.html' for page.html."""
    if compression_of(path) and len(path.suffixes) >= 2:
        return path.suffixes[-2].lower()
    return "" if compression_of(path) else path.suffix.lower()


def open_stream(path: Path) -> BinaryIO:
    """A buffered binary stream of the file's content, decompressed by its suffix."""
    kind = compression_of(path)
    raw = path.open("rb")
    if kind is None:
        return raw
    if kind == "gzip":
        return _Guarded(io.BufferedReader(gzip.GzipFile(fileobj=raw, mode="rb")), raw, "gzip")
    import zstandard

    reader = zstandard.ZstdDecompressor().stream_reader(raw, read_across_frames=True)
    return _Guarded(io.BufferedReader(reader), raw, "zstd")


class _Guarded(io.RawIOBase):
    """Turns a decompressor's many error types into CorruptStream, and closes the file under it."""

    def __init__(self, inner: io.BufferedReader, raw: BinaryIO, kind: str):
        self._inner, self._raw, self._kind = inner, raw, kind

    def _guard(self, fn, *args):
        import zstandard

        try:
            return fn(*args)
        except (EOFError, gzip.BadGzipFile, zlib.error, zstandard.ZstdError) as exc:
            raise CorruptStream(f"truncated or corrupt {self._kind} data ({exc})") from None

    def readable(self) -> bool:
        return True

    def readline(self, size: int | None = -1) -> bytes:
        return self._guard(self._inner.readline, -1 if size is None else size)

    def read(self, size: int | None = -1) -> bytes:
        return self._guard(self._inner.read, -1 if size is None else size)

    def readinto(self, b) -> int:
        data = self.read(len(b))
        b[: len(data)] = data
        return len(data)

    def close(self) -> None:
        try:
            self._inner.close()
        except Exception:  # closing a broken decompressor may complain again
            pass
        self._raw.close()
        super().close()
