"""Customers and loyalty (merge rule 8).

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
NOW = sa.text("now()")
SEARCH_KEY = sa.Text(collation="C")  # byte order: a btree index answers LIKE 'prefix%'
REASONS = ("earn", "redeem", "adjust")


def _uuid(name: str, *args, **kw) -> sa.Column:
    return sa.Column(name, UUID(as_uuid=True), *args, **kw)


def _text(name: str, **kw) -> sa.Column:
    return sa.Column(name, sa.Text(), nullable=False, **kw)


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.create_table(
        "customers",
        _uuid("id", primary_key=True),
        *(_text(name, server_default="") for name in ("name", "phone", "email")),
        sa.Column("name_key", SEARCH_KEY, nullable=False, server_default=""),
        sa.Column("phone_key", SEARCH_KEY, nullable=False, server_default=""),
        _text("hlc", server_default=""),
        _text("saved_by", server_default=""),
        _uuid("home_store_id", sa.ForeignKey("stores.id")),
        sa.Column("points_balance", sa.BigInteger(), nullable=False, server_default="0"),
        sa.Column("created_at", TS, nullable=False, server_default=NOW),
        sa.Column("updated_at", TS, nullable=False, server_default=NOW),
    )
    op.create_index("ix_customers_name_key", "customers", ["name_key"])
    op.create_index("ix_customers_phone_key", "customers", ["phone_key"])
    op.create_table(
        "loyalty_postings",
        _uuid("event_id", primary_key=True),
        _uuid("customer_id", nullable=False),
        _uuid("store_id", sa.ForeignKey("stores.id"), nullable=False),
        _uuid("device_id", sa.ForeignKey("devices.id")),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("delta", sa.BigInteger(), nullable=False),
        _text("reason"),
        _text("sale_id", server_default=""),
        _text("receipt_no", server_default=""),
        sa.Column("balance_after", sa.BigInteger(), nullable=False),
        _text("hlc"),
        sa.Column("at", TS, nullable=False),
        sa.CheckConstraint(f"reason IN ({', '.join(repr(r) for r in REASONS)})", name="reason"),
    )
    op.create_index("ix_loyalty_postings_customer_id_device_id", "loyalty_postings",
                    ["customer_id", "device_id"])
    op.create_table(
        "customer_sales",
        _uuid("event_id", primary_key=True),
        _uuid("sale_id", nullable=False),
        _uuid("customer_id", nullable=False),
        _uuid("store_id", sa.ForeignKey("stores.id"), nullable=False),
        _text("receipt_no"),
        sa.Column("total_minor", sa.BigInteger(), nullable=False),
        _text("currency"),
        sa.Column("sold_at", TS, nullable=False),
    )
    op.create_index("ix_customer_sales_customer_id_sold_at", "customer_sales",
                    ["customer_id", "sold_at"])


def downgrade() -> None:
    for table in ("customer_sales", "loyalty_postings", "customers"):
        op.drop_table(table)
