"""Access tokens (JWT, HS256, 15 minutes) and the signing secret.

Claims: sub (user id), role, stores (store codes, informational: HQ re-reads role and stores
from the database on every request, so a change or deactivation takes effect at once), sid (the
sign-in session, so signing out ends its access tokens too), iat, exp, jti.

The secret: `create_app(jwt_secret=...)`, else HQ_JWT_SECRET, which `hq-server serve` sets for
its workers from DATA/jwt-secret (generated on first start, readable by its owner only).
"""

from __future__ import annotations

import functools
import secrets
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt

JWT_SECRET_ENV = "HQ_JWT_SECRET"
JWT_SECRET_FILE = "jwt-secret"
ALGORITHM = "HS256"
ACCESS_TTL = timedelta(minutes=15)


class BadToken(Exception):
    pass


@dataclass(frozen=True, slots=True)
class AccessClaims:
    user_id: uuid.UUID
    session_id: uuid.UUID


def issue_access_token(secret: str, *, user_id: uuid.UUID, role: str, stores: list[str],
                       session_id: uuid.UUID, now: datetime | None = None,
                       ttl: timedelta = ACCESS_TTL) -> str:
    now = now or datetime.now(UTC)
    claims: dict[str, Any] = {"sub": str(user_id), "role": role, "stores": stores,
                              "sid": str(session_id), "iat": now, "exp": now + ttl,
                              "jti": secrets.token_hex(16)}
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def read_access_token(secret: str, token: str, *, now: float | None = None) -> AccessClaims:
    claims, expires = _verified(secret, token)
    if expires <= (time.time() if now is None else now):  # as PyJWT: expired from exp on
        raise BadToken("the access token has expired; refresh it")
    return claims


# Every request presents the same few tokens again and again; checking one costs ~150 us of
# PyJWT (mostly its base64 alphabet scan). A token's signature does not change, so a good one is
# remembered; expiry is still checked on every use, and revocation is the database's (web.py).
# Only tokens that verified are kept, so bad tokens cannot fill it.
@functools.lru_cache(maxsize=4096)
def _verified(secret: str, token: str) -> tuple[AccessClaims, float]:
    try:
        claims = jwt.decode(token, secret, algorithms=[ALGORITHM],
                            options={"require": ["sub", "exp", "iat", "jti", "sid"]})
        return AccessClaims(uuid.UUID(claims["sub"]), uuid.UUID(claims["sid"])), float(claims["exp"])
    except jwt.ExpiredSignatureError:
        raise BadToken("the access token has expired; refresh it") from None
    except (jwt.InvalidTokenError, ValueError, TypeError):
        raise BadToken("the access token is not valid") from None


def load_or_create_secret(data_dir: Path) -> str:
    """The secret kept in DATA/jwt-secret (readable by its owner only), made on first use."""
    path = data_dir / JWT_SECRET_FILE
    if path.exists() and (secret := path.read_text().strip()):
        return secret
    data_dir.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)
    path.touch(mode=0o600)
    path.write_text(secret + "\n")
    return secret
