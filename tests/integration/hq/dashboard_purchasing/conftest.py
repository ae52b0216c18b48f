"""One HQ for the purchasing pages' tests, and a browser-like client (dashboard cookies) per role.

Reuses the purchasing API tests' HQ (`PurchasingHQ`: JSON calls as every role, vendors, links,
stores of a test's own). Tests seed through the JSON API and read the pages as HTML.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from hq_server.app import create_app
from hq_server.seed.small import seed_small
from hq_server.testing import serve_in_thread
from hq_server.users.mailer import MemoryMailer
from tests.fixtures.hq import JWT_SECRET, PASSWORD, add_hq_user
from tests.integration.hq.purchasing.conftest import PurchasingHQ

LOGINS = {"admin": ("admin@example.com", "tillhq-admin"), "buyer": ("buyer@example.com", "tillhq-buyer"),
          "store_manager": ("manager.s001@example.com", "tillhq-manager"),
          **{r: (f"{r}@example.com", PASSWORD) for r in ("owner", "inventory", "viewer")}}


@pytest.fixture(scope="package")
def hq(pg_cluster, _database_pool) -> Iterator[PurchasingHQ]:
    url = pg_cluster.url_for(_database_pool.take())
    seed = seed_small(url)
    app = create_app(url, jwt_secret=JWT_SECRET, mailer=MemoryMailer())
    base, stop = serve_in_thread(app)
    running = PurchasingHQ(base, url, app, seed, app.state.mailer, stop)
    for role in ("owner", "inventory", "viewer"):
        add_hq_user(url, f"{role}@example.com", role, ("S001",) if role == "inventory" else ())
    running.as_ = {who: running.headers_for(*creds) for who, creds in LOGINS.items()}
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="package")
def web(hq) -> Iterator[dict[str, httpx.Client]]:
    """role -> a client signed in to the dashboard (cookies), never following redirects."""
    clients = {}
    for who, (email, password) in LOGINS.items():
        client = httpx.Client(base_url=hq.url, timeout=30)
        reply = client.post("/login", data={"email": email, "password": password})
        assert reply.status_code == 303, reply.text
        clients[who] = client
    yield clients
    for client in clients.values():
        client.close()
