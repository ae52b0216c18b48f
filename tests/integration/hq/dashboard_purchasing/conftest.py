"""One HQ for the purchasing pages' tests, and a browser-like client (dashboard cookies) per role.

Reuses the purchasing API tests' HQ (`PurchasingHQ`: JSON calls as every role, vendors, links,
stores of a test's own). Tests seed through the JSON API and read the pages as HTML.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.fixtures.hq import signed_in_hq
from tests.integration.hq.purchasing.conftest import PurchasingHQ


@pytest.fixture(scope="package")
def hq(pg_cluster, _database_pool) -> Iterator[PurchasingHQ]:
    people = {"owner": ("owner", ()), "inventory": ("inventory", ("S001",)), "viewer": ("viewer", ())}
    with signed_in_hq(pg_cluster.url_for(_database_pool.take()), people, PurchasingHQ) as running:
        yield running


@pytest.fixture(scope="package")
def web(hq) -> Iterator[dict[str, httpx.Client]]:
    """role -> a client signed in to the dashboard (cookies), never following redirects."""
    clients = {}
    for who, (email, password) in hq.logins.items():
        client = httpx.Client(base_url=hq.url, timeout=30)
        reply = client.post("/login", data={"email": email, "password": password})
        assert reply.status_code == 303, reply.text
        clients[who] = client
    yield clients
    for client in clients.values():
        client.close()
