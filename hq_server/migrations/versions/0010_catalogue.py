"""Catalogue: product descriptions, units and variants; bundles; store prices and scheduled prices.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
NOW = sa.text("now()")


def _uuid(name: str, *args, **kw) -> sa.Column:
    return sa.Column(name, UUID(as_uuid=True), *args, **kw)


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.add_column("products", sa.Column("description", sa.Text(), nullable=False, server_default=""))
    op.add_column("products", sa.Column("unit", sa.Text(), nullable=False, server_default="each"))
    op.add_column("products", _uuid("parent_id", sa.ForeignKey("products.id"), nullable=True))
    op.add_column("products", sa.Column("attributes", JSONB(), nullable=False,
                                        server_default=sa.text("'{}'::jsonb")))
    op.create_index("ix_products_parent_id", "products", ["parent_id"])
    op.create_table(
        "bundle_components",
        _uuid("bundle_id", sa.ForeignKey("products.id"), primary_key=True),
        _uuid("component_id", sa.ForeignKey("products.id"), primary_key=True),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.CheckConstraint("quantity > 0", name="quantity"),
        sa.CheckConstraint("bundle_id <> component_id", name="not_itself"),
    )
    op.create_index("ix_bundle_components_component_id", "bundle_components", ["component_id"])
    op.create_table(
        "price_entries",
        _uuid("id", primary_key=True),
        _uuid("product_id", sa.ForeignKey("products.id"), nullable=False),
        _uuid("store_id", sa.ForeignKey("stores.id"), nullable=True),
        sa.Column("price_minor", sa.BigInteger(), nullable=False),
        sa.Column("starts_at", TS, nullable=False),
        sa.Column("ends_at", TS, nullable=True),
        sa.Column("start_published", sa.Boolean(), nullable=False, server_default=sa.text("false")),
        sa.Column("end_published", sa.Boolean(), nullable=False, server_default=sa.text("false")),
        _uuid("created_by", sa.ForeignKey("hq_users.id"), nullable=True),
        sa.Column("created_at", TS, nullable=False, server_default=NOW),
        sa.CheckConstraint("price_minor >= 0", name="price_minor"),
        sa.CheckConstraint("ends_at IS NULL OR ends_at > starts_at", name="ends_after_start"),
    )
    op.create_index("ix_price_entries_product_id_store_id_starts_at", "price_entries",
                    ["product_id", "store_id", "starts_at"])


def downgrade() -> None:
    op.drop_table("price_entries")
    op.drop_table("bundle_components")
    op.drop_index("ix_products_parent_id", "products")
    for column in ("attributes", "parent_id", "unit", "description"):
        op.drop_column("products", column)
