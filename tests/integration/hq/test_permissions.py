"""Who may call which back-office endpoint: every endpoint x every role (and no token, an
expired token, a deactivated user's token), then store scoping for store managers.

One HQ serves the whole module (signing in is argon2-slow on purpose); every write acts on a
target made fresh for it, so cases do not depend on each other's order.
"""

from __future__ import annotations

import itertools
import time
from datetime import UTC, datetime

import httpx
import jwt
import pytest

from hq_server.devices.service import quarantine_device
from hq_server.exceptions.service import Raised, raise_exception
from hq_server.users.service import deactivate_user
from tests.fixtures.hq import JWT_SECRET, RunningHQ, add_hq_user, bearer, signed_in_hq
from tests.integration.hq.helpers import enrol_till, in_transaction, query

ROLES = ("admin", "owner", "buyer", "store_manager", "inventory", "viewer")
_serial = itertools.count()


@pytest.fixture(scope="module")
def hq(pg_cluster, _database_pool):  # noqa: ANN001, ANN201
    people = {"owner": ("owner", ()), "inventory": ("inventory", ("S001",)), "viewer": ("viewer", ()),
              "manager_s002": ("store_manager", ("S002",)), "gone": ("admin", ())}
    with signed_in_hq(pg_cluster.url_for(_database_pool.take()), people) as running:
        running.tills = {code: enrol_till(running, code, f"till-{code}") for code in ("S001", "S002")}
        running.as_["no token"] = {}
        running.as_["expired token"] = _expired(running.as_["admin"])
        running.as_["deactivated user"] = running.as_.pop("gone")
        gone = query(running.database_url, "SELECT id FROM hq_users WHERE email = 'gone@example.com'")[0][0]
        running.in_transaction(lambda s: deactivate_user(s, None, gone))
        yield running


def _expired(headers: dict[str, str]) -> dict[str, str]:
    claims = jwt.decode(headers["Authorization"].split()[1], JWT_SECRET, algorithms=["HS256"])
    now = int(time.time())
    return bearer(jwt.encode({**claims, "iat": now - 1000, "exp": now - 100}, JWT_SECRET))


def an_exception(hq: RunningHQ, store: str = "S001") -> str:
    key = f"test:{next(_serial)}:{time.monotonic_ns()}"
    store_id = hq.seed.store(store).id
    in_transaction(hq.database_url, lambda s: raise_exception(
        s, Raised("oversell", key, {"sku": "X"}, store_id=store_id)))
    return str(query(hq.database_url, "SELECT id FROM exceptions WHERE dedupe_key = %s", (key,))[0][0])


def a_quarantined_device(hq: RunningHQ, store: str = "S001") -> str:
    device_id = hq.tills[store].device_id
    in_transaction(hq.database_url, lambda s: quarantine_device(
        s, device_id, "test", at=datetime.now(UTC)))
    return device_id


def a_user(hq: RunningHQ) -> str:
    email = f"temp{next(_serial)}@example.com"
    add_hq_user(hq.database_url, email, "viewer")
    return str(query(hq.database_url, "SELECT id FROM hq_users WHERE email = %s", (email,))[0][0])


# endpoint -> (method, path maker, body, status per role: admin owner buyer store_manager inventory viewer)
ENDPOINTS = {
    "list exceptions": ("GET", lambda hq: "/exceptions", None, (200, 200, 403, 200, 403, 403)),
    "resolve an exception": ("POST", lambda hq: f"/exceptions/{an_exception(hq)}/resolve",
                             {"resolution": "recounted"}, (200, 403, 403, 200, 403, 403)),
    "list devices": ("GET", lambda hq: "/devices", None, (200, 403, 403, 200, 403, 403)),
    "revoke a device": ("POST", lambda hq: f"/devices/{hq.tills['S001'].device_id}/revoke", None,
                        (200, 403, 403, 200, 403, 403)),
    "release a device": ("POST", lambda hq: f"/devices/{a_quarantined_device(hq)}/release", {},
                         (200, 403, 403, 200, 403, 403)),
    "make an enrolment code": ("POST", lambda hq: "/stores/S001/enrolment-codes", None,
                               (201, 403, 403, 201, 403, 403)),
    "read the audit log": ("GET", lambda hq: "/audit", None, (200, 200, 403, 403, 403, 403)),
    "list users": ("GET", lambda hq: "/users", None, (200, 403, 403, 403, 403, 403)),
    "add a user": ("POST", lambda hq: "/users", "new user", (201, 403, 403, 403, 403, 403)),
    "deactivate a user": ("POST", lambda hq: f"/users/{a_user(hq)}/deactivate", None,
                          (200, 403, 403, 403, 403, 403)),
}
CASES = [(endpoint, who, status) for endpoint, (*_, statuses) in ENDPOINTS.items()
         for who, status in [*zip(ROLES, statuses, strict=True), ("no token", 401), ("expired token", 401),
                             ("deactivated user", 401)]]


def call(hq: RunningHQ, endpoint: str, who: str) -> httpx.Response:
    method, path, body, _ = ENDPOINTS[endpoint]
    if body == "new user":
        body = {"email": f"new{next(_serial)}@example.com", "name": "New", "role": "viewer",
                "password": "new-user-password"}
    return httpx.request(method, f"{hq.url}/api/v1{path(hq)}", json=body, headers=hq.as_[who])


@pytest.mark.parametrize(("endpoint", "who", "status"), CASES,
                         ids=[f"{w} may {'not ' if s >= 400 else ''}{e}" for e, w, s in CASES])
def test_permission_matrix(hq, endpoint, who, status):
    reply = call(hq, endpoint, who)
    assert reply.status_code == status, reply.text


def test_a_store_manager_sees_only_their_stores_exceptions(hq):
    mine, theirs = an_exception(hq, "S001"), an_exception(hq, "S002")

    listed = httpx.get(f"{hq.url}/api/v1/exceptions", headers=hq.as_["store_manager"]).json()
    asked_for_s002 = httpx.get(f"{hq.url}/api/v1/exceptions", params={"store": "S002"},
                               headers=hq.as_["store_manager"]).json()

    ids = {e["id"] for e in listed["exceptions"]}
    assert mine in ids and theirs not in ids
    assert {e["store_code"] for e in listed["exceptions"]} == {"S001"}
    assert asked_for_s002 == {"exceptions": [], "counts": {}}
    everything = httpx.get(f"{hq.url}/api/v1/exceptions", headers=hq.as_["owner"]).json()
    assert theirs in {e["id"] for e in everything["exceptions"]}


def test_a_store_manager_cannot_resolve_another_stores_exception(hq):
    theirs = an_exception(hq, "S002")

    reply = httpx.post(f"{hq.url}/api/v1/exceptions/{theirs}/resolve", json={"resolution": "x"},
                       headers=hq.as_["store_manager"])

    assert reply.status_code == 404
    assert query(hq.database_url, "SELECT resolved_at FROM exceptions WHERE id = %s", (theirs,)) == [(None,)]


def test_a_store_manager_cannot_revoke_release_or_enrol_into_another_store(hq):
    theirs = hq.tills["S002"].device_id
    headers = hq.as_["store_manager"]

    revoke = httpx.post(f"{hq.url}/api/v1/devices/{theirs}/revoke", headers=headers)
    release = httpx.post(f"{hq.url}/api/v1/devices/{a_quarantined_device(hq, 'S002')}/release",
                         json={}, headers=headers)
    code = httpx.post(f"{hq.url}/api/v1/stores/S002/enrolment-codes", headers=headers)
    listed = httpx.get(f"{hq.url}/api/v1/devices", headers=headers).json()

    assert (revoke.status_code, release.status_code, code.status_code) == (404, 404, 403)
    assert query(hq.database_url, "SELECT revoked_at, quarantined_at IS NOT NULL FROM devices "
                                  "WHERE id = %s", (theirs,)) == [(None, True)]
    assert [d["store_code"] for d in listed] == ["S001"]


def test_the_manager_of_s002_may_act_on_s002_but_not_s001(hq):
    headers = hq.as_["manager_s002"]

    assert httpx.post(f"{hq.url}/api/v1/stores/S002/enrolment-codes", headers=headers).status_code == 201
    assert httpx.post(f"{hq.url}/api/v1/stores/S001/enrolment-codes", headers=headers).status_code == 403
    assert httpx.post(f"{hq.url}/api/v1/exceptions/{an_exception(hq, 'S001')}/resolve",
                      json={"resolution": "x"}, headers=headers).status_code == 404


def test_an_enrolment_code_made_in_the_back_office_enrols_a_till_once(hq):
    code = httpx.post(f"{hq.url}/api/v1/stores/S001/enrolment-codes", headers=hq.as_["admin"]).json()

    enrol = {"code": code["code"], "device_name": "new till"}
    first = httpx.post(f"{hq.url}/api/v1/enrol", json=enrol)
    second = httpx.post(f"{hq.url}/api/v1/enrol", json=enrol)

    assert first.status_code == 200 and first.json()["store_code"] == "S001"
    assert second.status_code == 403
