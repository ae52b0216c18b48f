"""Batches and expiry dates: received lots per product and store, FEFO, expiry alerts.

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
NOW = sa.text("now()")
# Frozen copies of hq_server.db.models.EXCEPTION_KINDS before and after this revision.
KINDS_BEFORE = ("oversell", "over_refund", "count_variance", "transfer_variance", "negative_loyalty",
                "integrity", "clock_skew")
KINDS = (*KINDS_BEFORE, "expiry")


def _uuid(name: str, *args, **kw) -> sa.Column:
    return sa.Column(name, UUID(as_uuid=True), *args, **kw)


def _kinds(kinds: tuple[str, ...]) -> None:
    # The naming convention makes the check "ck_exceptions_kind" (as 0002 created it).
    op.drop_constraint(op.f("ck_exceptions_kind"), "exceptions", type_="check")
    op.create_check_constraint("kind", "exceptions", f"kind IN ({', '.join(repr(k) for k in kinds)})")


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.create_table(
        "batch_tracked_products",
        _uuid("product_id", sa.ForeignKey("products.id"), primary_key=True),
        sa.Column("since", TS, nullable=False, server_default=NOW),
        _uuid("set_by", sa.ForeignKey("hq_users.id")),
    )
    op.create_table(
        "batch_alert_windows",
        _uuid("store_id", sa.ForeignKey("stores.id"), primary_key=True),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.CheckConstraint("days BETWEEN 0 AND 3650", name="ck_batch_alert_windows_days"),
    )
    op.create_table(
        "product_batches",
        _uuid("id", primary_key=True),
        _uuid("product_id", sa.ForeignKey("products.id"), nullable=False),
        _uuid("store_id", sa.ForeignKey("stores.id"), nullable=False),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("received_at", TS, nullable=False, server_default=NOW),
        sa.Column("quantity", sa.BigInteger(), nullable=False, server_default="0"),
        sa.UniqueConstraint("product_id", "store_id", "code", name="uq_product_batches_product_id"),
        sa.CheckConstraint("quantity >= 0", name="ck_product_batches_quantity"),
    )
    op.create_index("ix_product_batches_store_id_expires_on", "product_batches", ["store_id", "expires_on"])
    op.create_table(
        "batch_remainders",
        _uuid("product_id", primary_key=True),
        _uuid("store_id", primary_key=True),
        sa.Column("unbatched", sa.BigInteger(), nullable=False, server_default="0"),
    )
    op.create_table(
        "batch_allocations",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column("movement_id", sa.BigInteger(), nullable=False),
        _uuid("product_id", nullable=False),
        _uuid("store_id", nullable=False),
        _uuid("batch_id", sa.ForeignKey("product_batches.id")),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.Column("created_at", TS, nullable=False, server_default=NOW),
    )
    op.create_index("ix_batch_allocations_movement_id", "batch_allocations", ["movement_id"])
    op.create_index("ix_batch_allocations_batch_id", "batch_allocations", ["batch_id"])
    # The allocation ledger is append-only, as the stock ledger it follows (refuse_change: 0001).
    op.execute("CREATE TRIGGER batch_allocations_append_only BEFORE UPDATE OR DELETE ON batch_allocations "
               "FOR EACH ROW EXECUTE FUNCTION refuse_change()")
    _kinds(KINDS)


def downgrade() -> None:
    op.execute("DELETE FROM exceptions WHERE kind = 'expiry'")
    _kinds(KINDS_BEFORE)
    for table in ("batch_allocations", "batch_remainders", "product_batches", "batch_alert_windows",
                  "batch_tracked_products"):
        op.drop_table(table)
