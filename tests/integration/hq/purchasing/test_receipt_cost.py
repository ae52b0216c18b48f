"""Receiving writes each line's unit cost on its receipt movement (what FIFO valuation reads)."""

from __future__ import annotations

import psycopg
import pytest

from hq_server.db.session import psycopg_conninfo
from tests.integration.hq.helpers import query


def test_each_receipt_movement_carries_its_order_lines_unit_cost(hq):
    vendor = hq.vendor()
    order = hq.order(vendor["id"], [(3, 5, 217), (4, 2, 1_050)])
    # Inventory staff may not read costs, yet their receipt records the line's cost.
    hq.ok("inventory", "POST", f"/purchase-orders/{order['id']}/receipts",
          {"lines": [{"line_no": 1, "quantity": 3}]})
    hq.ok("store_manager", "POST", f"/purchase-orders/{order['id']}/receipts",
          {"lines": [{"line_no": 1, "quantity": 2}, {"line_no": 2, "quantity": 2}]})

    movements = query(hq.database_url, "SELECT product_id::text, delta, unit_cost_minor "
                      "FROM stock_movements WHERE reference = %s ORDER BY id", (order["number"],))
    assert movements == [(hq.product_id(3), 3, 217), (hq.product_id(3), 2, 217),
                         (hq.product_id(4), 2, 1_050)]


def test_movements_other_than_receipts_carry_no_cost(hq):
    opening = query(hq.database_url, "SELECT count(*), count(unit_cost_minor) FROM stock_movements "
                    "WHERE reason = 'opening'")[0]
    assert opening[0] > 0 and opening[1] == 0


def test_a_receipts_cost_cannot_be_edited_afterwards(hq):
    vendor = hq.vendor()
    order = hq.order(vendor["id"], [(5, 1, 90)])
    hq.ok("admin", "POST", f"/purchase-orders/{order['id']}/receipts",
          {"lines": [{"line_no": 1, "quantity": 1}]})

    with psycopg.connect(psycopg_conninfo(hq.database_url)) as conn:
        with pytest.raises(psycopg.Error, match="stock_movements is append-only"):
            conn.execute("UPDATE stock_movements SET unit_cost_minor = 1 WHERE reference = %s",
                         (order["number"],))
