"""The web page: server-rendered Jinja2 templates (autoescaped) over the same views as the JSON routes.

    /                 what is stored, the bodies and states, a search box
    /body/ID          world map of members on a date (slider), timeline, member table with evidence
    /country/ID       memberships, relations and summits of a state over time
    /article/DOC      an article with its evidence marked; ?fact=N: that fact, and what else says so
    /find?q=          search across entities and evidence
    /login            the token of a private server, kept in a cookie
"""
from __future__ import annotations

import secrets
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.templating import Jinja2Templates

from accords import __version__, query
from accords.api import views
from accords.api.auth import COOKIE
from accords.api.search import highlight, search
from accords.consolidate import date_floor
from accords.store import Store

TEMPLATES = Path(__file__).with_name("templates")


def _safe_url(url: str | None) -> str | None:
    """Only http(s) links from article metadata become links (no javascript: URLs)."""
    if url and urlsplit(url).scheme in ("http", "https"):
        return url
    return None


_env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                          undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
_env.filters["safe_url"] = _safe_url
_env.filters["count"] = lambda n, word: f"{n} {word}" + ("" if n == 1 else "s")  # {{ 3|count("fact") }}
_env.globals["version"] = __version__
templates = Jinja2Templates(env=_env)


def _html(request: Request) -> None:
    request.state.html = True  # errors on these routes are answered as pages


router = APIRouter(include_in_schema=False, dependencies=[Depends(_html)])


def store_of(request: Request) -> Store:
    return request.app.state.store


def render(request: Request, name: str, code: int = 200, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context, status_code=code)


def error_page(request: Request, message: str, status: int) -> HTMLResponse:
    return render(request, "error.html", status, message=message, status=status)


# ---------------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse)
def home(request: Request, store: Store = Depends(store_of)):
    return render(request, "home.html", stats=store.stats(), bodies=views.bodies(store),
                  countries=sorted(store.entities(kind="country"), key=lambda e: e.name))


def _slider_dates(entries, as_of: date) -> list[str]:
    """The days worth stopping at: every dated or reported step, the day before the first, today, as_of."""
    days = {d for e in entries for d in (date_floor(e.date), e.reported) if d}
    days |= {date.today(), as_of}
    first = min(days)
    days.add(first - timedelta(days=1))
    return [d.isoformat() for d in sorted(days)]


@router.get("/body/{id}", response_class=HTMLResponse)
def body(request: Request, id: str, as_of: str | None = Query(None), store: Store = Depends(store_of)):
    entity = views.resolve(store, id, "body")
    day = views.as_of(as_of)
    result = query.members(store, entity, as_of=day)
    entries = query.timeline(store, entity)
    info = views.body_reference(entity)
    return render(request, "body.html", body=entity, info=info, result=result, timeline=entries,
                  dates=_slider_dates(entries, day), as_of=day.isoformat())


@router.get("/body/{id}/members", response_class=HTMLResponse)
def body_members(request: Request, id: str, as_of: str | None = Query(None), store: Store = Depends(store_of)):
    """The member table alone, for the date slider to swap in."""
    result = query.members(store, views.resolve(store, id, "body"), as_of=views.as_of(as_of))
    return render(request, "members_table.html", result=result)


@router.get("/country/{id}", response_class=HTMLResponse)
def country(request: Request, id: str, store: Store = Depends(store_of)):
    result = query.country(store, views.resolve(store, id, "country"))
    spans = [(f.valid_from, f.valid_to) for f in [*result.memberships, *result.relations]]
    axis = _axis(spans)
    return render(request, "country.html", result=result, c=result.country, axis=axis,
                  bar=lambda f: _bar(axis, f.valid_from, f.valid_to),
                  body_of=lambda f: f.body, partner_of=lambda f: f.other(result.country.id))


def _axis(spans: list[tuple[str | None, str | None]]) -> dict[str, Any] | None:
    days = [d for pair in spans for d in (date_floor(pair[0]), date_floor(pair[1])) if d]
    if not days:
        return None
    lo, hi = min(days), max([*days, date.today()])
    lo = date(lo.year, 1, 1)
    hi = date(hi.year + 1, 1, 1)
    years = list(range(lo.year, hi.year + 1))
    step = max(1, len(years) // 8)
    return {"lo": lo, "hi": hi, "ticks": [(y, _pct(lo, hi, date(y, 1, 1))) for y in years[::step]]}


def _pct(lo: date, hi: date, d: date) -> float:
    return round(100.0 * (d - lo).days / max(1, (hi - lo).days), 2)


def _bar(axis: dict[str, Any] | None, start: str | None, end: str | None) -> dict[str, float] | None:
    a, b = date_floor(start), date_floor(end)
    if axis is None or a is None:
        return None
    left = _pct(axis["lo"], axis["hi"], a)
    right = _pct(axis["lo"], axis["hi"], b) if b else _pct(axis["lo"], axis["hi"], date.today())
    return {"left": left, "width": max(0.6, right - left), "open": b is None}


@router.get("/article/{doc:path}", response_class=HTMLResponse)
def article(request: Request, doc: str, fact: int | None = Query(None), store: Store = Depends(store_of)):
    if fact is not None:
        found, facts, current = views.assertion_in(store, doc, fact)
        rel = views.related(store, current)
    else:
        (found, facts), current, rel = views.document(store, doc), None, None
    return render(request, "article.html", d=found.document, stored=found, facts=facts,
                  by_id={sa.id: sa for sa in facts}, segments=views.segments(found.document.text, facts),
                  current=current, related=rel)


@router.get("/find", response_class=HTMLResponse)
def find(request: Request, q: str = Query(""), store: Store = Depends(store_of)):
    result = search(store, q, 50) if q.strip() else None
    return render(request, "search.html", q=q, result=result,
                  pieces=(lambda s: highlight(s, result.words)) if result else None)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = Query("/")):
    return render(request, "login.html", next=next, failed=False)


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request):
    from urllib.parse import parse_qs

    form = parse_qs((await request.body()).decode("utf-8", "replace"))
    token = (form.get("token") or [""])[0]
    target = (form.get("next") or ["/"])[0]
    if not target.startswith("/") or target.startswith("//"):
        target = "/"
    expected = request.app.state.token
    if not expected or not secrets.compare_digest(token.encode(), expected.encode()):
        return render(request, "login.html", 401, next=target, failed=True)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(COOKIE, token, httponly=True, samesite="strict")
    return response
