"""GET/POST /login, POST /logout, POST /refresh (the live page's script, when its socket is told
4401): the browser side of auth.service, with the session in HttpOnly cookies (auth.web)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from hq_server.auth import service
from hq_server.auth.web import REFRESH_COOKIE, WebSession, clear_cookies, set_cookies
from hq_server.dashboard.web import Browser, Form, redirect, safe_next, templates
from hq_server.deps import DbSession

router = APIRouter(tags=["dashboard"], include_in_schema=False)


def _login_page(request: Request, next_: str, *, email: str = "", error: str | None = None,
                status_code: int = 200) -> Response:
    response = templates.TemplateResponse(request, "login.html", {
        "next": next_, "email": email, "error": error, "title": "Sign in"}, status_code=status_code)
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get("/login")
def login_page(request: Request, web: Browser, next: str = "/") -> Response:  # noqa: A002
    if web.actor is not None:
        return redirect(request, web, safe_next(next))
    return web.apply(request, _login_page(request, safe_next(next)))


@router.post("/login")
def sign_in(request: Request, session: DbSession, form: Form) -> Response:
    email, next_ = form.get("email", "").strip(), safe_next(form.get("next"))
    try:
        tokens = service.login(session, email, form.get("password", ""),
                               ip=request.client.host if request.client else None,
                               secret=request.app.state.jwt_secret)
    except service.RateLimited as limited:
        minutes = max(1, round(limited.retry_after / 60))
        response = _login_page(request, next_, email=email, status_code=429, error=(
            f"Too many failed sign-ins. Try again in about {minutes} minute{'s' * (minutes > 1)}."))
        response.headers["Retry-After"] = str(limited.retry_after)
        return response
    except service.SignInRefused:
        # Returned, not raised: the failed attempt is committed and counts towards the limit.
        return _login_page(request, next_, email=email, status_code=401,
                           error="That email and password do not match an active HQ user.")
    response = RedirectResponse(next_, status_code=303)
    set_cookies(request, response, tokens)
    return response


@router.post("/logout")
def sign_out(request: Request, session: DbSession) -> Response:
    if raw := request.cookies.get(REFRESH_COOKIE):
        service.logout(session, raw)
    response = RedirectResponse("/login", status_code=303)
    clear_cookies(response)
    return response


@router.post("/refresh")
def refresh(request: Request, web: Browser) -> Response:
    """204 with fresh cookies while signed in; 401 (cookies cleared) once the sign-in is over."""
    if web.actor is None:
        return WebSession(None, ended=True).apply(request, JSONResponse({"detail": "sign in"}, 401))
    return web.apply(request, Response(status_code=204))
