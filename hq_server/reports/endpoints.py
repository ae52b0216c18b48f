"""GET /reports (what you may read), GET /reports/{name} (JSON), ?format=csv or /{name}.csv (CSV).

Signed in with a bearer token (scripts) or the dashboard's session cookie, so the Analytics
page's export links download straight from here. Parameters: from, to (dates, UTC days,
default the last 28 days), period (day | week), store (code), by, days (dead stock), limit,
method (stock valuation: wac | fifo).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Header, HTTPException, Query, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

from hq_server.auth.deps import client_ip, signed_in_user
from hq_server.auth.identity import Actor
from hq_server.auth.web import WebSession, web_session
from hq_server.db.session import transaction
from hq_server.deps import DbSession
from hq_server.json_response import json_response
from hq_server.one_hop import in_one_hop
from hq_server.reports import csv_out, service
from hq_server.reports.shapes import DEFAULT_DAYS, Window

router = APIRouter(prefix="/reports", tags=["reports"])
MAX_DAYS = 3 * 366
FromDate = Annotated[date | None, Query(alias="from")]  # `from` is a Python keyword


def reader(request: Request, session: DbSession,
           authorization: str | None = Header(default=None)) -> WebSession:
    """The bearer token's user, else the dashboard cookie's (refreshed if need be); else 401."""
    if authorization:
        return WebSession(signed_in_user(session, request.app.state.jwt_secret, authorization,
                                         client_ip(request)))
    web = web_session(request, session)
    if web.actor is None:
        raise HTTPException(401, "sign in: send Authorization: Bearer <access token>",
                            headers={"WWW-Authenticate": "Bearer"})
    return web


async def params(from_: FromDate = None, to: date | None = None,
           period: Literal["day", "week"] = "day", store: str | None = None,
           by: str | None = None, days: int = Query(30, ge=1, le=MAX_DAYS),
           limit: int = Query(20, ge=1, le=1000),
           method: Literal["wac", "fifo"] | None = None) -> service.Params:
    # async with no I/O: FastAPI runs it on the event loop, not in a worker thread.
    end = to or service.today_utc()
    start = from_ or end - timedelta(days=DEFAULT_DAYS - 1)
    if start > end or (end - start).days >= MAX_DAYS:
        raise HTTPException(422, f"from must be on or before to, at most {MAX_DAYS} days apart")
    return service.Params(Window(start, end), period, store or None, by or None, days, limit, method)


Reader = Annotated[WebSession, Depends(reader)]
Parameters = Annotated[service.Params, Depends(params)]


@router.get("")
def list_reports(request: Request, web: Reader) -> Response:
    actor: Actor = web.actor  # type: ignore[assignment]
    body = [{"name": n, "title": service.REPORTS[n].title, "by": list(service.REPORTS[n].by),
             "json": f"{request.url.path}/{n}", "csv": f"{request.url.path}/{n}.csv"}
            for n in service.readable(actor)]
    return web.apply(request, JSONResponse({"reports": body}))


@router.get("/{name}")
async def read_report(name: str, request: Request, p: Parameters,
                      authorization: str | None = Header(default=None),
                      format: Literal["json", "csv"] = "json") -> Response:  # noqa: A002
    # Sign-in, report and commit in one worker-thread hop (hq_server.one_hop), not four.
    return await in_one_hop(_read_report, name, request, p, authorization, format)


def _read_report(name: str, request: Request, p: service.Params, authorization: str | None,
                 format: str) -> Response:  # noqa: A002
    as_csv = format == "csv" or name.endswith(".csv")
    name = name.removesuffix(".csv")
    with transaction(request.app.state.session_factory) as session:
        web = reader(request, session, authorization)
        try:
            report = service.run(session, web.actor, name, p)  # type: ignore[arg-type]
        except KeyError:
            raise HTTPException(404, f"no report {name!r}; GET /reports lists them") from None
        except service.NotAllowed as refusal:
            raise HTTPException(403, str(refusal)) from None
        except service.BadParams as bad:
            raise HTTPException(422, str(bad)) from None
    if as_csv:
        response: Response = StreamingResponse(csv_out.lines(report), media_type="text/csv; charset=utf-8",
                                               headers={"Content-Disposition": "attachment; "
                                                        f'filename="{csv_out.filename(report)}"'})
    else:
        # Encoded directly: jsonable_encoder walked every cell of every row first (~10% of a
        # small report's CPU); dates and the like still come out as it wrote them.
        response = json_response({
            "report": report.name, "title": report.title, "params": report.params,
            "columns": [{"name": c.name, "label": c.label, "money": c.money} for c in report.columns],
            "rows": report.rows, "notes": report.notes})
    response.headers["Cache-Control"] = "no-store"
    return web.apply(request, response)
