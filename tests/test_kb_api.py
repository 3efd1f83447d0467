"""The HTTP API's bitemporal parameters (as_of, known_on) and its /changes feed (JSON and Atom), in process,
over a store filled from sentences written for these tests through the real extractor."""
from __future__ import annotations

import feedparser
import httpx
import pytest

from accords.api import create_app
from accords.store import open_store
from tests.kb_helpers import doc, ingest

pytestmark = pytest.mark.anyio

ARTICLES = [
    doc("n1", "2026-03-02", "Norway will join the Mercosur trade bloc on Thursday, officials said.", "North Wire"),
    doc("n2", "2026-03-05", "Norway joined the Mercosur trade bloc on Thursday, the foreign ministry said.",
        "South Post", "https://south.example/norway"),
    doc("r1", "2017-06-06", "Saudi Arabia cut diplomatic relations with Qatar on Monday.", "Gulf Wire"),
    doc("r2", "2021-01-06", "Saudi Arabia and Qatar restored diplomatic relations on Tuesday.", "Gulf Wire"),
]


@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.fixture(scope="module")
def kb_db(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("kbapi") / "kb.db")
    with open_store(path) as s:
        ingest(s, *ARTICLES)
    return path


@pytest.fixture
async def client(kb_db):
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(kb_db)), base_url="http://test") as c:
        yield c


async def test_members_known_on(client):
    now = (await client.get("/bodies/mercosur/members", params={"as_of": "2026-03-06"})).json()
    assert [e["member"]["id"] for e in now["members"]] == ["NOR"] and now["known_on"] is None
    then = (await client.get("/bodies/mercosur/members", params={"known_on": "2026-03-04",
                                                                 "as_of": "2026-03-06"})).json()
    assert then["members"] == [] and then["announced"][0]["unconfirmed"] is True
    # known_on alone: as of that day too.
    alone = (await client.get("/bodies/mercosur/members", params={"known_on": "2026-03-04"})).json()
    assert alone["as_of"] == "2026-03-04" and alone["announced"][0]["unconfirmed"] is False
    bad = await client.get("/bodies/mercosur/members", params={"known_on": "2026-02-30"})
    assert bad.status_code == 400 and "known_on" in bad.json()["error"]


async def test_relations_country_timeline_events_summits_take_both_times(client):
    both = (await client.get("/relations", params={"a": "SAU", "b": "QAT"})).json()["items"]
    assert [f["status"] for f in both] == ["down", "up"]
    in_2019 = (await client.get("/relations", params={"a": "SAU", "b": "QAT", "as_of": "2019-01-01"})).json()
    assert [(f["status"], f["valid_to"]) for f in in_2019["items"]] == [("down", None)]
    known_2018 = (await client.get("/relations", params={"a": "SAU", "known_on": "2018-01-01"})).json()
    assert [(f["status"], f["valid_to"]) for f in known_2018["items"]] == [("down", None)]
    qat = (await client.get("/countries/QAT", params={"known_on": "2018-01-01"})).json()
    assert qat["counts"]["assertions"] == 1 and qat["known_on"] == "2018-01-01"
    timeline = (await client.get("/bodies/mercosur/timeline", params={"known_on": "2026-03-03"})).json()
    assert [e["status"] for e in timeline["items"]] == ["announced"]
    events = (await client.get("/events", params={"as_of": "2020-01-01"})).json()
    assert [e["type"] for e in events["items"]] == ["cut_relations"]
    facts = (await client.get("/facts", params={"known_on": "2026-03-03"})).json()
    assert {f["doc"] for f in facts["items"]} == {"n1", "r1", "r2"}
    assert (await client.get("/summits", params={"as_of": "2026-01-01", "known_on": "2026-01-01"})).status_code == 200


async def test_changes_json_and_atom(client):
    data = (await client.get("/changes", params={"since": "2026-01-01"})).json()
    assert data["ok"] and [c["kind"] for c in data["items"]] == ["announced", "joined"]
    assert data["items"][1]["evidence"]["url"] == "https://south.example/norway"
    only_cut = (await client.get("/changes", params={"since": "2017-01-01", "kind": "relations_cut"})).json()
    assert [c["title"] for c in only_cut["items"]] == ["Qatar and Saudi Arabia cut diplomatic relations (2017-06-05)"]
    atom = await client.get("/changes", params={"since": "2017-01-01", "country": "Qatar", "format": "atom"})
    assert atom.status_code == 200 and atom.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(atom.text)
    assert not feed.bozo and [e.tags[0].term for e in feed.entries] == ["relations_restored", "relations_cut"]
    assert feed.feed.links[0].href.startswith("http://test/changes?")
    bad = await client.get("/changes", params={"since": "2017-01-01", "kind": "weather"})
    assert bad.status_code == 400 and "unknown kind of change" in bad.json()["error"]
    missing = await client.get("/changes")
    assert missing.status_code in (400, 422)
