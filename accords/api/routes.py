"""The JSON endpoints. Each one resolves its parameters, calls the library, and returns its to_dict().

Reads are open unless the server is private; POST /documents needs the bearer
token. Errors are raised as AccordsError and answered by errors.py.
"""
from __future__ import annotations

from typing import Any, Optional

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse

from accords import query
from accords.api import ingest as ingest_
from accords.api import models as m
from accords.api import views
from accords.api.auth import require_writer
from accords.api.errors import ERROR_RESPONSES, ApiError
from accords.api.search import search as search_
from accords.kb import load as kb_load
from accords.model import EventType, Status
from accords.store import Store

router = APIRouter(responses=ERROR_RESPONSES)

DATE = "YYYY-MM-DD (or YYYY-MM, YYYY)"
# Documented in the schema; checked by the library, whose messages say what to do.
DATE_SCHEMA = {"pattern": r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"}
LIMIT = Query(100, ge=1, le=views.MAX_PAGE, description="Items per page")
CURSOR = Query(None, description="The 'next' value of the previous page",
               json_schema_extra={"pattern": "^[A-Za-z0-9_-]+$"})
# Bitemporal (accords.query): valid time and reported time, on every question.
AS_OF = Query(None, description=f"Valid time: the world as it was on this date, {DATE}",
              json_schema_extra=DATE_SCHEMA)
KNOWN_ON = Query(None, description=f"Reported time: only what the news had said by this date (documents published "
                                  f"on or before it), {DATE}", json_schema_extra=DATE_SCHEMA)


def store_of(request: Request) -> Store:
    return request.app.state.store


def ok(data: dict[str, Any], status: int = 200) -> JSONResponse:
    return JSONResponse(data, status_code=status)


# -- overview ----------------------------------------------------------------------------


@router.get("/stats", response_model=m.StatsOut, tags=["overview"], summary="Counts of everything stored")
def stats(store: Store = Depends(store_of)):
    data = store.stats()
    data.pop("url", None)  # the database's location is the server's business
    return ok({"ok": True, **data})


# -- bodies ------------------------------------------------------------------------------


@router.get("/bodies", response_model=m.EntityList, tags=["bodies"],
            summary="Agreements, organizations, blocs, alliances and formats the news mentions")
def bodies(store: Store = Depends(store_of)):
    return ok({"ok": True, "items": [e.to_dict() for e in views.bodies(store)]})


@router.get("/bodies/{id}", response_model=m.BodyOut, tags=["bodies"],
            summary="A body: its name, kind, founding date and how many members it has today")
def body(id: str, store: Store = Depends(store_of)):
    return ok({"ok": True, **views.body_info(store, views.resolve(store, id, "body"))})


@router.get("/bodies/{id}/members", response_model=m.MembersOut, tags=["bodies"],
            summary="Who was in a body on a date: members, announced, prospective, former and negated")
def members(id: str, as_of: Optional[str] = Query(None, description=f"{DATE}; default known_on, else today",
                                        json_schema_extra=DATE_SCHEMA),
            known_on: Optional[str] = KNOWN_ON, store: Store = Depends(store_of)):
    result = query.members(store, views.resolve(store, id, "body"),
                           as_of=views.as_of(as_of) if as_of or not known_on else None, known_on=known_on)
    return ok({"ok": True, **result.to_dict()})


@router.get("/bodies/{id}/timeline", response_model=m.TimelineOut, tags=["bodies"],
            summary="A body's joins, exits, signatures, applications, invitations and founding, in date order")
def timeline(id: str, as_of: Optional[str] = AS_OF, known_on: Optional[str] = KNOWN_ON,
             store: Store = Depends(store_of)):
    entity = views.resolve(store, id, "body")
    found = query.timeline(store, entity, as_of=as_of, known_on=known_on)
    return ok({"ok": True, "body": entity.to_dict(), "items": [e.to_dict() for e in found]})


# -- countries, relations, summits ------------------------------------------------------------


@router.get("/countries", response_model=m.EntityList, tags=["countries"],
            summary="The states the news mentions")
def countries(store: Store = Depends(store_of)):
    return ok({"ok": True, "items": [e.to_dict() for e in store.entities(kind="country")]})


@router.get("/countries/{id}", response_model=m.CountryOut, tags=["countries"],
            summary="Everything about a state: memberships, relations, summits and counts")
def country(id: str, as_of: Optional[str] = AS_OF, known_on: Optional[str] = KNOWN_ON,
            store: Store = Depends(store_of)):
    result = query.country(store, views.resolve(store, id, "country"), as_of=as_of, known_on=known_on)
    return ok({"ok": True, **result.to_dict()})


@router.get("/relations", response_model=m.FactsOut, tags=["countries"],
            summary="Diplomatic relations of a state with every partner, or of a pair")
def relations(a: str = Query(..., description="A state: ISO alpha-3 id or name"),
              b: Optional[str] = Query(None, description="A second state: only this pair"),
              as_of: Optional[str] = AS_OF, known_on: Optional[str] = KNOWN_ON, store: Store = Depends(store_of)):
    ea = views.resolve(store, a, "country")
    eb = views.resolve(store, b, "country") if b else None
    found = query.relations(store, ea, eb, as_of=as_of, known_on=known_on)
    return ok({"ok": True, "items": [f.to_dict() for f in found]})


@router.get("/summits", response_model=m.FactsOut, tags=["countries"],
            summary="Summits and meetings in date order, with their participants")
def summits(body: Optional[str] = Query(None, description="Only this gathering or format"),
            country: Optional[str] = Query(None, description="Only gatherings this state attended"),
            as_of: Optional[str] = AS_OF, known_on: Optional[str] = KNOWN_ON, store: Store = Depends(store_of)):
    b = views.resolve(store, body, "body") if body else None
    c = views.resolve(store, country, "country") if country else None
    found = query.summits(store, b, c, as_of=as_of, known_on=known_on)
    return ok({"ok": True, "items": [f.to_dict() for f in found]})


# -- fact records --------------------------------------------------------------------------


TYPE = Query(None, description="Event type (repeatable)")
STATUS = Query(None, description="Status (repeatable)")
BODY = Query(None, description="Only facts about this body (id or name)")
COUNTRY = Query(None, description="Only facts naming this state (id or name)")
SINCE = Query(None, description=f"From this date: {DATE}", json_schema_extra=DATE_SCHEMA)
UNTIL = Query(None, description=f"Up to this date: {DATE}", json_schema_extra=DATE_SCHEMA)


def fact_filters(type: Optional[list[EventType]] = TYPE, status: Optional[list[Status]] = STATUS,
                 body: Optional[str] = BODY, country: Optional[str] = COUNTRY, since: Optional[str] = SINCE,
                 until: Optional[str] = UNTIL, store: Store = Depends(store_of)) -> dict[str, Any]:
    """The filters of /facts and /events, as the library takes them (names resolved to ids)."""
    return {"type": [t.value for t in type or []] or None, "status": [s.value for s in status or []] or None,
            "body": views.resolve(store, body, "body").id if body else None,
            "country": views.resolve(store, country, "country").id if country else None,
            "since": since, "until": until}


@router.get("/facts", response_model=m.FactPage, tags=["facts"],
            summary="Fact records in the order they were stored: a feed to read page by page")
def facts(filters: dict = Depends(fact_filters), known_on: Optional[str] = KNOWN_ON, limit: int = LIMIT,
          cursor: Optional[str] = CURSOR, store: Store = Depends(store_of)):
    if known_on is None and not any(v is not None for v in filters.values()):
        return ok(views.feed_page(store, cursor, limit))
    day = kb_load.as_date(known_on, "known_on")
    found = [sa for sa in store.assertions(**filters) if kb_load.known(sa, day)]
    return ok(views.page(found, cursor, limit, by_id=True))


@router.get("/events", response_model=m.FactPage, tags=["facts"],
            summary="The same fact records in date order (undated ones last, by report)")
def events(filters: dict = Depends(fact_filters), as_of: Optional[str] = AS_OF, known_on: Optional[str] = KNOWN_ON,
           limit: int = LIMIT, cursor: Optional[str] = CURSOR, store: Store = Depends(store_of)):
    found = query.events(store, **filters, as_of=as_of, known_on=known_on)
    return ok(views.page(found, cursor, limit, by_id=False))


# -- changes -----------------------------------------------------------------------------------


@router.get("/changes", response_model=m.Ok, tags=["changes"],
            summary="What changed since a date (first reported then): new members, exits, status changes, "
                    "relations established or cut; JSON, or an Atom feed with format=atom",
            responses={200: {"content": {"application/atom+xml": {"schema": {"type": "string"}}}}})
def changes(request: Request,
            since: str = Query(..., description=f"Changes first reported on or after this date, {DATE}",
                               json_schema_extra=DATE_SCHEMA),
            until: Optional[str] = Query(None, description=f"...and on or before this one, {DATE}",
                                         json_schema_extra=DATE_SCHEMA),
            body: Optional[str] = Query(None, description="Only this body's members (id or name)"),
            country: Optional[str] = Query(None, description="Only this state's memberships and relations"),
            kind: Optional[list[str]] = Query(None, description="Only these kinds (repeatable): joined, left, "
                                                                "announced, relations_cut, ..."),
            background: bool = Query(False, description="Also steps reported long after they took effect"),
            format: str = Query("json", description="json or atom", pattern="^(json|atom)$"),
            store: Store = Depends(store_of)):
    from fastapi.responses import Response

    from accords.kb import changes as kch

    b = views.resolve(store, body, "body") if body else None
    c = views.resolve(store, country, "country") if country else None
    found = kch.changes(store, since=since, until=until, body=b.id if b else None, country=c.id if c else None,
                        kinds=kind, background=background)
    if format == "atom":
        scope = b or c
        feed = kch.atom_feed(found, title=f"accords: changes in {scope.name if scope else 'everything'} since "
                                          f"{since}", feed_id=kch.feed_id(scope.id if scope else None),
                             self_url=str(request.url))
        return Response(feed, media_type="application/atom+xml")
    return ok({"ok": True, "since": since, "until": until, "count": len(found),
               "items": [x.to_dict() for x in found]})


# -- documents -------------------------------------------------------------------------------


@router.get("/documents", response_model=m.DocumentPage, tags=["documents"],
            summary="Stored documents (without their text), in the order they were ingested")
def documents(limit: int = LIMIT, cursor: Optional[str] = CURSOR, store: Store = Depends(store_of)):
    position = views.decode_cursor(cursor)
    found = store.documents(limit=limit + 1, offset=position)
    more = len(found) > limit
    return ok({"ok": True, "items": [d.to_dict() for d in found[:limit]],
               "next": views.encode_cursor(position + limit) if more else None})


@router.get("/documents/{id:path}/facts/{fact}", response_model=m.RelatedOut, tags=["documents"],
            summary="One fact of a document, the consolidated fact it belongs to, and the other "
                    "statements that support or contradict it")
def document_fact(id: str, fact: int, store: Store = Depends(store_of)):
    _, _, sa = views.assertion_in(store, id, fact)
    return ok(views.related(store, sa).to_dict())


@router.get("/documents/{id:path}", response_model=m.DocumentOut, tags=["documents"],
            summary="A document with its text, its fact records, and the text cut into segments that "
                    "mark each fact's evidence")
def document(id: str, store: Store = Depends(store_of)):
    return ok(views.document_dict(*views.document(store, id)))


@router.post("/documents", response_model=m.IngestOut, status_code=201, tags=["documents"],
             dependencies=[Depends(require_writer)],
             summary="Ingest one document or a batch (bearer token needed): extracted and stored at once",
             openapi_extra={"requestBody": ingest_.REQUEST_SCHEMA},
             responses={200: {"model": m.IngestOut, "description": "Nothing new: every document was "
                                                                   "already stored or skipped"}})
async def post_documents(request: Request,
                         published: Optional[str] = Query(None, description="Publication date (YYYY-MM-DD) of "
                                                                           "documents that give none",
                                                          json_schema_extra={"pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"})):
    from starlette.concurrency import run_in_threadpool

    day = views.as_of(published, "published") if published is not None else None
    if published is not None and len(published.strip()) != 10:
        raise ApiError(f"published: {published!r} is not a day; give YYYY-MM-DD")
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > ingest_.MAX_BODY_BYTES:
        raise ApiError(f"the request is {int(declared) / 2**20:.1f} MB; send at most "
                       f"{ingest_.MAX_BODY_BYTES // 2**20} MB at a time (split the batch)", 413)
    raw = bytearray()
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > ingest_.MAX_BODY_BYTES:
            break
    docs, problems = ingest_.parse(bytes(raw), day)
    status, report = await run_in_threadpool(ingest_.ingest, store_of(request), docs, problems)
    return ok(report, status)


# -- search ------------------------------------------------------------------------------------


@router.get("/search", response_model=m.SearchOut, tags=["search"],
            summary="Entities and evidence sentences matching every word (as a prefix)")
def search(q: str = Query(..., description="Words to find, e.g. 'norway join'",
                          json_schema_extra={"pattern": r"\S"}),
           limit: int = Query(20, ge=1, le=100), store: Store = Depends(store_of)):
    if not q.strip():
        raise ApiError("q is empty; give words to search for, e.g. /search?q=norway")
    return ok(search_(store, q, limit).to_dict())
