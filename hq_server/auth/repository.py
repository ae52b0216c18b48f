"""Sign-in sessions, refresh tokens and failed sign-ins."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.orm import Session

from hq_server.db.models import AuthSession, LoginFailure, RefreshToken
from hq_server.db.session import driver

WINDOW = "15 minutes"


# Every signed-in request runs this: one round trip, plain SQL (no ORM load, no compile step;
# psycopg prepares it server-side after a few uses). Columns: email, role, active, revoked_at,
# the user's store ids.
_ACCESS_CHECK = """
    SELECT u.email, u.role, u.active, s.revoked_at,
           ARRAY(SELECT us.store_id FROM user_stores us WHERE us.user_id = u.id) AS store_ids
      FROM hq_users u JOIN auth_sessions s ON s.user_id = u.id
     WHERE u.id = %(user_id)s AND s.id = %(session_id)s"""


@dataclass(frozen=True, slots=True)
class AccessCheck:
    """What the database says now about a token's user and sign-in."""

    email: str
    role: str
    active: bool
    revoked: bool
    store_ids: frozenset[uuid.UUID]


def access_check(session: Session, user_id: uuid.UUID, session_id: uuid.UUID) -> AccessCheck | None:
    """The user and sign-in an access token names, with the user's stores; None if either is gone."""
    # Straight to psycopg on the session's connection (same transaction): SQLAlchemy's execute
    # path costs as much CPU again as the query.
    row = driver(session).execute(_ACCESS_CHECK, {"user_id": user_id, "session_id": session_id}).fetchone()
    if row is None:
        return None
    email, role, active, revoked_at, store_ids = row
    return AccessCheck(email, role, active, revoked_at is not None, frozenset(store_ids))


def refresh_for_update(session: Session, token_hash: str) -> RefreshToken | None:
    query = select(RefreshToken).where(RefreshToken.token_hash == token_hash).with_for_update()
    return session.scalar(query)


def revoke_session(session: Session, session_id: uuid.UUID, reason: str, at: datetime) -> None:
    session.execute(update(AuthSession).where(AuthSession.id == session_id,
                                              AuthSession.revoked_at.is_(None))
                    .values(revoked_at=at, revoked_reason=reason))


def revoke_user_sessions(session: Session, user_id: uuid.UUID, reason: str, *,
                         keep: uuid.UUID | None = None) -> None:
    query = update(AuthSession).where(AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None))
    if keep is not None:
        query = query.where(AuthSession.id != keep)
    session.execute(query.values(revoked_at=func.now(), revoked_reason=reason))


def lock_email(session: Session, email: str) -> None:
    """Serialise sign-ins for one email across workers, so the failure count is exact."""
    session.execute(text("SELECT pg_advisory_xact_lock(hashtext('login:' || :email))"),
                    {"email": email})


def retry_after(session: Session, *, email: str, ip: str | None, limit: int) -> int | None:
    """Seconds until a sign-in may be tried again, or None when under `limit` failures."""
    waits = [_wait(session, LoginFailure.email == email, limit)]
    if ip:
        waits.append(_wait(session, LoginFailure.ip == ip, limit))
    waits = [w for w in waits if w is not None]
    return max(waits) if waits else None


def _wait(session: Session, condition, limit: int) -> int | None:  # noqa: ANN001
    # The limit-th newest failure in the window: when it ages out, fewer than `limit` remain.
    # Times are PostgreSQL's (now()), the same clock for every worker.
    window_start = func.now() - text(f"interval '{WINDOW}'")
    nth = select(LoginFailure.at).where(condition, LoginFailure.at > window_start) \
        .order_by(LoginFailure.at.desc()).offset(limit - 1).limit(1).scalar_subquery()
    seconds = session.scalar(select(func.ceil(func.extract(
        "epoch", nth + text(f"interval '{WINDOW}'") - func.now()))))
    return None if seconds is None else max(1, int(seconds))


def add_failure(session: Session, email: str, ip: str | None) -> None:
    session.execute(delete(LoginFailure).where(LoginFailure.at < func.now() - text("interval '1 day'")))
    session.add(LoginFailure(email=email, ip=ip))
    session.flush()


def clear_failures(session: Session, email: str) -> None:
    session.execute(delete(LoginFailure).where(LoginFailure.email == email))
