"""Exceptions worklist, device quarantine and clock offset, till users.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
NOW = sa.text("now()")
# Frozen copies of hq_server.exceptions.service.KINDS and hq_server.till_users.service.ROLES.
KINDS = ("oversell", "over_refund", "count_variance", "transfer_variance", "negative_loyalty",
         "integrity", "clock_skew")
ROLES = ("cashier", "supervisor", "manager")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def upgrade() -> None:
    op.create_table(
        "exceptions",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("kind", sa.Text(), nullable=False, index=True),
        sa.Column("store_id", UUID(as_uuid=True), sa.ForeignKey("stores.id"), index=True),
        sa.Column("device_id", UUID(as_uuid=True), sa.ForeignKey("devices.id")),
        sa.Column("product_id", UUID(as_uuid=True)),
        sa.Column("event_id", UUID(as_uuid=True)),
        sa.Column("dedupe_key", sa.Text(), nullable=False, unique=True),
        sa.Column("details", JSONB(), nullable=False, server_default=sa.text("'{}'::jsonb")),
        sa.Column("raised_at", TS, nullable=False, server_default=NOW),
        sa.Column("resolved_at", TS),
        sa.Column("resolved_by", sa.Text()),
        sa.Column("resolution", sa.Text()),
        sa.Column("note", sa.Text()),
        sa.CheckConstraint(_one_of("kind", KINDS), name="kind"),
    )
    op.add_column("devices", sa.Column("quarantined_at", TS))
    op.add_column("devices", sa.Column("quarantine_reason", sa.Text()))
    op.add_column("devices", sa.Column("clock_offset_ms", sa.BigInteger()))
    op.add_column("devices", sa.Column("last_received_at", TS))
    op.create_table(
        "till_users",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("store_id", UUID(as_uuid=True), sa.ForeignKey("stores.id")),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("pin_hash", sa.Text(), nullable=False),
        sa.Column("badge_hash", sa.Text(), unique=True),
        sa.Column("max_discount_bp", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.text("true")),
        sa.Column("updated_at", TS, nullable=False, server_default=NOW),
        sa.CheckConstraint(_one_of("role", ROLES), name="role"),
        sa.CheckConstraint("max_discount_bp BETWEEN 0 AND 10000", name="max_discount_bp"),
    )


def downgrade() -> None:
    op.drop_table("till_users")
    for column in ("last_received_at", "clock_offset_ms", "quarantine_reason", "quarantined_at"):
        op.drop_column("devices", column)
    op.drop_table("exceptions")
