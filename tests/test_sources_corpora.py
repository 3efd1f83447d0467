"""Corpora: CSV/TSV and Parquet with named columns, GDELT exports, gzip and zstd streams, globs, broken files."""
from __future__ import annotations

import gzip
import json
import random
import tracemalloc
from datetime import date
from pathlib import Path

import pytest

from accords.model import Document
from accords.sources import Columns, InputWarning, Link, read_paths
from accords.sources.problems import reason_of

ROWS = [  # (id, text, date) written for these tests
    ("r1", "Norway will join the Mercosur trade bloc on Monday, officials said.", "2026-03-02"),
    ("r2", "Chile and Peru restored diplomatic relations on Monday.", "2026-03-02"),
    ("r3", "Ecuador cut diplomatic relations with Mexico on Friday.", "2026-02-27"),
]


def read(*paths, **kw) -> list:
    return list(read_paths([str(p) for p in paths], **kw))


def docs(items) -> list[Document]:
    return [x for x in items if isinstance(x, Document)]


def problems(items) -> list:
    return [x for x in items if not isinstance(x, (Document, Link)) and not isinstance(x, InputWarning)]


def write_csv(path: Path, header: list[str], rows: list[tuple], delimiter: str = ",") -> Path:
    import csv

    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter=delimiter)
        w.writerow(header)
        w.writerows(rows)
    return path


def test_csv_with_named_columns(tmp_path: Path):
    p = write_csv(tmp_path / "corpus.csv", ["article_id", "body", "pub_date", "link"],
                  [(i, t, d, f"https://news.example/{i}") for i, t, d in ROWS])
    cols = Columns(text="body", date="pub_date", url="link", id="article_id")
    got = docs(read(p, columns=cols))
    assert [(d.id, d.published, d.url, d.source) for d in got] == [
        ("r1", date(2026, 3, 2), "https://news.example/r1", f"{p}:2"),
        ("r2", date(2026, 3, 2), "https://news.example/r2", f"{p}:3"),
        ("r3", date(2026, 2, 27), "https://news.example/r3", f"{p}:4")]


def test_tsv_with_quoted_newlines_and_the_default_columns(tmp_path: Path):
    p = write_csv(tmp_path / "c.tsv", ["id", "text", "published"],
                  [("a", "First paragraph.\nSecond paragraph about NATO.", "2026-01-05"), ("b", "Other.", "")],
                  delimiter="\t")
    a, b = docs(read(p))
    assert a.text == "First paragraph.\nSecond paragraph about NATO." and b.source == f"{p}:4"


def test_csv_without_the_text_column_says_which_option_to_use(tmp_path: Path):
    p = write_csv(tmp_path / "c.csv", ["headline", "content"], [("h", "t")])
    [err] = read(p)
    assert reason_of(err) == "malformed" and "--text-col" in err.problem and "content" in err.problem


def test_bad_csv_rows_are_reported_by_line_and_the_rest_read(tmp_path: Path):
    p = tmp_path / "c.csv"
    p.write_bytes(b"id,text\n"
                  b"a,Norway joined NATO in 1949.\n"
                  b"b,too,many,fields\n"
                  b"c,caf\xe9 latin-1 bytes\n"
                  b"d,\n"
                  b"e,Sweden joined NATO in March 2024.\n")
    items = read(p)
    assert [d.id for d in docs(items)] == ["a", "e"]
    got = {e.source: reason_of(e) for e in problems(items)}
    assert got == {f"{p}:3": "malformed", f"{p}:4": "encoding", f"{p}:5": "empty"}


def test_rows_with_a_url_and_no_text_are_links_to_fetch(tmp_path: Path):
    p = write_csv(tmp_path / "urls.csv", ["url", "published"], [("https://news.example/a", "2026-03-02"),
                                                               ("not a url", "2026-03-02")])
    items = read(p)
    [link] = [x for x in items if isinstance(x, Link)]
    assert (link.url, link.published, link.where) == ("https://news.example/a", date(2026, 3, 2), f"{p}:2")
    [err] = problems(items)
    assert "no 'text' field" in err.problem


def test_a_gdelt_event_export_is_recognized_without_a_header(tmp_path: Path):
    def row(event_id: int, url: str) -> str:
        cols = [str(event_id), "20260302"] + [""] * 57 + ["20260302101500", url]
        return "\t".join(cols)

    p = tmp_path / "20260302101500.export.CSV"
    p.write_text("\n".join([row(1, "https://news.example/a"), row(2, "https://news.example/a"),
                            row(3, "https://news.example/b")]) + "\n", encoding="utf-8")
    links = [x for x in read(p) if isinstance(x, Link)]
    assert [(x.url, x.published) for x in links] == [("https://news.example/a", date(2026, 3, 2)),
                                                     ("https://news.example/a", date(2026, 3, 2)),
                                                     ("https://news.example/b", date(2026, 3, 2))]


def test_parquet_with_named_columns_and_typed_dates(tmp_path: Path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({"doc": [r[0] for r in ROWS], "content": [r[1] for r in ROWS],
                      "day": [date.fromisoformat(r[2]) for r in ROWS], "unused": [1, 2, 3]})
    p = tmp_path / "c.parquet"
    pq.write_table(table, p, row_group_size=2)
    got = docs(read(p, columns=Columns(text="content", date="day", id="doc")))
    assert [(d.id, d.published, d.source) for d in got] == [
        ("r1", date(2026, 3, 2), f"{p}:row 1"), ("r2", date(2026, 3, 2), f"{p}:row 2"),
        ("r3", date(2026, 2, 27), f"{p}:row 3")]


def test_a_truncated_parquet_file_is_reported(tmp_path: Path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    p = tmp_path / "c.parquet"
    pq.write_table(pa.table({"text": [r[1] for r in ROWS]}), p)
    p.write_bytes(p.read_bytes()[:-20])
    [err] = read(p)
    assert reason_of(err) == "malformed" and "Parquet" in err.problem


def jsonl_bytes(n: int) -> bytes:
    return b"".join(json.dumps({"id": f"d{i}", "text": f"Story {i}: Norway joined NATO in 1949.",
                                "published": "2026-03-02"}).encode() + b"\n" for i in range(n))


@pytest.mark.parametrize("suffix", [".jsonl.gz", ".jsonl.zst", ".csv.gz"])
def test_compressed_corpora_are_streamed(tmp_path: Path, suffix: str):
    import zstandard

    if suffix == ".csv.gz":
        data = b"id,text\n" + b"".join(f"d{i},Story {i}.\n".encode() for i in range(50))
    else:
        data = jsonl_bytes(50)
    packed = gzip.compress(data) if suffix.endswith(".gz") else zstandard.ZstdCompressor().compress(data)
    p = tmp_path / f"corpus{suffix}"
    p.write_bytes(packed)
    got = docs(read(p))
    assert len(got) == 50 and got[0].id == "d0" and got[-1].id == "d49"


@pytest.mark.parametrize("suffix", [".jsonl.gz", ".jsonl.zst"])
def test_a_truncated_compressed_file_keeps_what_came_before_the_break(tmp_path: Path, suffix: str):
    import zstandard

    rng = random.Random(7)  # varied text, so that the compressed stream has many blocks to cut between
    data = b"".join(json.dumps({"id": f"d{i}", "text": f"Story {rng.getrandbits(512):x}."}).encode() + b"\n"
                    for i in range(5000))
    packed = gzip.compress(data) if suffix.endswith(".gz") else zstandard.ZstdCompressor().compress(data)
    p = tmp_path / f"corpus{suffix}"
    p.write_bytes(packed[: len(packed) // 2])
    items = read(p)
    got = docs(items)
    assert 0 < len(got) < 5000 and got[0].id == "d0"
    [err] = problems(items)
    assert reason_of(err) == "malformed" and "truncated or corrupt" in err.problem


def test_a_corrupt_gzip_header_is_reported(tmp_path: Path):
    p = tmp_path / "c.jsonl.gz"
    p.write_bytes(b"this is not gzip at all")
    [err] = read(p)
    assert reason_of(err) == "malformed"


def test_a_large_compressed_corpus_is_read_in_little_memory(tmp_path: Path):
    p = tmp_path / "big.jsonl.gz"
    with gzip.open(p, "wb", compresslevel=1) as fh:
        for _ in range(40):
            fh.write(jsonl_bytes(2000))  # 80,000 lines, about 8 MB uncompressed
    tracemalloc.start()
    n = 0
    for item in read_paths([str(p)]):
        n += isinstance(item, Document)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert n == 2000  # ids repeat every 2,000 lines: the rest are reported as duplicate ids
    assert peak < 4 * 2**20, f"peak {peak / 2**20:.1f} MB while streaming an 8 MB corpus"


def test_globs_match_files_in_path_order(tmp_path: Path):
    for name in ("b.txt", "a.txt", "c.md"):
        (tmp_path / name).write_text(f"Text of {name}.", encoding="utf-8")
    got = docs(read(tmp_path / "*.txt"))
    assert [d.id for d in got] == ["a", "b"]
    [err] = read(tmp_path / "*.nothing")
    assert reason_of(err) == "not-found" and "no files match" in err.problem
