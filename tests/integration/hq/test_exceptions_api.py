"""The exceptions worklist and device admin API (signed in as the seeded admin)."""

import httpx

from tests.integration.hq.helpers import enrol_till


def get(hq_server, path: str, **params) -> httpx.Response:  # noqa: ANN001
    return httpx.get(f"{hq_server.url}/api/v1{path}", params=params, headers=hq_server.admin_headers)


def post(hq_server, path: str, body: dict | None = None) -> httpx.Response:  # noqa: ANN001
    return httpx.post(f"{hq_server.url}/api/v1{path}", json=body, headers=hq_server.admin_headers)


def oversell_in(hq_server, till) -> None:  # noqa: ANN001
    till.sell((hq_server.seed.product("BRU-PAD-L"), 21))
    assert till.push().status_code == 200


def test_back_office_endpoints_refuse_requests_without_a_signed_in_user(hq_server, till):
    for method, path in [("GET", "/exceptions"), ("GET", "/devices"),
                         ("POST", f"/devices/{till.device_id}/revoke"),
                         ("POST", "/exceptions/018f0000-0000-7000-8000-000000000000/resolve")]:
        for headers in ({}, {"Authorization": "Bearer wrong"}, till.headers):
            reply = httpx.request(method, f"{hq_server.url}/api/v1{path}", headers=headers, json={})
            assert reply.status_code == 401, (method, path, headers)


def test_open_exceptions_are_listed_with_counts_by_kind(hq_server, till):
    oversell_in(hq_server, till)

    body = get(hq_server, "/exceptions").json()

    assert body["counts"] == {"oversell": 1}
    (item,) = body["exceptions"]
    assert item["kind"] == "oversell" and item["status"] == "open"
    assert item["store_code"] == "S001" and item["details"]["sku"] == "BRU-PAD-L"
    assert get(hq_server, "/exceptions", store="S002").json() == {"exceptions": [], "counts": {}}
    assert get(hq_server, "/exceptions", kind="clock_skew").json()["exceptions"] == []
    assert get(hq_server, "/exceptions", kind="nonsense").status_code == 422


def test_an_exception_is_resolved_once_with_who_and_why(hq_server, till):
    oversell_in(hq_server, till)
    (item,) = get(hq_server, "/exceptions").json()["exceptions"]
    resolution = {"resolution": "recounted", "note": "one brush found in the back room"}

    done = post(hq_server, f"/exceptions/{item['id']}/resolve", resolution)
    again = post(hq_server, f"/exceptions/{item['id']}/resolve", resolution)

    assert done.status_code == 200
    assert {k: done.json()[k] for k in ("status", "resolved_by", "resolution", "note")} == \
        {"status": "resolved", "resolved_by": "admin@example.com", **resolution}
    assert again.status_code == 409 and "already resolved" in again.json()["detail"]
    assert get(hq_server, "/exceptions").json()["counts"] == {}
    assert len(get(hq_server, "/exceptions", status="resolved").json()["exceptions"]) == 1
    assert get(hq_server, "/exceptions", status="all").json()["counts"] == {"oversell": 1}


def test_resolving_needs_who_and_a_resolution_and_an_existing_exception(hq_server, till):
    oversell_in(hq_server, till)
    (item,) = get(hq_server, "/exceptions").json()["exceptions"]

    assert post(hq_server, f"/exceptions/{item['id']}/resolve", {"note": "x"}).status_code == 422
    assert post(hq_server, "/exceptions/018f0000-0000-7000-8000-000000000000/resolve",
                {"resolution": "y"}).status_code == 404


def test_devices_are_listed_with_their_sync_state(hq_server, till):
    till.sell((hq_server.seed.products[0], 1))
    till.push()
    enrol_till(hq_server, store="S002", name="back till")

    devices = get(hq_server, "/devices").json()

    assert [(d["store_code"], d["name"], d["last_seq"], d["quarantined"]) for d in devices] == [
        ("S001", "till-1", 1, False), ("S002", "back till", 0, False)]
    assert devices[0]["last_seen_at"] and abs(devices[0]["clock_offset_ms"]) < 5_000


def test_a_revoked_device_can_no_longer_sync(hq_server, till):
    reply = post(hq_server, f"/devices/{till.device_id}/revoke")

    assert reply.status_code == 200 and reply.json()["revoked"] is True
    till.sell((hq_server.seed.products[0], 1))
    assert till.push().status_code == 403
    assert till.pull().status_code == 403
    assert post(hq_server, "/devices/018f0000-0000-7000-8000-000000000000/revoke").status_code == 404


def test_a_token_signed_with_another_secret_is_refused(hq_server):
    import jwt

    forged = jwt.encode({"sub": "018f0000-0000-7000-8000-000000000000", "role": "admin",
                         "sid": "018f0000-0000-7000-8000-000000000000", "iat": 0,
                         "exp": 4_000_000_000, "jti": "x"}, "not-the-secret-not-the-secret-123")

    reply = httpx.get(f"{hq_server.url}/api/v1/exceptions", headers={"Authorization": f"Bearer {forged}"})

    assert reply.status_code == 401 and "not valid" in reply.json()["detail"]


def test_serve_keeps_one_generated_jwt_secret_in_the_data_folder(tmp_path):
    from hq_server.auth.tokens import load_or_create_secret

    secret = load_or_create_secret(tmp_path / "data")

    assert len(secret) >= 40 and load_or_create_secret(tmp_path / "data") == secret
    assert (tmp_path / "data" / "jwt-secret").stat().st_mode & 0o077 == 0
