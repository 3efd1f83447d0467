"""Readers: files, corpora, directories and stdin to Documents; bad input reported, never raised."""
from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accords.errors import InputError
from accords.model import Document, content_hash
from accords.sources import InputWarning, parse_published, read_paths
from accords.sources import files as files_mod
from accords.sources import jsonl as jsonl_mod


def read(*paths, **kw) -> list:
    return list(read_paths([str(p) for p in paths], **kw))


def docs(items) -> list[Document]:
    return [x for x in items if isinstance(x, Document)]


def errors(items) -> list[InputError]:
    return [x for x in items if isinstance(x, InputError) and not isinstance(x, InputWarning)]


def only_error(items) -> InputError:
    assert len(items) == 1 and isinstance(items[0], InputError), items
    return items[0]


# -- plain text ------------------------------------------------------------------

def test_text_file_is_one_document_named_by_its_stem(tmp_path: Path):
    p = tmp_path / "norway-nato.txt"
    p.write_text("Norway joined NATO in 1949.\n", encoding="utf-8")
    [doc] = read(p)
    assert doc.id == "norway-nato" and doc.text == "Norway joined NATO in 1949.\n"
    assert doc.published is None and doc.source == str(p)


def test_published_override_dates_text_documents(tmp_path: Path):
    p = tmp_path / "a.txt"
    p.write_text("Chile and Peru restored diplomatic relations on Monday.", encoding="utf-8")
    [doc] = read(p, published=date(2026, 3, 2))
    assert (doc.published, doc.published_precision, doc.published_source) == (date(2026, 3, 2), "day", "given")


def test_any_other_suffix_is_text_and_bom_and_crlf_are_handled(tmp_path: Path):
    p = tmp_path / "story.md"
    p.write_bytes(b"\xef\xbb\xbfLine one.\r\nLine two.\r\n")
    [doc] = read(p)
    assert doc.id == "story" and doc.text == "Line one.\nLine two.\n"


def test_utf16_with_bom_is_read(tmp_path: Path):
    p = tmp_path / "u16.txt"
    p.write_bytes("Norway joined NATO in 1949.".encode("utf-16"))
    [doc] = read(p)
    assert doc.text == "Norway joined NATO in 1949."


@pytest.mark.parametrize("content, problem", [
    (b"", "empty file"),
    (b"  \n\t\n", "empty file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
])
def test_empty_and_binary_files_are_skipped(tmp_path: Path, content: bytes, problem: str):
    p = tmp_path / "bad.txt"
    p.write_bytes(content)
    err = only_error(read(p))
    assert err.source == str(p) and problem in err.problem


def test_invalid_utf8_names_the_byte_offset(tmp_path: Path):
    p = tmp_path / "latin1.txt"
    p.write_bytes("Caf\u00e9 diplomacy".encode("latin-1"))
    err = only_error(read(p))
    assert "not valid UTF-8 at byte offset 3" in err.message and str(p) in err.message


def test_missing_path_is_reported_and_the_rest_is_read(tmp_path: Path):
    good = tmp_path / "good.txt"
    good.write_text("Norway joined NATO in 1949.", encoding="utf-8")
    items = read(tmp_path / "nope.txt", good)
    assert "no such file" in errors(items)[0].message
    assert [d.id for d in docs(items)] == ["good"]


def test_too_large_text_file_is_refused(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(files_mod, "MAX_TEXT_BYTES", 100)
    p = tmp_path / "big.txt"
    p.write_text("x" * 101, encoding="utf-8")
    err = only_error(read(p))
    assert "too large" in err.problem and "jsonl" in err.problem


# -- directories -------------------------------------------------------------------

def test_directory_reads_its_text_json_and_jsonl_files_sorted(tmp_path: Path):
    d = tmp_path / "in"
    (d / "sub").mkdir(parents=True)
    (d / "b.txt").write_text("Second.", encoding="utf-8")
    (d / "a.txt").write_text("First.", encoding="utf-8")
    (d / "c.jsonl").write_text('{"id": "c1", "text": "Third."}\n', encoding="utf-8")
    (d / "sub" / "d.json").write_text('{"id": "d", "text": "Fourth."}', encoding="utf-8")
    (d / "notes.csv").write_text("ignored", encoding="utf-8")
    (d / ".hidden.txt").write_text("ignored", encoding="utf-8")
    assert [x.id for x in read(d)] == ["a", "b", "c1", "d"]


def test_directory_without_readable_files_is_reported(tmp_path: Path):
    d = tmp_path / "empty"
    d.mkdir()
    err = only_error(read(d))
    assert "no .txt, .json or .jsonl files" in err.problem


# -- .json ---------------------------------------------------------------------------

def test_json_file_is_one_document_with_metadata(tmp_path: Path):
    p = tmp_path / "story.json"
    p.write_text(json.dumps({"text": "Norway joined NATO in 1949.", "published": "2024-05-01",
                             "title": "T", "url": "https://example.org/a", "outlet": "Wire"}), encoding="utf-8")
    [doc] = read(p)
    assert doc.id == "story"  # no id: the file's stem
    assert (doc.published, doc.title, doc.url, doc.outlet) == (date(2024, 5, 1), "T", "https://example.org/a", "Wire")


@pytest.mark.parametrize("content, problem", [
    ('{"id": "x", "text": ', "not valid JSON"),
    ('[{"text": "a"}]', "a .json file is one document"),
    ('{"id": "x"}', "no 'text' field"),
    ('{"id": "x", "text": "   "}', "blank"),
])
def test_bad_json_files(tmp_path: Path, content: str, problem: str):
    p = tmp_path / "bad.json"
    p.write_text(content, encoding="utf-8")
    assert problem in only_error(read(p)).problem


# -- JSONL ---------------------------------------------------------------------------

def write_lines(path: Path, lines: list[str | bytes]) -> Path:
    path.write_bytes(b"".join((x if isinstance(x, bytes) else x.encode()) + b"\n" for x in lines))
    return path


def test_jsonl_reads_each_line_and_reports_bad_lines_by_number(tmp_path: Path):
    p = write_lines(tmp_path / "corpus.jsonl", [
        json.dumps({"id": "a", "text": "Norway joined NATO in 1949.", "published": "2024-05-01",
                    "outlet": "Wire"}),
        "",
        '{"id": "b", "text": ',
        json.dumps({"id": "c", "text": ""}),
        json.dumps({"id": "d"}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"id": "a", "text": "Another text, same id."}),
        json.dumps({"id": "e", "text": "Chile and Peru restored diplomatic relations."}),
    ])
    items = read(p)
    assert [(d.id, d.source) for d in docs(items)] == [("a", f"{p}:1"), ("e", f"{p}:8")]
    problems = {e.source: e.problem for e in errors(items)}
    assert set(problems) == {f"{p}:3", f"{p}:4", f"{p}:5", f"{p}:6", f"{p}:7"}
    assert "not valid JSON" in problems[f"{p}:3"]
    assert "blank" in problems[f"{p}:4"] and "no 'text'" in problems[f"{p}:5"]
    assert "expected a JSON object" in problems[f"{p}:6"] and "duplicate id 'a'" in problems[f"{p}:7"]
    assert docs(items)[0].outlet == "Wire" and docs(items)[0].published == date(2024, 5, 1)


def test_jsonl_without_id_uses_the_content_hash_prefix(tmp_path: Path):
    text = "Norway joined NATO in 1949."
    p = write_lines(tmp_path / "c.jsonl", [json.dumps({"text": text})])
    [doc] = read(p)
    assert doc.id == content_hash(text)[:16]


def test_jsonl_dates(tmp_path: Path):
    p = write_lines(tmp_path / "c.jsonl", [
        json.dumps({"id": "iso", "text": "a", "published": "2023-11-05"}),
        json.dumps({"id": "month", "text": "b", "published": "2023-11"}),
        json.dumps({"id": "words", "text": "c", "published": "March 5, 2024"}),
        json.dumps({"id": "stamp", "text": "d", "published": "2024-03-05T23:10:00-05:00"}),
        json.dumps({"id": "none", "text": "e"}),
    ])
    got = {d.id: (d.published, d.published_precision) for d in read(p, published=date(2026, 1, 1))}
    assert got == {"iso": (date(2023, 11, 5), "day"), "month": (None, "month"),
                   "words": (date(2024, 3, 5), "day"), "stamp": (date(2024, 3, 5), "day"),
                   "none": (date(2026, 1, 1), "day")}  # the override dates what gives no date


def test_jsonl_unparseable_date_warns_and_keeps_the_document(tmp_path: Path):
    p = write_lines(tmp_path / "c.jsonl", [json.dumps({"id": "x", "text": "a", "published": "sometime soon"})])
    warning, doc = read(p)
    assert isinstance(warning, InputWarning) and warning.source == f"{p}:1" and "sometime soon" in warning.problem
    assert isinstance(doc, Document) and doc.id == "x" and doc.published is None


def test_jsonl_invalid_utf8_names_line_and_file_offset(tmp_path: Path):
    first = json.dumps({"id": "a", "text": "ok"}).encode() + b"\n"
    p = tmp_path / "c.jsonl"
    p.write_bytes(first + b'{"id": "b", "text": "caf\xe9"}\n')
    items = read(p)
    [err] = errors(items)
    assert err.source == f"{p}:2"
    assert f"byte offset {len(first) + 24}" in err.problem
    assert [d.id for d in docs(items)] == ["a"]


def test_jsonl_empty_and_binary_files(tmp_path: Path):
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"\n\n")
    binary = tmp_path / "bin.jsonl"
    binary.write_bytes(b"\x00\x01\x02\n\x00\x00\n")
    assert "empty file" in only_error(read(empty)).problem
    assert "binary file" in only_error(read(binary)).problem


def test_jsonl_line_over_the_limit_is_skipped_alone(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(jsonl_mod, "MAX_LINE_BYTES", 64)
    p = write_lines(tmp_path / "c.jsonl", [
        json.dumps({"id": "long", "text": "x" * 200}),
        json.dumps({"id": "short", "text": "fine"}),
    ])
    items = read(p)
    assert errors(items)[0].source == f"{p}:1" and "longer than" in errors(items)[0].problem
    assert [d.id for d in docs(items)] == ["short"]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12),
                          st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=60)
                          .filter(str.strip)),
                min_size=1, max_size=5, unique_by=lambda t: t[0].strip()))
def test_jsonl_round_trip(tmp_path_factory, pairs):
    pairs = [(i, t) for i, t in pairs if i.strip()]
    path = tmp_path_factory.mktemp("rt") / "c.jsonl"
    path.write_text("".join(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n" for i, t in pairs),
                    encoding="utf-8")
    items = read(path)
    got = [(d.id, d.text) for d in docs(items)]
    assert got == [(i.strip(), t) for i, t in pairs]
    assert len(items) == len(got) or (not pairs and "empty file" in items[0].problem)  # ids all blank: nothing left


# -- stdin -------------------------------------------------------------------------

def test_stdin_text_is_one_document():
    [doc] = read("-", stdin=io.BytesIO(b"Norway joined NATO in 1949.\n"), published=date(2026, 3, 2))
    assert (doc.id, doc.published) == ("stdin", date(2026, 3, 2))


def test_stdin_jsonl_is_streamed_line_by_line():
    data = b'\n{"id": "a", "text": "one"}\n{bad\n{"id": "b", "text": "two"}\n'
    items = read("-", stdin=io.BytesIO(data))
    assert [d.id for d in docs(items)] == ["a", "b"]
    assert errors(items)[0].source == "stdin:3"


def test_empty_stdin_is_reported():
    assert "empty" in only_error(read("-", stdin=io.BytesIO(b""))).problem


# -- dates -----------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    (None, (None, None)), ("", (None, None)), ("2025", (None, "year")), (2025, (None, "year")),
    ("2025-11", (None, "month")), ("2025-11-06", (date(2025, 11, 6), "day")),
    ("November 2025", (None, "month")), ("6 November 2025", (date(2025, 11, 6), "day")),
])
def test_parse_published(value, expected):
    assert parse_published(value) == expected


@pytest.mark.parametrize("value", ["2025-13-01", "2025-02-30", "soon", "yesterday", ["2025"]])
def test_parse_published_rejects(value):
    with pytest.raises(ValueError):
        parse_published(value)
