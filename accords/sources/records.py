"""One record (a JSON object, a CSV row, a Parquet row) to a Document, or to a Link to fetch."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from accords.errors import InputError
from accords.model import Document, content_hash
from accords.sources.dates import parse_published

HASH_ID_LENGTH = 16  # a document without an id is named by the start of its content hash


class InputWarning(InputError):
    """A problem with an input that was read anyway (e.g. a publication date that was not understood)."""


@dataclass(frozen=True)
class Columns:
    """Which field of a record holds what (`--text-col`, `--date-col`, `--url-col`, `--id-col`)."""

    text: str = "text"
    date: str = "published"
    url: str = "url"
    id: str = "id"
    title: str = "title"
    outlet: str = "outlet"
    language: str = "language"


DEFAULT_COLUMNS = Columns()


@dataclass(frozen=True)
class Link:
    """A record with a URL but no text: the page to fetch, with what the record says about it."""

    url: str
    where: str  # file and line, for messages
    doc_id: str | None = None
    title: str | None = None
    outlet: str | None = None
    published: date | None = None  # the record's date, used when the page gives none


def document_from_object(obj: Any, where: str, *, default_id: str | None = None,
                         published: date | None = None, columns: Columns = DEFAULT_COLUMNS,
                         links: bool = False) -> tuple[Document | Link | None, list[InputError]]:
    """The Document an object describes (None when it cannot be read) and the problems found.

    Fields (named by `columns`): `text` (required, unless the record has a
    `url`: then a Link to fetch comes back), `id` (else `default_id`, else the
    content hash prefix), `published`, `title`, `url`, `outlet`, `language`.
    A Link comes back only when `links` is true; otherwise a record without
    text is an InputError.
    `published` (the caller's override) is used when the object gives no
    date, or one that cannot be understood.
    """
    c = columns
    if not isinstance(obj, dict):
        return None, [InputError(where, f"expected a JSON object, got {_json_type(obj)}")]
    text = obj.get(c.text)
    url = _opt_str(obj.get(c.url))
    if links and (text is None or (isinstance(text, str) and not text.strip())) and url \
            and url.startswith(("http://", "https://")):
        return _link(obj, where, url, c)
    if text is None:
        return None, [InputError(where, f"no {c.text!r} field" + (f" (nor an http(s) {c.url!r} to fetch)"
                                                                 if c.url in obj else ""))]
    if not isinstance(text, str):
        return None, [InputError(where, f"{c.text!r} is {_json_type(text)}, not a string")]
    if not text.strip():
        return None, [InputError(where, "the text is blank")]

    problems: list[InputError] = []
    raw_id = obj.get(c.id)
    doc_id = str(raw_id).strip() if isinstance(raw_id, (str, int)) and not isinstance(raw_id, bool) else ""
    if raw_id is not None and not doc_id:
        problems.append(InputWarning(where, f"id {raw_id!r} is not usable; named by its content hash"))
    doc_id = doc_id or default_id or content_hash(text)[:HASH_ID_LENGTH]

    day, precision, how = None, None, None
    raw_date = obj.get(c.date)
    try:
        day, precision = parse_published(_date_value(raw_date))
        how = "metadata" if precision else None
    except ValueError:
        problems.append(InputWarning(where, f"published date {raw_date!r} not understood; "
                                            "read without it (use YYYY-MM-DD)"))
    if day is None and precision is None and published is not None:
        day, precision, how = published, "day", "given"

    doc = Document(id=doc_id, text=text, published=day, published_precision=precision, published_source=how,
                   url=_opt_str(obj.get(c.url)), title=_opt_str(obj.get(c.title)),
                   outlet=_opt_str(obj.get(c.outlet)), language=_opt_str(obj.get(c.language)) or "en",
                   source=where)
    return doc, problems


def read_record(obj: Any, where: str, lineno: int, seen: dict[str, int], *, published: date | None,
                columns: Columns) -> list[Document | Link | InputError]:
    """The items of one corpus record, with `seen` (id -> line) catching an id used twice in one file."""
    doc, problems = document_from_object(obj, where, published=published, columns=columns, links=True)
    out: list[Document | Link | InputError] = list(problems)
    if isinstance(doc, Document):
        if doc.id in seen:
            return out + [InputError(where, f"duplicate id {doc.id!r} (first on line {seen[doc.id]})")]
        seen[doc.id] = lineno
    if doc is not None:
        out.append(doc)
    return out


def _link(obj: dict, where: str, url: str, c: Columns) -> tuple[Link, list[InputError]]:
    try:
        day, _ = parse_published(_date_value(obj.get(c.date)))
    except ValueError:
        day = None
    return Link(url=url, where=where, doc_id=_opt_str(obj.get(c.id)), title=_opt_str(obj.get(c.title)),
                outlet=_opt_str(obj.get(c.outlet)), published=day), []


def _date_value(value: Any) -> Any:
    """Dates as CSV and Parquet give them: date objects, datetimes, YYYYMMDD[HHMMSS] numbers (GDELT)."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        if value != value:  # NaN: no date
            return None
        value = int(value) if value.is_integer() else value
    text = str(value).strip() if isinstance(value, (int, str)) and not isinstance(value, bool) else None
    if text and text.isdigit() and len(text) in (8, 12, 14):  # YYYYMMDD, +HHMM, +HHMMSS
        return f"{text[:4]}-{text[4:6]}-{text[6:8]}"
    return value


def _opt_str(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    text = str(value).strip()
    return text or None


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}.get(type(value), "a number")
