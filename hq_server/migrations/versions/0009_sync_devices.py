"""Device credential rotation, reported backlog and client versions.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

TIMESTAMPS = ("next_token_issued_at", "credential_rotated_at", "rotation_requested_at",
              "oldest_unsent_at", "backlog_reported_at")


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.add_column("devices", sa.Column("next_token_hash", sa.Text(), nullable=True))
    op.create_unique_constraint("uq_devices_next_token_hash", "devices", ["next_token_hash"])
    for name in TIMESTAMPS:
        op.add_column("devices", sa.Column(name, sa.DateTime(timezone=True), nullable=True))
    op.add_column("devices", sa.Column("backlog_events", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    op.drop_column("devices", "backlog_events")
    for name in reversed(TIMESTAMPS):
        op.drop_column("devices", name)
    op.drop_constraint("uq_devices_next_token_hash", "devices", type_="unique")
    op.drop_column("devices", "next_token_hash")
