"""The signed-in user, roles and store scope as FastAPI dependencies.

    @router.get("/things")
    def things(user: Annotated[Actor, require_role("admin", "store_manager")]): ...

`current_user` reads the bearer JWT, then checks the database on every request: the user must
still be active and the sign-in not ended (logout, refresh-token reuse, password change). Role and
stores come from the database too, so the token's claims never outlive a change. 401 means "who
are you?" (no, bad, expired or revoked token); 403 means "you may not".
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Header, HTTPException, Request
from sqlalchemy.orm import Session

from hq_server.auth.identity import Actor, StoreScope
from hq_server.auth.web import NotSignedIn, actor_for_token
from hq_server.deps import DbSession


def client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None


def current_user(request: Request, session: DbSession,
                 authorization: str | None = Header(default=None)) -> Actor:
    return signed_in_user(session, request.app.state.jwt_secret, authorization, client_ip(request))


def signed_in_user(session: Session, secret: str, authorization: str | None, ip: str | None) -> Actor:
    """The Actor a bearer Authorization header speaks for; 401 if none (also hq_server.one_hop)."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise unauthorised("sign in: send Authorization: Bearer <access token>")
    try:
        return actor_for_token(session, secret, token.strip(), ip)
    except NotSignedIn as error:
        raise unauthorised(str(error)) from None


CurrentUser = Annotated[Actor, Depends(current_user)]


def require_role(*roles: str) -> Any:
    """A dependency: the current user, if their role is one of `roles`; else 403."""

    async def check(user: CurrentUser) -> Actor:  # async: no I/O, so no hop to a worker thread
        return with_role(user, roles)

    check.roles = roles  # type: ignore[attr-defined]  # read by hq_server.one_hop
    return Depends(check)


def with_role(user: Actor, roles: tuple[str, ...]) -> Actor:
    if user.role not in roles:
        raise HTTPException(403, f"your role ({user.role}) may not do this; "
                                 f"needs {' or '.join(roles)}")
    return user


async def scope_of(user: CurrentUser) -> StoreScope:  # async: no I/O, no thread hop
    return user.scope


Scope = Annotated[StoreScope, Depends(scope_of)]


def unauthorised(message: str) -> HTTPException:
    return HTTPException(401, message, headers={"WWW-Authenticate": "Bearer"})
