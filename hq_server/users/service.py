"""Creating HQ users, changing and resetting passwords, deactivating.

Passwords are stored only as argon2id hashes. Reset tokens are random, stored as SHA-256, work
once and expire after 30 minutes. Changing or resetting a password, or deactivating a user,
ends their other sign-in sessions. Every write is recorded in the audit log.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session

from hq_server.audit.service import record
from hq_server.auth import repository as sessions
from hq_server.auth.identity import STORE_SCOPED_ROLES, Actor
from hq_server.db.models import HQ_USER_ROLES, HqUser, PasswordResetToken
from hq_server.users import repository
from hq_server.users.mailer import Mail, Mailer
from shared.ids import uuid7

ROLES = HQ_USER_ROLES
MIN_PASSWORD = 8
RESET_TTL = timedelta(minutes=30)
_hasher = PasswordHasher()  # argon2id with argon2-cffi's defaults


@functools.cache
def _dummy_hash() -> str:
    """Verified against when the email is unknown, so a wrong email costs as long as a wrong password."""
    return _hasher.hash(secrets.token_hex(16))


class UserError(ValueError):
    pass


class WrongPassword(Exception):
    pass


class ResetRefused(Exception):
    pass


def hash_password(password: str) -> str:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise UserError(f"a password needs at least {MIN_PASSWORD} characters")
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _dummy_hash(), password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def user_view(user: HqUser, store_codes: Sequence[str]) -> dict:
    """What the audit log keeps of a user (never the hash)."""
    return {"email": user.email, "name": user.name, "role": user.role, "active": user.active,
            "stores": list(store_codes)}


def create_user(session: Session, actor: Actor | None, *, email: str, name: str, role: str,
                password: str, store_codes: Sequence[str] = (),
                hasher: Callable[[str], str] = hash_password) -> HqUser:
    """A back-office user; store_manager and inventory need at least one store."""
    email = _check(email, name, role, store_codes)
    if repository.by_email(session, email) is not None:
        raise UserError(f"a user with email {email} already exists")
    stores = repository.stores_by_code(session, store_codes)
    if missing := sorted(set(store_codes) - set(stores)):
        raise LookupError(f"no store with code {', '.join(missing)}")
    user = HqUser(id=uuid7(), email=email, name=name.strip(), role=role,
                  password_hash=hasher(password), active=True)
    session.add(user)
    session.flush()
    repository.set_stores(session, user.id, [stores[c].id for c in sorted(stores)])
    session.flush()
    record(session, actor, "user.created", "hq_user", user.id, None, user_view(user, sorted(stores)))
    return user


def _check(email: str, name: str, role: str, store_codes: Sequence[str]) -> str:
    email = (email or "").strip().lower()
    if "@" not in email or email.startswith("@") or email.endswith("@"):
        raise UserError(f"{email!r} is not an email address")
    if not name or not name.strip():
        raise UserError("a user needs a name")
    if role not in ROLES:
        raise UserError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    if role in STORE_SCOPED_ROLES and not store_codes:
        raise UserError(f"a {role} needs at least one store (--store S001)")
    if role not in STORE_SCOPED_ROLES and store_codes:
        raise UserError(f"a {role} sees every store; give stores only to {', '.join(sorted(STORE_SCOPED_ROLES))}")
    return email


def change_password(session: Session, actor: Actor, old: str, new: str) -> None:
    """The signed-in user's own password; the old one must be right. Other sessions end."""
    user = repository.for_update(session, actor.user_id)
    if user is None or not verify_password(user.password_hash, old):
        raise WrongPassword("the current password is not right")
    user.password_hash = hash_password(new)
    sessions.revoke_user_sessions(session, user.id, "password changed", keep=actor.session_id)
    record(session, actor, "user.password_changed", "hq_user", user.id, None, None)


def request_password_reset(session: Session, email: str, mailer: Mailer, *,
                           ip: str | None = None) -> None:
    """Mail a one-time reset token to `email` if it is an active user; silent otherwise."""
    user = repository.by_email(session, email)
    if user is None or not user.active:
        return
    token = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    session.add(PasswordResetToken(token_hash=sha256(token), user_id=user.id, created_at=now,
                                   expires_at=now + RESET_TTL))
    session.flush()
    mailer.send(Mail(to=user.email, subject="Reset your TillHQ password", body=(
        f"Someone asked to reset the TillHQ back-office password of {user.email}.\n\n"
        f"Reset token (valid 30 minutes, works once):\n\n    {token}\n\n"
        "If it was not you, ignore this message; your password stays as it is.\n")))


def reset_password(session: Session, token: str, new: str, *, ip: str | None = None) -> HqUser:
    row = repository.reset_token_for_update(session, sha256(token or ""))
    now = datetime.now(UTC)
    if row is None or row.used_at is not None or row.expires_at <= now:
        raise ResetRefused("this reset token is unknown, used or expired; ask for a new one")
    user = repository.for_update(session, row.user_id)
    if user is None or not user.active:
        raise ResetRefused("this user is deactivated")
    hashed = hash_password(new)
    row.used_at, user.password_hash = now, hashed
    sessions.revoke_user_sessions(session, user.id, "password reset")
    record(session, None, "user.password_reset", "hq_user", user.id, None, None,
           user_id=user.id, ip=ip)
    return user


def deactivate_user(session: Session, actor: Actor | None, user_id: uuid.UUID) -> HqUser:
    user = repository.for_update(session, user_id)
    if user is None:
        raise LookupError(f"no user {user_id}")
    codes = repository.store_codes(session, user.id)
    before = user_view(user, codes)
    user.active = False
    sessions.revoke_user_sessions(session, user.id, "user deactivated")
    session.flush()
    record(session, actor, "user.deactivated", "hq_user", user.id, before, user_view(user, codes))
    return user
