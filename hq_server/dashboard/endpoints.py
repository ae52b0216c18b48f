"""GET /: the stock dashboard page."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from hq_server.dashboard.service import stock_grid
from hq_server.deps import DbSession
from shared.wire import API_PREFIX

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"
templates = Jinja2Templates(directory=HERE / "templates")

router = APIRouter(tags=["dashboard"], include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def stock_page(request: Request, session: DbSession, q: str = Query("", max_length=100),
               page: int = Query(1, ge=1)) -> HTMLResponse:
    grid = stock_grid(session, q, page)
    return templates.TemplateResponse(request, "stock.html", {
        "grid": grid, "live_path": f"{API_PREFIX}/live",
    })
