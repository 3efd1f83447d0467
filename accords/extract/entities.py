"""The `accords_entities` spaCy component: gazetteer mentions, typed by reference data.

Entities are typed with the gazetteer, not NER labels (the small English
model tags Tajikistan as NORP and "Abraham Accords" as PERSON). Names the
gazetteer lacks but that look like a named agreement or body ("the Lobito
Corridor Agreement") become new bodies with a slug id.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from accords.model import Entity, EntityKind
from accords.reference import Gazetteer, gazetteer, slugify

# Head nouns that make a capitalized phrase a named body, and the kind they give.
BODY_HEADS = {
    "agreement": "agreement", "agreements": "agreement", "accord": "agreement", "accords": "agreement",
    "treaty": "agreement", "pact": "agreement", "convention": "agreement", "protocol": "agreement",
    "charter": "agreement", "declaration": "agreement", "compact": "agreement", "pledge": "agreement",
    "alliance": "alliance", "forum": "format", "dialogue": "format", "format": "format",
    "initiative": "format", "partnership": "format", "corridor": "format",
    "organization": "organization", "organisation": "organization",
}
# Not heads of new bodies: "Group", "Council", "Union", "Community" name companies, city
# councils and trade unions far more often than treaties; known ones are in the gazetteer.
_CONNECTORS = {"of", "for", "and", "on", "the", "&", "-", "–", "+"}


@dataclass(frozen=True)
class Mention:
    entity: Entity | None  # None for a leader that acted for no known state on that date
    how: str  # name | demonym | seat | leader | new


if not Span.has_extension("accords"):
    Span.set_extension("accords", default=None)
if not Doc.has_extension("published"):
    Doc.set_extension("published", default=None)


def _case_sensitive(form: str, how: str) -> bool:
    # Abbreviations and people's names must match as written: "US" not "us", "Xi" not "xi".
    return how == "leader" or form.isupper() or "." in form or len(form) <= 3


@Language.factory("accords_entities", default_config={})
def make_entities(nlp: Language, name: str):
    return EntityMatcher(nlp, gazetteer())


class EntityMatcher:
    """Marks every gazetteer mention in doc.spans['accords'] with a Mention in span._.accords."""

    def __init__(self, nlp: Language, gaz: Gazetteer):
        self.gaz = gaz
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.folded = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.forms: dict[str, tuple[str, Entity | None]] = {}
        exact: dict[str, list] = {}
        folded: dict[str, list] = {}
        for form, entity, how in gaz.surface_forms():
            if not form.strip():
                continue
            key = f"{how}:{entity.id if entity else form}"
            self.forms[key] = (how, entity)
            bucket = exact if _case_sensitive(form, how) else folded
            bucket.setdefault(key, []).append(form)
        for key, forms in exact.items():
            self.exact.add(key, [nlp.make_doc(f) for f in forms])
        for key, forms in folded.items():
            self.folded.add(key, [nlp.make_doc(f) for f in forms])
        self.named = Matcher(nlp.vocab)
        cap = {"IS_TITLE": True}
        self.named.add("NEW_BODY", [[cap, {"IS_TITLE": True, "OP": "*"}, {"LOWER": {"IN": list(BODY_HEADS)}, "IS_TITLE": True}],
                                    [{"IS_UPPER": True, "LENGTH": {">=": 2}}, {"IS_TITLE": True, "OP": "*"},
                                     {"LOWER": {"IN": list(BODY_HEADS)}, "IS_TITLE": True}]])

    def __call__(self, doc: Doc) -> Doc:
        vocab = doc.vocab
        spans: list[Span] = []
        for matcher in (self.exact, self.folded):
            for match_id, start, end in matcher(doc):
                key = vocab.strings[match_id]
                how, entity = self.forms[key]
                span = Span(doc, start, end, label=key)
                if how == "leader":
                    entity = self.gaz.leader(span.text, doc._.published)
                    if entity is None:
                        continue
                spans.append(span)
                span._.accords = Mention(entity, how)
        known = filter_spans(spans)
        taken = {i for s in known for i in range(s.start, s.end)}
        for _, start, end in self.named(doc):
            span = doc[start:end]
            if len(span) < 2:
                continue
            inside = [s for s in known if start <= s.start and s.end <= end]
            overlapping = any(i in taken for i in range(start, end))
            # "the Lobito Corridor Agreement" is an agreement about the corridor, not the corridor:
            # a longer name ending in a body word wins over a known name it contains.
            if overlapping and not (inside and all(s.end < end for s in inside) and not any(
                    s.start < start < s.end or s.start < end < s.end for s in known)):
                continue
            if inside and any(s._.accords.entity and s._.accords.entity.kind == "country" and s.end == end for s in inside):
                continue
            if span[0].i > 0 and span[0].nbor(-1).is_title and not span[0].nbor(-1).is_sent_start:
                continue  # a longer name we only see part of
            kind = BODY_HEADS[span[-1].lower_]
            name = re.sub(r"\s+", " ", span.text)
            ent = Entity(slugify(name), name, kind)
            new = Span(doc, start, end, label=f"new:{ent.id}")
            new._.accords = Mention(ent, "new")
            spans.append(new)
        doc.spans["accords"] = filter_spans(spans)
        return doc


def mention_entity(span: Span) -> Entity | None:
    m = span._.accords
    return m.entity if m else None


def is_country(span: Span) -> bool:
    e = mention_entity(span)
    return bool(e and e.kind == EntityKind.COUNTRY.value)
