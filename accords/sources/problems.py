"""Why an input was skipped (or read with a warning): a short machine-readable reason for every problem.

Readers yield `InputError` values (and `InputWarning` for items read anyway).
`problem()` and `warning()` make them with a reason attached; `reason_of()`
gives the reason of any InputError, classifying older messages by their words.
`to_record()` is one line of the `--errors FILE` JSON Lines report.
"""
from __future__ import annotations

from typing import Any

from accords.errors import InputError
from accords.sources.records import InputWarning

# Reasons, as written in --errors reports and in the summary of a run.
REASONS = {
    "not-found": "no such file, directory or input",
    "empty": "empty file or text",
    "encoding": "not valid text in its encoding, or binary",
    "too-large": "larger than the size limit",
    "malformed": "malformed line, record or file (JSON, CSV, Parquet, feed, compression)",
    "no-text": "no text found (no article in the page, no text column)",
    "not-html": "not an HTML page, feed or text",
    "content-type": "served with a content type accords does not read",
    "duplicate-id": "an id used earlier in the same file",
    "no-date": "no publication date found (relative dates left unresolved)",
    "date": "a publication date that could not be understood",
    "fetch-failed": "could not be fetched (network error, timeout, too many redirects)",
    "http-status": "the server answered with an error status",
    "robots": "disallowed by the site's robots.txt",
    "private-address": "a private, loopback or link-local address (allow with --allow-private)",
    "bad-url": "not an http(s) URL",
    "store": "could not be stored",
    "unreadable": "could not be read",
}

_CLASSIFY = (  # (words in an older reader's message, reason), first match wins
    ("no such file", "not-found"),
    ("too large", "too-large"), ("longer than", "too-large"),
    ("utf-", "encoding"), ("binary", "encoding"), ("nul bytes", "encoding"),
    ("empty", "empty"), ("blank", "empty"),
    ("duplicate id", "duplicate-id"),
    ("no 'text'", "no-text"),
    ("published date", "date"),
    ("json", "malformed"), ("expected a", "malformed"), ("holds a list", "malformed"),
)


def problem(source: str, text: str, reason: str, **details: Any) -> InputError:
    """An InputError (the item is skipped) with a reason and optional details (status=..., line=...)."""
    err = InputError(source, text)
    err.reason = reason  # type: ignore[attr-defined]
    err.details = details  # type: ignore[attr-defined]
    return err


def warning(source: str, text: str, reason: str, **details: Any) -> InputWarning:
    """An InputWarning (the item is read anyway) with a reason."""
    err = InputWarning(source, text)
    err.reason = reason  # type: ignore[attr-defined]
    err.details = details  # type: ignore[attr-defined]
    return err


def reason_of(err: InputError) -> str:
    reason = getattr(err, "reason", None)
    if reason:
        return reason
    low = err.problem.lower()
    for words, found in _CLASSIFY:
        if words in low:
            return found
    return "unreadable"


def to_record(err: InputError) -> dict[str, Any]:
    """One line of the --errors report: source, level, reason, message, and details such as status."""
    rec: dict[str, Any] = {"source": err.source, "level": "warning" if isinstance(err, InputWarning) else "skipped",
                           "reason": reason_of(err), "message": err.problem}
    rec.update(getattr(err, "details", None) or {})
    return rec
