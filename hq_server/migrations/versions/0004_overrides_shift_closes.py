"""The override log and shift closes (Z reports), projected from till events at ingest.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def _uuid(name: str, *args, **kw) -> sa.Column:
    return sa.Column(name, UUID(as_uuid=True), *args, **kw)


def _text(*names: str) -> list[sa.Column]:
    return [sa.Column(name, sa.Text(), nullable=False) for name in names]


def _minor(*names: str) -> list[sa.Column]:
    return [sa.Column(name, sa.BigInteger(), nullable=False) for name in names]


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.create_table(
        "overrides",
        _uuid("event_id", primary_key=True),
        sa.Column("override_id", sa.Text(), nullable=False),
        _uuid("store_id", sa.ForeignKey("stores.id"), nullable=False),
        _uuid("device_id", sa.ForeignKey("devices.id"), nullable=False),
        *_text("action", "requested_by", "requested_by_id", "approved_by", "approved_by_id",
               "before", "after", "reason", "sale_id"),
        sa.Column("at", TS, nullable=False),
    )
    op.create_index("ix_overrides_store_id_at", "overrides", ["store_id", "at"])
    op.create_table(
        "shift_closes",
        _uuid("event_id", primary_key=True),
        sa.Column("shift_id", sa.Text(), nullable=False),
        _uuid("store_id", sa.ForeignKey("stores.id"), nullable=False),
        _uuid("device_id", sa.ForeignKey("devices.id"), nullable=False),
        *_text("closed_by", "closed_by_id", "currency"),
        sa.Column("float_minor", sa.BigInteger(), nullable=False),
        sa.Column("sales_count", sa.Integer(), nullable=False),
        sa.Column("sales_total_minor", sa.BigInteger(), nullable=False),
        sa.Column("returns_count", sa.Integer(), nullable=False),
        *_minor("returns_total_minor", "paid_in_minor", "paid_out_minor", "drops_minor",
                "expected_cash_minor", "counted_cash_minor", "over_short_minor"),
        sa.Column("tender_totals", JSONB(), nullable=False),
        sa.Column("at", TS, nullable=False),
    )
    op.create_index("ix_shift_closes_store_id_at", "shift_closes", ["store_id", "at"])


def downgrade() -> None:
    op.drop_table("shift_closes")
    op.drop_table("overrides")
