"""The check every signed-in request makes (one query: user, sign-in, stores) and the pooled
connection it runs on. Each case first uses the token, so it is warm (verified once, its
connection pooled): what changed in the database must still win at once."""

from __future__ import annotations

import threading
import time
import uuid

import httpx
import psycopg
import pytest

from hq_server.auth.tokens import BadToken, issue_access_token, read_access_token
from hq_server.db.session import psycopg_conninfo
from tests.fixtures.hq import ADMIN, bearer
from tests.integration.hq.helpers import query

MANAGER = ("manager.s001@example.com", "tillhq-manager")


def get(hq_server, path: str, headers: dict[str, str]) -> httpx.Response:  # noqa: ANN001
    return httpx.get(f"{hq_server.url}/api/v1{path}", headers=headers, timeout=30)


def store_codes(hq_server, headers: dict[str, str]) -> list[str]:  # noqa: ANN001
    reply = get(hq_server, "/stores", headers)
    assert reply.status_code == 200, reply.text
    return sorted(s["code"] for s in reply.json())


def run(database_url: str, sql: str, params: tuple = ()) -> None:
    with psycopg.connect(psycopg_conninfo(database_url)) as conn:
        conn.execute(sql, params)


def test_a_warm_token_is_refused_at_once_after_sign_out_or_deactivation(hq_server):
    signed_in = hq_server.login(*ADMIN).json()
    headers = bearer(signed_in["access_token"])
    assert get(hq_server, "/auth/me", headers).status_code == 200

    out = httpx.post(f"{hq_server.url}/api/v1/auth/logout",
                     json={"refresh_token": signed_in["refresh_token"]}, timeout=30)
    assert out.status_code == 204
    ended = get(hq_server, "/auth/me", headers)
    assert ended.status_code == 401 and "ended" in ended.json()["detail"]

    other = hq_server.headers_for(*MANAGER)
    assert store_codes(hq_server, other) == ["S001"]
    run(hq_server.database_url, "UPDATE hq_users SET active = false WHERE email = %s", (MANAGER[0],))
    gone = get(hq_server, "/stores", other)
    assert gone.status_code == 401 and "not active" in gone.json()["detail"]


def test_store_and_role_changes_apply_to_a_warm_token_on_its_next_request(hq_server):
    headers = hq_server.headers_for(*MANAGER)
    assert store_codes(hq_server, headers) == ["S001"]

    run(hq_server.database_url, "DELETE FROM user_stores WHERE user_id = "
        "(SELECT id FROM hq_users WHERE email = %s)", (MANAGER[0],))
    assert store_codes(hq_server, headers) == []
    assert get(hq_server, "/stores/S001/pricing", headers).status_code == 404

    run(hq_server.database_url, "INSERT INTO user_stores (user_id, store_id) SELECT u.id, s.id "
        "FROM hq_users u, stores s WHERE u.email = %s AND s.code = 'S002'", (MANAGER[0],))
    assert store_codes(hq_server, headers) == ["S002"]

    run(hq_server.database_url, "UPDATE hq_users SET role = 'buyer' WHERE email = %s", (MANAGER[0],))
    assert store_codes(hq_server, headers) == sorted(s.code for s in hq_server.seed.stores)


def test_a_token_for_a_session_that_never_existed_is_refused(hq_server):
    admin_id = query(hq_server.database_url, "SELECT id FROM hq_users WHERE email = %s", (ADMIN[0],))[0][0]
    forged = issue_access_token(hq_server.app.state.jwt_secret, user_id=admin_id, role="admin",
                                stores=[], session_id=uuid.uuid4())
    reply = get(hq_server, "/stores", bearer(forged))
    assert reply.status_code == 401, reply.text


def test_a_remembered_token_still_expires_on_time():
    secret = "s" * 40
    token = issue_access_token(secret, user_id=uuid.uuid4(), role="admin", stores=[],
                               session_id=uuid.uuid4())
    claims = read_access_token(secret, token)  # verified, and now remembered
    assert read_access_token(secret, token) == claims
    with pytest.raises(BadToken, match="expired"):
        read_access_token(secret, token, now=time.time() + 15 * 60 + 1)
    with pytest.raises(BadToken, match="not valid"):
        read_access_token("another-secret-" * 3, token)


def hq_backends(database_url: str, state: str) -> list[int]:
    """HQ's pooled connections in `state` (not the realtime listener, not this query's own)."""
    return [pid for (pid,) in query(database_url, """
        SELECT pid FROM pg_stat_activity
         WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = %s
           AND backend_type = 'client backend' AND query NOT ILIKE 'LISTEN%%'""", (state,))]


def test_pooled_connections_ended_by_the_server_are_replaced_without_a_failed_request(hq_server):
    headers = hq_server.admin_headers
    for _ in range(3):
        assert get(hq_server, "/stores", headers).status_code == 200
    pooled = hq_backends(hq_server.database_url, "idle")
    assert pooled
    for pid in pooled:
        run(hq_server.database_url, "SELECT pg_terminate_backend(%s)", (pid,))

    # No ping on checkout any more: the closed socket is noticed and a fresh connection taken.
    replies = [get(hq_server, "/stores", headers).status_code for _ in range(3)]
    assert replies == [200, 200, 200]


def test_a_connection_lost_mid_request_is_a_503_with_retry_after(hq_server):
    signed_in = hq_server.login(*ADMIN).json()
    replies: list[httpx.Response] = []
    with psycopg.connect(psycopg_conninfo(hq_server.database_url)) as blocker:
        blocker.execute("SELECT 1 FROM refresh_tokens FOR UPDATE")  # the refresh waits here
        refreshing = threading.Thread(target=lambda: replies.append(httpx.post(
            f"{hq_server.url}/api/v1/auth/refresh", json={"refresh_token": signed_in["refresh_token"]},
            timeout=30)))
        refreshing.start()
        deadline = time.monotonic() + 20
        while not (waiting := hq_backends(hq_server.database_url, "active")):
            assert time.monotonic() < deadline, "the refresh never reached its row lock"
            time.sleep(0.05)
        run(hq_server.database_url, "SELECT pg_terminate_backend(%s)", (waiting[0],))
        refreshing.join(30)
        blocker.rollback()

    assert replies and replies[0].status_code == 503, replies and replies[0].text
    assert replies[0].headers["retry-after"] == "2"
    again = httpx.post(f"{hq_server.url}/api/v1/auth/refresh",
                       json={"refresh_token": signed_in["refresh_token"]}, timeout=30)
    assert again.status_code == 200, again.text
