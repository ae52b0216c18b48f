"""Product search by any part of SKU, name or barcode: pg_trgm GIN indexes (db.text_search).

Without them `ILIKE '%text%'` reads every product (~250 ms at 200,000 products).

Revision ID: 0014
Revises: 0013
"""

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

INDEXES = [("ix_products_sku_trgm", "products", "sku"), ("ix_products_name_trgm", "products", "name"),
           ("ix_product_barcodes_barcode_trgm", "product_barcodes", "barcode")]


def upgrade() -> None:
    # pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        op.create_index(name, table, [column], postgresql_using="gin",
                        postgresql_ops={column: "gin_trgm_ops"})


def downgrade() -> None:
    for name, table, _ in INDEXES:
        op.drop_index(name, table_name=table)
