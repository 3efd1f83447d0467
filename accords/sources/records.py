"""One JSON object (a line of a corpus, or a .json file) to a Document."""
from __future__ import annotations

from datetime import date
from typing import Any

from accords.errors import InputError
from accords.model import Document, content_hash
from accords.sources.dates import parse_published

HASH_ID_LENGTH = 16  # a document without an id is named by the start of its content hash


class InputWarning(InputError):
    """A problem with an input that was read anyway (e.g. a publication date that was not understood)."""


def document_from_object(obj: Any, where: str, *, default_id: str | None = None,
                         published: date | None = None) -> tuple[Document | None, list[InputError]]:
    """The Document an object describes (None when it cannot be read) and the problems found.

    Fields: `text` (required), `id` (else `default_id`, else the content hash
    prefix), `published`, `title`, `url`, `outlet`, `language`. `published`
    (the caller's override) is used when the object gives no date, or one that
    cannot be understood.
    """
    if not isinstance(obj, dict):
        return None, [InputError(where, f"expected a JSON object, got {_json_type(obj)}")]
    text = obj.get("text")
    if "text" not in obj or text is None:
        return None, [InputError(where, "no 'text' field")]
    if not isinstance(text, str):
        return None, [InputError(where, f"'text' is {_json_type(text)}, not a string")]
    if not text.strip():
        return None, [InputError(where, "the text is blank")]

    problems: list[InputError] = []
    raw_id = obj.get("id")
    doc_id = str(raw_id).strip() if isinstance(raw_id, (str, int)) and not isinstance(raw_id, bool) else ""
    if raw_id is not None and not doc_id:
        problems.append(InputWarning(where, f"id {raw_id!r} is not usable; named by its content hash"))
    doc_id = doc_id or default_id or content_hash(text)[:HASH_ID_LENGTH]

    day, precision, how = None, None, None
    raw_date = obj.get("published")
    try:
        day, precision = parse_published(raw_date)
        how = "metadata" if precision else None
    except ValueError:
        problems.append(InputWarning(where, f"published date {raw_date!r} not understood; "
                                            "read without it (use YYYY-MM-DD)"))
    if day is None and precision is None and published is not None:
        day, precision, how = published, "day", "given"

    doc = Document(id=doc_id, text=text, published=day, published_precision=precision, published_source=how,
                   url=_opt_str(obj.get("url")), title=_opt_str(obj.get("title")),
                   outlet=_opt_str(obj.get("outlet")), language=_opt_str(obj.get("language")) or "en",
                   source=where)
    return doc, problems


def _opt_str(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    text = str(value).strip()
    return text or None


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}.get(type(value), "a number")
