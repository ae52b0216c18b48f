"""Tax classes and rates, tax-inclusive prices and cash rounding per store.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    # Existing stores keep today's behaviour: shelf prices include tax, no cash rounding.
    op.add_column("stores", sa.Column("prices_include_tax", sa.Boolean(), nullable=False,
                                      server_default=sa.text("true")))
    op.add_column("stores", sa.Column("cash_rounding_minor", sa.Integer(), nullable=False,
                                      server_default="1"))
    op.create_check_constraint(op.f("ck_stores_cash_rounding_minor"), "stores",
                               "cash_rounding_minor BETWEEN 1 AND 10000")
    op.create_table(
        "tax_rates",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("store_id", UUID(as_uuid=True), sa.ForeignKey("stores.id")),
        sa.Column("tax_class", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False, server_default=""),
        sa.Column("rate_bp", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.text("now()")),
        sa.CheckConstraint("rate_bp BETWEEN 0 AND 10000", name="rate_bp"),
    )
    op.create_index("ix_tax_rates_chain_class", "tax_rates", ["tax_class"], unique=True,
                    postgresql_where=sa.text("store_id IS NULL"))
    op.create_index("ix_tax_rates_store_class", "tax_rates", ["store_id", "tax_class"],
                    unique=True, postgresql_where=sa.text("store_id IS NOT NULL"))


def downgrade() -> None:
    op.drop_table("tax_rates")
    op.drop_constraint(op.f("ck_stores_cash_rounding_minor"), "stores", type_="check")
    op.drop_column("stores", "cash_rounding_minor")
    op.drop_column("stores", "prices_include_tax")
