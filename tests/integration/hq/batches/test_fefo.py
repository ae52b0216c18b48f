"""Batches follow the stock ledger first-expiry-first-out: receipts, till sales, transfers,
adjustments, counts and oversells, and the numbers always add up to on-hand."""

from __future__ import annotations

from tests.integration.hq.helpers import query

from .helpers import assert_reconciled, batches_of, days_from_today


def test_two_batches_received_then_till_sales_take_the_first_to_expire_first(hq, till):
    sku = "SHA-ARG-250"
    hq.track(sku)
    before = hq.holding(sku)
    assert (before["tracked"], before["on_hand"], before["unbatched"], before["batches"]) == (True, 20, 20, [])

    order = hq.sent_order(sku, 20)
    assert hq.receive(order, 8, "LATE-1", days_from_today(90)).status_code == 201
    assert hq.receive(order, 12, "SOON-1", days_from_today(20)).status_code == 201
    received = hq.holding(sku)
    assert batches_of(received) == [("SOON-1", 12), ("LATE-1", 8)]  # first to expire first
    assert (received["on_hand"], received["unbatched"], received["reconciled"]) == (40, 20, True)

    product = hq.seed.product(sku)
    first, second = till.sell((product, 10)), till.sell((product, 5))
    assert till.push([first, second]).status_code == 200

    sold = hq.holding(sku, who="viewer")
    assert batches_of(sold) == [("LATE-1", 5)]  # SOON-1 sold out (10 + 2), then 3 of LATE-1
    assert (sold["on_hand"], sold["unbatched"], sold["reconciled"]) == (25, 20, True)
    taken = query(hq.database_url, """
        SELECT m.delta, b.code, a.quantity FROM stock_movements m
        JOIN batch_allocations a ON a.movement_id = m.id JOIN product_batches b ON b.id = a.batch_id
        WHERE m.product_id = %s AND m.reason = 'sale' ORDER BY m.id, b.expires_on""", (product.id,))
    assert taken == [(-10, "SOON-1", -10), (-5, "SOON-1", -2), (-5, "LATE-1", -3)]
    assert_reconciled(hq)


def test_a_tracked_product_received_without_a_batch_is_refused_and_nothing_is_received(hq):
    sku = "CON-ARG-250"
    hq.track(sku)
    order = hq.sent_order(sku, 10)

    missing = hq.receive(order, 4, None, None)
    half = hq.receive(order, 4, "B-1", None)

    for reply in (missing, half):
        assert reply.status_code == 422
        assert f"{sku} tracks batches" in reply.json()["detail"] and "batch_code" in reply.json()["detail"]
    assert hq.holding(sku)["on_hand"] == 20
    assert hq.ok("admin", "GET", f"/purchase-orders/{order}")["lines"][0]["quantity_received"] == 0

    assert hq.receive(order, 4, "B-1", days_from_today(30)).status_code == 201
    relabelled = hq.receive(order, 1, "B-1", days_from_today(31))
    assert relabelled.status_code == 422 and "already held here expiring" in relabelled.json()["detail"]
    assert batches_of(hq.holding(sku)) == [("B-1", 4)]

    untracked = hq.sent_order("COL-CHS-6N", 2)
    stray = hq.receive(untracked, 2, "X-1", days_from_today(30))
    assert stray.status_code == 422 and "does not track batches" in stray.json()["detail"]
    assert hq.receive(untracked, 2, None, None).status_code == 201  # as before batches existed


def test_shipping_a_transfer_takes_batches_fefo_and_they_arrive_with_their_expiry(hq):
    sku = "BRU-PAD-L"
    hq.track(sku)
    order = hq.sent_order(sku, 14)
    hq.receive(order, 10, "B-LATER", days_from_today(40))
    hq.receive(order, 4, "A-FIRST", days_from_today(10))

    pick = hq.ok("inventory", "GET", f"/batches/fefo?product={sku}&store=S001&quantity=6")
    assert [(p["batch"], p["pick"]) for p in pick["picks"]] == [("A-FIRST", 4), ("B-LATER", 2)]
    assert pick["short"] == 0 and pick["expired"] == []

    moving = hq.ok("admin", "POST", "/inventory/transfers", {
        "from_store": "S001", "to_store": "S002", "lines": [{"product": sku, "quantity": 6}]})["id"]
    for action in ("approve", "ship"):
        hq.ok("admin", "POST", f"/inventory/transfers/{moving}/{action}")

    assert batches_of(hq.holding(sku)) == [("B-LATER", 8)]
    assert hq.holding(sku)["unbatched"] == 20

    hq.ok("admin", "POST", f"/inventory/transfers/{moving}/receive")

    arrived = hq.holding(sku, "S002")
    assert batches_of(arrived) == [("A-FIRST", 4), ("B-LATER", 2)]
    assert [b["expires_on"] for b in arrived["batches"]] == [days_from_today(10).isoformat(),
                                                            days_from_today(40).isoformat()]
    assert (arrived["on_hand"], arrived["unbatched"]) == (26, 20)
    assert_reconciled(hq)


def test_more_than_the_batches_hold_is_picked_from_unbatched_then_reported_short(hq):
    sku = "SKN-CLN-200"
    hq.track(sku)
    order = hq.sent_order(sku, 3)
    hq.receive(order, 3, "L-1", days_from_today(15))

    pick = hq.ok("viewer", "GET", f"/batches/fefo?product={sku}&store=S001&quantity=30")

    assert [(p["batch"], p["pick"]) for p in pick["picks"]] == [("L-1", 3), (None, 20)]
    assert pick["short"] == 7
    later = hq.ok("viewer", "GET", f"/batches/fefo?product={sku}&store=S001&quantity=2"
                                   f"&on={days_from_today(16).isoformat()}")
    assert [(p["batch"], p["pick"]) for p in later["picks"]] == [(None, 2)]  # L-1 has expired by then
    assert [(e["batch"], e["quantity"], e["days_left"]) for e in later["expired"]] == [("L-1", 3, -1)]
