"""Adjustments, transfers, cycle counts (rule 3), stock ledger details.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
NOW = sa.text("now()")


def _uuid(name: str, *args, **kw) -> sa.Column:
    return sa.Column(name, UUID(as_uuid=True), *args, **kw)


def _user(name: str) -> sa.Column:
    return _uuid(name, sa.ForeignKey("hq_users.id"))


def _number() -> sa.Column:
    return sa.Column("number", sa.BigInteger(), sa.Identity(), nullable=False, unique=True)


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    for name, type_ in (("reference", sa.Text()), ("user_id", UUID(as_uuid=True)), ("note", sa.Text())):
        op.add_column("stock_movements", sa.Column(name, type_))
    op.create_index("ix_stock_movements_product_id_store_id_hlc", "stock_movements",
                    ["product_id", "store_id", "hlc"])
    op.add_column("stock_on_hand", sa.Column("counted_hlc", sa.Text()))
    op.add_column("stock_on_hand", _uuid("count_id"))
    _transfers()
    _counts()


def _transfers() -> None:
    op.create_table(
        "transfers",
        _uuid("id", primary_key=True),
        _number(),
        _uuid("from_store_id", sa.ForeignKey("stores.id"), nullable=False, index=True),
        _uuid("to_store_id", sa.ForeignKey("stores.id"), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False, server_default=""),
        _user("requested_by"),
        sa.Column("requested_at", TS, nullable=False, server_default=NOW),
        _user("approved_by"), sa.Column("approved_at", TS),
        _user("shipped_by"), sa.Column("shipped_at", TS),
        _user("received_by"), sa.Column("received_at", TS),
        _user("cancelled_by"), sa.Column("cancelled_at", TS),
        sa.CheckConstraint("status IN ('requested', 'approved', 'shipped', 'received', 'cancelled')",
                           name="status"),
        sa.CheckConstraint("from_store_id <> to_store_id", name="two_stores"),
    )
    op.create_index("ix_transfers_to_store_id_status", "transfers", ["to_store_id", "status"])
    op.create_table(
        "transfer_lines",
        _uuid("transfer_id", sa.ForeignKey("transfers.id"), primary_key=True),
        _uuid("product_id", sa.ForeignKey("products.id"), primary_key=True),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.Column("received", sa.BigInteger()),
        sa.CheckConstraint("quantity > 0", name="quantity"),
    )
    op.create_index("ix_transfer_lines_product_id", "transfer_lines", ["product_id"])


def _counts() -> None:
    op.create_table(
        "stock_counts",
        _uuid("id", primary_key=True),
        _number(),
        _uuid("store_id", sa.ForeignKey("stores.id"), nullable=False, index=True),
        sa.Column("category", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        _user("created_by"),
        sa.Column("created_at", TS, nullable=False, server_default=NOW),
        _user("posted_by"),
        sa.Column("posted_at", TS),
        sa.Column("hlc", sa.Text()),
        sa.CheckConstraint("status IN ('open', 'posted', 'cancelled')", name="status"),
    )
    op.create_table(
        "stock_count_lines",
        _uuid("count_id", sa.ForeignKey("stock_counts.id"), primary_key=True),
        _uuid("product_id", sa.ForeignKey("products.id"), primary_key=True),
        sa.Column("expected", sa.BigInteger(), nullable=False),
        sa.Column("counted", sa.BigInteger()),
        sa.Column("book", sa.BigInteger()),
        sa.Column("absorbed", sa.BigInteger(), nullable=False, server_default="0"),
    )


def downgrade() -> None:
    op.drop_table("stock_count_lines")
    op.drop_table("stock_counts")
    op.drop_table("transfer_lines")
    op.drop_table("transfers")
    op.drop_column("stock_on_hand", "count_id")
    op.drop_column("stock_on_hand", "counted_hlc")
    op.drop_index("ix_stock_movements_product_id_store_id_hlc", "stock_movements")
    for name in ("note", "user_id", "reference"):
        op.drop_column("stock_movements", name)
