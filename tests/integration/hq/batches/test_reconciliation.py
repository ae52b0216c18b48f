"""Adjustments, oversells, counts and a sale absorbed by a count: the batches and the unbatched
remainder still add up to on-hand, movement by movement."""

from __future__ import annotations

import threading
import time

from hq_server.batches.allocation import settle
from hq_server.db.session import make_engine, make_session_factory, transaction
from tests.integration.hq.helpers import query

from .helpers import assert_reconciled, batches_of, days_from_today


def _count(hq, sku: str, quantity: int) -> None:  # noqa: ANN001
    """Post a count of S001's "Test" category: `sku` counted at `quantity`, the rest as expected."""
    sheet = hq.ok("admin", "POST", "/inventory/counts", {"store": "S001", "category": "Test"})
    lines = [{"product": line["sku"], "quantity": quantity if line["sku"] == sku else line["expected"]}
             for line in sheet["lines"]]
    hq.ok("admin", "PUT", f"/inventory/counts/{sheet['id']}/lines", {"lines": lines})
    hq.ok("admin", "POST", f"/inventory/counts/{sheet['id']}/post")


def test_adjustments_oversells_and_counts_keep_batches_adding_up_to_on_hand(hq, till):
    sku = "NAI-RED-10"
    product = hq.seed.product(sku)
    hq.track(sku)
    order = hq.sent_order(sku, 20)
    hq.receive(order, 5, "A", days_from_today(5))
    hq.receive(order, 5, "B", days_from_today(50))

    hq.ok("store_manager", "POST", "/inventory/adjustments",
          {"store": "S001", "product": sku, "delta": -2, "reason": "damage"})
    assert batches_of(hq.holding(sku)) == [("A", 3), ("B", 5)]  # the damage came off A first

    assert till.push([till.sell((product, 35))]).status_code == 200  # 28 on hand: an oversell
    oversold = hq.holding(sku)
    assert (batches_of(oversold), oversold["unbatched"], oversold["on_hand"]) == ([], -7, -7)
    assert_reconciled(hq)

    hq.receive(order, 10, "C", days_from_today(30))
    restocked = hq.holding(sku)
    assert (batches_of(restocked), restocked["unbatched"], restocked["on_hand"]) == ([("C", 10)], -7, 3)

    # Counted 3: the count is the truth, so C cannot hold 10; the debt of 7 comes off it.
    offline_sale = till.sell((product, 1))  # made before the count, delivered after it
    _count(hq, sku, 3)
    counted = hq.holding(sku)
    assert (batches_of(counted), counted["unbatched"], counted["on_hand"]) == ([("C", 3)], 0, 3)

    assert till.push([offline_sale]).status_code == 200
    absorbed = hq.holding(sku)  # rule 3: the sale changes the count's variance, not the stock
    assert (batches_of(absorbed), absorbed["unbatched"], absorbed["on_hand"]) == ([("C", 3)], 0, 3)

    hq.ok("admin", "POST", "/inventory/adjustments",
          {"store": "S001", "product": sku, "delta": 4, "reason": "found"})
    found = hq.holding(sku)
    assert (batches_of(found), found["unbatched"], found["on_hand"], found["reconciled"]) == (
        [("C", 3)], 4, 7, True)
    assert_reconciled(hq)


def test_tracking_starts_from_the_stock_already_held_at_every_store(hq):
    sku = "ACC-CLP-12"
    hq.ok("admin", "POST", "/inventory/adjustments",
          {"store": "S002", "product": sku, "delta": -5, "reason": "theft"})
    before = {row["store_code"]: row["on_hand"]
              for row in hq.ok("admin", "GET", f"/inventory/on-hand?product={sku}")["stores"]}

    hq.track(sku)

    assert [(h["on_hand"], h["unbatched"], h["batches"]) for h in
            (hq.holding(sku, "S001"), hq.holding(sku, "S002"))] == [
        (before["S001"], before["S001"], []), (before["S002"], before["S002"], [])]
    assert_reconciled(hq)


def test_two_readers_settling_at_once_allocate_each_movement_once(hq, till):
    sku = "ACC-CLP-12"
    product = hq.seed.product(sku)
    hq.track(sku)
    held = hq.holding(sku)["unbatched"]
    assert till.push([till.sell((product, 1)) for _ in range(5)]).status_code == 200
    engine = make_engine(hq.database_url, pool_size=2)
    factory, first_settled, settled = make_session_factory(engine), threading.Event(), []

    def first() -> None:
        with transaction(factory) as session:
            settled.append(settle(session, [product.id]))
            first_settled.set()
            time.sleep(0.5)  # still holding the product's tracking row when the second one asks

    def second() -> None:
        first_settled.wait(10)
        with transaction(factory) as session:
            settled.append(settle(session, [product.id]))

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(20)
    finally:
        engine.dispose()

    assert settled == [5, 0]
    assert query(hq.database_url, """
        SELECT count(*) FROM batch_allocations a JOIN stock_movements m ON m.id = a.movement_id
        WHERE m.product_id = %s AND m.reason = 'sale'""", (product.id,)) == [(5,)]
    assert hq.holding(sku)["unbatched"] == held - 5
    assert_reconciled(hq)
