"""CSV/TSV and Parquet corpora, read as streams: one document (or URL to fetch) per row.

Columns are named by `Columns` (`--text-col`, `--date-col`, `--url-col`,
`--id-col`); a row with a URL and no text is a Link whose page is fetched.
CSV: the delimiter is sniffed (comma, tab, semicolon, pipe); the first row is
the header, except for a GDELT event export (tab-separated, no header, the
source URL in the last column), whose rows become Links with the event id and
the day the event was added. Parquet: read in row batches, only the columns
needed.
"""
from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import BinaryIO

from accords.errors import InputError
from accords.model import Document
from accords.sources.jsonl import MAX_LINE_BYTES, _lines
from accords.sources.problems import problem
from accords.sources.records import DEFAULT_COLUMNS, Columns, Link, read_record

GDELT_COLUMNS = Columns(text="", date="DATEADDED", url="SOURCEURL", id="GLOBALEVENTID")
_GDELT_WIDTHS = (57, 58, 61)  # GDELT 1.0 daily files, and GDELT 2.0 event exports
_SNIFF_BYTES = 64 * 1024
PARQUET_BATCH = 1024


def read_csv(fh: BinaryIO, name: str, *, published: date | None = None, columns: Columns = DEFAULT_COLUMNS,
             delimiter: str | None = None) -> Iterator[Document | Link | InputError]:
    """The rows of a CSV/TSV stream; a bad row (encoding, quoting, no text) is reported by its line and skipped."""
    csv.field_size_limit(MAX_LINE_BYTES)
    bad_lines: set[int] = set()
    text_lines = _decoded(fh, name, bad_lines)
    head = _peek(text_lines)
    if not head:
        yield problem(name, "empty file", "empty")
        return
    sample = "".join(head)
    delimiter = delimiter or _sniff(sample)
    reader = csv.reader(_chain(head, text_lines), delimiter=delimiter)
    first_line = 1
    try:
        header = next(reader)
    except csv.Error as exc:
        yield problem(name, f"not a readable CSV header ({exc})", "malformed")
        return
    if _is_gdelt(header, delimiter):
        fields, columns, rows_start = _gdelt_names(len(header)), GDELT_COLUMNS, [header]
    else:
        fields, rows_start = [h.strip().lstrip("\ufeff") for h in header], []
        if columns.text not in fields and columns.url not in fields:
            yield problem(name, f"no {columns.text!r} column (nor {columns.url!r}) in the header "
                                f"{', '.join(fields[:12])}; name them with --text-col / --url-col", "malformed")
            return
    seen: dict[str, int] = {}
    line = 1 if rows_start else reader.line_num + 1
    rows = _rows(reader, rows_start)
    while True:
        first_line = line
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as exc:
            line = reader.line_num + 1
            yield problem(f"{name}:{first_line}", f"malformed CSV row ({exc})", "malformed")
            continue
        line = reader.line_num + 1
        where = f"{name}:{first_line}"
        if any(n in bad_lines for n in range(first_line, line)):
            yield problem(where, "not valid UTF-8 (convert the file, e.g. iconv -f latin1 -t utf-8)", "encoding")
            continue
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(fields):
            yield problem(where, f"{len(row)} fields where the header has {len(fields)}", "malformed")
            continue
        yield from read_record(dict(zip(fields, row)), where, first_line, seen, published=published,
                               columns=columns)


def read_parquet(path: Path, name: str, *, published: date | None = None,
                 columns: Columns = DEFAULT_COLUMNS) -> Iterator[Document | Link | InputError]:
    """The rows of a Parquet file, in batches of PARQUET_BATCH rows, reading only the columns named."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as exc:
        yield problem(name, f"not a readable Parquet file ({exc})", "malformed")
        return
    present = set(pf.schema_arrow.names)
    if columns.text not in present and columns.url not in present:
        yield problem(name, f"no {columns.text!r} column (nor {columns.url!r}); the columns are "
                            f"{', '.join(sorted(present)[:12])}: name them with --text-col / --url-col", "malformed")
        return
    wanted = [c for c in dict.fromkeys([columns.id, columns.text, columns.date, columns.url, columns.title,
                                        columns.outlet, columns.language]) if c in present]
    seen: dict[str, int] = {}
    row_no = 0
    try:
        for batch in pf.iter_batches(batch_size=PARQUET_BATCH, columns=wanted):
            for record in batch.to_pylist():
                row_no += 1
                yield from read_record(record, f"{name}:row {row_no}", row_no, seen, published=published,
                                       columns=columns)
    except (pa.ArrowException, OSError) as exc:
        yield problem(f"{name}:row {row_no + 1}", f"the Parquet file breaks off here ({exc}); the rows before "
                                                  "it were read", "malformed")


def _decoded(fh: BinaryIO, name: str, bad_lines: set[int]) -> Iterator[str]:
    """Text lines of a byte stream; a line that is not UTF-8 is noted in `bad_lines` and read with U+FFFD."""
    for lineno, _offset, raw in _lines(fh):
        if raw is None:
            bad_lines.add(lineno)
            yield "\n"
            continue
        if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError:
            bad_lines.add(lineno)
            yield raw.decode("utf-8", "replace")


def _peek(lines: Iterator[str]) -> list[str]:
    head, size = [], 0
    for line in lines:
        head.append(line)
        size += len(line)
        if size >= _SNIFF_BYTES:
            break
    return head


def _chain(head: list[str], rest: Iterator[str]) -> Iterator[str]:
    yield from head
    yield from rest


def _rows(reader, first: list[list[str]]) -> Iterator[list[str]]:
    yield from first
    yield from reader


def _sniff(sample: str) -> str:
    try:
        return csv.Sniffer().sniff(sample, delimiters=",\t;|").delimiter
    except csv.Error:
        return "\t" if sample.count("\t") > sample.count(",") else ","


def _is_gdelt(header: list[str], delimiter: str) -> bool:
    return delimiter == "\t" and len(header) in _GDELT_WIDTHS and header[-1].startswith(("http://", "https://"))


def _gdelt_names(width: int) -> list[str]:
    names = [f"col{i}" for i in range(width)]
    names[0], names[-2], names[-1] = "GLOBALEVENTID", "DATEADDED", "SOURCEURL"
    return names
