"""The audit log: every write a person makes, with who, before, after and from where."""

import httpx
import psycopg
import pytest

from hq_server.cli import main as hq_cli
from tests.integration.hq.helpers import query


def audit(hq_server, **params) -> list[dict]:  # noqa: ANN001
    reply = httpx.get(f"{hq_server.url}/api/v1/audit", params=params, headers=hq_server.admin_headers)
    assert reply.status_code == 200, reply.text
    return reply.json()


def test_resolving_an_exception_is_audited_with_who_before_after_and_ip(hq_server, till):
    till.sell((hq_server.seed.product("BRU-PAD-L"), 21))
    till.push()
    (item,) = httpx.get(f"{hq_server.url}/api/v1/exceptions", headers=hq_server.admin_headers).json()["exceptions"]

    httpx.post(f"{hq_server.url}/api/v1/exceptions/{item['id']}/resolve",
               json={"resolution": "recounted"}, headers=hq_server.admin_headers)

    (entry,) = audit(hq_server, entity="exception")
    assert (entry["action"], entry["entity_id"], entry["user_email"], entry["ip"]) == \
        ("exception.resolved", item["id"], "admin@example.com", "127.0.0.1")
    assert entry["before"]["status"] == "open" and entry["after"]["status"] == "resolved"
    assert entry["after"]["resolution"] == "recounted"


def test_every_back_office_write_leaves_an_audit_row(hq_server, till, hq_login, monkeypatch):
    admin, api = hq_server.admin_headers, f"{hq_server.url}/api/v1"
    monkeypatch.setenv("DATABASE_URL", hq_server.database_url)

    httpx.post(f"{api}/stores/S001/enrolment-codes", headers=admin)
    httpx.post(f"{api}/devices/{till.device_id}/revoke", headers=admin)
    httpx.post(f"{api}/users", headers=admin, json={"email": "v@example.com", "name": "V",
                                                    "role": "viewer", "password": "viewer-pass"})
    httpx.post(f"{api}/auth/password", headers=hq_login("buyer"),
               json={"current_password": "tillhq-buyer", "new_password": "buyer-pass-2"})
    httpx.post(f"{api}/auth/password-reset", json={"email": "buyer@example.com"})
    token = hq_server.mailer.sent[0].body.split("once):")[1].split()[0]
    httpx.post(f"{api}/auth/password-reset/confirm", json={"token": token, "new_password": "buyer-pass-3"})
    assert hq_cli(["till-user", "add", "--name", "Zoe", "--role", "cashier", "--pin", "2468"]) == 0

    actions = [(e["action"], e["user_email"]) for e in reversed(audit(hq_server))]

    assert actions[-6:] == [
        ("enrolment_code.created", "admin@example.com"), ("device.revoked", "admin@example.com"),
        ("user.created", "admin@example.com"), ("user.password_changed", "buyer@example.com"),
        ("user.password_reset", "buyer@example.com"), ("till_user.created", None)]
    assert "password" not in str(audit(hq_server, entity="hq_user")).replace("password_", "")


def test_the_audit_log_filters_by_entity_user_and_time(hq_server, till):
    httpx.post(f"{hq_server.url}/api/v1/devices/{till.device_id}/revoke", headers=hq_server.admin_headers)
    (now,) = query(hq_server.database_url, "SELECT now()")[0]

    assert [e["action"] for e in audit(hq_server, entity="device")] == ["device.revoked"]
    assert [e["action"] for e in audit(hq_server, user="admin@example.com")] == ["device.revoked"]
    assert audit(hq_server, user="buyer@example.com") == []
    assert audit(hq_server, since=now.isoformat()) == []
    assert {e["action"] for e in audit(hq_server)} >= {"user.created", "device.revoked"}


@pytest.mark.parametrize("statement", ["UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log",
                                       "TRUNCATE audit_log"])
def test_postgresql_refuses_to_edit_the_audit_log(hq_server, statement):
    from hq_server.db.session import psycopg_conninfo

    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"), \
            psycopg.connect(psycopg_conninfo(hq_server.database_url)) as conn:
        conn.execute(statement)
    assert query(hq_server.database_url, "SELECT count(*) FROM audit_log")[0][0] == 3
