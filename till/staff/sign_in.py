"""Signing a cashier in: PIN (argon2id, verified here) or badge (sha256 of the scanned text).

Argon2 is slow on purpose, so it runs once per sign-in and never on the scan path. Five wrong
attempts in a row lock sign-in on this till for 60 s, whoever tries next: the lock guards the
PINs, not one user's account. The lock lives in memory; restarting the till takes longer than
the lock.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..ledger import Ledger
from ..ledger.users import active_users, user_by_badge, user_by_id

LOCKOUT_AFTER = 5
LOCKOUT_SECONDS = 60


class SignInRefused(ValueError):
    """The message says what happened and what to do; shown to the cashier as is."""


@dataclass(frozen=True, slots=True)
class TillUser:
    user_id: str
    name: str
    role: str


@dataclass(frozen=True, slots=True)
class Session:
    """The signed-in cashier; `user_id` is empty for a session given at start (tests, demo)."""

    name: str
    role: str = "cashier"
    user_id: str = ""
    max_discount_bp: int = 0


def badge_hash(code: str) -> str:
    return hashlib.sha256(code.strip().encode()).hexdigest()


class SignIn:
    def __init__(self, ledger: Ledger, clock: Callable[[], float] = time.monotonic) -> None:
        self._ledger, self._clock = ledger, clock
        self._hasher = PasswordHasher()
        self._failures = 0
        self._locked_until = 0.0

    def users(self) -> list[TillUser]:
        return [TillUser(r["user_id"], r["name"], r["role"])
                for r in active_users(self._ledger.connection())]

    def with_pin(self, user_id: str, pin: str) -> Session:
        self._check_not_locked()
        row = user_by_id(self._ledger.connection(), user_id)
        if row is None:
            raise SignInRefused("Choose your name first, then type your PIN")
        if not pin.strip():
            raise SignInRefused(f"Type the PIN for {row['name']}, then press Enter")
        try:
            self._hasher.verify(row["pin_hash"], pin.strip())
        except (VerificationError, InvalidHashError):
            self._failed(f"Wrong PIN for {row['name']}")
        return self._succeeded(row)

    def with_badge(self, code: str) -> Session:
        self._check_not_locked()
        row = user_by_badge(self._ledger.connection(), badge_hash(code))
        if row is None:
            self._failed("Badge not recognised")
        return self._succeeded(row)

    def is_badge(self, code: str) -> bool:
        """A known badge (cheap: one hash and one indexed lookup, no argon2)."""
        return user_by_badge(self._ledger.connection(), badge_hash(code)) is not None

    def seconds_locked(self) -> int:
        return max(0, int(self._locked_until - self._clock() + 0.999))

    def _check_not_locked(self) -> None:
        if left := self.seconds_locked():
            raise SignInRefused(f"Too many wrong PINs — sign-in is locked for {left} s more. "
                                "Wait, or ask a supervisor if you forgot your PIN")

    def _failed(self, what: str) -> None:
        self._failures += 1
        if self._failures >= LOCKOUT_AFTER:
            self._failures, self._locked_until = 0, self._clock() + LOCKOUT_SECONDS
            raise SignInRefused(f"{what}. {LOCKOUT_AFTER} wrong tries — sign-in is locked for "
                                f"{LOCKOUT_SECONDS} s. Ask a supervisor if you forgot your PIN")
        left = LOCKOUT_AFTER - self._failures
        raise SignInRefused(f"{what} — try again ({left} tr{'y' if left == 1 else 'ies'} left "
                            f"before sign-in locks for {LOCKOUT_SECONDS} s)")

    def _succeeded(self, row: object) -> Session:
        self._failures = 0
        return Session(row["name"], row["role"], row["user_id"], row["max_discount_bp"])  # type: ignore[index]
