"""Unit cost stored on receipt movements, so FIFO valuation reads its layers without joins.

* stock_movements.unit_cost_minor: the order line's unit cost on a goods receipt (reason
  "receipt"), written by receiving; NULL on every other movement. It is a cost price: 0015
  grants stock_movements to tillhq_no_costs column by column, so this column stays hidden from
  roles without the cost right (hq_server.db.cost_wall.COST_COLUMNS names it).
* Backfill: existing receipts take the cost of the order line they name (reference PO-<number>,
  same product). The append-only trigger is switched off for this one UPDATE only (ALTER TABLE
  holds the table's lock until the migration commits, so no other writer sees it off). Writers
  of stock movements wait meanwhile: about 2 minutes for 2 million receipts among 10 million
  movements on a busy 2-core machine.
* ix_stock_movements_receipts now carries (delta, unit_cost_minor) instead of the reference:
  the valuation reads a store's layers, oldest to newest, from the index alone.
* ix_purchase_orders_store_id_number: a store's order list, newest first, reads its first page
  from the index (it walked the whole chain's orders backwards, skipping other stores').

Revision ID: 0016
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

_BACKFILL = """
    UPDATE stock_movements m SET unit_cost_minor = l.unit_cost_minor
    FROM purchase_orders o JOIN purchase_order_lines l ON l.po_id = o.id
    WHERE m.reason = 'receipt' AND m.unit_cost_minor IS NULL
      AND m.reference = 'PO-' || o.number AND l.product_id = m.product_id
"""
_RECEIPTS = "ix_stock_movements_receipts"
_ORDERS = "ix_purchase_orders_store_id_number"


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.drop_index(_RECEIPTS, table_name="stock_movements")  # first: the backfill need not keep it
    op.add_column("stock_movements", sa.Column("unit_cost_minor", sa.BigInteger(), nullable=True))
    op.execute("ALTER TABLE stock_movements DISABLE TRIGGER stock_movements_append_only")
    op.execute(_BACKFILL)
    op.execute("ALTER TABLE stock_movements ENABLE TRIGGER stock_movements_append_only")
    op.create_index(_RECEIPTS, "stock_movements", ["product_id", "store_id", "id"],
                    postgresql_include=["delta", "unit_cost_minor"],
                    postgresql_where=sa.text("reason = 'receipt'"))
    op.create_index(_ORDERS, "purchase_orders", ["store_id", "number"])


def downgrade() -> None:
    op.drop_index(_ORDERS, table_name="purchase_orders")
    op.drop_index(_RECEIPTS, table_name="stock_movements")
    op.create_index(_RECEIPTS, "stock_movements", ["product_id", "store_id", "id"],
                    postgresql_include=["delta", "reference"],
                    postgresql_where=sa.text("reason = 'receipt'"))
    op.drop_column("stock_movements", "unit_cost_minor")
