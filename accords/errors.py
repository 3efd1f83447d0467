"""One error hierarchy: every domain error subclasses AccordsError and says what to do next."""
from __future__ import annotations


class AccordsError(Exception):
    """Base of every error accords raises on purpose."""

    status = 400  # HTTP status the API answers with

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InputError(AccordsError):
    """A source (file, line, document) could not be read; the run skips it and goes on."""

    def __init__(self, source: str, problem: str):
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem


class UnknownEntityError(AccordsError):
    """A name given on the command line or in a query resolves to nothing."""

    status = 404

    def __init__(self, name: str, suggestions: list[str] | None = None):
        hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"unknown name {name!r}.{hint}")
        self.name = name
        self.suggestions = suggestions or []


class StoreError(AccordsError):
    """The database cannot be opened, migrated or written."""

    status = 500
