"""Dependency-tree helpers shared by the event rules: arguments, states in a phrase, modality."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml
from spacy.tokens import Span, Token

from accords.model import Entity, Status

CLAUSE_DEPS = {"relcl", "acl", "advcl", "ccomp", "xcomp", "pcomp", "csubj", "parataxis"}
SUBJ = {"nsubj", "nsubjpass", "csubj"}
POSSESSIVE_PRONOUNS = {"our", "my", "your", "his", "her", "its", "their"}


@lru_cache(maxsize=1)
def lexicon() -> dict:
    text = (resources.files("accords.extract") / "lexicon.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


@dataclass
class Ctx:
    """What the rules know about one document while reading it."""

    mentions: dict[int, Span]  # token index -> mention covering it
    bodies: list[tuple[int, Entity]]  # every body mention, in order
    published: object = None
    topics: list[tuple[int, Entity]] = None  # bodies that were objects of membership events so far


def mention_at(ctx: Ctx, tok: Token) -> Span | None:
    return ctx.mentions.get(tok.i)


def children(tok: Token, deps: set[str] | str, words: set[str] | None = None) -> list[Token]:
    if isinstance(deps, str):
        deps = {deps}
    return [c for c in tok.children if c.dep_ in deps and (words is None or c.lower_ in words)]


def preps(tok: Token, words: set[str]) -> list[Token]:
    """Objects of prepositions `words` under tok ("into the Accords" -> Accords)."""
    out = []
    for p in tok.children:
        if p.dep_ in {"prep", "dative", "agent"} and p.lower_ in words:
            out.extend(c for c in p.children if c.dep_ in {"pobj", "pcomp"})
    return out


def clause_tokens(root: Token, skip_preps: set[str] = frozenset()) -> list[Token]:
    """root's subtree without nested clauses (and without the named prepositions)."""
    out = [root]
    stack = [c for c in root.children]
    while stack:
        t = stack.pop()
        if t.dep_ in CLAUSE_DEPS and t.pos_ in {"VERB", "AUX"}:
            continue
        if t.dep_ == "prep" and t.lower_ in skip_preps:
            continue
        out.append(t)
        stack.extend(t.children)
    return sorted(out, key=lambda t: t.i)


def mentions_in(ctx: Ctx, tokens: list[Token]) -> list[Span]:
    seen: dict[int, Span] = {}
    for t in tokens:
        m = ctx.mentions.get(t.i)
        if m is not None and m.start not in seen:
            seen[m.start] = m
    return [seen[k] for k in sorted(seen)]


def states_in(ctx: Ctx, root: Token | None, skip_preps: set[str] = frozenset({"with", "between", "against", "into", "to", "from", "of", "under", "at", "after", "before", "since", "among"}),
              allow_seats: bool = True, depth: int = 0) -> list[Entity]:
    """The states a phrase names: names, leaders, seats, and demonyms used for a government."""
    if root is None:
        return []
    lex = lexicon()
    gov_nouns = set(lex["government_nouns"])
    out: list[Entity] = []
    for span in mentions_in(ctx, clause_tokens(root, skip_preps)):
        m = span._.accords
        if m is None or m.entity is None or m.entity.kind != "country":
            continue
        if m.how == "demonym":
            r = span.root
            while r.dep_ == "conj" and r.head != r:
                r = r.head  # "the Chilean and Colombian governments"
            head = r.head if r.dep_ in {"amod", "compound", "nmod"} else span.root
            if head == span.root and span.root.tag_ not in {"NNPS", "NNS"} and not span.text.endswith("s"):
                continue  # "Chinese" alone is an adjective, not a state
            if head != span.root and head.lemma_.lower() not in gov_nouns and head.lower_ not in gov_nouns:
                continue
        if m.how == "seat" and not allow_seats:
            continue
        if span.root.dep_ == "poss" and span.root != root and span.root.head.lemma_.lower() not in gov_nouns and span.root.head != root:
            continue  # "Kazakhstan's participation" names no actor here
        if m.entity not in out:
            out.append(m.entity)
    if not out and depth < 2:
        out = _fallback_states(ctx, root, depth)
    return out


def colon_list(ctx: Ctx, root: Token) -> list[Entity]:
    """'the founding members of ASEAN: Indonesia, Malaysia and Thailand' — the list after the colon
    (which the parser often cuts off into a sentence of its own)."""
    doc = root.doc
    i = root.right_edge.i + 1
    if i >= len(doc) or doc[i].text not in {":", "—", "–"}:
        return []
    out: list[Entity] = []
    i += 1
    while i < len(doc):
        span = ctx.mentions.get(i)
        if span is not None and span._.accords.entity is not None and span._.accords.entity.kind == "country":
            if span._.accords.entity not in out:
                out.append(span._.accords.entity)
            i = span.end
            continue
        if doc[i].lower_ in {",", "and", "the"} or doc[i].is_space:
            i += 1
            continue
        break
    return out


def _fallback_states(ctx: Ctx, root: Token, depth: int) -> list[Entity]:
    """States a phrase refers to without naming them here: 'the country', 'they', 'six countries that ...'."""
    lex = lexicon()
    word = root.lower_
    listed = colon_list(ctx, root)
    if listed:
        return listed
    # "the government of President X": the state is in the of-phrase.
    if root.lemma_.lower() in set(lex["government_nouns"]):
        for p in preps(root, {"of"}):
            found = states_in(ctx, p, frozenset(), depth=depth + 1)
            if found:
                return found
    # "X, Y and Z are among six countries that will join": the copula's subject.
    if word in set(lex["state_nouns"]):
        head = root.head
        if head.dep_ == "prep" and head.lower_ in {"among", "of"}:
            head = head.head  # "X is among six countries", "X was one of six countries"
            if head.lower_ in {"one", "two", "three"} and head.dep_ in {"attr", "nsubj"}:
                root, head = head, head.head
        if root.dep_ in {"attr", "pobj"} and head.lemma_ == "be":
            subj = children(head, {"nsubj"})
            if subj:
                return states_in(ctx, subj[0], depth=depth + 1)
    counted = _counted_group(ctx, root)
    if counted:
        return counted
    dets = [c.lower_ for c in root.children if c.dep_ == "det"]
    poss = [c for c in root.children if c.dep_ == "poss" and c.lower_ in {"his", "her"}]
    if poss and word in set(lex["state_anaphora"]):
        # "Tokayev is expected to announce, during his meeting with Trump, that his country will join":
        # the leader who is a subject in the sentence, else the one named last.
        leaders = [ctx.mentions.get(i) for i in range(max(root.sent.start, root.i - 60), root.i)]
        leaders = [sp for sp in leaders if sp is not None and sp._.accords.how == "leader" and sp._.accords.entity is not None]
        subjects = [sp for sp in leaders if sp.root.dep_ in {"nsubj", "nsubjpass"}]
        pick = subjects[0] if subjects else (leaders[-1] if leaders else None)
        if pick is None:
            # "Kenya's president ... his country": the state whose leader is named.
            gov = set(lex["government_nouns"])
            owners = [ctx.mentions.get(i) for i in range(root.sent.start, root.i)]
            pick = next((sp for sp in owners if sp is not None and sp._.accords.entity is not None
                         and sp._.accords.entity.kind == "country" and sp.root.dep_ == "poss"
                         and sp.root.head.lemma_.lower() in gov), None)
        return [pick._.accords.entity] if pick is not None else []
    copular_state = root.pos_ == "PRON" and word in {"this", "it"} and root.head.lemma_ in {"be", "become"} and any(
        a.lower_ in set(lex["state_anaphora"]) | set(lex["state_nouns"]) for a in children(root.head, {"attr"}))
    anaphoric = (word in set(lex["state_anaphora"]) and "the" in dets and not preps(root, {"of"})) or (
        root.pos_ == "PRON" and word in {"it", "they"}) or copular_state
    if not anaphoric:
        return []
    # A pronoun in a reported or adverbial clause refers to the main clause's subject:
    # "X confirmed they are joining", "seven years after they broke off ties".
    if root.pos_ == "PRON" and root.head.dep_ in {"ccomp", "advcl"}:
        gov_subj = children(root.head.head, {"nsubj"})
        if gov_subj:
            found = states_in(ctx, gov_subj[0], depth=depth + 1)
            if found:
                return found
    if root.pos_ == "PRON" and word == "they":
        return []
    # "the country", "the kingdom": the state last named as a subject, else last named.
    last_any = None
    for i in range(root.i - 1, -1, -1):
        span = ctx.mentions.get(i)
        if span is None or span._.accords.entity is None or span._.accords.entity.kind != "country":
            continue
        if span._.accords.how not in {"name", "leader"}:
            continue
        if span.root.dep_ in {"nsubj", "nsubjpass"}:
            return [span._.accords.entity]
        last_any = last_any or span._.accords.entity
        if root.i - i > 250:
            break
    return [last_any] if last_any and (root.pos_ != "PRON" or copular_state) else []


_NUMBER_WORDS = {"two": 2, "both": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}


def _counted_group(ctx: Ctx, root: Token) -> list[Entity]:
    """'the five', 'the three Sahel states', 'both countries', 'the two sides': the last group of
    exactly that many states the article named together."""
    if root.lower_ in _NUMBER_WORDS and any(c.lower_ == "the" for c in root.children):
        n = _NUMBER_WORDS[root.lower_]  # "the five"
    else:
        nums = [c for c in root.children if c.dep_ in {"nummod", "det", "predet"} and c.lower_ in _NUMBER_WORDS]
        if not nums or root.lower_ not in set(lexicon()["state_nouns"]) | {"sides", "neighbours", "neighbors"}:
            return []
        n = _NUMBER_WORDS[nums[0].lower_]
    doc = root.doc
    sent = root.sent
    for _ in range(3):
        if sent.start == 0:
            break
        sent = doc[sent.start - 1].sent
        for group in reversed(_coordinated_states(ctx, sent)):
            if len(group) == n:
                return group
    return []


def _coordinated_states(ctx: Ctx, sent: Span) -> list[list[Entity]]:
    """Groups of states named together in a sentence ('A, B and C'), in order."""
    groups: list[list[Entity]] = []
    seen: set[int] = set()
    for i in range(sent.start, sent.end):
        span = ctx.mentions.get(i)
        if span is None or span.start in seen or span._.accords.entity is None or span._.accords.entity.kind != "country":
            continue
        if span._.accords.how not in {"name", "leader"} or span.root.dep_ == "conj":
            continue
        group = []
        for t in span.root.subtree:
            sp = ctx.mentions.get(t.i)
            if sp is not None and sp._.accords.entity is not None and sp._.accords.entity.kind == "country" \
                    and sp._.accords.how in {"name", "leader"} \
                    and (sp.root == span.root or sp.root.dep_ in {"conj", "appos"}) and sp._.accords.entity not in group:
                group.append(sp._.accords.entity)
                seen.add(sp.start)
        if len(group) >= 2:
            groups.append(group)
    return groups


def linear_subject(ctx: Ctx, verb: Token) -> list[Entity]:
    """States written right before a verb the parser left without a subject:
    'According to an official, Mauritania and Indonesia may establish ties' (parsed as an apposition)."""
    out: list[Entity] = []
    doc, start = verb.doc, verb.sent.start
    i = verb.i - 1
    while i >= start and doc[i].dep_ in {"aux", "advmod", "neg", "auxpass"}:
        i -= 1
    first = None  # index of the first token of the list of states
    while i >= start:
        span = ctx.mentions.get(i)
        if span is not None and span._.accords.entity is not None and span._.accords.entity.kind == "country" \
                and span._.accords.how in {"name", "leader"}:
            if span._.accords.entity not in out:
                out.insert(0, span._.accords.entity)
            first = span.start
            i = span.start - 1
            if i >= start and doc[i].lower_ == "the":
                first, i = i, i - 1
            continue
        if doc[i].lower_ in {"and", ","} and out:
            i -= 1
            continue
        break
    if first is None:
        return []
    before = first - 1
    while before >= start and doc[before].lower_ in {"and"}:
        before -= 1
    # The list must open the clause: at the sentence start or right after punctuation.
    return out if before < start or doc[before].is_punct else []


def bodies_in(ctx: Ctx, root: Token | None) -> list[Entity]:
    if root is None:
        return []
    own, possessors = [], []
    for span in mentions_in(ctx, clause_tokens(root, {"with", "between", "against"})):
        m = span._.accords
        if m and m.entity and m.entity.kind != "country":
            bucket = possessors if span.root.dep_ == "poss" and span.root != root else own
            if m.entity not in bucket:
                bucket.append(m.entity)
    return own + [e for e in possessors if e not in own]


def anaphoric_body(ctx: Ctx, tok: Token) -> Entity | None:
    """'the agreements', 'the bloc', 'the group' -> the body last named before tok."""
    lex = lexicon()["anaphora"]
    word = tok.lower_
    if word not in set(lex["agreement"]) | set(lex["bloc"]) | set(lex["any"]):
        return None
    dets = [c.lower_ for c in tok.children if c.dep_ in {"det", "poss"}]
    if any(d in POSSESSIVE_PRONOUNS for d in dets) or "a" in dets or "an" in dets:
        return None
    if any(c.dep_ in {"compound", "amod"} and c.pos_ == "PROPN" for c in tok.children):
        return None  # "the Visegrad group": a name, not a reference
    before = [(i, e) for i, e in ctx.bodies if i < tok.i and e.kind != "gathering"]
    kinds = ({"agreement"} if word in set(lex["agreement"]) else
             {"alliance"} if word in {"alliance", "coalition"} else
             {"bloc", "organization", "format", "alliance"} if word in set(lex["bloc"]) else None)
    # A body of the kind the noun names, named in this sentence or the two before, wins;
    # otherwise the body named last.
    window_start = _sentence_start(tok, back=2)
    # "the new alliance" after "the Alliance of Sahel States": a body whose name has the noun.
    named_so = [e for _, e in before if re.search(rf"\b{re.escape(word.rstrip('s'))}", e.name.lower())]
    if named_so and word not in {"agreement", "agreements", "group"}:
        return named_so[-1]
    if kinds:
        for i, e in reversed(before):
            if i >= window_start and e.kind in kinds:
                return e
    if before:
        return before[-1][1]
    # A headline or lead that says "the Alliance" before naming it: the first such body named after.
    after = [e for i, e in ctx.bodies if i > tok.i and e.kind != "gathering" and (not kinds or e.kind in kinds)]
    return after[0] if after else None


def _sentence_start(tok: Token, back: int) -> int:
    sent = tok.sent
    for _ in range(back):
        if sent.start == 0:
            break
        sent = tok.doc[sent.start - 1].sent
    return sent.start


def nearest_body(ctx: Ctx, tok: Token) -> Entity | None:
    """The body named last before tok ('Originally launched in 2015, the gathering ...')."""
    before = [e for i, e in ctx.bodies if i < tok.i]
    return before[-1] if before else None


def context_body(ctx: Ctx, tok: Token) -> Entity | None:
    """The body the text is about at tok (for intransitive 'to join', 'applied for membership').

    The body of the last membership event wins; else the body named most often so far;
    else the one named last. A passing mention ("unlike the G7") does not take over.
    """
    if ctx.topics:
        prior = [e for i, e in ctx.topics if i < tok.i]
        if prior:
            return prior[-1]
    before = [e for i, e in ctx.bodies if i < tok.i and e.kind != "gathering"]
    if not before:
        return None
    counts: dict[Entity, int] = {}
    for e in before:
        counts[e] = counts.get(e, 0) + 1
    best = max(counts.values())
    return next(e for e in reversed(before) if counts[e] == best)


def body_of(ctx: Ctx, tok: Token | None) -> tuple[Entity | None, str]:
    """A body named in (or referred to by) a phrase; how it was found."""
    if tok is None:
        return None, ""
    found = bodies_in(ctx, tok)
    if found:
        return found[0], "name"
    ana = anaphoric_body(ctx, tok)
    if ana is not None:
        return ana, "anaphora"
    return None, ""


# -- arguments ---------------------------------------------------------------

def lemma_of(tok: Token, vocabulary) -> str:
    """The token's lemma, or a base form of its text the lemmatizer missed ("readmitted" -> "readmit")."""
    lemma = tok.lemma_.lower()
    if lemma in vocabulary:
        return lemma
    w = tok.lower_
    cands = []
    if w.endswith("ed"):
        cands += [w[:-2], w[:-1], w[:-3]]
    if w.endswith("ing"):
        cands += [w[:-3], w[:-3] + "e", w[:-4]]
    if w.endswith("s"):
        cands += [w[:-1], w[:-2]]
    return next((c for c in cands if c in vocabulary), lemma)

def is_passive(verb: Token) -> bool:
    if any(c.dep_ in {"nsubjpass", "auxpass"} for c in verb.children):
        return True
    # A bare participle clause: "the Accords, first signed in 2020", "Originally launched in 2015, ..."
    return verb.tag_ == "VBN" and verb.dep_ in {"acl", "advcl"} and not any(
        c.dep_ in {"nsubj", "aux"} for c in verb.children)


def subject(verb: Token) -> Token | None:
    """The subject of a verb, inherited through coordination and control ("X is set to join")."""
    cur = verb
    for _ in range(6):
        subj = children(cur, {"nsubj", "nsubjpass"})
        if subj and subj[0].tag_ in {"WDT", "WP"} and cur.dep_ == "relcl":
            return cur.head  # "countries that will join": the antecedent
        if subj:
            return subj[0]
        if cur.dep_ == "conj" and cur.head.pos_ in {"VERB", "AUX"}:
            cur = cur.head
            continue
        if cur.dep_ in {"xcomp"}:
            gov = cur.head
            objs = children(gov, {"dobj"})
            if objs and gov.lemma_ in {"invite", "ask", "urge", "encourage", "allow", "get", "want", "push", "press", "help"}:
                return objs[0]
            cur = gov
            continue
        if cur.dep_ == "relcl":
            return cur.head
        if cur.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in cur.children):
            cur = cur.head  # "Oman became the fourth state to open relations": Oman opened them
            continue
        if cur.dep_ == "pcomp" and cur.head.dep_ == "prep" and cur.head.head.pos_ in {"VERB", "AUX"}:
            gov = cur.head.head  # "is working on joining"; "congratulated X on becoming" (object control)
            objs = children(gov, {"dobj"})
            if objs:
                return objs[0]
            cur = gov
            continue
        if cur.dep_ == "acl" and cur.tag_ in {"VBG", "VBN"}:
            return cur.head  # "countries invited to join", "states seeking membership"
        if cur.dep_ == "acl" and cur.tag_ == "VB":
            noun = cur.head
            poss = children(noun, {"poss"})
            if poss and poss[0].pos_ != "PRON":
                return poss[0]
            if noun.dep_ in {"attr"}:  # "X was the first nation to join"
                cur = noun.head
                continue
            if noun.dep_ in {"dobj", "pobj"} and noun.head.pos_ in {"VERB", "AUX"}:
                cur = noun.head
                continue
            if noun.dep_ == "pobj" and noun.head.dep_ == "prep":  # "is in talks to normalize"
                cur = noun.head.head
                continue
        break
    return None


def obj(verb: Token) -> Token | None:
    o = children(verb, {"dobj", "attr", "oprd"})
    if o:
        return o[0]
    if verb.dep_ in {"acl", "relcl"} and is_passive(verb):
        return verb.head  # "the Accords, first signed in 2020"
    return None


def passive_subject(verb: Token) -> Token | None:
    s = children(verb, {"nsubjpass"})
    if s:
        return s[0]
    if verb.dep_ == "xcomp":  # "Sweden has yet to be approved": the controller
        return subject(verb)
    if verb.dep_ in {"acl"} and verb.tag_ == "VBN":
        return verb.head
    if verb.dep_ == "conj":
        return passive_subject(verb.head)
    return None


def agent(verb: Token) -> Token | None:
    objs = preps(verb, {"by"})
    return objs[0] if objs else None


# -- modality ----------------------------------------------------------------

@dataclass
class Modality:
    status: Status
    cue: str | None = None
    attribution: str | None = None


def governing_chain(tok: Token) -> list[Token]:
    """tok and the words that govern it up to the clause that reports it."""
    chain = [tok]
    cur = tok
    for _ in range(8):
        if (cur.dep_ in {"xcomp", "ccomp", "pcomp", "prep", "pobj", "dobj", "conj", "acomp", "advcl", "nsubj", "nsubjpass", "compound", "amod", "attr", "appos"}
                or cur.dep_ in {"acl", "relcl"} and cur.tag_ == "VB") and cur.head != cur:
            if cur.dep_ in {"advcl"} and any(c.dep_ == "mark" for c in cur.children):
                break
            if cur.dep_ in {"nsubj", "nsubjpass"} and cur.pos_ in {"VERB", "AUX"}:
                break
            cur = cur.head
            chain.append(cur)
            if cur.lemma_.lower() in set(lexicon()["modality"]["reporting_verbs"]) and chain[-2].dep_ in {"ccomp", "parataxis"}:
                break
        else:
            break
    return chain


def attribution_of(trigger: Token) -> str | None:
    """Who the article says says so: 'two sources confirmed to The Hill', 'according to officials'."""
    report = set(lexicon()["modality"]["reporting_verbs"])
    chain = governing_chain(trigger)
    for below, tok in zip(chain, chain[1:]):
        if tok.lemma_.lower() in report and tok.pos_ == "VERB" and below.dep_ in {"ccomp", "parataxis"}:
            subj = children(tok, {"nsubj"}) or children(tok, {"nsubjpass"})
            said = " ".join(t.text for t in subj[0].subtree) + " " + tok.text if subj else tok.text
            to = [c for c in tok.children if c.dep_ == "prep" and c.lower_ == "to"]
            if to:
                said += " " + " ".join(t.text for t in to[0].subtree)
            return said
    for tok in chain:
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ == "according":
                return " ".join(t.text for t in c.subtree)
    sent_root = trigger.sent.root
    if sent_root.lemma_.lower() in report and sent_root not in chain:
        # "X will join NATO, officials said": the reporting clause is the sentence's root.
        subj = children(sent_root, {"nsubj"})
        if subj and trigger.i < sent_root.i:
            return " ".join(t.text for t in subj[0].subtree) + " " + sent_root.text
    return None


def modality(trigger: Token, *, shallow: bool = False) -> Modality:
    """How certain the article is about the event at trigger, and who says so."""
    mod = _own_modality(trigger, shallow=shallow)
    if shallow:
        return mod
    # A report is no surer than its reporting: "X is expected to announce that Y will join" is sought,
    # "did not say whether Y will cut ties" / "without specifying whether" leaves it undone.
    chain = governing_chain(trigger)
    report = set(lexicon()["modality"]["reporting_verbs"]) | {"specify", "indicate", "reveal", "disclose"}
    for below, tok in zip(chain, chain[1:]):
        if below.dep_ not in {"ccomp", "parataxis"}:
            continue
        if tok.lemma_.lower() not in report:
            continue
        whether = any(c.dep_ == "mark" and c.lower_ in {"whether", "if"} for c in below.subtree)
        without = tok.dep_ == "pcomp" and tok.head.lower_ == "without"
        outer = _own_modality(tok)
        if whether and (outer.status == Status.NEGATED or without):
            return Modality(Status.NEGATED, "not say whether", mod.attribution)
        if outer.status == Status.PROSPECTIVE and mod.status in {Status.ANNOUNCED, Status.COMPLETED}:
            return Modality(Status.PROSPECTIVE, f"{outer.cue} to {tok.lemma_}", mod.attribution)
        break
    return mod


def _own_modality(trigger: Token, *, shallow: bool = False) -> Modality:
    lex = lexicon()["modality"]
    neg_gov = set(lex["negated_governors"])
    pro_gov = set(lex["prospective_governors"])
    ann_gov = set(lex["announced_governors"])
    future = set(lex["future_aux"])
    hedge = set(lex["hedge_aux"])
    negw = set(lex["negation_words"])
    conds = set(lex["conditional_marks"])
    report = set(lex["reporting_verbs"])
    chain = [trigger] if shallow else governing_chain(trigger)
    attribution = None
    for depth, tok in enumerate(chain):
        lemma = tok.lemma_.lower()
        kids = list(tok.children)
        if depth > 0 and lemma in report and tok.pos_ in {"VERB"} and chain[depth - 1].dep_ in {"ccomp", "parataxis"}:
            subj = children(tok, {"nsubj"})
            attribution = " ".join(t.text for t in subj[0].subtree) + " " + tok.text if subj else tok.text
            break
        if any(c.dep_ == "neg" or c.lower_ in negw and c.dep_ in {"neg", "det", "advmod"} for c in kids):
            return Modality(Status.NEGATED, "not", attribution)
        if any(c.lower_ == "yet" for c in kids) and lemma in {"have", "be"}:
            return Modality(Status.NEGATED, "yet to", attribution)
        if depth > 0 and lemma in neg_gov:
            return Modality(Status.NEGATED, lemma, attribution)
        if any(c.dep_ == "mark" and c.lower_ in conds for c in kids) or any(
                c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in conds - {"whether"} for m in c.children)
                for c in kids):
            return Modality(Status.PROSPECTIVE, "if", attribution)  # "would join once the war ends"
        auxes = [c.lower_ for c in kids if c.dep_ in {"aux", "auxpass"}]
        if any(a in future for a in auxes):
            if depth > 0 and lemma in pro_gov:
                return Modality(Status.PROSPECTIVE, lemma, attribution)
            return Modality(Status.ANNOUNCED, "will", attribution)
        if any(a in hedge for a in auxes):
            if "would" in auxes and tok.dep_ == "ccomp" and tok.head.tag_ == "VBD" \
                    and tok.head.lemma_.lower() in set(lexicon()["modality"]["reporting_verbs"]) \
                    and not any(c.dep_ == "mark" and c.lower_ in conds for c in kids):
                # "said they would leave": the reported future of a past statement, not a hedge.
                return Modality(Status.ANNOUNCED, "said ... would", attribution)
            return Modality(Status.PROSPECTIVE, "would", attribution)
        if depth > 0 and lemma in pro_gov and tok.pos_ in {"VERB", "ADJ", "NOUN", "AUX"}:
            return Modality(Status.PROSPECTIVE, lemma, attribution)
        if depth > 0 and lemma in ann_gov and tok.pos_ in {"VERB", "ADJ", "AUX"}:
            return Modality(Status.ANNOUNCED, lemma, attribution)
        if "going" in [c.lower_ for c in kids] or (lemma == "go" and tok.tag_ == "VBG"):
            return Modality(Status.ANNOUNCED, "going to", attribution)
        if depth == 0 and tok.tag_ == "VBG" and any(a in {"is", "are", "'s", "'re"} for a in auxes):
            return Modality(Status.ANNOUNCED, "is joining", attribution)
        if depth == 0 and tok.dep_ == "ROOT" and "to" in auxes:
            return Modality(Status.ANNOUNCED, "to (headline)", attribution)
        if depth == 0 and tok.tag_ == "VB" and not auxes and tok.dep_ in {"xcomp", "ccomp"}:
            continue  # bare infinitive: the governor decides
    if "to" in [c.lower_ for c in trigger.children if c.dep_ == "aux"]:
        # An infinitive nobody governs with certainty does not report a done deed, except
        # "the fourth country to join", which does.
        if ordinal_subject(trigger) is not None:
            return Modality(Status.COMPLETED, "ordinal", attribution)
        if trigger.dep_ == "ROOT" or (children(trigger, {"nsubj"}) and trigger.dep_ in {"ccomp", "ROOT", "parataxis"}):
            return Modality(Status.ANNOUNCED, "to (headline)", attribution)
        return Modality(Status.PROSPECTIVE, "to", attribution)
    return Modality(Status.COMPLETED, None, attribution)


def ordinal_subject(trigger: Token) -> Token | None:
    """'the fourth Arab country to normalize ties', 'the first to join': the ranked noun, if any."""
    cands = [trigger.head] if trigger.dep_ in {"acl", "relcl"} else []
    cands += children(trigger, {"nsubj"})
    if trigger.dep_ in {"xcomp", "advcl"} and trigger.head.lemma_ in {"be", "become"}:
        cands += children(trigger.head, {"attr"})  # "This is the fourth country to normalize ties"
    for noun in cands:
        if noun.lower_ in ORDINAL_WORDS or any(
                c.dep_ in {"amod", "nummod"} and (c.tag_ == "JJS" or c.lower_ in ORDINAL_WORDS or re.fullmatch(r"\d+(st|nd|rd|th)", c.lower_))
                for c in noun.children):
            return noun
    return None


ORDINAL_WORDS = {"first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "latest", "last", "next", "only", "sole"}
