"""What every dashboard page shares: the signed-in browser session, templates, the nav, forms.

Pages take `Browser` (the cookie session, refreshed on the spot when the access token expired)
and answer through `page()` / `redirect()`, which hand refreshed cookies back. A page whose
visitor is not signed in answers `to_login()` (303 to /login?next=...) rather than raising, so
the request's transaction still commits what reading the cookies recorded (a rotated refresh
token, or a sign-in ended for refresh-token reuse).
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qs, quote

from fastapi import Depends, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from hq_server.auth.identity import Actor
from hq_server.auth.web import WebSession, web_session
from hq_server.dashboard.formats import FILTERS
from hq_server.deps import DbSession

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"
templates = Jinja2Templates(directory=HERE / "templates")
templates.env.globals.update(FILTERS)

EXCEPTION_READERS = ("admin", "owner", "store_manager")
EXCEPTION_RESOLVERS = ("admin", "store_manager")
DEVICE_KEEPERS = ("admin", "store_manager")
AUDIT_READERS = ("admin", "owner")  # as GET /api/v1/audit
CUSTOMER_READERS = ("admin", "owner", "store_manager")  # as GET /api/v1/customers

# (label, path, roles that may open it; None: every signed-in user). Today and Analytics show
# every user what their role may read of the reports (hq_server.reports.service), in their stores.
# Reorder, Orders, Transfers, Counts and Catalogue are open to every role that reads them and
# offer actions only to the roles their APIs allow.
NAV = [("Today", "/today", None), ("Stock", "/", None), ("Reorder", "/reorder", None),
       ("Orders", "/purchase-orders", None), ("Transfers", "/transfers", None),
       ("Counts", "/counts", None), ("Catalogue", "/catalogue", None),
       ("Analytics", "/analytics", None), ("Customers", "/customers", CUSTOMER_READERS),
       ("Exceptions", "/exceptions", EXCEPTION_READERS),
       ("Devices", "/devices", DEVICE_KEEPERS), ("Audit", "/audit", AUDIT_READERS)]


def browser(request: Request, session: DbSession) -> WebSession:
    if request.method not in ("GET", "HEAD") and not same_origin(request):
        raise HTTPException(403, "this form was sent from another site; open the page on this "
                                 "HQ and send it from there")
    return web_session(request, session)


def same_origin(request: Request) -> bool:
    """A second wall behind the SameSite=Strict cookies: a browser names the page a POST comes
    from (Origin, or Sec-Fetch-Site on older ones); it must be this HQ. Clients that send
    neither (scripts, tests) carry no ambient cookies to abuse."""
    origin = request.headers.get("origin")
    if origin is not None:
        return origin.rstrip("/") == str(request.base_url).rstrip("/")
    return request.headers.get("sec-fetch-site", "same-origin") in ("same-origin", "none")


Browser = Annotated[WebSession, Depends(browser)]


async def form_fields(request: Request) -> dict[str, str]:
    """An urlencoded form body (the dashboard posts nothing else), last value of each field."""
    body = (await request.body()).decode("utf-8", errors="replace")
    return {k: v[-1] for k, v in parse_qs(body, keep_blank_values=True).items()}


Form = Annotated[dict[str, str], Depends(form_fields)]


def nav_for(actor: Actor) -> list[tuple[str, str]]:
    return [(label, path) for label, path, roles in NAV if roles is None or actor.role in roles]


def page(request: Request, web: WebSession, template: str, context: dict[str, Any],
         status_code: int = 200) -> Response:
    assert web.actor is not None
    context = {"user": web.actor, "nav": nav_for(web.actor), "here": request.url.path, **context}
    response = templates.TemplateResponse(request, template, context, status_code=status_code)
    response.headers["Cache-Control"] = "no-store"  # signed-in content: not for the back button
    return web.apply(request, response)


def forbidden(request: Request, web: WebSession, what: str) -> Response:
    assert web.actor is not None
    return page(request, web, "forbidden.html", {"what": what, "title": "Not for your role"}, 403)


def access_refusal(request: Request, web: WebSession, roles: Collection[str],
                   what: str) -> Response | None:
    """None when the visitor is signed in with one of `roles`; else the answer to send instead
    (the sign-in page, or "not for your role" naming `what` they tried)."""
    if web.actor is None:
        return to_login(request, web)
    if web.actor.role not in roles:
        return forbidden(request, web, what)
    return None


def redirect(request: Request, web: WebSession, to: str) -> Response:
    return web.apply(request, RedirectResponse(to, status_code=303))


def to_login(request: Request, web: WebSession) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if request.method != "GET":  # a form posted after the sign-in ended: back to its page
        target = "/" + request.url.path.strip("/").split("/")[0]
    return web.apply(request, RedirectResponse(f"/login?next={quote(target, safe='')}", 303))


def safe_next(target: str | None) -> str:
    """Only a path on this site: never //evil.example or https://evil.example."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target

