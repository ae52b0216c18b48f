"""Roles and store scope on the batches API, as on the inventory API; refusals say why."""

from __future__ import annotations

import pytest

from tests.integration.hq.helpers import query

SKU = "COL-CHS-6N"
READ = f"/batches?product={SKU}&store=S001"
PICK = f"/batches/fefo?product={SKU}&store=S001&quantity=1"


@pytest.mark.parametrize("who", ["admin", "buyer", "store_manager", "inventory", "viewer"])
def test_every_role_reads_batches_in_its_own_stores(hq, who):
    assert hq.ok(who, "GET", READ)["store"] == "S001"
    assert hq.ok(who, "GET", PICK)["quantity"] == 1


def test_a_store_scoped_user_cannot_read_or_set_another_store(hq):
    for path in (READ, PICK):
        refused = hq.call("manager_s002", "GET", path)
        assert refused.status_code == 403 and "S001 is not one of your stores" in refused.json()["detail"]
    window = hq.call("store_manager", "PUT", "/batches/alert-window/S002", {"days": 3})
    assert window.status_code == 403 and "not one of your stores" in window.json()["detail"]
    assert query(hq.database_url, "SELECT count(*) FROM batch_alert_windows w JOIN stores s "
                                  "ON s.id = w.store_id WHERE s.code = 'S002'") == [(0,)]


@pytest.mark.parametrize(("who", "allowed"), [("admin", True), ("buyer", True), ("store_manager", False),
                                              ("inventory", False), ("viewer", False)])
def test_only_admin_and_buyer_choose_which_products_track_batches(hq, who, allowed):
    reply = hq.call(who, "PUT", "/batches/tracking/SKN-HYA-50", {"tracked": True})
    assert reply.status_code == (200 if allowed else 403), reply.text
    if not allowed:
        assert "needs admin or buyer" in reply.json()["detail"]


@pytest.mark.parametrize(("who", "allowed"), [("admin", True), ("store_manager", True), ("buyer", False),
                                              ("inventory", False), ("viewer", False)])
def test_admin_and_the_store_manager_set_the_alert_window(hq, who, allowed):
    reply = hq.call(who, "PUT", "/batches/alert-window/S001", {"days": 14})
    assert reply.status_code == (200 if allowed else 403), reply.text


def test_bad_requests_are_refused_in_words(hq):
    unknown = hq.call("admin", "GET", "/batches?product=NOPE&store=S001")
    assert unknown.status_code == 404 and "no product 'NOPE'" in unknown.json()["detail"]
    assert hq.call("admin", "GET", "/batches?product=SHA-ARG-250&store=S999").status_code == 404
    assert hq.call("admin", "GET", f"/batches/fefo?product={SKU}&store=S001&quantity=0").status_code == 422
    assert hq.call("admin", "PUT", "/batches/alert-window/S001", {"days": -1}).status_code == 422
    assert hq.call("admin", "PUT", "/batches/tracking/NOPE", {"tracked": True}).status_code == 404
