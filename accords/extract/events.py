"""The `accords_events` spaCy component: rules that turn parsed sentences into assertions.

The rules read the dependency tree the way English reports these events:
who (subject, object, passive agent, controller of "set to join") did what
(a trigger word from lexicon.yaml) to which body (named, or referred back to
by "the agreements", "the bloc"), with what certainty (modality.py's walk up
the governing words) and when (a date attached to the trigger's clause).
No rule names a country or an agreement: those come from reference data.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from accords.extract import dates as datelib
from accords.extract.grammar import (
    Ctx, Modality, agent, attribution_of, bodies_in, linear_subject, lemma_of, nearest_body, ordinal_subject, anaphoric_body, body_of, children, context_body, governing_chain, is_passive,
    lexicon, modality, obj, passive_subject, preps, states_in, subject,
)
from accords.model import Entity, EventType, Status

if not Doc.has_extension("drafts"):
    Doc.set_extension("drafts", default=None)

# Lines that are page furniture, not reporting: nothing is read from them.
BOILERPLATE = re.compile(
    r"^\s*(read next|read more|related|also read|see also|recommended|subscribe|sign up|join our|follow us|"
    r"click here|advertisement|updated:|published:|share this|©|copyright|more from|watch:|listen:|newsletter)",
    re.IGNORECASE,
)


@dataclass
class Draft:
    """An assertion before it is tied to a document id."""

    type: EventType
    subject: Entity
    object: Entity
    status: Status
    sentence: Span
    participants: list[Entity] = field(default_factory=list)
    date: str | None = None
    date_precision: str | None = None
    date_text: str | None = None
    date_role: str = "event"
    confidence: float = 0.85
    attribution: str | None = None
    extra: dict = field(default_factory=dict)


@Language.factory("accords_events", default_config={})
def make_events(nlp: Language, name: str):
    return EventRules()


class EventRules:
    def __call__(self, doc: Doc) -> Doc:
        mentions: dict[int, Span] = {}
        bodies: list[tuple[int, Entity]] = []
        for span in doc.spans.get("accords", []):
            m = span._.accords
            if m is None or m.entity is None:
                continue
            for i in range(span.start, span.end):
                mentions[i] = span
            if m.entity.kind != "country":
                bodies.append((span.start, m.entity))
        ctx = Ctx(mentions, bodies, doc._.published, [])
        drafts: list[Draft] = []
        for sent in doc.sents:
            if BOILERPLATE.match(sent.text) or _is_title_case_headline_link(sent):
                continue
            drafts.extend(SentenceReader(ctx, sent, drafts).read())
        _attach_topics(doc, drafts)
        doc._.drafts = drafts
        return doc


_TOPIC_VERBS = {"focus", "discuss", "address", "cover", "center", "centre", "include", "tackle"}


def _attach_topics(doc: Doc, drafts: list) -> None:
    """'The discussions are expected to focus on economic growth, supply chains and security':
    the agenda of the gathering reported in this sentence or the one before."""
    for sent in doc.sents:
        verbs = [t for t in sent if t.lemma_.lower() in _TOPIC_VERBS and t.pos_ == "VERB"]
        if not verbs:
            continue
        verb = verbs[0]
        subj = subject(verb)
        if verb.lemma_.lower() != "discuss" and (subj is None or subj.lemma_.lower() not in {
                "discussion", "talk", "summit", "meeting", "agenda", "leader", "gathering", "session", "they"}):
            continue
        objs = [p for p in verb.children if p.dep_ == "prep" and p.lower_ in {"on", "upon", "around"}]
        head = next((c for p in objs for c in p.children if c.dep_ == "pobj"), None) or next(
            (c for c in verb.children if c.dep_ == "dobj"), None)
        if head is None:
            continue
        topics = [head] + [c for c in head.subtree if c.dep_ == "conj" and c.head.i in {t.i for t in head.subtree}]
        words = [" ".join(t.text for t in _np(t)) for t in topics]
        gatherings = [d for d in drafts if d.type in {EventType.SUMMIT, EventType.MEETING}
                      and sent.start - 80 <= d.sentence.start <= sent.start]
        if gatherings and words:
            gatherings[-1].extra["topics"] = words


def _np(tok: Token) -> list[Token]:
    """A noun with its own modifiers, without its conjuncts."""
    keep = [t for t in tok.subtree if t.i <= tok.i and (t == tok or t.dep_ not in {"cc", "punct", "conj"})]
    return [t for t in keep if t.i >= min(x.i for x in keep)] if keep else [tok]


def _is_headline(sent: Span) -> bool:
    """The first line of an article when it reads as a headline (no closing full stop)."""
    text = sent.text.strip()
    return sent.start_char == len(sent.doc.text) - len(sent.doc.text.lstrip()) and not text.endswith((".", "!", "?", '"', "”"))


def _is_title_case_headline_link(sent: Span) -> bool:
    # A line after a "READ NEXT:" label is split into its own sentence; skip it too.
    prev = sent.doc[sent.start - 1] if sent.start > 0 else None
    while prev is not None and prev.is_space and prev.i > 0:
        prev = prev.doc[prev.i - 1]
    return prev is not None and prev.text == ":" and BOILERPLATE.match(prev.sent.text) is not None


class SentenceReader:
    def __init__(self, ctx: Ctx, sent: Span, earlier: list[Draft]):
        self.ctx = ctx
        self.sent = sent
        self.earlier = earlier
        self.lex = lexicon()
        self.out: list[Draft] = []
        self.date_mentions = datelib.find_dates(sent.text)
        lex = self.lex
        self.vocabulary = (set(lex["membership_verbs"]) | set(lex["relation_verbs"]) | set(lex["founding_verbs"])
                           | set(lex["recall_verbs"]) | set(lex["visit_verbs"]) | {"meet", "become", "be"})

    # -- entry -----------------------------------------------------------
    def read(self) -> list[Draft]:
        lex = self.lex
        gathering_done = False
        for tok in self.sent:
            lemma = lemma_of(tok, self.vocabulary)
            if tok.pos_ in {"VERB", "AUX"} or (tok.pos_ == "NOUN" and tok.tag_ == "VBG"):
                if lemma in lex["relation_verbs"] and self._relation_verb(tok, lemma):
                    continue
                if lemma in lex["recall_verbs"] and self._recall(tok):
                    continue
                if lemma in lex["founding_verbs"] and self._found(tok):
                    continue
                if lemma in lex["membership_verbs"]:
                    self._membership_verb(tok, lemma)
                if lemma in {"enter", "come"} and any(p.lower_ == "force" for p in preps(tok, {"into", "in"})):
                    self._entry_into_force(tok)
                if lemma in {"include", "comprise"} and tok.lemma_.lower() in {"include", "comprise"}:
                    self._roster(tok)
                if lemma == "become" or lemma == "be":
                    self._member_role(tok)
                if lemma == "do" and any(c.lower_ == "so" for c in tok.children):
                    self._ellipsis(tok)
                if (lemma in {"meet", "host"} or lemma in lex["visit_verbs"]) and not gathering_done:
                    gathering_done = self._meeting_verb(tok)
            elif tok.pos_ in {"NOUN", "PROPN"}:
                if lemma in lex["membership_nouns"] or tok.lower_ in lex["membership_nouns"]:
                    self._membership_noun(tok)
                elif lemma in set(lex["anaphora"]["agreement"]) and children(tok, {"poss"}):
                    self._possessed_agreement(tok)
                elif lemma in lex["relation_event_nouns"]:
                    self._relation_noun(tok)
                elif tok.lower_ in {"candidate", "candidacy"}:
                    self._candidate(tok)
                if not gathering_done and (tok.lower_ in lex["summit_nouns"] or tok.lower_ in lex["meeting_nouns"]):
                    gathering_done = self._gathering(tok)
                if not gathering_done and tok.lemma_.lower() in {"visit", "trip"}:
                    gathering_done = self._visit_noun(tok)
        return self.out

    # -- dates -----------------------------------------------------------
    def date_for(self, trigger: Token, status: Status, extra_anchors: tuple[Token, ...] = (),
                 reported: bool = True, skip: frozenset[str] = frozenset()) -> tuple[str | None, str | None, str | None, str]:
        """The date whose phrase hangs off trigger's clause (not another event's)."""
        anchors = {trigger.i, *(t.i for t in extra_anchors)}
        chain = governing_chain(trigger)
        # Governing words with no event of their own ("is set to join ... on Monday",
        # "agreed on Sunday to establish"), reached through control, not coordination.
        for below, t in zip(chain, chain[1:3]):
            if below.dep_ not in {"xcomp"}:
                break
            if t.pos_ in {"VERB", "AUX", "ADJ"} and t.lemma_.lower() not in self.lex["membership_verbs"]:
                anchors.add(t.i)
        doc = self.sent.doc
        for dm in self.date_mentions:
            if dm.text in skip:
                continue
            start = self.sent.start_char + dm.start
            span = doc.char_span(start, start + len(dm.text), alignment_mode="expand")
            if span is None:
                continue
            anchor = _anchor(span.root, anchors)
            if anchor not in anchors:
                continue
            future = _points_forward(doc[anchor], status)
            later = datelib.LATER.fullmatch(dm.text)
            if later:
                res = self._later(dm, later)
            else:
                res = datelib.resolve(dm.text, self.ctx.published, future=future)
            if res is None:
                return None, None, dm.text, dm.role
            return res.iso, res.precision, dm.text, dm.role
        if status == Status.COMPLETED and reported:
            # "Bolivia on Tuesday announced that it was severing relations": the announcement dates the act.
            for below, t in zip(chain, chain[1:]):
                if below.dep_ == "ccomp" and t.lemma_.lower() in {"announce", "confirm", "say", "declare"}:
                    if below.tag_ == "VBG" or any(c.lower_ in {"was", "were", "is", "are"} for c in below.children if c.dep_ == "aux"):
                        return self.date_for(t, status, reported=False)
                    break
        return None, None, None, "event"

    def _later(self, dm, m) -> "datelib.ResolvedDate | None":
        """'a year later': counted from the date named before it in the sentence."""
        before = [d for d in self.date_mentions if d.end <= dm.start and not datelib.LATER.fullmatch(d.text)]
        if not before:
            return None
        base = datelib.resolve(before[-1].text, self.ctx.published)
        return datelib.shift(base, m) if base else None

    # -- emit ------------------------------------------------------------
    def emit(self, type_: EventType, subj: Entity, obj_: Entity, mod: Modality, trigger: Token, *,
             participants=None, confidence=0.85, date_from: Token | None = None, extra=None,
             date_override=None) -> Draft:
        if date_override is not None:
            d, p, dt, role = date_override
        else:
            d, p, dt, role = self.date_for(date_from or trigger, mod.status)
        attribution = mod.attribution or attribution_of(trigger)
        if attribution:
            mod = Modality(mod.status, mod.cue, attribution)
            confidence -= 0.05
        extra = dict(extra or {})
        if _is_headline(self.sent):
            extra["headline"] = True
        draft = Draft(type_, subj, obj_, mod.status, self.sent, participants or [], d, p, dt, role,
                      round(confidence, 2), mod.attribution, extra)
        if type_ in {EventType.JOIN, EventType.SIGN, EventType.APPLY, EventType.INVITE, EventType.LEAVE}:
            self.ctx.topics.append((trigger.i, obj_))
        self.out.append(draft)
        return draft

    # -- membership ------------------------------------------------------
    def _membership_verb(self, verb: Token, lemma: str) -> None:
        frame = self.lex["membership_verbs"][lemma]
        if self._presupposed(verb):
            return
        if frame.get("particle") and not any(c.dep_ == "prt" and c.lower_ == frame["particle"] for c in verb.children):
            return
        if frame.get("governors") and verb.head.lemma_.lower() not in frame["governors"]:
            return
        if any(c.dep_ in {"xcomp", "ccomp"} and c.lemma_.lower() in self.lex["membership_verbs"] for c in verb.children):
            return  # "invited Finland to join the alliance", "applied to join": read once, from the join
        passive = is_passive(verb)
        etype = frame["type"]
        member_role = frame["member"]
        if member_role == "agent":
            if not passive:
                return
            member_tok = agent(verb)
        elif member_role == "subj":
            member_tok = agent(verb) if passive else subject(verb)
        else:  # obj
            member_tok = passive_subject(verb) if passive else obj(verb)
        members = states_in(self.ctx, member_tok)
        if member_tok is None and member_role == "subj" and not passive:
            members = linear_subject(self.ctx, verb)
        if not members and self._after_list_tokens(verb):
            # "They were the first to sign a treaty with Y since A in 1994 and B in 1979": A and B did.
            body, _ = self._find_body(verb, frame, passive, member_role)
            if body is not None and body.kind != "country":
                for e, date in self._after_list_dated(verb):
                    self.emit(EventType(etype if etype != "follow" else "join"), e, body, Modality(Status.COMPLETED, "since"),
                              verb, confidence=0.7, date_override=date)
            return
        listed_dates: dict[Entity, tuple] = {}  # "followed by A in 1995, B and C in 1997"
        if etype == "follow" and passive:
            by = [c for c in verb.children if c.dep_ == "agent"]
            listed = self._dated_list(by[0], modality(verb).status) if by else []
            if len(listed) > len(members):
                members = [e for e, _ in listed]
                listed_dates = {e: d for e, d in listed if d[0]}
        if not members and etype in {"join", "leave"} and member_tok is not None:
            named = bodies_in(self.ctx, member_tok)
            if named and self.ctx.mentions.get(member_tok.i) is not None:
                members = named[:1]  # "The African Union joined the G20"
        if not members and etype == "sign" and passive:
            # "The Accords were signed in 2020 between A and the B countries - X, Y and Z"
            members = [m for p in preps(verb, {"between"}) for m in states_in(self.ctx, p, frozenset())]
        if not members:
            return
        body, how = self._find_body(verb, frame, passive, member_role)
        if body is None or body.kind == "country":
            return
        mod = modality(verb.head, shallow=True) if frame.get("governors") else modality(verb)
        etype = "join" if etype == "follow" else etype
        retyped = self._retype(verb, etype)
        if retyped != etype:
            # "applied to join", "was invited to join": the governing verb's own certainty decides.
            gov = verb.head
            mod = modality(gov)
            if gov.lemma_.lower() == "seek" and mod.status == Status.COMPLETED:
                mod = Modality(Status.PROSPECTIVE, "seek", mod.attribution)
            etype = retyped
        if any(p.lemma_.lower() in {"candidate", "candidacy"} for p in preps(verb, {"as"})):
            etype = "apply"  # "accepted X as a candidate" is candidate status, not membership
        if frame.get("status") and mod.status == Status.COMPLETED:
            mod = Modality(Status(frame["status"]), lemma, mod.attribution)
        if frame.get("completed_means") and mod.status == Status.COMPLETED:
            mod = Modality(Status(frame["completed_means"]), lemma, mod.attribution)
        conf = {"name": 0.9, "anaphora": 0.8, "context": 0.65}.get(how, 0.7)
        shared_date = self.date_for(verb, mod.status)
        owns = {m: self._member_date(member_tok, m, mod.status) if member_tok is not None else None for m in members}
        claimed = frozenset(o[2] for o in owns.values() if o)
        if claimed and shared_date[2] in claimed:
            shared_date = self.date_for(verb, mod.status, skip=claimed)
        if etype == "sign" and any(c.lower_ in {"first", "originally", "initially"} for c in verb.children) \
                and not any(d.type == EventType.FOUND and d.object == body for d in self.out):
            self.emit(EventType.FOUND, body, body, mod, verb, confidence=0.75, date_override=shared_date)
        earlier = self._after_list_dated(verb)
        # A state the parser hung on the subject but that the list names did the thing before, not now.
        members = [m for m in members if m not in {e for e, _ in earlier}]
        for earlier_state, date in earlier:
            self.emit(EventType(etype), earlier_state, body, Modality(Status.COMPLETED, "after", mod.attribution),
                      verb, confidence=0.7, date_override=date)
        for m in members:
            if m == body or (m.kind != "country" and body.kind == "agreement"):
                continue
            self.emit(EventType(etype), m, body, mod, verb, confidence=conf,
                      date_override=owns[m] or listed_dates.get(m) or shared_date)

    def _bilateral_agreement(self, noun: Token, verb: Token) -> tuple[Entity | None, str]:
        """'signed a normalization agreement with Israel': an unnamed agreement, named by what it is and
        with whom ('normalization agreement with Israel'), so that articles about it can be joined up."""
        if noun.lemma_.lower() not in set(self.lex["anaphora"]["agreement"]) or noun.pos_ != "NOUN":
            return None, ""
        if any(c.dep_ == "det" and c.lower_ not in {"a", "an"} for c in noun.children):
            return None, ""  # "the accords" refers back; "a peace treaty" introduces one
        partners: list[Entity] = []
        for p in preps(noun, {"with"}) + (preps(verb, {"with"}) if verb != noun else []):
            partners.extend(e for e in states_in(self.ctx, p, frozenset()) if e not in partners)
        if not partners:
            return None, ""
        mods = [t for c in noun.lefts if c.dep_ in {"compound", "amod"} for t in c.subtree
                if not t.like_num and t.pos_ not in {"PROPN", "DET", "PUNCT"} and not t.lower_[:1].isdigit()]
        words = [t.lower_ for t in sorted(set(mods), key=lambda t: t.i)] + [noun.lower_]
        name = " ".join(words) + " with " + " and ".join(p.name for p in partners)
        from accords.reference import slugify

        return Entity(slugify(name), name, "agreement"), "described"

    def _possessed_agreement(self, noun: Token) -> None:
        """'following Egypt's peace deal with Israel in 1979': Egypt signed a peace deal with Israel."""
        signers = states_in(self.ctx, children(noun, {"poss"})[0], frozenset())
        if not signers or noun.dep_ != "pobj" or noun.head.lower_ not in {"after", "following", "since", "before"}:
            return
        body, _ = self._bilateral_agreement(noun, noun)
        if body is None:
            return
        d = self.date_for(noun, Status.COMPLETED, reported=False)
        for s_ in signers:
            self.emit(EventType.SIGN, s_, body, Modality(Status.COMPLETED, noun.head.lower_), noun, confidence=0.7,
                      date_override=d)

    def _presupposed(self, verb: Token) -> bool:
        """A gerund that restates rather than reports: 'Bringing X into the fold represents a step',
        'congratulated X on becoming a member' (the article reports the event in its own words)."""
        if verb.tag_ != "VBG":
            return False
        if verb.dep_ in {"csubj", "nsubj"}:
            return True
        if verb.dep_ == "advcl" and not children(verb, {"nsubj"}) and not children(verb, {"aux"}):
            return True
        mod = self.lex["modality"]
        return verb.dep_ == "pcomp" and verb.head.head.lemma_.lower() not in set(
            mod["prospective_governors"]) | set(mod["negated_governors"])

    def _find_body(self, verb: Token, frame: dict, passive: bool, member_role: str) -> tuple[Entity | None, str]:
        """Where the frame says the body is: object, a preposition, the subject, or the context."""
        for slot in frame["body"]:
            body, how = None, ""
            if slot == "obj" and member_role != "obj":
                tok = passive_subject(verb) if passive else obj(verb)
                if passive and tok is not None and states_in(self.ctx, tok):
                    # "UAE and Bahrain, later joined by Morocco": joined them in the body at hand.
                    body, how = context_body(self.ctx, verb), "context"
                    if body:
                        return body, how
                    continue
                body, how = body_of(self.ctx, tok)
                if body is None and frame["type"] == "sign" and tok is not None:
                    body, how = self._bilateral_agreement(tok, verb)
                if body is None and tok is not None and tok.lower_ in {"membership", "accession"}:
                    body, how = body_of(self.ctx, _pobj(tok, {"in", "of", "to"}))
            elif slot.startswith("prep:"):
                for p in preps(verb, set(slot[5:].split(","))):
                    body, how = body_of(self.ctx, p)
                    if body is None and p.lower_ in {"membership", "accession"}:
                        body, how = body_of(self.ctx, _pobj(p, {"in", "of", "to"}))
                        if body is None and not preps(p, {"in", "of", "to"}):
                            body, how = context_body(self.ctx, verb), "context"  # "applied for membership"
                    if body:
                        break
            elif slot == "subj" and not passive:
                body, how = body_of(self.ctx, subject(verb))
            elif slot == "agent" and passive:
                body, how = body_of(self.ctx, agent(verb))
            elif slot == "governor_subj":
                body, how = body_of(self.ctx, subject(verb.head))
            elif slot == "context":
                if frame["type"] == "follow":
                    prior = [d for d in self.earlier + self.out if d.type in {EventType.JOIN, EventType.SIGN}]
                    if prior:
                        body, how = prior[-1].object, "context"
                elif frame.get("passive_context") and not passive:
                    continue
                else:
                    body, how = context_body(self.ctx, verb), "context"
            if body:
                return body, how
        if frame.get("requires_body") or frame.get("requires_prep"):
            return None, ""
        # Intransitive "to join": the body last named, if the clause names none.
        if (obj(verb) is None or member_role == "obj") and not preps(verb, {"to", "into", "for", "from"}):
            return context_body(self.ctx, verb), "context"
        return None, ""

    def _member_date(self, member_tok: Token, member: Entity, status: Status):
        """'followed by Vietnam in 1995, Laos and Myanmar in 1997': a date hanging off the member itself."""
        for span in [self.ctx.mentions.get(t.i) for t in member_tok.subtree]:
            if span is None or span._.accords.entity != member:
                continue
            holders = [span.root]
            # "Laos and Myanmar in 1997": Laos shares the date of the state it is coordinated with.
            holders += [c for c in span.root.children if c.dep_ == "conj"][:1]
            for h in holders:
                for p in preps(h, {"in", "on"}):
                    d = self._resolve_at(p, status)
                    if d:
                        return d
        return None

    def _resolve_at(self, tok: Token, status: Status):
        doc = self.sent.doc
        for dm in self.date_mentions:
            start = self.sent.start_char + dm.start
            if tok.idx <= start < tok.idx + len(tok.text) + 1 or (tok.idx <= start and start + len(dm.text) <= tok.idx + sum(len(t.text_with_ws) for t in tok.subtree)):
                span = doc.char_span(start, start + len(dm.text), alignment_mode="expand")
                if span is not None and span.root.head.i in {tok.i, tok.head.i} or (span is not None and span.root == tok):
                    res = datelib.resolve(dm.text, self.ctx.published, future=status != Status.COMPLETED)
                    if res:
                        return res.iso, res.precision, dm.text, dm.role
        return None

    def _ellipsis(self, verb: Token) -> None:
        """'X has been invited to join but has not yet done so': the join, with this clause's status."""
        mod = modality(verb)
        if mod.status == Status.COMPLETED:
            return
        for d in [d for d in self.out if d.sentence == self.sent and d.type in {EventType.JOIN, EventType.INVITE, EventType.SIGN}]:
            if not any(o.type == EventType.JOIN and o.subject == d.subject and o.status == mod.status for o in self.out):
                self.emit(EventType.JOIN, d.subject, d.object, mod, verb, confidence=0.7)

    def _retype(self, verb: Token, etype: str) -> str:
        """'applied to join' is an application, 'invited to join' an invitation."""
        gov = verb.head if verb.dep_ in {"xcomp", "ccomp", "advcl"} else None
        if gov is not None and etype == "join":
            return self.lex["retype_governors"].get(gov.lemma_.lower(), etype)
        if verb.dep_ == "acl" and verb.head.lower_ in {"bid", "application", "request", "invitation", "offer"}:
            return {"invitation": "invite", "offer": "invite"}.get(verb.head.lower_, "apply")
        return etype

    def _membership_noun(self, noun: Token) -> None:
        """'Finland's accession to NATO', 'Sweden's NATO bid', 'membership takes effect'."""
        etype = self.lex["membership_nouns"].get(noun.lower_) or self.lex["membership_nouns"].get(noun.lemma_.lower())
        poss = children(noun, {"poss"})
        members = states_in(self.ctx, poss[0], skip_preps=frozenset()) if poss and poss[0].pos_ != "PRON" else []
        if not members:
            members = [m for p in preps(noun, {"of", "by"}) for m in states_in(self.ctx, p)]
        if not members and etype == "sign":
            members = [m for p in preps(noun, {"by"}) for m in states_in(self.ctx, p, frozenset())]
        if not members and etype == "invite" and noun.dep_ == "dobj":
            members = states_in(self.ctx, subject(noun.head))  # "Argentina declined the invitation"
        if not members and poss and poss[0].pos_ == "PRON" and noun.head.pos_ in {"VERB", "AUX"}:
            members = states_in(self.ctx, subject(noun.head))  # "Thailand submitted its application"
        if not members:
            return
        body = None
        for c in noun.children:
            if c.dep_ in {"compound", "nmod", "amod"}:
                body, _ = body_of(self.ctx, c)
                if body:
                    break
        if body is None:
            for p in preps(noun, {"to", "into", "in", "of", "for", "from"}):
                body, _ = body_of(self.ctx, p)
                if body:
                    break
        if body is None and (poss or etype == "invite"):
            body = context_body(self.ctx, noun)  # "since Cambodia's admission in 1999", in a story about a body
        if body is None or body.kind == "country":
            return
        status = self._noun_status(noun, etype)
        if status is None:
            return
        etype, mod = status
        gov = noun.head if noun.head.pos_ in {"VERB", "AUX"} else None
        if gov is None and noun.dep_ == "pobj" and noun.head.lower_ in {"with", "upon", "through"} \
                and noun.head.head.pos_ in {"VERB", "AUX"}:
            gov = noun.head.head  # "established in 1967 with the signing of ...": the clause's date
        d = self.date_for(noun, mod.status, extra_anchors=(gov,) if gov is not None else ())
        for m in members:
            self.emit(EventType(etype), m, body, mod, noun, confidence=0.75, date_override=d)

    def _noun_status(self, noun: Token, etype: str) -> tuple[str, Modality] | None:
        """A noun's event is as certain as the verb that governs it."""
        gov = noun.head
        while (gov.dep_ == "prep" or gov.pos_ == "ADP") and gov.head != gov:
            gov = gov.head
        glemma = gov.lemma_.lower()
        mod = modality(gov) if gov != noun else Modality(Status.COMPLETED)
        completes = {"complete", "finalize", "finalise", "formalize", "formalise", "mark", "celebrate", "take", "become", "come", "seal"}
        approves = {"approve", "ratify", "endorse", "clear", "accept", "greenlight", "announce", "confirm", "agree", "back"}
        blocks = {"block", "veto", "oppose", "freeze", "reject", "delay", "hold", "stall", "obstruct", "thwart",
                  "decline", "refuse", "spurn", "turn"}
        seeks = {"seek", "pursue", "support", "discuss", "consider", "push", "request", "want", "press", "eye", "explore"}
        submits = {"submit", "file", "lodge", "make", "launch", "present", "hand"}
        seeks |= {"secure", "achieve", "win", "facilitate", "broker", "promote", "advance", "encourage"}
        if mod.status == Status.NEGATED or glemma in blocks:
            return ("join" if etype in {"apply", "join"} else etype), Modality(Status.NEGATED, glemma, mod.attribution)
        if etype == "apply":
            if glemma in submits or glemma in {"apply"}:
                return "apply", Modality(Status.COMPLETED if mod.status == Status.COMPLETED else mod.status, glemma, mod.attribution)
            return "apply", Modality(Status.COMPLETED, glemma, mod.attribution)
        prep = noun.head if noun.dep_ == "pobj" else None
        if prep is not None and prep.lower_ in {"since", "after", "following", "before", "until"}:
            return etype, Modality(Status.COMPLETED, prep.lower_, mod.attribution)  # "since Cambodia's admission in 1999"
        if prep is not None and prep.lower_ in {"with", "upon", "through"}:
            return etype, mod  # "was established in 1967 with the signing of the Declaration by ...": as certain as its clause
        if glemma in completes and gov.i > noun.i and noun.dep_ in {"nsubj", "nsubjpass"}:
            return etype, Modality(mod.status if mod.status != Status.COMPLETED else Status.COMPLETED, glemma, mod.attribution)
        if glemma in completes:
            return etype, mod
        if glemma in approves:
            return etype, Modality(Status.ANNOUNCED if mod.status == Status.COMPLETED else mod.status, glemma, mod.attribution)
        if glemma in seeks:
            return etype, Modality(Status.PROSPECTIVE, glemma, mod.attribution)
        return None

    def _candidate(self, tok: Token) -> None:
        """'granted candidate status', 'became a candidate for EU membership' -> apply, completed."""
        head = tok.head if tok.dep_ in {"compound", "amod"} else tok
        verb = head.head
        while verb.pos_ not in {"VERB", "AUX"} and verb.head != verb:
            verb = verb.head
        if verb.pos_ not in {"VERB", "AUX"}:
            return
        members = states_in(self.ctx, passive_subject(verb) if is_passive(verb) else subject(verb))
        if verb.lemma_.lower() in {"grant", "give", "award", "offer"} and not is_passive(verb):
            members = [m for d in children(verb, {"dative", "iobj"}) for m in states_in(self.ctx, d)] or \
                      [m for p in preps(verb, {"to"}) for m in states_in(self.ctx, p)]
        if not members:
            return
        body = None
        for t in [*head.subtree, *verb.subtree]:
            m = self.ctx.mentions.get(t.i)
            if m is not None and m._.accords.entity.kind != "country":
                body = m._.accords.entity
                break
        if body is None:
            return
        mod = modality(verb)
        for m in members:
            self.emit(EventType.APPLY, m, body, mod, verb, confidence=0.8)

    def _entry_into_force(self, verb: Token) -> None:
        """'The treaty entered into force for Chile on 21 February 2023': Chile is a party from then."""
        body, _ = body_of(self.ctx, subject(verb))
        if body is None or body.kind == "country":
            return
        holders = [verb] + [p for p in preps(verb, {"into", "in"}) if p.lower_ == "force"]
        members = [m for h in holders for p in preps(h, {"for"}) for m in states_in(self.ctx, p, frozenset())]
        mod = modality(verb)
        for m in members:
            self.emit(EventType.JOIN, m, body, mod, verb, confidence=0.85, extra={"entry_into_force": True})

    def _roster(self, verb: Token) -> None:
        """'The original signatories include A and B', 'NATO's members include ...'."""
        subj = subject(verb)
        if subj is None or subj.lemma_.lower() not in {"signatory", "member", "party", "founder"}:
            return
        members = states_in(self.ctx, obj(verb))
        if not members:
            return
        body = None
        for c in subj.children:
            if c.dep_ in {"compound", "poss", "nmod"}:
                body, _ = body_of(self.ctx, c)
            if body:
                break
        if body is None:
            body = next((b for p in preps(subj, {"of", "to"}) for b in [body_of(self.ctx, p)[0]] if b), None)
        if body is None:
            body = context_body(self.ctx, verb)
        if body is None or body.kind == "country":
            return
        etype = EventType.SIGN if subj.lemma_.lower() in {"signatory", "party"} else EventType.JOIN
        mod = modality(verb)
        for m in members:
            self.emit(etype, m, body, mod, verb, confidence=0.75)

    def _member_role(self, verb: Token) -> None:
        """'X became the 32nd member of NATO', 'X is not a member of the EU'."""
        if self._presupposed(verb):
            return
        attrs = children(verb, {"attr", "acomp", "oprd"})
        if not attrs:
            return
        attr = attrs[0]
        if attr.lemma_.lower() not in self.lex["member_nouns"] and attr.lower_ not in {"members", "parties", "signatories"}:
            return
        if attr.lemma_.lower() == "state" and not any(c.lower_ == "member" for c in attr.children):
            return
        members = states_in(self.ctx, subject(verb))
        if not members:
            return
        body = None
        for c in attr.children:
            if c.dep_ in {"compound", "nmod", "amod", "poss"}:
                body, _ = body_of(self.ctx, c)
            if body:
                break
        if body is None:
            for p in preps(attr, {"of", "to", "in"}):
                body, _ = body_of(self.ctx, p)
                if body:
                    break
        if body is None and verb.lemma_.lower() == "become" and attr.lemma_.lower() == "member":
            body = context_body(self.ctx, verb)  # "... became members on January 1", in a story about a body
        if body is None or body.kind == "country":
            return
        mod = modality(verb)
        if any(c.dep_ == "neg" for c in attr.children) or any(c.lower_ == "no" for c in attr.children):
            mod = Modality(Status.NEGATED, "not", mod.attribution)
        role_date = self.date_for(verb, mod.status)
        if verb.lemma_.lower() == "be" and role_date[3] != "start":
            role_date = (None, None, None, "event")  # "is a member" states, it does not date
        for m in members:
            self.emit(EventType.JOIN, m, body, mod, verb, confidence=0.8, date_override=role_date)

    # -- relations -------------------------------------------------------
    def _relation_verb(self, verb: Token, lemma: str) -> bool:
        lex = self.lex
        rel_nouns = set(lex["relation_nouns"])
        rel_obj = None
        for c in children(verb, {"dobj", "nsubjpass"}):
            if c.lemma_.lower() in rel_nouns or c.lower_ in rel_nouns:
                rel_obj = c
        if verb.dep_ == "acl" and verb.tag_ == "VBN" and verb.head.lower_ in rel_nouns:
            rel_obj = verb.head
        if rel_obj is None:
            if lemma not in {"normalize", "normalise"}:
                return False
        etype = EventType(lex["relation_verbs"][lemma])
        if lemma == "suspend" and rel_obj is None:
            return False
        stative = lemma in set(lex["stative_relation_verbs"])
        side_a_tok = subject(verb) if not is_passive(verb) else None
        side_a = states_in(self.ctx, side_a_tok)
        if side_a_tok is None and not is_passive(verb):
            side_a = linear_subject(self.ctx, verb)
        agreement = None
        if side_a_tok is not None and not side_a:
            agreement, _ = body_of(self.ctx, side_a_tok)
        side_b: list[Entity] = []
        between: list[Entity] = []
        holders = [verb, rel_obj]
        if side_a_tok is not None and side_a_tok.lemma_.lower() in set(self.lex["anaphora"]["agreement"]):
            holders.append(side_a_tok)  # "the UAE's deal with Israel established ties"
        for holder in filter(None, holders):
            for p in preps(holder, {"with", "to"}):
                side_b.extend(e for e in states_in(self.ctx, p) if e not in side_b)
            for p in preps(holder, {"between"}):
                between.extend(e for e in states_in(self.ctx, p) if e not in between)
        pairs = _pairs(side_a, side_b, between)
        if not pairs and not side_a and not side_b and not between and is_passive(verb) and rel_obj is not None:
            prior = [d for d in self.earlier + self.out if d.type in {EventType.ESTABLISH_RELATIONS, EventType.RESTORE_RELATIONS, EventType.CUT_RELATIONS}]
            if prior:
                pairs = [(prior[-1].subject, prior[-1].object)]  # "Ties were restored in 2020"
        partner_from_context = False
        if len(side_a) == 2 and not side_b and not between and not stative and modality(verb).status == Status.NEGATED:
            partner = self._context_partner(side_a)
            if partner is not None:
                # "Chile and Colombia haven't broken relations" in a story about relations with a third state
                pairs = [(a, partner) for a in side_a]
                partner_from_context = True
        if not pairs and side_a and not side_b and not between and not stative:
            partner = self._context_partner(side_a)
            if partner is not None:
                pairs = [(a, partner) for a in side_a if a != partner]
                partner_from_context = True
        if not pairs:
            if side_b and self._after_list(verb):
                self._emit_after_list(etype, verb, side_b[0])
            return rel_obj is not None
        mod = modality(verb)
        if stative and mod.status != Status.NEGATED:
            mod = Modality(Status.COMPLETED, lemma, mod.attribution)
        d = self.date_for(verb, mod.status, extra_anchors=tuple(filter(None, [rel_obj])))
        if stative and d[3] != "start":
            d = (None, None, None, "event")  # "have relations" dates nothing unless "since"
        sign_date = None
        if agreement is not None and agreement.kind == "agreement":
            # "The Accords, signed in 2020, established relations between A and B": A and B are parties.
            signer = next((c for c in side_a_tok.children if c.dep_ == "acl" and c.lemma_.lower() in {"sign", "ink"}), None)
            sign_date = self.date_for(signer, Status.COMPLETED) if signer is not None else (None, None, None, "event")
            if d[0] is None:
                d = sign_date
            states = []
            for a, b in pairs:
                for s in (a, b):
                    if s not in states:
                        states.append(s)
            for s in states:
                if not any(o.type == EventType.SIGN and o.subject == s and o.object == agreement for o in self.out):
                    self.emit(EventType.SIGN, s, agreement, mod, verb, confidence=0.75, date_override=sign_date)
        for _, b in pairs[:1]:
            self._emit_after_list(etype, verb, b)
        partner_toks = [p for h in filter(None, [verb, rel_obj]) for p in preps(h, {"with", "to", "between"})]
        owns = {}
        for a, b in pairs:
            owns[(a, b)] = None
            if not stative:
                for p in partner_toks:
                    owns[(a, b)] = self._member_date(p, b, mod.status) or self._member_date(p, a, mod.status)
                    if owns[(a, b)]:
                        break
        claimed = frozenset(o[2] for o in owns.values() if o)
        if claimed and d[2] in claimed:
            # "with two states — Egypt in 1979 and Jordan in 1994": Egypt's date is not Jordan's.
            d = self.date_for(verb, mod.status, extra_anchors=tuple(filter(None, [rel_obj])), skip=claimed)
        for a, b in pairs:
            own = owns[(a, b)]
            self.emit(etype, a, b, mod, verb, participants=[a, b], confidence=0.6 if partner_from_context else 0.85,
                      date_override=own or d)
        return True

    def _emit_after_list(self, etype: EventType, verb: Token, partner: Entity) -> None:
        """'the fourth country to normalize ties with Y, after A, B and C': A, B and C did too."""
        for earlier_state, date in self._after_list_dated(verb):
            if earlier_state != partner:
                self.emit(etype, earlier_state, partner, Modality(Status.COMPLETED, "after"), verb,
                          participants=[earlier_state, partner], confidence=0.7, date_override=date)

    def _dated_list(self, prep: Token, status: Status) -> list[tuple[Entity, tuple]]:
        """A list read left to right after a preposition, each state with the date that closes its group:
        'followed by Vietnam in 1995, Laos and Myanmar in 1997, and Cambodia in 1999'. Written by hand
        because the parser attaches such lists anywhere; reading them in order is what a reader does."""
        doc, sent = prep.doc, prep.sent
        out: list[tuple[Entity, tuple]] = []
        pending: list[Entity] = []
        none = (None, None, None, "event")
        i = prep.i + 1
        while i < sent.end:
            span = self.ctx.mentions.get(i)
            tok = doc[i]
            if span is not None and span._.accords.entity is not None and span._.accords.entity.kind == "country":
                pending.append(span._.accords.entity)
                i = span.end
                continue
            if tok.lower_ in {"in", "on"} and i + 1 < sent.end:
                date = self._resolve_at(tok, status)
                if date and pending:
                    out += [(e, date) for e in pending]
                    pending = []
                    i += 1
                    while i < sent.end and (doc[i].like_num or doc[i].ent_type_ or doc[i].lower_ in datelib.MONTH_WORDS):
                        i += 1
                    continue
            if tok.lower_ in {",", "and", "the", "then"} or tok.is_space:
                i += 1
                continue
            break
        return out + [(e, none) for e in pending]

    def _after_list(self, verb: Token) -> list[Entity]:
        return [e for _, e in self._after_list_tokens(verb)]

    def _after_list_tokens(self, verb: Token) -> list[tuple[Token, Entity]]:
        """'the fourth country to X, after A and B'; 'the first to X since A in 1994 and B in 1979'."""
        noun = ordinal_subject(verb)
        if noun is None:
            return []
        words = {"after", "following"} | ({"since"} if any(c.lower_ == "first" for c in [noun, *noun.children]) else set())
        holders = [verb] + [c for c in verb.children if c.dep_ == "dobj"]
        return [(p, e) for h in holders for p in preps(h, words) for e in states_in(self.ctx, p, frozenset())]

    def _after_list_dated(self, verb: Token) -> list[tuple[Entity, tuple]]:
        found = self._after_list_tokens(verb)
        if not found:
            return []
        listed = self._dated_list(found[0][0].head, Status.COMPLETED)
        return listed if len(listed) >= len(found) else [(e, (None, None, None, "event")) for _, e in found]

    def _context_partner(self, side: list[Entity]) -> Entity | None:
        """'X has not broken relations' after an article about relations with Y: the partner is Y."""
        counts: dict[Entity, int] = {}
        for d in self.earlier + self.out:
            if d.type in {EventType.ESTABLISH_RELATIONS, EventType.RESTORE_RELATIONS, EventType.CUT_RELATIONS}:
                # The partner of earlier events ("ties with Israel") weighs more than their actor.
                for e, weight in ((d.subject, 1), (d.object, 2)):
                    if e not in side:
                        counts[e] = counts.get(e, 0) + weight
        return max(counts, key=counts.get) if counts else None

    def _recall(self, verb: Token) -> bool:
        """Recalling an ambassador is not cutting relations (a negated cut, by convention)."""
        envoys = set(self.lex["envoy_nouns"])
        o = obj(verb)
        if o is None or o.lower_ not in envoys:
            return False
        side_a = states_in(self.ctx, subject(verb))
        side_b = [e for p in preps(verb, {"from", "to", "in"}) + preps(o, {"from", "to", "in"}) for e in states_in(self.ctx, p)]
        pairs = _pairs(side_a, side_b, [])
        if not pairs and side_a:
            partner = self._context_partner(side_a)
            pairs = [(a, partner) for a in side_a if partner is not None and a != partner]
        for a, b in pairs:
            self.emit(EventType.CUT_RELATIONS, a, b, Modality(Status.NEGATED, "recall"), verb,
                      participants=[a, b], confidence=0.7, extra={"action": verb.lemma_.lower() + " envoy"})
        return True

    def _relation_noun(self, noun: Token) -> None:
        """'the normalization of relations between A and B', 'the restoration of ties'."""
        etype = EventType(self.lex["relation_event_nouns"][noun.lemma_.lower()])
        side_a, side_b, between = [], [], []
        poss = children(noun, {"poss"})
        if poss:
            side_a = states_in(self.ctx, poss[0], skip_preps=frozenset())
        holders = [noun] + [p for p in preps(noun, {"of"}) if p.lower_ in self.lex["relation_nouns"]]
        for h in holders:
            for p in preps(h, {"with", "to"}):
                side_b.extend(states_in(self.ctx, p))
            for p in preps(h, {"between"}):
                between.extend(states_in(self.ctx, p))
        pairs = _pairs(side_a, side_b, between)
        if not pairs:
            return
        status = self._noun_status(noun, "relation")
        if status is None:
            return
        _, mod = status
        for a, b in pairs:
            self.emit(etype, a, b, mod, noun, participants=[a, b], confidence=0.75)

    # -- founding --------------------------------------------------------
    def _found(self, verb: Token) -> bool:
        if verb.lemma_.lower() == "set" and not any(c.dep_ == "prt" and c.lower_ == "up" for c in verb.children):
            return False
        passive = is_passive(verb)
        body_tok = passive_subject(verb) if passive else obj(verb)
        body, how = body_of(self.ctx, body_tok)
        if body is None and passive and verb.dep_ in {"advcl", "acl"} and body_tok is None or (
                body is None and verb.dep_ == "advcl" and not children(verb, {"nsubj", "nsubjpass"})):
            body, how = nearest_body(self.ctx, verb), "context"
            if body is None:
                return False
            d = self.date_for(verb, Status.COMPLETED)
            if d[0] is None:
                return False
        if body is None or body.kind == "country":
            return False
        mod = modality(verb)
        self.emit(EventType.FOUND, body, body, mod, verb, confidence=0.8 if how == "name" else 0.6)
        founders = states_in(self.ctx, agent(verb) if passive else subject(verb))
        for f in founders:
            self.emit(EventType.JOIN, f, body, mod, verb, confidence=0.75, extra={"founding": True})
        return True

    # -- gatherings ------------------------------------------------------
    def _gathering(self, noun: Token) -> bool:
        is_summit = noun.lower_ in self.lex["summit_nouns"]
        sent = self.sent
        # Prefer a summit noun in the same sentence over a meeting noun.
        if not is_summit and any(t.lower_ in self.lex["summit_nouns"] for t in sent):
            return False
        body = None
        for c in list(noun.children) + [noun]:
            if c.dep_ in {"compound", "nmod", "amod", "poss"} or c == noun:
                m = self.ctx.mentions.get(c.i)
                if m is not None and m._.accords.entity.kind != "country":
                    body = m._.accords.entity
                    break
        if body is None:
            for c in noun.children:
                if c.dep_ in {"poss", "compound"}:
                    body = anaphoric_body(self.ctx, c)
                    if body:
                        break
        if body is None:
            # "the first summit in the C5+1 format", "a summit of the bloc"
            for p in preps(noun, {"in", "of"}):
                named = [b for b in bodies_in(self.ctx, p) if b.kind != "agreement"]
                body = named[0] if named else (anaphoric_body(self.ctx, p) if p.lower_ in {"format", "bloc", "alliance", "group"} else None)
                if body:
                    break
        if body is None and is_summit and not any(c.dep_ == "poss" and c.pos_ != "PRON" for c in noun.children):
            # "NATO leaders met ... as they close a summit in Lithuania's capital": the body the sentence names.
            named = [self.ctx.mentions[t.i]._.accords.entity for t in sent if t.i in self.ctx.mentions
                     and self.ctx.mentions[t.i]._.accords.entity.kind in {"organization", "bloc", "alliance", "format"}]
            body = named[0] if named else None
        participants = [e for e in states_in(self.ctx, sent.root, skip_preps=frozenset(), allow_seats=True)]
        for t in sent:
            m = self.ctx.mentions.get(t.i)
            if m is not None and m._.accords.entity.kind == "country" and m._.accords.entity not in participants:
                if m._.accords.how in {"name", "leader", "seat"}:
                    participants.append(m._.accords.entity)
        if body is None and (len(participants) < 2 or not is_summit and not self._meeting_context(noun)):
            return False
        verb = noun.head
        while verb.pos_ not in {"VERB", "AUX"} and verb.head != verb:
            verb = verb.head
        mod = modality(noun if noun.dep_ in {"nsubj", "nsubjpass"} else verb) if verb.pos_ in {"VERB", "AUX"} else Modality(Status.COMPLETED)
        if any(c.lower_ in {"upcoming", "forthcoming", "next"} for c in noun.children) and mod.status == Status.COMPLETED:
            mod = Modality(Status.ANNOUNCED, "upcoming", mod.attribution)
        host = None
        place = None
        for t in sent:
            m = self.ctx.mentions.get(t.i)
            if m is not None and m._.accords.how == "seat" and m._.accords.entity.kind == "country":
                host = m._.accords.entity
                place = m.text
                break
        if host is None and verb.lemma_.lower() == "host":
            hs = states_in(self.ctx, subject(verb))
            host = hs[0] if hs else None
        for p in preps(noun, {"in", "at"}) + (preps(verb, {"in", "at"}) if verb != noun else []):
            if place is None and p.pos_ == "PROPN":
                place = " ".join(t.text for t in p.subtree if not t.is_punct or t.text == "-").strip()
        ordinal = next((c.text for c in noun.children if re.fullmatch(r"\d+(st|nd|rd|th)|first|second|third", c.lower_)), None)
        kind = EventType.SUMMIT if is_summit else EventType.MEETING
        if body is not None:
            gid = f"{body.id}-{'summit' if is_summit else 'meeting'}"
            gname = f"{body.name} {'Summit' if is_summit else 'meeting'}"
        else:
            ids = sorted(p.id for p in participants)
            gid = ("summit-" if is_summit else "meeting-") + "-".join(i.lower() for i in ids)
            gname = ("Summit of " if is_summit else "Meeting of ") + ", ".join(p.name for p in participants)
        if ordinal:
            gname = f"{ordinal} {gname}"
        gathering = Entity(gid, gname, "gathering")
        subj = host or body or participants[0]
        if host and host not in participants:
            participants.insert(0, host)
        extra = {k: v for k, v in {"body": body.id if body else None, "host": host.id if host else None,
                                   "place": place, "ordinal": ordinal, "level": _level(sent)}.items() if v}
        others = tuple(t for t in sent if t.lower_ in self.lex["summit_nouns"] or t.lower_ in self.lex["meeting_nouns"])
        d = self.date_for(noun, mod.status, extra_anchors=(verb, *others))
        self.emit(kind, subj, gathering, mod, noun, participants=participants, extra=extra, date_override=d,
                  confidence=0.8)
        return True

    def _visit_noun(self, noun: Token) -> bool:
        """'a visit by American and Israeli officials to Bahrain', 'Raisi's visit to Beijing'."""
        visitors = [e for p in preps(noun, {"by"}) for e in states_in(self.ctx, p, frozenset())]
        visitors += [e for c in children(noun, {"poss"}) for e in states_in(self.ctx, c, frozenset())]
        hosts = [e for p in preps(noun, {"to", "in"}) for e in states_in(self.ctx, p, frozenset())]
        parts = []
        for e in visitors + hosts:
            if e not in parts:
                parts.append(e)
        if not visitors or not hosts or len(parts) < 2:
            return False
        verb = noun.head if noun.head.pos_ in {"VERB", "AUX"} else noun
        mod = modality(verb) if verb != noun else Modality(Status.COMPLETED)
        gathering = Entity("meeting-" + "-".join(sorted(p.id.lower() for p in parts)),
                           "Meeting of " + ", ".join(p.name for p in parts), "gathering")
        d = self.date_for(noun, mod.status, extra_anchors=(verb,))
        self.emit(EventType.MEETING, hosts[0], gathering, mod, noun, participants=parts,
                  extra={"host": hosts[0].id, "kind": "visit"}, confidence=0.7, date_override=d)
        return True

    def _meeting_context(self, noun: Token) -> bool:
        """A meeting noun counts when states meet through it ('talks between A and B', 'A held talks with B')."""
        return bool(preps(noun, {"with", "between", "of"})) or noun.head.lemma_.lower() in {"hold", "host", "attend", "have"}

    def _meeting_verb(self, verb: Token) -> bool:
        """'X met Y', 'X met with the presidents of A, B and C', 'X visited Beijing'."""
        of_ok = frozenset({"with", "between", "against", "into", "to", "under", "at", "after", "before", "since"})
        subj = subject(verb)
        side_a = states_in(self.ctx, subj)
        side_b = states_in(self.ctx, obj(verb), of_ok) + [e for p in preps(verb, {"with", "to"}) for e in states_in(self.ctx, p, of_ok)]
        body = None
        if not side_a and subj is not None:
            named = [b for b in bodies_in(self.ctx, subj) if b.kind != "agreement"]
            body = named[0] if named else None  # "NATO leaders met with Zelenskyy"
        if body is not None and side_b:
            mod = modality(verb)
            gathering = Entity(f"{body.id}-meeting", f"{body.name} meeting", "gathering")
            d = self.date_for(verb, mod.status)
            self.emit(EventType.MEETING, body, gathering, mod, verb, participants=side_b,
                      extra={"body": body.id}, confidence=0.75, date_override=d)
            return True
        parts = []
        for e in side_a + side_b:
            if e not in parts:
                parts.append(e)
        if len(parts) < 2:
            return False
        mod = modality(verb)
        gathering = Entity("meeting-" + "-".join(sorted(p.id.lower() for p in parts)),
                           "Meeting of " + ", ".join(p.name for p in parts), "gathering")
        self.emit(EventType.MEETING, parts[0], gathering, mod, verb, participants=parts, confidence=0.75)
        return True


_LEVELS = [("heads of state", "leaders"), ("leaders", "leaders"), ("presidential", "leaders"), ("presidents", "leaders"),
           ("prime ministers", "leaders"), ("foreign ministers", "foreign ministers"), ("foreign minister", "foreign ministers"),
           ("secretary of state", "foreign ministers"), ("defence ministers", "defence ministers"),
           ("defense ministers", "defence ministers"), ("finance ministers", "finance ministers"),
           ("ministerial", "ministers"), ("sherpa", "sherpas"), ("envoys", "envoys")]


def _level(sent: Span) -> str | None:
    """At what level a gathering meets: leaders, foreign ministers, sherpas..."""
    low = sent.text.lower()
    return next((level for words, level in _LEVELS if words in low), None)


def _points_forward(anchor: Token, status: Status) -> bool:
    """Whether a weekday or year-less date looks forward: by the tense of its verb, else by the status."""
    auxes = {c.lower_ for c in anchor.children if c.dep_ in {"aux", "auxpass"}}
    if auxes & {"will", "shall", "'ll"}:
        return True
    if anchor.tag_ == "VBD" or (anchor.tag_ == "VBN" and auxes & {"has", "have", "had", "was", "were"}):
        return False
    return status in {Status.ANNOUNCED, Status.PROSPECTIVE}


def _pobj(tok: Token, words: set[str]) -> Token | None:
    found = preps(tok, words)
    return found[0] if found else None


def _anchor(tok: Token, anchors: set[int] = frozenset()) -> int:
    """The word a date phrase belongs to: its nearest verbal or event-noun governor
    (or the event word itself, when the phrase hangs off it: 'since Cambodia's admission in 1999')."""
    cur = tok
    for _ in range(10):
        if cur.head == cur:
            return cur.i
        cur = cur.head
        if cur.i in anchors:
            return cur.i
        if cur.pos_ in {"VERB", "AUX"}:
            return cur.i
        if cur.pos_ == "NOUN" and cur.dep_ not in {"pobj", "compound"} and cur.lower_ in _EVENT_NOUNS():
            return cur.i
        if cur.pos_ == "NOUN" and cur.lemma_.lower() in _DATED_NOUNS:
            return cur.i  # "a 1994 pact with Jordan": the pact's date, not the clause's
    return cur.i


_DATED_NOUNS = {"deal", "pact", "agreement", "treaty", "accord", "war", "election", "referendum",
                "invasion", "coup", "revolution", "uprising", "intifada", "crisis", "conflict"}


def _EVENT_NOUNS() -> set[str]:
    lex = lexicon()
    return set(lex["membership_nouns"]) | set(lex["relation_event_nouns"]) | set(lex["summit_nouns"]) | set(lex["meeting_nouns"])


def _pairs(side_a: list[Entity], side_b: list[Entity], between: list[Entity]) -> list[tuple[Entity, Entity]]:
    pairs: list[tuple[Entity, Entity]] = []
    if side_a and side_b:
        pairs = [(a, b) for a in side_a for b in side_b]
    elif len(between) >= 2:
        pairs = [(between[0], b) for b in between[1:]]
    elif side_a and len(between) == 1:
        pairs = [(a, between[0]) for a in side_a]
    elif len(side_a) == 2:
        pairs = [(side_a[0], side_a[1])]
    elif len(side_b) >= 2 and not side_a:
        pairs = [(side_b[0], b) for b in side_b[1:]]
    return [(a, b) for a, b in pairs if a != b]
