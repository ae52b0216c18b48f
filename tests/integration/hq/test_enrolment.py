from datetime import UTC, datetime, timedelta

import httpx

from hq_server.db.session import make_engine, make_session_factory, transaction
from hq_server.devices.service import create_enrolment_code
from tests.integration.hq.helpers import query


def enrol(hq_server, code: str) -> httpx.Response:
    return httpx.post(f"{hq_server.url}/api/v1/enrol", json={"code": code, "device_name": "front till"})


def test_a_one_time_code_enrols_a_till_into_its_store(hq_server, enrolment_code):
    reply = enrol(hq_server, enrolment_code)

    assert reply.status_code == 200
    body = reply.json()
    assert body["store_code"] == "S001"
    assert body["store_id"] == str(hq_server.seed.store("S001").id)
    assert body["currency"] == "EUR" and len(body["token"]) >= 40
    rows = query(hq_server.database_url, "SELECT name, token_hash FROM devices")
    assert rows[0][0] == "front till" and body["token"] not in rows[0][1]


def test_a_code_works_only_once(hq_server, enrolment_code):
    assert enrol(hq_server, enrolment_code).status_code == 200

    again = enrol(hq_server, enrolment_code)

    assert again.status_code == 403
    assert "already used" in again.json()["detail"]


def test_codes_are_accepted_in_lower_case_without_the_dash(hq_server, enrolment_code):
    assert enrol(hq_server, enrolment_code.replace("-", "").lower()).status_code == 200


def test_an_unknown_code_is_refused(hq_server):
    reply = enrol(hq_server, "ZZZZ-ZZZZ")

    assert reply.status_code == 403
    assert "unknown" in reply.json()["detail"]


def test_an_expired_code_is_refused(hq_server):
    engine = make_engine(hq_server.database_url, pool_size=1)
    with transaction(make_session_factory(engine)) as session:
        code = create_enrolment_code(session, "S002", ttl_minutes=-1)
    engine.dispose()

    reply = enrol(hq_server, code)

    assert reply.status_code == 403
    assert "expired" in reply.json()["detail"]
    assert query(hq_server.database_url, "SELECT count(*) FROM devices") == [(0,)]


def test_enrolment_codes_are_stored_hashed(hq_server, enrolment_code):
    (code_hash, expires_at), = query(hq_server.database_url, "SELECT code_hash, expires_at FROM enrolment_codes")
    assert enrolment_code.replace("-", "") not in code_hash
    assert expires_at > datetime.now(UTC) + timedelta(minutes=50)


def test_an_unknown_device_token_is_refused_as_unknown_device(hq_server):
    reply = httpx.get(f"{hq_server.url}/api/v1/sync/pull", headers={"Authorization": "Bearer nope"})

    assert reply.status_code == 401
    assert reply.json()["error"] == "unknown_device"


def test_a_revoked_device_is_refused(hq_server, till):
    query_revoke = "UPDATE devices SET revoked_at = now() RETURNING id"
    query(hq_server.database_url, query_revoke)

    reply = till.pull()

    assert reply.status_code == 403
    assert reply.json()["error"] == "revoked_device"
