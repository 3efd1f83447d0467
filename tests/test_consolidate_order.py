"""Properties of consolidation over a real store: the facts do not depend on the order documents were
ingested in (only database ids differ), and consolidating again changes nothing."""
from __future__ import annotations

from functools import lru_cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accords import consolidate as cons
from accords.extract import extract_docs
from accords.kb import load
from accords.store import open_store
from tests.kb_helpers import doc, normalized

# Sentences written for these tests: steps, repeats, disagreements, exits, relations and a summit.
ARTICLES = [
    doc("n1", "2026-03-02", "Norway will join the Mercosur trade bloc on Thursday, officials said.", "North Wire"),
    doc("n2", "2026-03-05", "Norway joined the Mercosur trade bloc on Thursday, the ministry said.", "South Post"),
    doc("n3", "2026-03-09", "Norway is seeking to join Mercosur, a trade official said.", "Late Gazette"),
    doc("s1", "2024-01-03", "Saudi Arabia joined the BRICS group on January 1, the state news agency reported.",
        "Gulf Wire"),
    doc("s2", "2024-01-10", "Saudi Arabia has been invited to join BRICS but has not yet decided, officials said.",
        "Desert Daily"),
    doc("e1", "2024-01-04", "Egypt joined BRICS on January 1, 2024, along with Ethiopia and Iran.", "Nile"),
    doc("e2", "2024-02-20", "Egypt became a member of BRICS in February 2024, the ministry said.", "Delta"),
    doc("g0", "2015-05-02", "Niger joined the African Union in 2002."),
    doc("g1", "2026-03-02", "Niger will withdraw from the African Union, the military government said on Monday."),
    doc("g2", "2026-03-20", "Niger has reversed its decision and will not leave the African Union."),
    doc("r1", "2017-06-06", "Saudi Arabia cut diplomatic relations with Qatar on Monday."),
    doc("r2", "2021-01-06", "Saudi Arabia and Qatar restored diplomatic relations on Tuesday."),
    doc("r3", "2021-01-08", "Qatar and Saudi Arabia restored diplomatic relations on January 5."),
    doc("m1", "2025-11-06", "Leaders of Kazakhstan and Uzbekistan met President Trump at the White House on "
                            "Thursday for the C5+1 summit."),
]


@lru_cache(maxsize=1)
def extracted():
    """The real extractor's output, once: (document, assertions) per article."""
    return tuple((d, tuple(found)) for d, found in extract_docs(list(ARTICLES)))


def facts_after_ingesting(order) -> dict:
    store = open_store(":memory:")
    try:
        for d, found in order:
            store.ingest(d, list(found))
        items = load.assertions(store)
        keys = {sa.id: cons.content_key(sa) for sa in items}
        facts = cons.consolidate(items).to_dict()
        assert cons.consolidate(items).to_dict() == facts  # again: nothing changes
        return normalized(facts, keys)
    finally:
        store.close()


def test_the_articles_make_facts_of_every_kind():
    facts = facts_after_ingesting(extracted())
    assert facts["memberships"] and facts["relations"] and facts["summits"]
    kinds = {c["kind"] for f in facts["memberships"] for c in f["conflicts"]}
    assert {"status", "date"} <= kinds


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.permutations(range(len(ARTICLES))))
def test_facts_do_not_depend_on_ingest_order(perm):
    base = extracted()
    assert facts_after_ingesting([base[i] for i in perm]) == facts_after_ingesting(base)


@settings(max_examples=10, deadline=None)
@given(st.permutations(range(len(ARTICLES))), st.integers(min_value=1, max_value=3))
def test_rerunning_consolidation_changes_nothing(perm, reruns):
    store = open_store(":memory:")
    try:
        for i in perm:
            d, found = extracted()[i]
            store.ingest(d, list(found))
        first = store.consolidate().to_dict()
        stored = [f.to_dict() for f in store.memberships()]
        for _ in range(reruns):
            assert store.consolidate().to_dict() == first
        assert [f.to_dict() for f in store.memberships()] == stored
        items = load.assertions(store)
        assert cons.consolidate(items + items).to_dict() == cons.consolidate(items).to_dict()
    finally:
        store.close()
