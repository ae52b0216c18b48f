"""GET /today: today's sales per store and chain-wide, live; GET /today/figures: the same
figures as an HTML fragment, which the page's script (static/today.js) fetches when the live
socket says stock moved in one of its stores (every sale moves stock; at most one fetch per 2 s),
and every 30 s for the tills' status. Sales need no message of their own on the live socket.

Every signed-in user, within their store scope (a store manager sees only their stores).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from hq_server.dashboard.web import Browser, page, templates, to_login
from hq_server.deps import DbSession
from hq_server.reports.today import today
from shared.wire import API_PREFIX

router = APIRouter(tags=["dashboard"], include_in_schema=False)


@router.get("/today")
def today_page(request: Request, session: DbSession, web: Browser) -> Response:
    if web.actor is None:
        return to_login(request, web)
    return page(request, web, "today.html", {"title": "Today", "t": today(session, web.actor.scope),
                                             "live_path": f"{API_PREFIX}/live"})


@router.get("/today/figures")
def today_figures(request: Request, session: DbSession, web: Browser) -> Response:
    if web.actor is None:  # the script reloads the page, which signs in again
        return web.apply(request, Response(status_code=401))
    response = templates.TemplateResponse(request, "_today_figures.html",
                                          {"t": today(session, web.actor.scope)})
    response.headers["Cache-Control"] = "no-store"
    return web.apply(request, response)
