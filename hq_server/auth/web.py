"""Signing in from a browser: the session held in two HttpOnly, SameSite=Strict cookies.

`tillhq_access` holds the 15-minute access JWT, `tillhq_refresh` the rotating refresh token
(path /, so the page that finds the access token expired can refresh it on the spot). Scripts
never see either; SameSite=Strict keeps them off requests another site starts, which is what
stands in for a CSRF token on the dashboard's forms. Cookies are marked Secure when the request
came over https.

Tabs share the cookies: two tabs finding the access token expired at the same instant both
refresh with the same refresh token. Within service.BROWSER_REUSE_GRACE of its first use that is
not taken for theft; later, reuse ends the sign-in as it does for API clients.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from fastapi import Request, Response
from sqlalchemy.orm import Session

from hq_server.auth import repository, service
from hq_server.auth.identity import Actor, StoreScope
from hq_server.auth.tokens import BadToken, read_access_token
from hq_server.db.cost_wall import raise_wall

ACCESS_COOKIE = "tillhq_access"
REFRESH_COOKIE = "tillhq_refresh"


class NotSignedIn(Exception):
    pass


def actor_for_token(session: Session, secret: str, token: str, ip: str | None) -> Actor:
    """The user an access token speaks for, re-read from the database; NotSignedIn if none."""
    try:
        claims = read_access_token(secret, token)
    except BadToken as error:
        raise NotSignedIn(str(error)) from None
    found = repository.access_check(session, claims.user_id, claims.session_id)
    if found is None or not found.active:
        raise NotSignedIn("this user is not active")
    if found.revoked:
        raise NotSignedIn("this sign-in was ended; sign in again")
    scope = StoreScope.for_role(found.role, found.store_ids)
    actor = Actor(user_id=claims.user_id, email=found.email, role=found.role, scope=scope,
                  session_id=claims.session_id, ip=ip)
    if not actor.sees_costs:
        raise_wall(session)  # the rest of this request cannot read costs, even by mistake
    return actor


@dataclass
class WebSession:
    """Who the browser is signed in as (None: nobody), and tokens to hand back if refreshed."""

    actor: Actor | None
    refreshed: service.Tokens | None = None
    ended: bool = False  # the cookies name a sign-in that is over: clear them

    def apply(self, request: Request, response: Response) -> Response:
        if self.refreshed is not None:
            set_cookies(request, response, self.refreshed)
        elif self.ended:
            clear_cookies(response)
        return response


def web_session(request: Request, session: Session) -> WebSession:
    """Read the cookies; refresh transparently when the access token is gone or expired."""
    secret, ip = request.app.state.jwt_secret, _ip(request)
    access = request.cookies.get(ACCESS_COOKIE)
    if access:
        try:
            return WebSession(actor_for_token(session, secret, access, ip))
        except NotSignedIn:
            pass
    raw_refresh = request.cookies.get(REFRESH_COOKIE)
    if not raw_refresh:
        return WebSession(None, ended=bool(access))
    try:
        tokens = service.refresh(session, raw_refresh, secret=secret,
                                 reuse_grace=service.BROWSER_REUSE_GRACE)
    except service.SignInRefused:
        return WebSession(None, ended=True)
    return WebSession(actor_for_token(session, secret, tokens.access_token, ip), refreshed=tokens)


def set_cookies(request: Request, response: Response, tokens: service.Tokens) -> None:
    secure = request.url.scheme == "https"
    response.set_cookie(ACCESS_COOKIE, tokens.access_token, max_age=tokens.expires_in, path="/",
                        httponly=True, samesite="strict", secure=secure)
    response.set_cookie(REFRESH_COOKIE, tokens.refresh_token,
                        max_age=int(service.REFRESH_TTL / timedelta(seconds=1)), path="/",
                        httponly=True, samesite="strict", secure=secure)


def clear_cookies(response: Response) -> None:
    for name in (ACCESS_COOKIE, REFRESH_COOKIE):
        response.delete_cookie(name, path="/", httponly=True, samesite="strict")


def _ip(request: Request) -> str | None:
    return request.client.host if request.client else None
