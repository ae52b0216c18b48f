"""The product page's batches: per store, first expiry first, with what is left of each after
FEFO allocation of the till's sales, expired and expiring batches marked."""

from __future__ import annotations

import re

from tests.integration.hq.batches.helpers import days_from_today

from .conftest import pushed


def batch_rows(html: str) -> list[tuple[str, str, str, str]]:
    """(store, batch, state, quantity left) per batch row, in page order."""
    rows = []
    for store, block in re.findall(r'<div class="batch-store" data-store="(\w+)">(.*?)</table>', html, re.S):
        for state, batch, qty in re.findall(
                r'<tr class="batch (\w+)" data-batch="([^"]+)">.*?<td class="num qty">(-?\d+)</td>', block, re.S):
            rows.append((store, batch, state, qty))
    return rows


def test_batches_show_fefo_quantities_per_store_with_expired_and_expiring_marked(as_, hq, s001):
    sku = "SKN-HYA-50"
    hq.track(sku)
    order = hq.sent_order(sku, 30)
    assert hq.receive(order, 6, "OLD-1", days_from_today(-3), who="admin").status_code == 201  # already expired
    assert hq.receive(order, 10, "SOON-1", days_from_today(12), who="admin").status_code == 201  # in the 30-day window
    assert hq.receive(order, 14, "LATE-1", days_from_today(200), who="admin").status_code == 201
    s001.sell((hq.seed.product(sku), 8))  # FEFO: the 6 of OLD-1 first, then 2 of SOON-1
    pushed(s001)

    page = as_("viewer").get(f"/catalogue/{sku}").text

    assert batch_rows(page) == [("S001", "SOON-1", "expiring", "8"), ("S001", "LATE-1", "ok", "14")]
    assert "Batches and expiry" in page and "sells next" in page
    api = hq.holding(sku)
    assert [(b["batch"], b["quantity"]) for b in api["batches"]] == [("SOON-1", 8), ("LATE-1", 14)]


def test_an_expired_batch_still_holding_stock_is_marked_for_write_off(as_, hq):
    sku = "SKN-CLN-200"
    hq.track(sku)
    order = hq.sent_order(sku, 9)
    assert hq.receive(order, 4, "GONE-1", days_from_today(-1), who="admin").status_code == 201
    assert hq.receive(order, 5, "FINE-1", days_from_today(90), who="admin").status_code == 201

    page = as_("store_manager").get(f"/catalogue/{sku}").text

    assert batch_rows(page) == [("S001", "GONE-1", "expired", "4"), ("S001", "FINE-1", "ok", "5")]
    assert "expired — write off" in page
    assert re.search(r'data-batch="FINE-1">.*?sells next', page, re.S)  # not the expired one


def test_a_product_that_tracks_no_batches_has_no_batch_panel(as_):
    assert "Batches and expiry" not in as_("admin").get("/catalogue/NAI-RED-10").text
