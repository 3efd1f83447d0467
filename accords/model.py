"""The records every part of accords passes around.

`Assertion.to_record()` is the public fact record of DESIGN.md: the JSON
object `accords extract` prints and the HTTP API returns. Fields may be
added; none may change meaning.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date as Date
from enum import Enum
from typing import Any

from accords import __version__

EXTRACTOR = f"accords {__version__}"


class EventType(str, Enum):
    JOIN = "join"
    LEAVE = "leave"
    SIGN = "sign"
    APPLY = "apply"
    INVITE = "invite"
    ESTABLISH_RELATIONS = "establish_relations"
    RESTORE_RELATIONS = "restore_relations"
    CUT_RELATIONS = "cut_relations"
    SUMMIT = "summit"
    MEETING = "meeting"
    FOUND = "found"


RELATION_TYPES = {EventType.ESTABLISH_RELATIONS, EventType.RESTORE_RELATIONS, EventType.CUT_RELATIONS}
MEMBERSHIP_TYPES = {EventType.JOIN, EventType.LEAVE, EventType.SIGN, EventType.APPLY, EventType.INVITE}
GATHERING_TYPES = {EventType.SUMMIT, EventType.MEETING}


class Status(str, Enum):
    COMPLETED = "completed"
    ANNOUNCED = "announced"
    PROSPECTIVE = "prospective"
    NEGATED = "negated"


# CAMEO / PLOVER codes per event type, as in DESIGN.md's ontology table.
CODES: dict[EventType, dict[str, str]] = {
    EventType.JOIN: {"cameo": "057", "plover": "SUPPORT"},
    EventType.LEAVE: {"cameo": "160", "plover": "REDUCE"},
    EventType.SIGN: {"cameo": "057", "plover": "SUPPORT"},
    EventType.APPLY: {"cameo": "030", "plover": "AGREE"},
    EventType.INVITE: {"cameo": "050", "plover": "AGREE"},
    EventType.ESTABLISH_RELATIONS: {"cameo": "054", "plover": "SUPPORT"},
    EventType.RESTORE_RELATIONS: {"cameo": "050", "plover": "SUPPORT"},
    EventType.CUT_RELATIONS: {"cameo": "161", "plover": "REDUCE"},
    EventType.SUMMIT: {"cameo": "044", "plover": "CONSULT"},
    EventType.MEETING: {"cameo": "040", "plover": "CONSULT"},
    EventType.FOUND: {"cameo": "057", "plover": "AGREE"},
}


class EntityKind(str, Enum):
    COUNTRY = "country"
    ORGANIZATION = "organization"
    AGREEMENT = "agreement"
    BLOC = "bloc"
    ALLIANCE = "alliance"
    FORMAT = "format"
    GATHERING = "gathering"
    GROUP = "group"  # an unresolved group of states ("Central Asian countries")


@dataclass(frozen=True)
class Entity:
    id: str  # ISO 3166-1 alpha-3 for countries, lowercase slug for bodies
    name: str  # canonical English name
    kind: str  # an EntityKind value

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "name": self.name, "kind": self.kind}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Entity":
        return cls(id=d["id"], name=d["name"], kind=d["kind"])

    @property
    def is_country(self) -> bool:
        return self.kind == EntityKind.COUNTRY.value


@dataclass(frozen=True)
class Evidence:
    text: str  # the sentence that says it
    start: int  # character offsets of that sentence in the document text
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass
class Document:
    id: str
    text: str
    published: Date | None = None
    published_precision: str | None = None  # day | month | year
    published_source: str | None = None  # how the date was found: given, metadata, url, ...
    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    language: str = "en"
    source: str | None = None  # file (and line) it came from
    author: str | None = None  # byline, when the source names one (web pages, feeds)

    @property
    def content_hash(self) -> str:
        return content_hash(self.text)


def content_hash(text: str) -> str:
    """Hash of whitespace-normalized text: the identity of a document's content."""
    norm = " ".join(text.split())
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


@dataclass
class Assertion:
    """What one article says: one fact, as the article states it."""

    doc: str
    type: EventType
    subject: Entity
    object: Entity
    status: Status
    evidence: Evidence
    participants: list[Entity] = field(default_factory=list)
    date: str | None = None  # ISO, possibly partial: 2025, 2025-11, 2025-11-06
    date_precision: str | None = None  # day | month | year
    date_text: str | None = None  # the words the date came from
    date_role: str = "event"  # event | start (e.g. "since 1992": validity begins) | end
    confidence: float = 0.8
    extractor: str = EXTRACTOR
    attribution: str | None = None  # "two sources confirmed", "officials said"
    extra: dict[str, Any] = field(default_factory=dict)  # place, host, ordinal, topics...

    @property
    def codes(self) -> dict[str, str]:
        return dict(CODES[self.type])

    def key(self) -> tuple:
        """Identity of the fact within one document (for de-duplication)."""
        return (self.doc, self.type.value, self.subject.id, self.object.id, self.status.value,
                tuple(sorted(p.id for p in self.participants)))

    def to_record(self) -> dict[str, Any]:
        rec: dict[str, Any] = {
            "doc": self.doc,
            "type": self.type.value,
            "subject": self.subject.to_dict(),
            "object": self.object.to_dict(),
            "participants": [p.to_dict() for p in self.participants],
            "date": self.date,
            "date_precision": self.date_precision,
            "date_text": self.date_text,
            "status": self.status.value,
            "evidence": self.evidence.to_dict(),
            "confidence": round(self.confidence, 3),
            "codes": self.codes,
            "extractor": self.extractor,
        }
        # Added fields (the contract allows additions, never changes of meaning).
        if self.date_role != "event":
            rec["date_role"] = self.date_role
        if self.attribution:
            rec["attribution"] = self.attribution
        if self.extra:
            rec["details"] = self.extra
        return rec

    @classmethod
    def from_record(cls, rec: dict[str, Any]) -> "Assertion":
        ev = rec["evidence"]
        return cls(
            doc=rec["doc"],
            type=EventType(rec["type"]),
            subject=Entity.from_dict(rec["subject"]),
            object=Entity.from_dict(rec["object"]),
            status=Status(rec["status"]),
            evidence=Evidence(ev["text"], ev.get("start", 0), ev.get("end", 0)),
            participants=[Entity.from_dict(p) for p in rec.get("participants") or []],
            date=rec.get("date"),
            date_precision=rec.get("date_precision"),
            date_text=rec.get("date_text"),
            date_role=rec.get("date_role", "event"),
            confidence=rec.get("confidence", 0.8),
            extractor=rec.get("extractor", EXTRACTOR),
            attribution=rec.get("attribution"),
            extra=rec.get("details") or {},
        )
