"""The HTTP API in-process (httpx over the ASGI transport), on a real SQLite database filled by the real
extractor from short articles written for these tests."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import httpx
import pytest

from accords.api import create_app
from tests.test_postgres_store import pg_url  # noqa: F401  (a PostgreSQL database of its own per test)

PUBLISHED = "2025-03-03"  # a Monday
TOKEN = "test-token-5"

# Clearly worded, made-up articles; "script" carries markup that must never run or render as markup.
ARTICLES = {
    "brics-wave": ("Egypt and Ethiopia joined BRICS in January 2024. Indonesia joined BRICS on January 6, 2025. "
                   "Saudi Arabia has yet to join BRICS."),
    "brics-claim": "Saudi Arabia joined BRICS in January 2024, state media said.",
    "script": ("<script>window.__pwned = 1</script> Malaysia applied to join BRICS on Monday. "
               "<img src=x onerror=\"window.__pwned=2\"> Thailand also applied to join BRICS."),
    "andes": ("Chile and Bolivia restored diplomatic relations on Monday. "
              "Argentina cut diplomatic relations with Venezuela in 2024."),
    "summit": "The leaders of Brazil, India and South Africa met at a summit in Johannesburg on Tuesday.",
}
OUTLETS = {"brics-wave": "Test Wire", "brics-claim": "State Media Digest", "script": "<b>Markup Times</b>"}
TITLES = {"script": "<i>Two more applicants</i>"}


def build_db(path: Path | str) -> str:
    """The articles extracted and stored (at a path or database URL) through the library calls the CLI uses."""
    from accords.extract import extract_docs
    from accords.model import Document
    from accords.store import open_store

    docs = [Document(id=k, text=v, published=date.fromisoformat(PUBLISHED), published_precision="day",
                     outlet=OUTLETS.get(k), title=TITLES.get(k), url=f"https://news.example/{k}")
            for k, v in ARTICLES.items()]
    with open_store(path) as store:
        for doc, found in extract_docs(docs):
            store.ingest(doc, found)
    return str(path)


@pytest.fixture(scope="session")
def api_db(tmp_path_factory) -> str:
    return build_db(tmp_path_factory.mktemp("api") / "accords.db")


@pytest.fixture(scope="module")
def app(api_db):
    return create_app(api_db, token=TOKEN)


@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.fixture
async def client(app):
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as c:
        yield c


def assert_error(response: httpx.Response, status: int, *words: str) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["ok"] is False and body["status"] == status and isinstance(body["error"], str)
    for w in words:
        assert w in body["error"], body["error"]
    return body


def ids(entries: list[dict], key: str = "member") -> set[str]:
    return {e[key]["id"] for e in entries}


pytestmark = pytest.mark.anyio


# -- the schema and the overview ------------------------------------------------------------

async def test_openapi_documents_every_endpoint(client):
    schema = (await client.get("/openapi.json")).json()
    paths = schema["paths"]
    for path in ["/bodies", "/bodies/{id}", "/bodies/{id}/members", "/bodies/{id}/timeline", "/countries/{id}",
                 "/relations", "/summits", "/facts", "/events", "/documents/{id}", "/search"]:
        assert "get" in paths[path], path
    assert "post" in paths["/documents"]
    assert paths["/documents"]["post"]["security"] == [{"bearer": []}]
    assert "/body/{id}" not in paths  # web pages are not part of the API
    docs = await client.get("/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()


async def test_stats_counts_what_was_stored(client):
    body = (await client.get("/stats")).json()
    assert body["ok"] is True and body["documents"] == len(ARTICLES) and body["assertions"] >= 8
    assert "url" not in body


async def test_bodies_list_and_one_body(client):
    listed = (await client.get("/bodies")).json()
    assert "brics" in {b["id"] for b in listed["items"]}
    assert all(b["kind"] != "country" for b in listed["items"])
    one = (await client.get("/bodies/brics")).json()
    assert one["body"]["id"] == "brics" and one["body"]["name"] == "BRICS"
    assert one["counts"]["members"] >= 3


async def test_a_body_can_be_named_as_the_cli_names_it(client):
    assert (await client.get("/bodies/BRICS")).json()["body"]["id"] == "brics"


# -- members as of a date ----------------------------------------------------------------------

async def test_members_as_of_a_date(client):
    before = (await client.get("/bodies/brics/members", params={"as_of": "2024-06-01"})).json()
    assert before["as_of"] == "2024-06-01"
    assert {"EGY", "ETH"} <= ids(before["members"])
    assert "IDN" not in ids(before["members"])
    after = (await client.get("/bodies/brics/members", params={"as_of": "2025-02-01"})).json()
    assert {"EGY", "ETH", "IDN"} <= ids(after["members"])
    egypt = next(e for e in after["members"] if e["member"]["id"] == "EGY")
    assert egypt["evidence"] == "Egypt and Ethiopia joined BRICS in January 2024."
    assert egypt["doc"] == "brics-wave" and egypt["outlet"] == "Test Wire" and egypt["valid_from"] == "2024-01"


async def test_members_of_applicants_are_prospective(client):
    now = (await client.get("/bodies/brics/members", params={"as_of": "2025-04-01"})).json()
    assert "MYS" in ids(now["prospective"]) and "MYS" not in ids(now["members"])


async def test_members_bad_date_is_a_400_that_says_what_to_do(client):
    assert_error(await client.get("/bodies/brics/members", params={"as_of": "yesterday"}), 400,
                 "not a date", "YYYY-MM-DD")


async def test_unknown_body_is_a_404_with_suggestions(client):
    assert_error(await client.get("/bodies/brixs/members"), 404, "unknown name", "Did you mean")


async def test_a_country_is_not_a_body(client):
    assert_error(await client.get("/bodies/EGY/members"), 400, "is a country", "/countries/EGY")


async def test_timeline_in_date_order(client):
    body = (await client.get("/bodies/brics/timeline")).json()
    dated = [e["date"] for e in body["items"] if e["date"]]
    assert dated == sorted(dated, key=lambda d: date.fromisoformat((d + "-01-01")[:10]))
    assert {"EGY", "IDN", "MYS"} <= {e["subject"]["id"] for e in body["items"]}


# -- countries, relations, summits ---------------------------------------------------------------

async def test_country(client):
    body = (await client.get("/countries/IDN")).json()
    assert body["country"]["id"] == "IDN"
    assert any(m["body"]["id"] == "brics" and m["status"] == "member" for m in body["memberships"])
    assert body["counts"]["documents"] == 1
    assert (await client.get("/countries", )).json()["items"]
    assert_error(await client.get("/countries/brics"), 400, "not a country")


async def test_relations_of_a_state_and_of_a_pair(client):
    chile = (await client.get("/relations", params={"a": "CHL"})).json()["items"]
    assert any({f["a"]["id"], f["b"]["id"]} == {"CHL", "BOL"} and f["status"] == "up" for f in chile)
    pair = (await client.get("/relations", params={"a": "Argentina", "b": "VEN"})).json()["items"]
    assert pair and all(f["status"] == "down" for f in pair if f["valid_from"])
    assert_error(await client.get("/relations"), 422, "a:")


async def test_summits_of_a_participant(client):
    items = (await client.get("/summits", params={"country": "IND"})).json()["items"]
    assert items and {"BRA", "IND", "ZAF"} <= {p["id"] for p in items[0]["participants"]}


# -- fact records: filters and cursors ----------------------------------------------------------------

async def walk(client, path: str, **params) -> list[dict]:
    out, cursor, pages = [], None, 0
    while True:
        body = (await client.get(path, params={**params, **({"cursor": cursor} if cursor else {})})).json()
        out += body["items"]
        pages += 1
        cursor = body["next"]
        if cursor is None:
            assert len(out) == body["total"]
            return out
        assert pages < 50


async def test_facts_pages_cover_everything_once(client, record_keys):
    everything = (await client.get("/facts", params={"limit": 500})).json()
    paged = await walk(client, "/facts", limit=2)
    # the unfiltered feed is read from the database page by page; a filter that keeps everything goes
    # through the library's filtered read: both give the same records in the same order
    filtered = await walk(client, "/facts", limit=3, since="1000")
    assert [r["id"] for r in filtered] == [r["id"] for r in paged]
    assert [r["id"] for r in paged] == [r["id"] for r in everything["items"]]
    assert len({r["id"] for r in paged}) == len(paged) == everything["total"]
    assert all(record_keys <= set(r) for r in paged)


async def test_facts_filters(client):
    applied = await walk(client, "/facts", type="apply")
    assert applied and {r["subject"]["id"] for r in applied} == {"MYS", "THA"}
    negated = await walk(client, "/facts", status="negated", body="BRICS")
    assert [r["subject"]["id"] for r in negated] == ["SAU"]
    saudi = await walk(client, "/facts", country="Saudi Arabia")
    assert {r["status"] for r in saudi} == {"completed", "negated"}
    in_2024 = await walk(client, "/facts", since="2024", until="2024-12-31", type="join")
    assert {r["subject"]["id"] for r in in_2024} == {"EGY", "ETH", "SAU"}


async def test_events_are_in_date_order_and_paged(client):
    events = await walk(client, "/events", limit=3)
    dated = [r["date"] for r in events if r["date"]]
    assert dated == sorted(dated, key=lambda d: (d + "-01-01")[:10])


async def test_bad_paging_parameters(client):
    assert_error(await client.get("/facts", params={"cursor": "not-a-cursor"}), 400, "cursor", "next")
    assert_error(await client.get("/facts", params={"limit": 0}), 422, "limit")
    assert_error(await client.get("/facts", params={"type": "merge"}), 422, "type")
    assert_error(await client.get("/events", params={"since": "spring"}), 400, "not a date")


# -- documents -------------------------------------------------------------------------------------


async def test_document_with_marked_evidence(client):
    body = (await client.get("/documents/brics-wave")).json()
    doc = body["document"]
    assert doc["text"] == ARTICLES["brics-wave"] and doc["outlet"] == "Test Wire" and doc["published"] == PUBLISHED
    assert "".join(s["text"] for s in body["segments"]) == doc["text"]
    marked = {s["text"] for s in body["segments"] if s["facts"]}
    assert "Indonesia joined BRICS on January 6, 2025." in marked
    fact_ids = {r["id"] for r in body["facts"]}
    assert {i for s in body["segments"] for i in s["facts"]} == fact_ids


async def test_documents_list_is_paged(client):
    first = (await client.get("/documents", params={"limit": 2})).json()
    assert len(first["items"]) == 2 and first["next"] and "text" not in first["items"][0]
    rest = (await client.get("/documents", params={"limit": 50, "cursor": first["next"]})).json()
    assert len(first["items"]) + len(rest["items"]) == len(ARTICLES) and rest["next"] is None


async def test_unknown_document_is_a_404(client):
    assert_error(await client.get("/documents/no-such-article"), 404, "no document")


async def test_a_fact_with_what_supports_and_contradicts_it(client):
    claim = (await client.get("/documents/brics-claim")).json()["facts"][0]
    assert claim["subject"]["id"] == "SAU" and claim["status"] == "completed"
    body = (await client.get(f"/documents/brics-claim/facts/{claim['id']}")).json()
    assert body["fact"]["id"] == claim["id"]
    assert [r["doc"] for r in body["contradicting"]] == ["brics-wave"]
    assert body["contradicting"][0]["status"] == "negated"
    assert_error(await client.get("/documents/brics-claim/facts/999999"), 404, "no fact")


# -- search ---------------------------------------------------------------------------------------------


async def test_search_finds_entities_and_sentences(client):
    body = (await client.get("/search", params={"q": "indonesia"})).json()
    assert "IDN" in {e["id"] for e in body["entities"]}
    assert any(r["doc"] == "brics-wave" and "Indonesia" in r["evidence"]["text"] for r in body["evidence"])
    stemmed = (await client.get("/search", params={"q": "restore relation"})).json()
    assert [r["subject"]["id"] for r in stemmed["evidence"]] == ["CHL"]
    alias = (await client.get("/search", params={"q": "Saudi"})).json()
    assert "SAU" in {e["id"] for e in alias["entities"]}
    assert (await client.get("/search", params={"q": "zzzz"})).json()["evidence"] == []
    assert_error(await client.get("/search", params={"q": "  "}), 400, "empty")
    nothing = (await client.get("/search", params={"q": "*?"})).json()  # no words: nothing found
    assert nothing["entities"] == [] and nothing["evidence"] == []


async def test_search_survives_query_syntax(client):
    for q in ['"', "NEAR(", "a AND OR", "*", "-x", "join)"]:
        response = await client.get("/search", params={"q": q})
        assert response.status_code == 200, (q, response.text)


# -- writing ----------------------------------------------------------------------------------------------


NEW = {"id": "gulf-news", "text": "Qatar joined the African Union on Monday, officials said.", "outlet": "Gulf Test",
       "published": PUBLISHED}


@pytest.fixture
async def writable(tmp_path):
    app = create_app(tmp_path / "w.db", token=TOKEN)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as c:
        yield c


AUTH = {"Authorization": f"Bearer {TOKEN}"}


async def test_post_needs_the_token(writable):
    assert_error(await writable.post("/documents", json=NEW), 401, "Bearer")
    r = await writable.post("/documents", json=NEW, headers={"Authorization": "Bearer wrong"})
    assert_error(r, 401, "token")
    assert r.headers["www-authenticate"].startswith("Bearer")


async def test_post_is_forbidden_without_a_configured_token(tmp_path):
    app = create_app(tmp_path / "ro.db")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as c:
        assert_error(await c.post("/documents", json=NEW, headers=AUTH), 403, "ACCORDS_API_TOKEN")


async def test_post_one_document_then_read_it_back(writable):
    r = await writable.post("/documents", json=NEW, headers=AUTH)
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["added"] == [{"id": "gulf-news", "facts": body["facts"]}] and body["facts"] >= 1
    assert body["summary"].startswith("ingested 1 documents")
    members = (await writable.get("/bodies/african-union/members", params={"as_of": PUBLISHED})).json()
    assert "QAT" in ids(members["members"]) | ids(members["announced"])
    again = await writable.post("/documents", json=NEW, headers=AUTH)
    assert again.status_code == 200 and again.json()["already_stored"] == ["gulf-news"]


async def test_post_a_batch_with_a_bad_document_stores_the_good_ones(writable):
    batch = {"documents": [{"id": "ok", "text": "Peru joined the Pacific Alliance in 2011."},
                           {"id": "bad", "title": "no text here"},
                           {"text": "Kenya and Somalia restored diplomatic relations on Monday.",
                            "published": "someday"}]}
    r = await writable.post("/documents", json=batch, headers=AUTH, params={"published": PUBLISHED})
    assert r.status_code == 201, r.text
    body = r.json()
    assert [a["id"] for a in body["added"]][0] == "ok" and len(body["added"]) == 2
    assert body["skipped"] == [{"source": "document 1", "error": "no 'text' field"}]
    assert "not understood" in body["warnings"][0]["error"]
    assert body["summary"].endswith("1 skipped")


async def test_post_validation_messages_match_the_readers(writable):
    assert_error(await writable.post("/documents", content=b"{nope", headers=AUTH), 400, "not valid JSON")
    assert_error(await writable.post("/documents", json={"text": "   "}, headers=AUTH), 400, "the text is blank")
    assert_error(await writable.post("/documents", json=[], headers=AUTH), 400, "no documents")
    assert_error(await writable.post("/documents", json=[{"text": "x"}] * 101, headers=AUTH), 413, "at most 100")
    huge = json.dumps({"text": "a" * (10 * 2**20 + 10)}).encode()
    assert_error(await writable.post("/documents", content=huge, headers=AUTH), 413, "at most 10 MB")
    assert_error(await writable.post("/documents", json=NEW, headers=AUTH, params={"published": "2025-03"}), 400,
                 "not a day")


# -- private servers and errors --------------------------------------------------------------------------


async def test_private_server_needs_the_token_for_reads(api_db):
    app = create_app(api_db, token=TOKEN, private=True)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as c:
        assert_error(await c.get("/bodies"), 401, "private")
        assert (await c.get("/bodies", headers=AUTH)).status_code == 200
        page = await c.get("/", headers={"Accept": "text/html"})
        assert page.status_code == 303 and page.headers["location"].startswith("/login")
        bad = await c.post("/login", content=b"token=nope&next=/", headers={"Content-Type":
                                                                          "application/x-www-form-urlencoded"})
        assert bad.status_code == 401
        good = await c.post("/login", content=f"token={TOKEN}&next=/body/brics".encode(),
                            headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert good.status_code == 303 and good.headers["location"] == "/body/brics"
        assert (await c.get("/body/brics")).status_code == 200  # the cookie counts as the token


def test_private_server_without_a_token_is_refused(api_db):
    from accords.errors import AccordsError

    with pytest.raises(AccordsError, match="ACCORDS_API_TOKEN"):
        create_app(api_db, private=True)


async def test_unknown_paths_and_methods_use_the_error_shape(client):
    assert_error(await client.get("/no/such/thing"), 404, "no such path")
    not_allowed = await client.delete("/documents")
    assert_error(not_allowed, 405, "DELETE", "use GET, POST")
    assert not_allowed.headers["allow"] == "GET, POST"
    page = await client.get("/no/such/page", headers={"Accept": "text/html"})
    assert page.status_code == 404 and "text/html" in page.headers["content-type"]


# -- web pages in-process: escaping -------------------------------------------------------------------------


async def test_article_markup_is_escaped_everywhere(client):
    pages = [await client.get("/article/script"), await client.get("/find", params={"q": "applied"}),
             await client.get("/body/brics"), await client.get("/country/THA")]
    for page in pages:
        assert page.status_code == 200, page.url
        html = page.text
        assert "<script>window.__pwned" not in html and "<img src=x" not in html
        assert "<b>Markup Times</b>" not in html and "<i>Two more" not in html
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in pages[0].text
    assert "&lt;img src=x onerror=" in pages[1].text


async def test_only_web_links_become_links(api_db, tmp_path):
    from accords.model import Document
    from accords.store import open_store

    path = tmp_path / "links.db"
    with open_store(path) as store:
        store.ingest(Document(id="js", text="Nothing here.", url="javascript:alert(1)"), [])
    app = create_app(path)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as c:
        html = (await c.get("/article/js")).text
    assert "javascript:" not in html


async def test_every_page_renders(client):
    """A crawl of the web page: every body, state and article the store knows, and every fact of each article."""
    bodies = (await client.get("/bodies")).json()["items"]
    countries = (await client.get("/countries")).json()["items"]
    documents = (await client.get("/documents", params={"limit": 500})).json()["items"]
    paths = ["/", "/find", "/find?q=brics", *[f"/body/{b['id']}" for b in bodies],
             *[f"/country/{c['id']}" for c in countries], *[f"/article/{d['id']}" for d in documents]]
    for d in documents:
        facts = (await client.get(f"/documents/{d['id']}")).json()["facts"]
        paths += [f"/article/{d['id']}?fact={f['id']}" for f in facts]
    assert len(paths) > 30
    for path in paths:
        page = await client.get(path)
        assert page.status_code == 200 and page.text.startswith("<!doctype html>"), path


@pytest.mark.postgres
async def test_search_and_reads_on_postgresql(pg_url):
    """The same answers from a PostgreSQL store (search through its GIN full-text index)."""
    app = create_app(build_db(pg_url))
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as c:
            stemmed = (await c.get("/search", params={"q": "restore relation"})).json()
            assert [r["subject"]["id"] for r in stemmed["evidence"]] == ["CHL"]
            found = (await c.get("/search", params={"q": "indon"})).json()
            assert "IDN" in {e["id"] for e in found["entities"]}
            assert any("Indonesia" in r["evidence"]["text"] for r in found["evidence"])
            members = (await c.get("/bodies/brics/members", params={"as_of": "2025-02-01"})).json()
            assert {"EGY", "ETH", "IDN"} <= ids(members["members"])
            paged = await walk(c, "/facts", limit=3)
            assert len(paged) == (await c.get("/stats")).json()["assertions"]
    finally:
        app.state.store.close()
