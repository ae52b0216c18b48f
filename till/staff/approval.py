"""A supervisor's approval at the till: their PIN or a badge scan, checked here (argon2 / sha256).

Only supervisors and managers approve. A PIN is tried against each of them (there are few per
store; argon2 runs only while an approval is asked for, never on the scan path). A wrong PIN, a
cashier's PIN or badge refuses with a message and approves nothing. Five wrong tries in a row
lock approvals on this till for 60 s, as sign-in does.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..ledger import Ledger
from ..ledger.users import user_by_badge
from .sign_in import LOCKOUT_AFTER, LOCKOUT_SECONDS, badge_hash

APPROVER_ROLES = ("supervisor", "manager")


class ApprovalRefused(ValueError):
    """Shown to the cashier as is."""


@dataclass(frozen=True, slots=True)
class Approver:
    user_id: str
    name: str
    role: str


class SupervisorApproval:
    def __init__(self, ledger: Ledger, clock: Callable[[], float] = time.monotonic) -> None:
        self._ledger, self._clock = ledger, clock
        self._hasher = PasswordHasher()
        self._failures, self._locked_until = 0, 0.0

    def approve(self, pin_or_badge: str) -> Approver:
        """The approving supervisor or manager, or ApprovalRefused."""
        code = pin_or_badge.strip()
        if left := max(0, int(self._locked_until - self._clock() + 0.999)):
            raise ApprovalRefused(f"Too many wrong supervisor PINs — approvals locked for {left} s")
        if not code:
            raise ApprovalRefused("A supervisor must type their PIN or scan their badge")
        row = user_by_badge(self._ledger.connection(), badge_hash(code))
        if row is not None:
            if row["role"] not in APPROVER_ROLES:
                return self._failed(f"{row['name']} is a {row['role']} and cannot approve — "
                                    "ask a supervisor or manager")
            return self._ok(row)
        for row in self._approvers():
            try:
                self._hasher.verify(row["pin_hash"], code)
            except (VerificationError, InvalidHashError):
                continue
            return self._ok(row)
        return self._failed("Not a supervisor's or manager's PIN or badge — nothing was approved")

    def _approvers(self) -> list:  # type: ignore[type-arg]
        return self._ledger.connection().execute(
            "SELECT user_id, name, role, pin_hash FROM till_users WHERE active = 1 AND role IN "
            "('supervisor', 'manager') ORDER BY name").fetchall()

    def _ok(self, row: object) -> Approver:
        self._failures = 0
        return Approver(row["user_id"], row["name"], row["role"])  # type: ignore[index]

    def _failed(self, message: str) -> Approver:
        self._failures += 1
        if self._failures >= LOCKOUT_AFTER:
            self._failures, self._locked_until = 0, self._clock() + LOCKOUT_SECONDS
            message += f". {LOCKOUT_AFTER} wrong tries — approvals locked for {LOCKOUT_SECONDS} s"
        raise ApprovalRefused(message)
