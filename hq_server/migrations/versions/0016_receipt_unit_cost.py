"""Unit cost stored on receipt movements (FIFO valuation without joins) — filled in by the valuation work.

Revision ID: 0016
Revises: 0015
"""

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
