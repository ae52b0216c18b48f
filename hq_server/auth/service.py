"""Sign in, refresh (rotating), sign out.

A sign-in opens a session (`auth_sessions`): the family its refresh tokens rotate through. Each
refresh consumes the token presented and issues the next; presenting a consumed one again means
it was copied, so the whole family is revoked. Refresh tokens are random, stored as SHA-256,
and live 30 days. Five failed sign-ins for one email, or from one client IP, within 15 minutes
block further tries (counted in PostgreSQL, so every worker agrees) until the oldest ages out.

Refusals that must be remembered (a failed sign-in, a revoked family) are returned to the
endpoint as exceptions *after* the writes; the endpoint answers without raising, so the request's
transaction commits them.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from hq_server.auth import repository
from hq_server.auth.tokens import ACCESS_TTL, issue_access_token
from hq_server.db.models import AuthSession, HqUser, RefreshToken
from hq_server.users import repository as users
from hq_server.users.service import sha256, verify_password
from shared.ids import uuid7

REFRESH_TTL = timedelta(days=30)
BROWSER_REUSE_GRACE = timedelta(seconds=10)
MAX_FAILURES = 5


class SignInRefused(Exception):
    pass


class RateLimited(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many failed sign-ins; try again in {retry_after} s")
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class Tokens:
    access_token: str
    refresh_token: str
    expires_in: int


def login(session: Session, email: str, password: str, *, ip: str | None, secret: str) -> Tokens:
    email = (email or "").strip().lower()
    repository.lock_email(session, email)
    if (wait := repository.retry_after(session, email=email, ip=ip, limit=MAX_FAILURES)) is not None:
        raise RateLimited(wait)
    user = users.by_email(session, email)
    if not verify_password(user.password_hash if user else None, password) or not user.active:
        repository.add_failure(session, email, ip)
        raise SignInRefused("wrong email or password")
    repository.clear_failures(session, email)
    auth_session = AuthSession(id=uuid7(), user_id=user.id)
    session.add(auth_session)
    session.flush()
    return _issue(session, user, auth_session.id, secret)


def refresh(session: Session, raw_token: str, *, secret: str,
            reuse_grace: timedelta = timedelta(0)) -> Tokens:
    """New tokens for a refresh token, used once. A second use ends the whole sign-in (a stolen
    token), except within `reuse_grace` of the first: a browser's tabs share one cookie and may
    refresh it at the same instant, which is no theft (the dashboard passes BROWSER_REUSE_GRACE)."""
    token = repository.refresh_for_update(session, sha256(raw_token or ""))
    if token is None:
        raise SignInRefused("unknown refresh token")
    auth_session = session.get_one(AuthSession, token.session_id, with_for_update=True)
    now = datetime.now(UTC)
    if auth_session.revoked_at is not None:
        raise SignInRefused("this sign-in was ended; sign in again")
    if token.used_at is not None and now - token.used_at > reuse_grace:
        repository.revoke_session(session, auth_session.id, "refresh token reused", now)
        raise SignInRefused("refresh token reused; every token of this sign-in is revoked")
    if token.expires_at <= now:
        raise SignInRefused("the refresh token has expired; sign in again")
    user = session.get_one(HqUser, auth_session.user_id)
    if not user.active:
        raise SignInRefused("this user is deactivated")
    token.used_at = token.used_at or now
    return _issue(session, user, auth_session.id, secret)


def logout(session: Session, raw_token: str) -> None:
    """End the sign-in the refresh token belongs to (its access tokens stop working too)."""
    token = repository.refresh_for_update(session, sha256(raw_token or ""))
    if token is not None:
        repository.revoke_session(session, token.session_id, "signed out", datetime.now(UTC))


def _issue(session: Session, user: HqUser, session_id: uuid.UUID, secret: str) -> Tokens:
    raw = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    session.add(RefreshToken(token_hash=sha256(raw), session_id=session_id, issued_at=now,
                             expires_at=now + REFRESH_TTL))
    session.flush()
    access = issue_access_token(secret, user_id=user.id, role=user.role,
                                stores=users.store_codes(session, user.id), session_id=session_id,
                                now=now)
    return Tokens(access, raw, int(ACCESS_TTL.total_seconds()))
