"""POST /auth/login, /auth/refresh, /auth/logout; GET /auth/me; passwords (change, reset)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from hq_server.auth import service
from hq_server.auth.deps import CurrentUser, client_ip
from hq_server.auth.schemas import (
    ChangePassword,
    LoginRequest,
    Me,
    RefreshRequest,
    ResetConfirm,
    ResetRequest,
    TokenPair,
)
from hq_server.deps import DbSession
from hq_server.users import repository as users
from hq_server.users import service as users_service

router = APIRouter(prefix="/auth", tags=["auth"])

_REFUSALS = {401: {"description": "refused"}, 429: {"description": "too many failed sign-ins"}}


def _refused(status: int, detail: str, **headers: str) -> JSONResponse:
    # Returned, not raised: the request's transaction still commits what the refusal recorded.
    return JSONResponse({"detail": detail}, status_code=status, headers=headers or None)


def _pair(tokens: service.Tokens) -> TokenPair:
    return TokenPair(access_token=tokens.access_token, refresh_token=tokens.refresh_token,
                     expires_in=tokens.expires_in)


@router.post("/login", response_model=TokenPair, responses=_REFUSALS)
def login(body: LoginRequest, request: Request, session: DbSession) -> TokenPair | JSONResponse:
    try:
        tokens = service.login(session, body.email, body.password, ip=client_ip(request),
                               secret=request.app.state.jwt_secret)
    except service.RateLimited as limited:
        return _refused(429, str(limited), **{"Retry-After": str(limited.retry_after)})
    except service.SignInRefused as refusal:
        return _refused(401, str(refusal), **{"WWW-Authenticate": "Bearer"})
    return _pair(tokens)


@router.post("/refresh", response_model=TokenPair, responses=_REFUSALS)
def refresh(body: RefreshRequest, request: Request, session: DbSession) -> TokenPair | JSONResponse:
    try:
        return _pair(service.refresh(session, body.refresh_token, secret=request.app.state.jwt_secret))
    except service.SignInRefused as refusal:
        return _refused(401, str(refusal), **{"WWW-Authenticate": "Bearer"})


@router.post("/logout", status_code=204)
def logout(body: RefreshRequest, session: DbSession) -> Response:
    service.logout(session, body.refresh_token)
    return Response(status_code=204)


@router.get("/me", response_model=Me)
def me(user: CurrentUser, session: DbSession) -> Me:
    return Me(id=str(user.user_id), email=user.email, role=user.role,
              all_stores=user.scope.all_stores, stores=users.store_codes(session, user.user_id))


@router.post("/password", status_code=204)
def change_password(body: ChangePassword, user: CurrentUser, session: DbSession) -> Response:
    try:
        users_service.change_password(session, user, body.current_password, body.new_password)
    except users_service.WrongPassword as error:
        return _refused(403, str(error))
    except users_service.UserError as error:
        return _refused(422, str(error))
    return Response(status_code=204)


@router.post("/password-reset", status_code=202)
def request_reset(body: ResetRequest, request: Request, session: DbSession) -> Response:
    """Always 202: whether the email is known is not told."""
    users_service.request_password_reset(session, body.email, request.app.state.mailer,
                                         ip=client_ip(request))
    return Response(status_code=202)


@router.post("/password-reset/confirm", status_code=204)
def confirm_reset(body: ResetConfirm, request: Request, session: DbSession) -> Response:
    try:
        users_service.reset_password(session, body.token, body.new_password, ip=client_ip(request))
    except users_service.ResetRefused as error:
        return _refused(400, str(error))
    except users_service.UserError as error:
        return _refused(422, str(error))
    return Response(status_code=204)
