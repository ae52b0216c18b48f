"""Rotating this till's credential without a window where it could be locked out.

1. Ask HQ for a new token (the current one keeps working at HQ).
2. Save it to credential.json (atomic replace) before using it.
3. Call HQ with it: from then on HQ refuses the old token.

An answer lost in step 1 leaves the old token working (the unused new one never becomes valid);
a crash after step 2 leaves the new token saved and valid; its first use finishes the rotation.
"""

from __future__ import annotations

from typing import Protocol

from .client import SyncClient


class TokenStore(Protocol):
    def token(self) -> str | None: ...
    def save_token(self, token: str) -> None: ...


def rotate_credential(client: SyncClient, store: TokenStore) -> None:
    answer = client.rotate_credential()
    store.save_token(answer.token)
    client.set_token(answer.token)
    client.rotation_requested = False
    client.confirm_credential()
