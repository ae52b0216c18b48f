"""Receivers racing on one order: the order row lock serialises them, so the order is never
received past what was ordered, and stock and the vendor balance match what was accepted."""

from __future__ import annotations

import threading

import httpx

from tests.integration.hq.helpers import query, scalar

RECEIVERS = 6


def _race(hq, order_id: str, who: str, quantity: int) -> list[int]:
    barrier = threading.Barrier(RECEIVERS)
    statuses: list[int] = []

    def receive() -> None:
        with httpx.Client(headers=hq.as_[who], timeout=30) as client:
            barrier.wait()
            reply = client.post(f"{hq.url}/api/v1/purchase-orders/{order_id}/receipts",
                                json={"lines": [{"line_no": 1, "quantity": quantity}]})
            statuses.append(reply.status_code)

    threads = [threading.Thread(target=receive) for _ in range(RECEIVERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(statuses)


def test_racing_receivers_never_take_an_order_past_what_was_ordered(hq):
    vendor = hq.vendor()
    order = hq.order(vendor["id"], [(0, 10, 100)])
    product, store = hq.seed.products[0].id, hq.seed.store("S001").id
    stock_before = scalar(hq.database_url, "SELECT on_hand FROM stock_on_hand WHERE product_id = %s "
                          "AND store_id = %s", (product, store))

    # Six people each receive 4 of the 10 ordered: two fit (8), the third would make 12.
    statuses = _race(hq, order["id"], "inventory", 4)

    assert statuses.count(201) == 2, statuses
    assert set(statuses) - {201} <= {403, 409}, statuses  # over-receipt refused, or order already full
    line = query(hq.database_url, "SELECT quantity_ordered, quantity_received FROM purchase_order_lines "
                 "WHERE po_id = %s", (order["id"],))
    assert line == [(10, 8)]
    assert scalar(hq.database_url, "SELECT on_hand FROM stock_on_hand WHERE product_id = %s "
                  "AND store_id = %s", (product, store)) == stock_before + 8
    assert scalar(hq.database_url, "SELECT sum(amount_minor) FROM supplier_ledger WHERE po_id = %s",
                  (order["id"],)) == 8 * 100


def test_racing_receivers_filling_the_order_exactly_once(hq):
    vendor = hq.vendor()
    order = hq.order(vendor["id"], [(1, 5, 70)])

    statuses = _race(hq, order["id"], "buyer", 5)

    assert statuses == [201] + [409] * (RECEIVERS - 1)  # then it is received, nothing more to take
    assert query(hq.database_url, "SELECT quantity_received FROM purchase_order_lines WHERE po_id = %s",
                 (order["id"],)) == [(5,)]
    assert scalar(hq.database_url, "SELECT count(*) FROM stock_movements WHERE reference = %s",
                  (order["number"],)) == 1
