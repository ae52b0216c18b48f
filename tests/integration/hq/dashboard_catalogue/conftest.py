"""The catalogue pages over real HTTP: one seeded HQ for the package (signing in is argon2-slow
on purpose), and a browser-like client (cookies) per role. Tests share the catalogue, so each
works on SKUs of its own."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.fixtures.hq import PASSWORD, RunningHQ, add_hq_user, served_hq

LOGINS = {"admin": ("admin@example.com", "tillhq-admin"), "buyer": ("buyer@example.com", "tillhq-buyer"),
          "store_manager": ("manager.s001@example.com", "tillhq-manager"),
          **{r: (f"{r}@example.com", PASSWORD) for r in ("owner", "inventory", "viewer")}}


class Browsers:
    """A signed-in cookie client per role, made on first use and kept for the package."""

    def __init__(self, running: RunningHQ) -> None:
        self.running, self.database_url, self.seed = running, running.database_url, running.seed
        self._clients: dict[str, httpx.Client] = {}

    def __call__(self, role: str) -> httpx.Client:
        if role not in self._clients:
            client = httpx.Client(base_url=self.running.url, timeout=60)
            email, password = LOGINS[role]
            reply = client.post("/login", data={"email": email, "password": password})
            assert reply.status_code == 303, reply.text
            self._clients[role] = client
        return self._clients[role]

    def close(self) -> None:
        for client in self._clients.values():
            client.close()


@pytest.fixture(scope="package")
def as_(pg_cluster, _database_pool) -> Iterator[Browsers]:  # noqa: ANN001
    url = pg_cluster.url_for(_database_pool.take())
    with served_hq(url) as running:
        for role in ("owner", "inventory", "viewer"):
            add_hq_user(url, f"{role}@example.com", role, ("S001",) if role == "inventory" else ())
        browsers = Browsers(running)
        try:
            yield browsers
        finally:
            browsers.close()


def import_csv(client: httpx.Client, body: str, **params: str) -> httpx.Response:
    """What the page's script sends: the file as the body, asking for the result fragment."""
    return client.post("/catalogue/import", content=body.encode(), params=params,
                       headers={"Content-Type": "text/csv", "X-Requested-With": "catalogue-import"})
