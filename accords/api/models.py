"""Response shapes, for the OpenAPI document (the routes return plain dicts from the library's to_dict()).

They describe the public fact record of DESIGN.md and the envelopes around it;
every model allows more fields, as the record itself does ("fields may be added").
"""
from __future__ import annotations

from typing import Any, Optional

from pydantic import BaseModel, ConfigDict


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class EntityOut(_Open):
    id: str
    name: str
    kind: str


class EvidenceOut(_Open):
    text: str
    start: int
    end: int


class FactRecord(_Open):
    """The public fact record (DESIGN.md), plus its database id, published date, outlet, title and url."""

    doc: str
    type: str
    subject: EntityOut
    object: EntityOut
    participants: list[EntityOut]
    date: Optional[str]
    date_precision: Optional[str]
    date_text: Optional[str]
    status: str
    evidence: EvidenceOut
    confidence: float
    codes: dict[str, str]
    extractor: str
    id: int


class Ok(_Open):
    ok: bool = True


class FactPage(Ok):
    items: list[FactRecord]
    count: int
    total: int
    next: Optional[str]


class EntityList(Ok):
    items: list[EntityOut]


class BodyOut(Ok):
    body: EntityOut
    founded: Optional[str]
    aliases: list[str]
    counts: dict[str, int]
    as_of: str


class MembersOut(Ok):
    body: EntityOut
    as_of: str
    members: list[dict[str, Any]]
    announced: list[dict[str, Any]]
    prospective: list[dict[str, Any]]
    former: list[dict[str, Any]]
    negated: list[dict[str, Any]]


class TimelineOut(Ok):
    body: EntityOut
    items: list[dict[str, Any]]


class CountryOut(Ok):
    country: EntityOut
    memberships: list[dict[str, Any]]
    relations: list[dict[str, Any]]
    summits: list[dict[str, Any]]
    counts: dict[str, Any]


class FactsOut(Ok):
    items: list[dict[str, Any]]


class DocumentPage(Ok):
    items: list[dict[str, Any]]
    next: Optional[str]


class SegmentOut(_Open):
    text: str
    facts: list[int]


class DocumentOut(Ok):
    document: dict[str, Any]
    facts: list[FactRecord]
    segments: list[SegmentOut]


class RelatedOut(Ok):
    fact: FactRecord
    consolidated: list[dict[str, Any]]
    supporting: list[FactRecord]
    contradicting: list[FactRecord]


class SearchOut(Ok):
    q: str
    entities: list[EntityOut]
    evidence: list[FactRecord]


class IngestOut(Ok):
    added: list[dict[str, Any]]
    already_stored: list[str]
    skipped: list[dict[str, str]]
    warnings: list[dict[str, str]]
    facts: int
    summary: str


class StatsOut(Ok):
    documents: int
    assertions: int
    entities: int
