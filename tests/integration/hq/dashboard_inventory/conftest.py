"""Dashboard inventory pages over a real HQ: browser-like clients holding session cookies."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import httpx
import pytest

from tests.fixtures.hq import PASSWORD, add_hq_user

USERS = {"admin": ("admin@example.com", "tillhq-admin"), "buyer": ("buyer@example.com", "tillhq-buyer"),
         "manager": ("manager.s001@example.com", "tillhq-manager")}


@contextlib.contextmanager
def signed_in(hq_server, email: str, password: str) -> Iterator[httpx.Client]:  # noqa: ANN001
    with httpx.Client(base_url=hq_server.url, timeout=30) as client:
        reply = client.post("/login", data={"email": email, "password": password})
        assert reply.status_code == 303, reply.text
        yield client


@pytest.fixture
def web(hq_server):  # noqa: ANN001, ANN201
    """who -> a signed-in client: admin, buyer, viewer, manager (S001), or manager2 (S002),
    inventory (S001)."""
    clients = contextlib.ExitStack()

    def client(who: str) -> httpx.Client:
        if who == "manager2":
            add_hq_user(hq_server.database_url, "manager.s002@example.com", "store_manager", ("S002",))
            return clients.enter_context(signed_in(hq_server, "manager.s002@example.com", PASSWORD))
        if who == "inventory":
            add_hq_user(hq_server.database_url, "stock.s001@example.com", "inventory", ("S001",))
            return clients.enter_context(signed_in(hq_server, "stock.s001@example.com", PASSWORD))
        if who == "viewer":
            add_hq_user(hq_server.database_url, "viewer@example.com", "viewer")
            return clients.enter_context(signed_in(hq_server, "viewer@example.com", PASSWORD))
        return clients.enter_context(signed_in(hq_server, *USERS[who]))

    with clients:
        yield client
