"""Calling the inventory API as a signed-in user, and reading the ledger's answers."""

from __future__ import annotations

from typing import Any

import httpx


def api(hq, headers: dict[str, str], method: str, path: str, body: Any = None) -> httpx.Response:  # noqa: ANN001
    return httpx.request(method, f"{hq.url}/api/v1/inventory{path}", json=body, headers=headers,
                         timeout=30)


def ok(reply: httpx.Response) -> Any:
    assert reply.status_code < 300, reply.text
    return reply.json()


def store_on_hand(hq, headers: dict[str, str], sku: str) -> dict[str, int]:  # noqa: ANN001
    body = ok(api(hq, headers, "GET", f"/on-hand?product={sku}"))
    return {row["store_code"]: row["on_hand"] for row in body["stores"]}


def ledger(hq, headers: dict[str, str], sku: str, store: str = "S001") -> dict[str, Any]:  # noqa: ANN001
    return ok(api(hq, headers, "GET", f"/ledger?product={sku}&store={store}"))
