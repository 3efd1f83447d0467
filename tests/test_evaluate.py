"""Tests for accords.evaluate, on small made-up documents and predictions."""
from __future__ import annotations

import json
from datetime import date

import pytest

from accords.errors import InputError
from accords.evaluate import (
    GoldDoc, date_agrees, evaluate, explain, fold_state, format_report, load_gold, score, split_names,
    strip_paren,
)
from accords.reference import Body, Country, Gazetteer


def C(id_, name, aliases=(), demonyms=()):
    return Country(id_, name, list(aliases), list(demonyms), [], "member")


@pytest.fixture
def gaz() -> Gazetteer:
    countries = [
        C("NOR", "Norway", ["Kingdom of Norway"], ["Norwegian"]),
        C("CHL", "Chile", [], ["Chilean"]),
        C("ARG", "Argentina", [], ["Argentine"]),
        C("URY", "Uruguay", [], ["Uruguayan"]),
        C("PRY", "Paraguay", [], ["Paraguayan"]),
        C("BRA", "Brazil", [], ["Brazilian"]),
        C("ISL", "Iceland", [], ["Icelandic"]),
        C("USA", "United States", ["US", "U.S.", "United States of America"], ["American"]),
        C("ARE", "United Arab Emirates", ["UAE"], ["Emirati"]),
    ]
    bodies = [
        Body("nato", "NATO", "alliance", ["North Atlantic Treaty Organization", "the Alliance"]),
        Body("mercosur", "Mercosur", "bloc", ["Southern Common Market", "Mercosul"]),
        Body("g20", "G20", "format", ["Group of Twenty"]),
    ]
    return Gazetteer(countries, bodies, [])


def ent(id_, name, kind):
    return {"id": id_, "name": name, "kind": kind}


NOR = ent("NOR", "Norway", "country")
CHL = ent("CHL", "Chile", "country")
ARG = ent("ARG", "Argentina", "country")
URY = ent("URY", "Uruguay", "country")
BRA = ent("BRA", "Brazil", "country")
ISL = ent("ISL", "Iceland", "country")
USA = ent("USA", "United States", "country")
ARE = ent("ARE", "United Arab Emirates", "country")
NATO = ent("nato", "NATO", "alliance")
MERCOSUR = ent("mercosur", "Mercosur", "bloc")


def rec(type_, subject, object_, status="completed", date_=None, participants=(), evidence="A sentence."):
    return {
        "doc": "d", "type": type_, "subject": subject, "object": object_,
        "participants": list(participants), "date": date_,
        "date_precision": None if not date_ else {4: "year", 7: "month", 10: "day"}[len(date_)],
        "status": status, "evidence": {"text": evidence, "start": 0, "end": len(evidence)},
    }


def gfact(type_, subject, object_, status="completed", date_=None, participants=None, evidence="A sentence."):
    f = {"type": type_, "subject": subject, "object": object_, "date": date_, "status": status,
         "evidence": evidence}
    if participants is not None:
        f["participants"] = participants
    return f


def doc(gold, id_="d", text="Some text written for the test."):
    return GoldDoc(id=id_, text=text, published="2024-03-05", title="t", gold=gold)


BASE_GOLD = [
    gfact("join", "Norway", "NATO", "completed", "1949-04"),
    gfact("establish_relations", "Chile", "Iceland", "completed", "1990"),
    gfact("apply", "Uruguay", "Mercosur", "announced"),
]
BASE_PRED = [
    rec("join", NOR, NATO, "completed", "1949-04-04"),
    rec("establish_relations", CHL, ISL, "completed", "1990"),
    rec("apply", URY, MERCOSUR, "announced"),
]


def test_fold_state():
    assert fold_state("join", "completed") == "MEMBER"
    assert fold_state("sign", "announced") == "ANNOUNCED"
    assert fold_state("join", "prospective") == "PROSPECTIVE"
    assert fold_state("apply", "completed") == "PROSPECTIVE"
    assert fold_state("invite", "announced") == "PROSPECTIVE"
    assert fold_state("invite", "negated") == "NOT-MEMBER"
    assert fold_state("leave", "completed") == "LEFT"
    assert fold_state("leave", "prospective") == "LEAVING"
    assert fold_state("restore_relations", "completed") == "UP"
    assert fold_state("establish_relations", "prospective") == "UP?"
    assert fold_state("cut_relations", "announced") == "DOWN?"
    assert fold_state("cut_relations", "negated") == "NOT-DOWN"
    assert fold_state("establish_relations", "negated") == "NOT-UP"
    assert fold_state("summit", "completed") is None
    assert fold_state("found", "completed") is None


def test_perfect_prediction(gaz):
    r = score([doc(BASE_GOLD)], {"d": BASE_PRED}, gazetteer=gaz)
    assert (r.tp, r.fp, r.fn) == (3, 0, 0)
    assert r.precision == r.recall == r.f1 == 1.0
    assert r.date_basis == 2 and r.date_accuracy == 1.0
    assert r.overclaims == 0
    assert r.per_doc[0].tp == 3


def test_duplicates_count_once(gaz):
    r = score([doc(BASE_GOLD + BASE_GOLD[:1])], {"d": BASE_PRED + BASE_PRED}, gazetteer=gaz)
    assert (r.tp, r.fp, r.fn) == (3, 0, 0)


def test_extra_lowers_precision(gaz):
    r = score([doc(BASE_GOLD)], {"d": BASE_PRED + [rec("join", BRA, NATO)]}, gazetteer=gaz)
    assert (r.tp, r.fp, r.fn) == (3, 1, 0)
    assert r.precision == 0.75 and r.recall == 1.0
    assert r.extras[0].triple == ("Brazil", "NATO", "MEMBER")


def test_miss_lowers_recall(gaz):
    r = score([doc(BASE_GOLD)], {"d": BASE_PRED[:2]}, gazetteer=gaz)
    assert (r.tp, r.fp, r.fn) == (2, 0, 1)
    assert r.precision == 1.0 and r.recall == pytest.approx(2 / 3)
    miss = r.misses[0]
    assert miss.triple == ("Uruguay", "Mercosur", "PROSPECTIVE")
    assert miss.gold_status == "announced" and miss.gold_evidence == "A sentence."


def test_wrong_state_is_both_miss_and_extra(gaz):
    gold = [gfact("leave", "Iceland", "NATO", "announced")]
    r = score([doc(gold)], {"d": [rec("leave", ISL, NATO, "prospective")]}, gazetteer=gaz)
    assert r.tp == 1  # announced and prospective leaving fold to LEAVING
    r = score([doc(gold)], {"d": [rec("join", ISL, NATO, "negated")]}, gazetteer=gaz)
    assert (r.tp, r.fp, r.fn) == (0, 1, 1)


def test_overclaim(gaz):
    gold = [
        gfact("join", "Uruguay", "NATO", "announced", evidence="Uruguay will be welcomed into the alliance next week."),
        gfact("cut_relations", "Chile", "Argentina", "negated", evidence="Chile recalled its envoy."),
        gfact("establish_relations", "Brazil", "Iceland", "prospective"),
    ]
    pred = [
        rec("join", URY, NATO, "completed", evidence="Uruguay was welcomed."),
        rec("cut_relations", ARG, CHL, "completed"),
        rec("establish_relations", BRA, ISL, "prospective"),
    ]
    r = score([doc(gold)], {"d": pred}, gazetteer=gaz)
    assert r.overclaim_basis == 3
    assert r.overclaims == 2
    assert r.overclaim_rate == pytest.approx(2 / 3)
    first = r.overclaim_items[0]
    assert first.gold_status == "announced" and first.pred_status == "completed"
    assert first.pred_state == "MEMBER" and first.pred_evidence == "Uruguay was welcomed."
    # not predicted at all for the pair: outside the basis
    r = score([doc(gold)], {"d": []}, gazetteer=gaz)
    assert r.overclaim_basis == 0 and r.overclaim_rate is None


def test_no_overclaim_when_gold_also_has_the_done_state(gaz):
    gold = [gfact("apply", "Norway", "Mercosur", "completed", "2001"),
            gfact("join", "Norway", "Mercosur", "completed", "2003")]
    r = score([doc(gold)], {"d": [rec("join", NOR, MERCOSUR, "completed", "2003")]}, gazetteer=gaz)
    assert r.overclaim_basis == 1 and r.overclaims == 0
    assert (r.tp, r.fn) == (1, 1)


def test_date_agreement_rules():
    assert date_agrees("2020-09", "2020-09")
    assert date_agrees("2020-09", "2020-09-15")
    assert not date_agrees("2020-09", "2020")
    assert not date_agrees("2020-09", "2020-10-01")
    assert date_agrees("1992", "1992-01-01")
    assert not date_agrees("2020-09-15", "2020-09-16")
    assert not date_agrees("2020", None)


def test_date_accuracy_and_invented(gaz):
    gold = [
        gfact("join", "Norway", "NATO", "completed", "1949-04"),
        gfact("sign", "Chile", "Mercosur", "completed", "1996-06"),
        gfact("join", "Brazil", "Mercosur", "completed", None),
        gfact("join", "Uruguay", "Mercosur", "completed", None),
    ]
    pred = [
        rec("join", NOR, NATO, "completed", "1949-04-04"),  # more precise: right
        rec("sign", CHL, MERCOSUR, "completed", "1996"),  # less precise: wrong
        rec("join", BRA, MERCOSUR, "completed", "2024-03-05"),  # gold has no date: invented
        rec("join", URY, MERCOSUR, "completed", None),
    ]
    r = score([doc(gold)], {"d": pred}, gazetteer=gaz)
    assert r.date_basis == 2 and r.date_correct == 1 and r.date_accuracy == 0.5
    assert r.wrong_dates[0].gold_date == "1996-06" and r.wrong_dates[0].pred_date == "1996"
    assert r.date_invented == 1 and r.date_null_basis == 2
    assert r.invented_dates[0].triple[0] == "Brazil"


def test_relation_pairs_are_unordered(gaz):
    gold = [gfact("restore_relations", "Chile", "Argentina", "completed")]
    r = score([doc(gold)], {"d": [rec("restore_relations", ARG, CHL, "completed")]}, gazetteer=gaz)
    assert (r.tp, r.fp, r.fn) == (1, 0, 0)
    # membership facts keep their direction (state, body) ...
    gold = [gfact("invite", "Norway", "Mercosur", "completed")]
    r = score([doc(gold)], {"d": [rec("invite", MERCOSUR, NOR, "completed")]}, gazetteer=gaz)
    # ... and a body-as-subject invitation is turned around to match
    assert (r.tp, r.fp, r.fn) == (1, 0, 0)


def test_gold_parenthesis_and_semicolon(gaz):
    gold = [
        gfact("establish_relations", "Chile (the foreign minister); Argentina", "UAE (envoy)", "announced"),
        gfact("join", "Kingdom of Norway (its prime minister)", "NATO", "completed"),
    ]
    pred = [
        rec("establish_relations", ARE, CHL, "announced"),
        rec("establish_relations", ARG, ARE, "prospective"),
        rec("join", NOR, NATO, "completed"),
    ]
    r = score([doc(gold)], {"d": pred}, gazetteer=gaz)
    assert (r.tp, r.fp, r.fn) == (3, 0, 0)
    assert split_names("Brazil; Chile (a; b)") == ["Brazil", "Chile (a; b)"]
    assert strip_paren("Chile (the foreign minister)") == ("Chile", ["the foreign minister"])


def test_demonym_and_body_alias_and_unresolved_names(gaz):
    gold = [
        gfact("join", "Brazilian", "Southern Common Market (full member)", "completed"),
        gfact("sign", "Chile", "peace treaty with Iceland", "completed"),
        gfact("apply", "Norway", "European Free Trade Association (observer status)", "completed"),
    ]
    pred = [
        rec("join", BRA, ent("mercosul", "Mercosul", "bloc"), "completed"),  # alias of the gold's body
        rec("sign", CHL, ent("peace-treaty-with-iceland", "Peace Treaty with Iceland", "agreement")),
        rec("apply", NOR, ent("efta", "EFTA", "organization")),  # unknown body, other name: no match
    ]
    r = score([doc(gold)], {"d": pred}, gazetteer=gaz)
    assert (r.tp, r.fp, r.fn) == (2, 1, 1)
    assert r.misses[0].triple == ("Norway", "European Free Trade Association (observer status)", "PROSPECTIVE")


def test_countries_match_only_by_id(gaz):
    gold = [gfact("join", "Norway", "NATO", "completed")]
    r = score([doc(gold)], {"d": [rec("join", ent("ISL", "Norway", "country"), NATO)]}, gazetteer=gaz)
    assert (r.tp, r.fp, r.fn) == (0, 1, 1)


def test_works_without_reference_data():
    empty = Gazetteer([], [], [])
    r = score([doc(BASE_GOLD)], {"d": BASE_PRED}, gazetteer=empty)
    assert (r.tp, r.fp, r.fn) == (3, 0, 0)


def test_summit_recall_by_body_and_by_participants(gaz):
    gold = [
        gfact("summit", "Mercosur", "12th Mercosur summit, Montevideo", "completed", "2024-03",
              participants=["Argentina", "Brazil", "Uruguay", "Paraguay"]),
        gfact("summit", "United States", "leaders' gathering at Camp David", "announced",
              participants=["United States", "Chile (president)", "Brazil", "Argentina", "South American states"]),
        gfact("meeting", "Norway (foreign minister)", "Iceland (foreign minister)", "completed",
              participants=["Norway", "Iceland"]),
        gfact("meeting", "NATO", "ministers' talks (G20), Oslo", "completed"),
    ]
    pred = [
        # body named in the object: matches the first summit even without participants
        rec("summit", ent("URY", "Uruguay", "country"), ent("mercosur-summit", "Mercosur Summit", "gathering")),
        # two of four resolvable participants (US, CHL, BRA, ARG): enough
        rec("summit", USA, ent("camp-david-summit", "Camp David summit", "gathering"), "announced",
            participants=[USA, ent("CHL", "Chile", "country")]),
        # only one of the two ministers' countries: not enough
        rec("meeting", NOR, ent("oslo-talks", "talks in Oslo", "gathering"), participants=[NOR, BRA]),
        # body in the parenthesis of the gold object
        rec("meeting", NOR, ent("g20", "Group of Twenty", "format")),
        # gatherings never count in the triple score
        rec("found", MERCOSUR, MERCOSUR),
    ]
    r = score([doc(gold)], {"d": pred}, gazetteer=gaz)
    assert r.summit_recall["summit"] == {"gold": 2, "hits": 2, "recall": 1.0}
    assert r.summit_recall["meeting"] == {"gold": 2, "hits": 1, "recall": 0.5}
    assert r.summit_recall["all"]["recall"] == 0.75
    assert [m.triple[1] for m in r.gathering_misses] == ["Iceland (foreign minister)"]
    assert (r.tp, r.fp, r.fn) == (0, 0, 0) and r.f1 is None
    assert r.per_doc[0].gatherings == 4 and r.per_doc[0].gathering_hits == 3


def test_summit_participant_threshold(gaz):
    gold = [gfact("summit", "Brazil", "a regional gathering", "completed",
                  participants=["Argentina", "Brazil", "Uruguay", "Paraguay", "Chile", "Iceland"])]
    two = rec("summit", BRA, ent("x", "a gathering", "gathering"), participants=[ARG, BRA])
    three = rec("summit", BRA, ent("x", "a gathering", "gathering"), participants=[ARG, BRA, URY])
    assert score([doc(gold)], {"d": [two]}, gazetteer=gaz).summit_recall["summit"]["hits"] == 0
    assert score([doc(gold)], {"d": [three]}, gazetteer=gaz).summit_recall["summit"]["hits"] == 1


def test_micro_average_over_documents(gaz):
    d1 = doc([gfact("join", "Norway", "NATO")], id_="one")
    d2 = doc([gfact("join", "Chile", "Mercosur"), gfact("join", "Brazil", "Mercosur")], id_="two")
    pred = {"one": [rec("join", NOR, NATO)], "two": [rec("join", CHL, MERCOSUR)], "zzz": []}
    r = score([d1, d2], pred, gazetteer=gaz)
    assert (r.tp, r.fp, r.fn) == (2, 0, 1)
    assert [(row.doc, row.tp, row.fn) for row in r.per_doc] == [("one", 1, 0), ("two", 1, 1)]
    assert r.unknown_docs == ["zzz"]
    # a fact predicted for the wrong document is an extra there, not a hit
    r = score([d1, d2], {"two": [rec("join", NOR, NATO)]}, gazetteer=gaz)
    assert (r.tp, r.fp, r.fn) == (0, 1, 3)


def test_report_serializes_and_formats(gaz):
    r = score([doc(BASE_GOLD)], {"d": BASE_PRED[:2] + [rec("join", BRA, NATO)]}, gazetteer=gaz)
    d = r.to_dict()
    json.dumps(d)
    assert d["precision"] == pytest.approx(2 / 3) and d["misses"][0]["doc"] == "d"
    text = format_report(r)
    assert "precision" in text and "overclaim rate" in text and "summit recall" in text
    assert "Brazil -> NATO: MEMBER" in explain(r)


def _write(tmp_path, lines):
    p = tmp_path / "gold.jsonl"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def test_load_gold_and_evaluate(tmp_path, gaz):
    lines = [
        json.dumps({"id": "a", "title": "Norway news", "published": "2024-03-05",
                    "text": "Norway joined the alliance in 1949.", "gold": [gfact("join", "Norway", "NATO", "completed", "1949")]}),
        "",
        json.dumps({"id": "b", "title": None, "published": "2023-11",
                    "text": "Chile and Iceland talk.", "gold": []}),
        json.dumps({"id": "c", "title": None, "published": None, "text": "Nothing here.", "gold": []}),
    ]
    path = _write(tmp_path, lines)
    docs = load_gold(path)
    assert [g.id for g in docs] == ["a", "b", "c"]
    seen = {}

    def extract(documents):
        for d in documents:
            seen[d.id] = (d.published, d.published_precision, d.text)
        return {"a": [rec("join", NOR, NATO, "completed", "1949")]}

    r = evaluate(path, extract, gazetteer=gaz)
    assert seen["a"] == (date(2024, 3, 5), "day", "Norway joined the alliance in 1949.")
    assert seen["b"][:2] == (None, "month")
    assert seen["c"][:2] == (None, None)
    assert r.documents == 3 and r.f1 == 1.0 and r.date_accuracy == 1.0


@pytest.mark.parametrize("bad, problem", [
    ("{not json", "not valid JSON"),
    ('["a list"]', "JSON object"),
    (json.dumps({"id": "x", "text": "t", "gold": {}}), "'gold'"),
    (json.dumps({"id": "x", "text": "t", "gold": [gfact("merge", "Chile", "Mercosur")]}), "unknown type"),
    (json.dumps({"id": "x", "text": "t", "gold": [gfact("join", "Chile", "Mercosur", "maybe")]}), "unknown status"),
    (json.dumps({"id": "x", "gold": []}), "'text'"),
    (json.dumps({"id": "x", "text": "t", "published": "March 2024", "gold": []}), "ISO"),
    (json.dumps({"id": "a", "text": "t", "gold": []}), "duplicate"),
])
def test_malformed_gold_line_names_file_and_line(tmp_path, bad, problem):
    good = json.dumps({"id": "a", "text": "Chile spoke.", "published": None, "gold": []})
    path = _write(tmp_path, [good, bad])
    with pytest.raises(InputError) as exc:
        load_gold(path)
    assert exc.value.source == f"{path}:2"
    assert problem in exc.value.problem
    assert f"{path}:2" in str(exc.value)


def test_missing_gold_file(tmp_path):
    with pytest.raises(InputError):
        load_gold(tmp_path / "nope.jsonl")


def test_explain_groups_misses_and_extras_by_cause(gaz):
    gold = [
        gfact("join", "Norway", "NATO", "announced", evidence="Norway will join NATO."),
        gfact("join", "Freedonia", "NATO", "completed", evidence="Freedonia joined NATO."),
        gfact("join", "Chile", "Mercosur", "completed", evidence="Chile joined the bloc."),
        gfact("apply", "Brazil", "NATO", "completed", evidence="Brazil applied to NATO."),
    ]
    preds = [
        rec("join", NOR, NATO, "completed", evidence="Norway will join NATO."),
        rec("leave", BRA, NATO, "completed", evidence="Brazil applied to NATO."),
        rec("join", ISL, MERCOSUR, "completed", evidence="Iceland joined Mercosur."),
    ]
    report = score([doc(gold)], {"d": preds}, gazetteer=gaz)
    causes = {(it.triple[0], it.cause) for it in report.misses}
    assert ("Norway", "modality") in causes
    assert ("Freedonia", "entity not linked") in causes
    assert ("Chile", "anaphora") in causes
    assert ("Brazil", "wrong type") in causes
    assert {(it.triple[0], it.cause) for it in report.extras} >= {("Iceland", "not in gold")}
    text = explain(report)
    assert "misses: modality" in text and "causes of misses and extras:" in text
