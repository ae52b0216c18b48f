"""Columns and indexes the reports and the dashboard read.

* stock_movements receipts (product_id, store_id, id) INCLUDE (delta, reference), partial on
  reason = 'receipt': FIFO valuation reads every store's goods receipts in layer order without
  scanning the sales (most of the ledger) or sorting.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.create_index("ix_stock_movements_receipts", "stock_movements",
                    ["product_id", "store_id", "id"], postgresql_include=["delta", "reference"],
                    postgresql_where=sa.text("reason = 'receipt'"))


def downgrade() -> None:
    op.drop_index("ix_stock_movements_receipts", table_name="stock_movements")
