"""Signing in to the HQ back office: tokens, rotation, reuse, sign-out, rate limits, passwords."""

import httpx
import jwt
import pytest

from hq_server.cli import main as hq_cli
from tests.fixtures.hq import ADMIN, JWT_SECRET, bearer
from tests.integration.hq.helpers import query


def execute(database_url: str, sql: str) -> None:
    import psycopg

    from hq_server.db.session import psycopg_conninfo

    with psycopg.connect(psycopg_conninfo(database_url)) as conn:
        conn.execute(sql)


def api(hq_server, method: str, path: str, **kw) -> httpx.Response:  # noqa: ANN001
    return httpx.request(method, f"{hq_server.url}/api/v1{path}", **kw)


def refresh(hq_server, token: str) -> httpx.Response:  # noqa: ANN001
    return api(hq_server, "POST", "/auth/refresh", json={"refresh_token": token})


def me(hq_server, access: str) -> httpx.Response:  # noqa: ANN001
    return api(hq_server, "GET", "/auth/me", headers=bearer(access))


def test_signing_in_gives_a_15_minute_jwt_naming_the_user_role_and_stores(hq_server):
    reply = hq_server.login("Manager.S001@example.com", "tillhq-manager")

    assert reply.status_code == 200
    body = reply.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 900 and body["refresh_token"]
    claims = jwt.decode(body["access_token"], JWT_SECRET, algorithms=["HS256"])
    assert claims["role"] == "store_manager" and claims["stores"] == ["S001"]
    assert claims["exp"] - claims["iat"] == 900 and claims["jti"] and claims["sub"]
    assert me(hq_server, body["access_token"]).json()["email"] == "manager.s001@example.com"


def test_a_wrong_password_or_unknown_email_is_refused_alike(hq_server):
    wrong = hq_server.login(ADMIN[0], "not-the-password")
    unknown = hq_server.login("nobody@example.com", "tillhq-admin")

    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json() == {"detail": "wrong email or password"}


def test_refreshing_rotates_the_refresh_token(hq_server):
    first = hq_server.login(*ADMIN).json()

    second = refresh(hq_server, first["refresh_token"])

    assert second.status_code == 200
    assert second.json()["refresh_token"] != first["refresh_token"]
    assert me(hq_server, second.json()["access_token"]).status_code == 200
    assert refresh(hq_server, second.json()["refresh_token"]).status_code == 200


def test_reusing_a_consumed_refresh_token_revokes_the_whole_sign_in(hq_server):
    first = hq_server.login(*ADMIN).json()
    second = refresh(hq_server, first["refresh_token"]).json()

    reuse = refresh(hq_server, first["refresh_token"])

    assert reuse.status_code == 401 and "reused" in reuse.json()["detail"]
    assert refresh(hq_server, second["refresh_token"]).status_code == 401
    assert me(hq_server, second["access_token"]).status_code == 401
    other_sign_in = hq_server.login(*ADMIN).json()
    assert me(hq_server, other_sign_in["access_token"]).status_code == 200


def test_signing_out_ends_the_refresh_token_and_its_access_tokens(hq_server):
    tokens = hq_server.login(*ADMIN).json()

    out = api(hq_server, "POST", "/auth/logout", json={"refresh_token": tokens["refresh_token"]})

    assert out.status_code == 204
    assert refresh(hq_server, tokens["refresh_token"]).status_code == 401
    assert me(hq_server, tokens["access_token"]).status_code == 401


def test_five_failed_sign_ins_for_one_email_block_it_with_retry_after(hq_server):
    for _ in range(5):
        assert hq_server.login(ADMIN[0], "guess").status_code == 401

    blocked = hq_server.login(*ADMIN)

    assert blocked.status_code == 429
    assert 0 < int(blocked.headers["Retry-After"]) <= 900


def test_five_failed_sign_ins_from_one_address_block_that_address(hq_server):
    for n in range(5):
        assert hq_server.login(f"guess{n}@example.com", "guess").status_code == 401

    blocked = hq_server.login("buyer@example.com", "tillhq-buyer")

    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 0
    assert query(hq_server.database_url, "SELECT count(DISTINCT email) FROM login_failures")[0][0] == 5


def test_the_block_lifts_when_the_failures_are_older_than_15_minutes(hq_server):
    for _ in range(5):
        hq_server.login(ADMIN[0], "guess")
    execute(hq_server.database_url, "UPDATE login_failures SET at = at - interval '16 minutes'")

    assert hq_server.login(*ADMIN).status_code == 200


def test_changing_a_password_needs_the_old_one_and_ends_other_sign_ins(hq_server):
    other = hq_server.login(*ADMIN).json()
    headers = hq_server.admin_headers

    wrong = api(hq_server, "POST", "/auth/password", headers=headers,
                json={"current_password": "nope", "new_password": "a-new-password"})
    short = api(hq_server, "POST", "/auth/password", headers=headers,
                json={"current_password": ADMIN[1], "new_password": "short"})
    done = api(hq_server, "POST", "/auth/password", headers=headers,
               json={"current_password": ADMIN[1], "new_password": "a-new-password"})

    assert (wrong.status_code, short.status_code, done.status_code) == (403, 422, 204)
    assert hq_server.login(*ADMIN).status_code == 401
    assert hq_server.login(ADMIN[0], "a-new-password").status_code == 200
    assert me(hq_server, other["access_token"]).status_code == 401
    assert api(hq_server, "GET", "/auth/me", headers=headers).status_code == 200


def test_a_password_is_reset_with_a_mailed_token_that_works_once(hq_server):
    asked = api(hq_server, "POST", "/auth/password-reset", json={"email": "buyer@example.com"})
    (mail,) = hq_server.mailer.sent
    token = mail.body.split("once):")[1].split()[0]

    done = api(hq_server, "POST", "/auth/password-reset/confirm",
               json={"token": token, "new_password": "bea-new-password"})
    again = api(hq_server, "POST", "/auth/password-reset/confirm",
                json={"token": token, "new_password": "another-password"})

    assert asked.status_code == 202 and mail.to == "buyer@example.com"
    assert done.status_code == 204 and again.status_code == 400
    assert hq_server.login("buyer@example.com", "bea-new-password").status_code == 200
    assert token not in str(query(hq_server.database_url, "SELECT token_hash FROM password_reset_tokens"))


def test_a_reset_token_expires_after_30_minutes_and_unknown_emails_get_no_mail(hq_server):
    api(hq_server, "POST", "/auth/password-reset", json={"email": "nobody@example.com"})
    assert hq_server.mailer.sent == []
    api(hq_server, "POST", "/auth/password-reset", json={"email": "buyer@example.com"})
    token = hq_server.mailer.sent[0].body.split("once):")[1].split()[0]
    (minutes,) = query(hq_server.database_url, "SELECT extract(epoch FROM expires_at - created_at) / 60 "
                                               "FROM password_reset_tokens")[0]
    execute(hq_server.database_url, "UPDATE password_reset_tokens SET expires_at = now() - interval '1 s'")

    late = api(hq_server, "POST", "/auth/password-reset/confirm",
               json={"token": token, "new_password": "bea-new-password"})

    assert round(minutes) == 30 and late.status_code == 400


def test_the_cli_adds_a_store_manager_who_can_sign_in(hq_server, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", hq_server.database_url)

    code = hq_cli(["user", "add", "--email", "Lee@Example.com", "--name", "Lee", "--role",
                   "store_manager", "--store", "S001", "S002", "--password", "lee-password"])
    refused = hq_cli(["user", "add", "--email", "x@example.com", "--name", "X", "--role",
                      "inventory", "--password", "x-password-1"])

    assert (code, refused) == (0, 2)
    assert "needs at least one store" in capsys.readouterr().err
    tokens = hq_server.login("lee@example.com", "lee-password").json()
    assert me(hq_server, tokens["access_token"]).json()["stores"] == ["S001", "S002"]


def test_the_smtp_mailer_is_configured_from_the_environment():
    from hq_server.users.mailer import NoMailer, SmtpMailer, mailer_from_env

    assert isinstance(mailer_from_env({}), NoMailer)
    assert mailer_from_env({"HQ_SMTP_HOST": "mail.example.com", "HQ_SMTP_PORT": "2525",
                            "HQ_SMTP_FROM": "hq@example.com", "HQ_SMTP_STARTTLS": "0"}) == \
        SmtpMailer("mail.example.com", 2525, None, None, "hq@example.com", False)


@pytest.mark.parametrize("role", ["store_manager", "inventory"])
def test_store_scoped_roles_need_a_store(hq_server, role):
    from hq_server.users.service import UserError, create_user
    from tests.integration.hq.helpers import in_transaction

    with pytest.raises(UserError, match="needs at least one store"):
        in_transaction(hq_server.database_url, lambda s: create_user(
            s, None, email="a@example.com", name="A", role=role, password="password-1"))
