"""Ingest speed: indexes and constraints for the hot sync tables — filled in by the ingest work (or left a no-op).

Revision ID: 0018
Revises: 0017
"""

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
