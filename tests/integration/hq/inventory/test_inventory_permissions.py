"""Who may read and move stock: every inventory endpoint x every role, and store scoping.

One HQ serves the module (signing in is argon2-slow on purpose); each write acts on a target
made fresh for it. Store-scoped users (store_manager, inventory) belong to S001 only; owner,
buyer and viewer read chain-wide (auth.identity.CHAIN_WIDE_ROLES). A buyer transfers and counts at
any store (balancing stock is a buyer's job) but adjusts nothing; owner and viewer move nothing.
"""

from __future__ import annotations

import pytest

from tests.fixtures.hq import RunningHQ, signed_in_hq

from .helpers import api, ok

ROLES = ("admin", "owner", "buyer", "store_manager", "inventory", "viewer")


@pytest.fixture(scope="module")
def hq(pg_cluster, _database_pool):  # noqa: ANN001, ANN201
    with signed_in_hq(pg_cluster.url_for(_database_pool.take()), {"owner": ("owner", ()), "inventory": ("inventory", ("S001",)), "viewer": ("viewer", ())}) as running:
        yield running


def a_transfer(hq: RunningHQ, source: str, destination: str, steps: tuple[str, ...]) -> str:
    made = ok(api(hq, hq.as_["admin"], "POST", "/transfers", {
        "from_store": source, "to_store": destination, "lines": [{"product": "ACC-CLP-12", "quantity": 1}]}))
    for step in steps:
        ok(api(hq, hq.as_["admin"], "POST", f"/transfers/{made['id']}/{step}"))
    return made["id"]


def a_count(hq: RunningHQ) -> str:
    return ok(api(hq, hq.as_["admin"], "POST", "/counts", {"store": "S001", "category": "Test"}))["id"]


def adjustment(store: str) -> dict:
    return {"store": store, "product": "ACC-CLP-12", "delta": 1, "reason": "found"}


def transfer_request(hq: RunningHQ) -> dict:
    return {"from_store": "S001", "to_store": "S002", "lines": [{"product": "ACC-CLP-12", "quantity": 1}]}


# endpoint -> (method, path maker, body maker, status per role: admin owner buyer store_manager
# inventory viewer). Transfers to S001 from S002 are visible to S001's people, who may receive
# them but not ship them.
ENDPOINTS = {
    "read on-hand": ("GET", lambda hq: "/on-hand?product=ACC-CLP-12", None, (200,) * 6),
    "read S001's ledger": ("GET", lambda hq: "/ledger?product=ACC-CLP-12&store=S001", None,
                           (200,) * 6),
    "read S002's ledger": ("GET", lambda hq: "/ledger?product=ACC-CLP-12&store=S002", None,
                           (200, 200, 200, 403, 403, 200)),
    "read S001's in-transit": ("GET", lambda hq: "/in-transit?store=S001", None, (200,) * 6),
    "adjust at S001": ("POST", lambda hq: "/adjustments", lambda hq: adjustment("S001"),
                       (201, 403, 403, 201, 201, 403)),
    "adjust at S002": ("POST", lambda hq: "/adjustments", lambda hq: adjustment("S002"),
                       (201, 403, 403, 403, 403, 403)),
    "request a transfer": ("POST", lambda hq: "/transfers", transfer_request,
                           (201, 403, 201, 201, 201, 403)),
    "ship from S002": ("POST", lambda hq: f"/transfers/{a_transfer(hq, 'S002', 'S001', ('approve',))}/ship",
                       None, (200, 403, 200, 403, 403, 403)),
    "receive at S001": ("POST", lambda hq: f"/transfers/{a_transfer(hq, 'S002', 'S001', ('approve', 'ship'))}"
                                           "/receive", None, (200, 403, 200, 200, 200, 403)),
    "start a count": ("POST", lambda hq: "/counts", lambda hq: {"store": "S001", "category": "Test"},
                      (201, 403, 201, 201, 201, 403)),
    "read a count": ("GET", lambda hq: f"/counts/{a_count(hq)}", None, (200,) * 6),
    "cancel a count": ("POST", lambda hq: f"/counts/{a_count(hq)}/cancel", None,
                       (200, 403, 200, 200, 200, 403)),
}
CASES = [(endpoint, who, status) for endpoint, (*_, statuses) in ENDPOINTS.items()
         for who, status in zip(ROLES, statuses, strict=True)]


@pytest.mark.parametrize(("endpoint", "who", "status"), CASES,
                         ids=[f"{w} may {'not ' if s >= 400 else ''}{e}" for e, w, s in CASES])
def test_inventory_endpoint_answers_each_role(hq, endpoint, who, status):
    method, path, body, _ = ENDPOINTS[endpoint]
    reply = api(hq, hq.as_[who], method, path(hq), body(hq) if body else None)

    assert reply.status_code == status, reply.text
    if status == 403:
        assert "may not" in reply.json()["detail"] or "not one of your stores" in reply.json()["detail"]


def test_a_buyer_balances_stock_and_counts_a_shelf_but_may_not_adjust(hq):
    buyer = hq.as_["buyer"]
    before = {r["store_code"]: r["on_hand"]
              for r in ok(api(hq, buyer, "GET", "/on-hand?product=BRU-PAD-L"))["stores"]}
    made = ok(api(hq, buyer, "POST", "/transfers", {
        "from_store": "S001", "to_store": "S002", "lines": [{"product": "BRU-PAD-L", "quantity": 2}]}))
    for step in ("approve", "ship", "receive"):
        ok(api(hq, buyer, "POST", f"/transfers/{made['id']}/{step}"))
    assert ok(api(hq, buyer, "GET", f"/transfers/{made['id']}"))["status"] == "received"
    after = {r["store_code"]: r["on_hand"]
             for r in ok(api(hq, buyer, "GET", "/on-hand?product=BRU-PAD-L"))["stores"]}
    assert after == {"S001": before["S001"] - 2, "S002": before["S002"] + 2}

    count = ok(api(hq, buyer, "POST", "/counts", {"store": "S002", "category": "Test"}))
    shelf = [{"product": line["sku"], "quantity": 5 if line["sku"] == "BRU-PAD-L" else line["on_hand"]}
             for line in count["lines"]]
    ok(api(hq, buyer, "PUT", f"/counts/{count['id']}/lines", {"lines": shelf}))
    assert ok(api(hq, buyer, "POST", f"/counts/{count['id']}/post"))["status"] == "posted"
    assert {r["store_code"]: r["on_hand"] for r in ok(api(hq, buyer, "GET", "/on-hand?product=BRU-PAD-L"))
            ["stores"]}["S002"] == 5

    refused = api(hq, buyer, "POST", "/adjustments", adjustment("S001"))
    assert refused.status_code == 403
    assert refused.json() == {"detail": "your role (buyer) may not adjust stock; needs admin, store_manager "
                                        "or inventory"}


def test_without_a_token_nothing_is_answered(hq):
    assert api(hq, {}, "GET", "/on-hand?product=ACC-CLP-12").status_code == 401


def test_on_hand_lists_only_the_callers_stores(hq):
    stores = {who: [row["store_code"] for row in ok(api(hq, hq.as_[who], "GET",
                                                        "/on-hand?product=SHA-ARG-250"))["stores"]]
              for who in ROLES}
    assert stores == {"admin": ["S001", "S002"], "owner": ["S001", "S002"], "buyer": ["S001", "S002"],
                      "store_manager": ["S001"], "inventory": ["S001"], "viewer": ["S001", "S002"]}


def test_count_variance_value_at_cost_is_hidden_from_the_inventory_role(hq):
    count = a_count(hq)
    for who, sees in (("admin", True), ("store_manager", True), ("buyer", True), ("inventory", False)):
        lines = ok(api(hq, hq.as_[who], "GET", f"/counts/{count}"))["lines"]
        assert all(("variance_cost_minor" in line) == sees for line in lines), who


def test_transfers_between_other_stores_are_neither_listed_nor_found_for_a_store_manager(hq):
    from hq_server.catalog.service import create_store
    from tests.integration.hq.helpers import in_transaction

    if "S003" not in {r["store_code"] for r in ok(api(hq, hq.as_["admin"], "GET",
                                                      "/on-hand?product=ACC-CLP-12"))["stores"]}:
        in_transaction(hq.database_url, lambda s: create_store(s, code="S003", name="Third", currency="EUR"))
    mine, elsewhere = a_transfer(hq, "S002", "S001", ()), a_transfer(hq, "S002", "S003", ())

    for who in ("store_manager", "inventory"):
        listed = {t["id"] for t in ok(api(hq, hq.as_[who], "GET", "/transfers"))}
        assert mine in listed and elsewhere not in listed, who
        assert api(hq, hq.as_[who], "GET", f"/transfers/{elsewhere}").status_code == 404
        assert api(hq, hq.as_[who], "POST", f"/transfers/{elsewhere}/cancel").status_code == 404
    assert elsewhere in {t["id"] for t in ok(api(hq, hq.as_["viewer"], "GET", "/transfers"))}
