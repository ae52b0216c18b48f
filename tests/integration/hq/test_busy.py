"""Every database connection busy: HQ sheds the request with 503 and Retry-After, in words, after
its pool timeout, instead of queueing without end or failing with a 500."""

from __future__ import annotations

import time

import httpx

from hq_server.app import create_app
from hq_server.seed.small import seed_small
from hq_server.testing import serve_in_thread
from hq_server.users.mailer import MemoryMailer
from tests.fixtures.hq import JWT_SECRET


def test_a_request_finding_no_free_connection_gets_503_and_when_to_retry(pg_cluster, _database_pool):
    url = pg_cluster.url_for(_database_pool.take())
    seed_small(url)
    app = create_app(url, jwt_secret=JWT_SECRET, mailer=MemoryMailer(), pool_size=1, pool_timeout=0.5)
    base, stop = serve_in_thread(app)
    held = []
    try:
        assert httpx.get(f"{base}/api/v1/health").status_code == 200
        held = [app.state.engine.connect() for _ in range(3)]  # pool 1 + overflow 2: all of them
        started = time.monotonic()
        reply = httpx.post(f"{base}/api/v1/auth/login", json={"email": "admin@example.com",
                                                             "password": "tillhq-admin"}, timeout=10)
        assert reply.status_code == 503, reply.text
        assert reply.headers["retry-after"] == "2" and "busy" in reply.json()["detail"]
        assert time.monotonic() - started < 5

        for connection in held:
            connection.close()
        held = []
        again = httpx.post(f"{base}/api/v1/auth/login", json={"email": "admin@example.com",
                                                             "password": "tillhq-admin"}, timeout=10)
        assert again.status_code == 200, again.text
    finally:
        for connection in held:
            connection.close()
        stop()
