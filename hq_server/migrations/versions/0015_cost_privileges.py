"""Cost prices and supplier terms behind PostgreSQL privileges (second wall) — filled in by the RLS work.

Revision ID: 0015
Revises: 0014
"""

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
