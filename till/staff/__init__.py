"""Who is at the till: signing in by PIN or badge, with a lockout against guessing. No Qt."""

from .sign_in import (
    LOCKOUT_AFTER,
    LOCKOUT_SECONDS,
    Session,
    SignIn,
    SignInRefused,
    TillUser,
    badge_hash,
)

__all__ = ["LOCKOUT_AFTER", "LOCKOUT_SECONDS", "Session", "SignIn", "SignInRefused", "TillUser",
           "badge_hash"]
