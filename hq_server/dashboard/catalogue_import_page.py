"""GET /catalogue/import: upload a product CSV; POST /catalogue/import runs it; GET
/catalogue/import/{id}/progress says how far it has got.

The page's script sends the file itself as the body (text/csv) so the browser can report upload
progress, then polls the progress while HQ reads the rows, and shows the result it gets back as
an HTML fragment. Without the script, the form posts multipart and gets the whole page back.
Admin and buyer only, all rows or none, exactly as POST /api/v1/catalogue/products/import.
"""

from __future__ import annotations

from typing import IO
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from hq_server.auth.identity import Actor
from hq_server.catalogue_admin.access import EDITOR_ROLES
from hq_server.catalogue_admin.endpoints import chain_currency
from hq_server.catalogue_admin.import_progress import IMPORT_ID, import_progress, label_import
from hq_server.catalogue_admin.importer import ImportResult, errors_csv, import_products
from hq_server.catalogue_admin.upload import UploadError, spool
from hq_server.dashboard.web import Browser, access_refusal, page, templates
from hq_server.deps import DbSession
from shared.money import MoneyError

router = APIRouter(tags=["dashboard"], include_in_schema=False)
FRAGMENT = "_catalogue_import_result.html"


@router.get("/catalogue/import")
def import_page(request: Request, web: Browser) -> Response:
    if (refused := access_refusal(request, web, EDITOR_ROLES, "importing products")) is not None:
        return refused
    return page(request, web, "catalogue_import.html", {"title": "Import products"})


@router.post("/catalogue/import")
async def run_import(request: Request, session: DbSession, web: Browser, progress: str = "",
                     currency: str = "") -> Response:
    if (refused := access_refusal(request, web, EDITOR_ROLES, "importing products")) is not None:
        return refused
    result, problem = ImportResult(), None
    try:
        upload = await spool(request.stream(), request.headers.get("content-type", ""))
        with upload:
            result = await run_in_threadpool(_import, session, web.actor, upload, currency, progress)
    except UploadError as error:
        problem = str(error)
    except HTTPException as refusal:  # several currencies and none named
        problem = str(refusal.detail)
    except MoneyError as error:
        problem = str(error)
    context = {"result": result, "problem": problem, "report_href": _report_href(result)}
    status = 422 if problem or result.error_count else 200
    if request.headers.get("x-requested-with") == "catalogue-import":
        response = templates.TemplateResponse(request, FRAGMENT, context, status_code=status)
        response.headers["Cache-Control"] = "no-store"
        return web.apply(request, response)
    return page(request, web, "catalogue_import.html", {"title": "Import products", **context}, status)


@router.get("/catalogue/import/{import_id}/progress")
def progress_of(import_id: str, request: Request, session: DbSession, web: Browser) -> Response:
    if web.actor is None:
        return web.apply(request, JSONResponse({"detail": "sign in again"}, 401))
    if web.actor.role not in EDITOR_ROLES:
        return web.apply(request, JSONResponse({"detail": "importing is for admin and buyer"}, 403))
    if not IMPORT_ID.match(import_id):
        return web.apply(request, JSONResponse({"detail": "not an import id"}, 404))
    reply = JSONResponse(import_progress(session, import_id).as_dict())
    reply.headers["Cache-Control"] = "no-store"
    return web.apply(request, reply)


def _import(session: Session, actor: Actor, upload: IO[bytes], currency: str,
            import_id: str) -> ImportResult:
    money = chain_currency(session, currency or None)
    if IMPORT_ID.match(import_id):
        label_import(session, import_id)
    return import_products(session, actor, upload, currency=money)


def _report_href(result: ImportResult) -> str | None:
    """The error report (row, column, message) as a link the browser saves as a CSV file."""
    if not result.error_count:
        return None
    return "data:text/csv;charset=utf-8," + quote(errors_csv(result.errors))
