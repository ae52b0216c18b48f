"""Stock page: indexes for its filters.

* products (category, sku): the category filter pages in SKU order straight from the index,
  however rare the category.
* stock_on_hand (store_id): a store-scoped page (a store manager's) counts low and out, and
  sums its store's units, without reading every store's rows. On store_id only, not on_hand:
  an index on on_hand would stop PostgreSQL updating a stock row in place (HOT) at each sale.

Revision ID: 0011
Revises: 0010
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.create_index("ix_products_category_sku", "products", ["category", "sku"])
    op.create_index("ix_stock_on_hand_store_id", "stock_on_hand", ["store_id"])


def downgrade() -> None:
    op.drop_index("ix_stock_on_hand_store_id", table_name="stock_on_hand")
    op.drop_index("ix_products_category_sku", table_name="products")
