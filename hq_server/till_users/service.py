"""Creating till users. Every write appends a `till_user` change so tills pull it.

PINs are stored only as argon2id hashes (the encoded form carries its own parameters and salt,
so a till verifies offline with argon2-cffi), badges only as SHA-256 hex of the badge code. The
change data shape is the one documented on shared.wire.Change.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from argon2 import PasswordHasher
from sqlalchemy.orm import Session

from hq_server.catalog import repository as catalog
from hq_server.changelog.service import ChangeRow, append_changes
from hq_server.db.models import TILL_USER_ROLES, TillUser
from shared.ids import uuid7

ROLES = TILL_USER_ROLES
PIN = re.compile(r"[0-9]{4,8}")
MAX_DISCOUNT_BP = 10_000


class TillUserError(ValueError):
    pass


def hash_pin(pin: str) -> str:
    """argon2id (argon2-cffi defaults) of a PIN of 4 to 8 digits."""
    if not isinstance(pin, str) or not PIN.fullmatch(pin):
        raise TillUserError("a PIN must be 4 to 8 digits (0-9)")
    return PasswordHasher().hash(pin)


def hash_badge(badge: str) -> str:
    return hashlib.sha256(badge.strip().encode()).hexdigest()


def till_user_change_data(user: TillUser) -> dict[str, Any]:
    return {"user_id": str(user.id), "store_id": None if user.store_id is None else str(user.store_id),
            "name": user.name, "role": user.role, "pin_hash": user.pin_hash,
            "badge_hash": user.badge_hash, "max_discount_bp": user.max_discount_bp,
            "active": user.active}


def create_till_user(session: Session, *, name: str, role: str, pin: str,
                     store_code: str | None = None, badge: str | None = None,
                     max_discount_bp: int = 0, hasher: Callable[[str], str] = hash_pin) -> TillUser:
    """A till user for one store (`store_code`) or, with None, for every store."""
    _check(name, role, max_discount_bp)
    store_id = None
    if store_code is not None:
        store = catalog.store_by_code(session, store_code)
        if store is None:
            raise LookupError(f"no store with code {store_code!r}")
        store_id = store.id
    user = TillUser(id=uuid7(), store_id=store_id, name=name.strip(), role=role,
                    pin_hash=hasher(pin), badge_hash=hash_badge(badge) if badge else None,
                    max_discount_bp=max_discount_bp, active=True, updated_at=datetime.now(UTC))
    session.add(user)
    session.flush()
    append_changes(session, [ChangeRow("till_user", str(user.id), till_user_change_data(user),
                                       store_id=store_id)])
    return user


def _check(name: str, role: str, max_discount_bp: int) -> None:
    if not name or not name.strip():
        raise TillUserError("a till user needs a name")
    if role not in ROLES:
        raise TillUserError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    if not 0 <= max_discount_bp <= MAX_DISCOUNT_BP:
        raise TillUserError(f"max discount must be 0 to {MAX_DISCOUNT_BP} basis points")
