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
    return _Guarded(io.BufferedReader(_ZstdRaw(raw)), raw, "zstd")


class _ZstdRaw(io.RawIOBase):
    """zstd frames decompressed as they are read; a stream that ends inside a frame raises CorruptStream
    (zstandard's own stream reader just stops there, as if the file were complete)."""

    CHUNK = 128 * 1024

    def __init__(self, raw: BinaryIO):
        import zstandard

        self._zstd = zstandard
        self._raw = raw
        self._obj = zstandard.ZstdDecompressor().decompressobj()
        self._pending = b""
        self._started = False  # input fed to the current frame

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        while not self._pending:
            data = self._raw.read(self.CHUNK)
            if not data:
                if self._started and not self._obj.eof:
                    raise CorruptStream("truncated or corrupt zstd data (the stream ends inside a frame)")
                return 0
            self._feed(data)
        n = min(len(b), len(self._pending))
        b[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n

    def _feed(self, data: bytes) -> None:
        while data:
            if self._obj.eof:  # the next frame
                self._obj = self._zstd.ZstdDecompressor().decompressobj()
            self._started = True
            self._pending += self._obj.decompress(data)
            data = self._obj.unused_data if self._obj.eof else b""
            if self._obj.eof and not data:
                self._started = False


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
