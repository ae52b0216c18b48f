"""Indexes for the back office's hot reads (hq.mixed_reads).

* ix_purchase_orders_store_id_number carries the order id: a store's order list picks its page
  (id, number) from the index alone (hq_server.purchasing.order_list). Without it PostgreSQL
  walked every store's orders backwards by number, skipping other stores' (3 ms a page on the
  benchmark chain, 0.9 ms with it).

Revision ID: 0019
Revises: 0018
"""

from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

_ORDERS = "ix_purchase_orders_store_id_number"


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.drop_index(_ORDERS, table_name="purchase_orders")
    op.create_index(_ORDERS, "purchase_orders", ["store_id", "number"], postgresql_include=["id"])


def downgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.drop_index(_ORDERS, table_name="purchase_orders")
    op.create_index(_ORDERS, "purchase_orders", ["store_id", "number"])
