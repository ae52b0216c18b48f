"""The admin API token that guards back-office endpoints until HQ has users and roles.

The token comes from `create_app(admin_token=...)`, else the HQ_ADMIN_TOKEN environment variable
(`hq-server serve` sets it, generating one into the data folder on first start). With no token
configured every admin request is refused: the back office is closed, never open.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from fastapi import Header, HTTPException, Request

ADMIN_TOKEN_ENV = "HQ_ADMIN_TOKEN"
ADMIN_TOKEN_FILE = "admin-token"


def require_admin(request: Request, authorization: str | None = Header(default=None)) -> None:
    expected: str | None = request.app.state.admin_token
    scheme, _, token = (authorization or "").partition(" ")
    if not expected:
        raise _refused(f"the admin API is closed: set {ADMIN_TOKEN_ENV} on the HQ server")
    if scheme.lower() != "bearer" or not secrets.compare_digest(token.strip().encode(), expected.encode()):
        raise _refused("send Authorization: Bearer <admin token>")


def _refused(message: str) -> HTTPException:
    return HTTPException(status_code=401, detail=message, headers={"WWW-Authenticate": "Bearer"})


def load_or_create_token(data_dir: Path) -> str:
    """The token kept in DATA/admin-token (readable by its owner only), made on first use."""
    path = data_dir / ADMIN_TOKEN_FILE
    if path.exists() and (token := path.read_text().strip()):
        return token
    data_dir.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(32)
    path.touch(mode=0o600)
    path.write_text(token + "\n")
    return token
