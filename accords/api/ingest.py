"""POST /documents: one document or a batch, read like a JSONL corpus line and extracted at once.

The body is JSON: one object ({"text": ..., "id", "published", "title", "url",
"outlet", "language"}), a list of them, or {"documents": [...]}. Each object is
read by the same reader as the CLI's corpus lines (accords.sources), so the
messages are the same; what cannot be read is reported and skipped, the rest is
extracted and stored, each document in its own transaction.
"""
from __future__ import annotations

import json
import threading
from datetime import date
from typing import Any

from accords.api.errors import ApiError
from accords.errors import InputError, StoreError
from accords.model import Document
from accords.sources import InputWarning, document_from_object

MAX_BODY_BYTES = 10 * 2**20  # one request
MAX_DOCUMENTS = 100  # one batch: extraction runs while the client waits

_EXTRACTING = threading.Lock()  # one extraction at a time: the spaCy pipeline is shared

REQUEST_SCHEMA: dict[str, Any] = {
    "required": True,
    "content": {"application/json": {"schema": {
        "oneOf": [
            {"$ref": "#/components/schemas/DocumentIn"},
            {"type": "array", "items": {"$ref": "#/components/schemas/DocumentIn"}, "maxItems": MAX_DOCUMENTS},
            {"type": "object", "required": ["documents"], "properties": {"documents": {
                "type": "array", "items": {"$ref": "#/components/schemas/DocumentIn"},
                "maxItems": MAX_DOCUMENTS}}},
        ]}}},
}

DOCUMENT_SCHEMA: dict[str, Any] = {
    "type": "object", "required": ["text"],
    "properties": {
        "text": {"type": "string", "pattern": "\\S", "description": "The article text (not blank)"},
        "id": {"type": "string", "description": "Default: the first 16 characters of the content hash"},
        "published": {"type": "string", "description": "Publication date, YYYY-MM-DD; relative dates in the "
                                                       "text are resolved against it"},
        "title": {"type": "string"}, "url": {"type": "string"}, "outlet": {"type": "string"},
        "language": {"type": "string"},
    },
}


def parse(raw: bytes, published: date | None) -> tuple[list[Document], list[InputError]]:
    """The documents of a request body, and the problems met (skipped objects, warnings)."""
    if len(raw) > MAX_BODY_BYTES:
        raise ApiError(f"the request is {len(raw) / 2**20:.1f} MB; send at most {MAX_BODY_BYTES // 2**20} MB "
                       "at a time (split the batch)", 413)
    try:
        body = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ApiError(f"the request body is not UTF-8 (byte {exc.start}); send JSON in UTF-8") from None
    except json.JSONDecodeError as exc:
        raise ApiError(f"the request body is not valid JSON ({exc.msg} at line {exc.lineno} column "
                       f"{exc.colno}); send a document object, a list of them, or {{\"documents\": [...]}}") \
            from None
    if isinstance(body, dict) and "documents" in body:
        body = body["documents"]
        if not isinstance(body, list):
            raise ApiError("'documents' must be a list of document objects")
    items = body if isinstance(body, list) else [body]
    if not items:
        raise ApiError("no documents in the request; send a document object or a non-empty list")
    if len(items) > MAX_DOCUMENTS:
        raise ApiError(f"{len(items)} documents in one request; send at most {MAX_DOCUMENTS} at a time "
                       "(or use `accords ingest` for a corpus)", 413)
    documents, problems, seen = [], [], {}
    for n, obj in enumerate(items):
        where = f"document {n}" if isinstance(body, list) else "document"
        doc, found = document_from_object(obj, where, published=published)
        problems.extend(found)
        if doc is None:
            continue
        if doc.id in seen:
            problems.append(InputError(where, f"duplicate id {doc.id!r} (first in document {seen[doc.id]})"))
            continue
        seen[doc.id] = n
        documents.append(doc)
    return documents, problems


def ingest(store, documents: list[Document], problems: list[InputError]) -> tuple[int, dict[str, Any]]:
    """Extract and store the documents; the HTTP status and the report."""
    from accords.extract import extract_docs

    added, already, facts = [], [], 0
    failed = [_problem(p) for p in problems if not isinstance(p, InputWarning)]
    warnings = [_problem(p) for p in problems if isinstance(p, InputWarning)]
    fresh = [d for d in documents if not store.has_content(d.content_hash)]
    already += [d.id for d in documents if d not in fresh]
    if fresh:
        with _EXTRACTING:
            extracted = list(extract_docs(fresh))
        for doc, assertions in extracted:
            try:
                stored = store.ingest(doc, assertions)
            except StoreError as exc:
                failed.append({"source": doc.source or doc.id, "error": exc.message})
                continue
            if stored:
                added.append({"id": doc.id, "facts": len(assertions)})
                facts += len(assertions)
            else:
                already.append(doc.id)
    report = {"ok": True, "added": added, "already_stored": already, "skipped": failed,
              "warnings": warnings, "facts": facts,
              "summary": f"ingested {len(added)} documents ({facts} facts), {len(already)} already stored, "
                         f"{len(failed)} skipped"}
    if not documents and failed:
        raise ApiError("nothing could be read: " + "; ".join(f"{p['source']}: {p['error']}" for p in failed))
    return (201 if added else 200), report


def _problem(p: InputError) -> dict[str, str]:
    return {"source": p.source, "error": p.problem}
