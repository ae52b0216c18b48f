"""Migration 0016 gives the receipts made before it their order line's unit cost, and no other
movement a cost; the ledger stays append-only, and 0016 downgrades and upgrades again."""

from __future__ import annotations

import psycopg
import pytest
from alembic import command

from hq_server.db.migrate import alembic_config, upgrade
from hq_server.db.session import psycopg_conninfo
from tests.integration.hq.helpers import query

STORE, VENDOR = "a1600000-0000-7000-8000-000000000001", "c1600000-0000-7000-8000-000000000001"
SHIRT, SOCKS = "b1600000-0000-7000-8000-000000000001", "b1600000-0000-7000-8000-000000000002"
# Two orders; the second holds the shirt again at a new cost, so the backfill must match the
# receipt's own order (reference) and product, not just either.
ORDERS = (("d1600000-0000-7000-8000-000000000001", 7001, ((1, SHIRT, 120), (2, SOCKS, 40))),
          ("d1600000-0000-7000-8000-000000000002", 7002, ((1, SHIRT, 135),)))
MOVEMENTS = ((SHIRT, 10, "receipt", "PO-7001"), (SOCKS, 6, "receipt", "PO-7001"),
             (SHIRT, 4, "receipt", "PO-7002"), (SHIRT, -3, "sale", None),
             (SOCKS, 2, "receipt", "PO-9999"))  # an order that is not there: no cost to find
COSTS = "SELECT product_id::text, delta, unit_cost_minor FROM stock_movements ORDER BY id"
EXPECTED = [(SHIRT, 10, 120), (SOCKS, 6, 40), (SHIRT, 4, 135), (SHIRT, -3, None), (SOCKS, 2, None)]


def _ledger_before_0016(conn: psycopg.Connection) -> None:
    conn.execute("INSERT INTO stores (id, code, name, currency) VALUES (%s, 'M16', 'M16', 'EUR')",
                 (STORE,))
    conn.execute("INSERT INTO vendors (id, name, currency) VALUES (%s, 'Migration vendor', 'EUR')",
                 (VENDOR,))
    for product, sku in ((SHIRT, "M16-SHIRT"), (SOCKS, "M16-SOCKS")):
        conn.execute("INSERT INTO products (id, sku, name, price_minor, cost_minor, currency) "
                     "VALUES (%s, %s, %s, 500, 100, 'EUR')", (product, sku, sku))
    for order_id, number, lines in ORDERS:
        conn.execute("INSERT INTO purchase_orders (id, number, store_id, vendor_id, status, currency) "
                     "VALUES (%s, %s, %s, %s, 'received', 'EUR')", (order_id, number, STORE, VENDOR))
        for line_no, product, cost in lines:
            conn.execute("INSERT INTO purchase_order_lines (po_id, line_no, product_id, "
                         "quantity_ordered, quantity_received, unit_cost_minor) "
                         "VALUES (%s, %s, %s, 10, 10, %s)", (order_id, line_no, product, cost))
    for product, delta, reason, reference in MOVEMENTS:
        conn.execute("INSERT INTO stock_movements (product_id, store_id, delta, reason, reference, hlc) "
                     "VALUES (%s, %s, %s, %s, %s, '0017000000000000.000000.m16')",
                     (product, STORE, delta, reason, reference))


@pytest.fixture(scope="module")
def database_url(pg_cluster):
    with psycopg.connect(pg_cluster.conninfo(), autocommit=True) as conn:
        conn.execute("CREATE DATABASE receipt_cost_0016")
    url = pg_cluster.url_for("receipt_cost_0016")
    command.upgrade(alembic_config(url), "0015")
    with psycopg.connect(psycopg_conninfo(url)) as conn:
        _ledger_before_0016(conn)
    upgrade(url)
    return url


def test_existing_receipts_get_their_own_order_lines_cost_and_nothing_else_does(database_url):
    assert query(database_url, COSTS) == EXPECTED


def test_the_ledger_is_append_only_again_after_the_backfill(database_url):
    with psycopg.connect(psycopg_conninfo(database_url)) as conn:
        with pytest.raises(psycopg.Error, match="stock_movements is append-only"):
            conn.execute("UPDATE stock_movements SET unit_cost_minor = 1")


def test_0016_downgrades_to_0015_and_upgrades_again(database_url):
    receipts_index = ("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_stock_movements_receipts'")
    assert "unit_cost_minor" in query(database_url, receipts_index)[0][0]

    command.downgrade(alembic_config(database_url), "0015")
    columns = query(database_url, "SELECT column_name FROM information_schema.columns "
                    "WHERE table_name = 'stock_movements'")
    assert ("unit_cost_minor",) not in columns
    assert "reference" in query(database_url, receipts_index)[0][0]

    upgrade(database_url)
    assert query(database_url, COSTS) == EXPECTED
