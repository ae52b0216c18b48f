"""The till keeps selling through an HQ outage; the queued sales arrive once, when HQ is back."""

from __future__ import annotations

from urllib.parse import urlparse

from hq_server.app import create_app
from hq_server.testing import serve_in_thread
from till.sale import Basket

from .helpers import enrolled_till, hq_on_hand, wait_until


def sell(till, product_code: str, quantity: int = 1):
    basket = Basket("EUR")
    product = till.catalog.lookup(product_code)
    for _ in range(quantity):
        basket.add(product)
    return till.sales.complete_sale(basket, basket.total, till.cashier)


def test_sales_made_while_hq_is_down_are_kept_and_arrive_exactly_once_when_it_returns(
        hq_server, enrolment_code, tmp_path):
    till = enrolled_till(tmp_path / "till", hq_server.url, enrolment_code)
    restarted_stop = None
    try:
        lipstick = hq_server.seed.products[4]
        before = hq_on_hand(hq_server.url, "S001")[lipstick.sku]
        till.agent.start()
        hq_server.stop()

        receipts = [sell(till, lipstick.barcode).receipt_no for _ in range(3)]
        assert len(set(receipts)) == 3
        wait_until(lambda: not till.status()["online"], what="the till to notice HQ is down")
        assert till.status()["pending"] == 3
        assert till.catalog.lookup(lipstick.barcode) is not None  # still selling from the ledger

        port = urlparse(hq_server.url).port
        _, restarted_stop = serve_in_thread(create_app(hq_server.database_url), port=port)
        till.agent.wake()
        wait_until(lambda: till.status()["pending"] == 0, timeout=40, what="the backlog to drain")
        assert till.status()["online"]
        assert hq_on_hand(hq_server.url, "S001")[lipstick.sku] == before - 3
        till.agent.sync_once()  # one more round trip: nothing is applied twice
        assert hq_on_hand(hq_server.url, "S001")[lipstick.sku] == before - 3
    finally:
        till.close()
        if restarted_stop:
            restarted_stop()
