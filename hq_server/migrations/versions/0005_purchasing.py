"""Vendors, purchase orders, receiving, supplier ledger, replenishment levels.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
NOW = sa.text("now()")
# Frozen copies of hq_server.purchasing.models.PO_STATUSES / LEDGER_KINDS.
PO_STATUSES = ("draft", "approved", "sent", "partially_received", "received", "closed", "cancelled")
LEDGER_KINDS = ("receipt", "payment")


def _uuid(name: str, *args, **kw) -> sa.Column:
    return sa.Column(name, UUID(as_uuid=True), *args, **kw)


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.create_table(
        "vendors",
        _uuid("id", primary_key=True),
        sa.Column("name", sa.Text(), nullable=False, unique=True),
        sa.Column("contact_email", sa.Text()),
        sa.Column("contact_phone", sa.Text()),
        sa.Column("currency", sa.Text(), nullable=False),
        sa.Column("payment_terms_days", sa.Integer(), nullable=False, server_default="30"),
        sa.Column("lead_time_days", sa.Integer(), nullable=False, server_default="7"),
        sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.text("true")),
        sa.Column("created_at", TS, nullable=False, server_default=NOW),
        sa.Column("updated_at", TS, nullable=False, server_default=NOW),
        sa.CheckConstraint("payment_terms_days >= 0", name="payment_terms_days"),
        sa.CheckConstraint("lead_time_days >= 0", name="lead_time_days"),
    )
    op.create_table(
        "vendor_products",
        _uuid("vendor_id", sa.ForeignKey("vendors.id"), primary_key=True),
        _uuid("product_id", sa.ForeignKey("products.id"), primary_key=True),
        sa.Column("vendor_sku", sa.Text(), nullable=False, server_default=""),
        sa.Column("unit_cost_minor", sa.BigInteger(), nullable=False),
        sa.Column("preferred", sa.Boolean(), nullable=False, server_default=sa.text("false")),
        sa.Column("updated_at", TS, nullable=False, server_default=NOW),
        sa.CheckConstraint("unit_cost_minor >= 0", name="unit_cost_minor"),
    )
    # At most one preferred vendor per product: replenishment groups suggestions by it.
    op.create_index("ix_vendor_products_one_preferred", "vendor_products", ["product_id"],
                    unique=True, postgresql_where=sa.text("preferred"))
    op.create_table(
        "replenishment_levels",
        _uuid("product_id", sa.ForeignKey("products.id"), primary_key=True),
        _uuid("store_id", sa.ForeignKey("stores.id"), primary_key=True),
        sa.Column("reorder_point", sa.Integer(), nullable=False),
        sa.Column("target_level", sa.Integer(), nullable=False),
        sa.Column("updated_at", TS, nullable=False, server_default=NOW),
        sa.CheckConstraint("reorder_point >= 0", name="reorder_point"),
        sa.CheckConstraint("target_level >= reorder_point", name="target_level"),
    )
    op.create_index("ix_replenishment_levels_store_id", "replenishment_levels", ["store_id"])
    op.create_table(
        "purchase_orders",
        _uuid("id", primary_key=True),
        sa.Column("number", sa.BigInteger(), sa.Identity(), nullable=False, unique=True),
        _uuid("store_id", sa.ForeignKey("stores.id"), nullable=False),
        _uuid("vendor_id", sa.ForeignKey("vendors.id"), nullable=False, index=True),
        sa.Column("status", sa.Text(), nullable=False, server_default="draft"),
        sa.Column("currency", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False, server_default=""),
        _uuid("created_by", sa.ForeignKey("hq_users.id")),
        sa.Column("created_at", TS, nullable=False, server_default=NOW),
        sa.Column("updated_at", TS, nullable=False, server_default=NOW),
        sa.CheckConstraint(_one_of("status", PO_STATUSES), name="status"),
    )
    op.create_index("ix_purchase_orders_store_id_status", "purchase_orders", ["store_id", "status"])
    op.create_table(
        "purchase_order_lines",
        _uuid("po_id", sa.ForeignKey("purchase_orders.id"), primary_key=True),
        sa.Column("line_no", sa.Integer(), primary_key=True),
        _uuid("product_id", sa.ForeignKey("products.id"), nullable=False),
        sa.Column("quantity_ordered", sa.Integer(), nullable=False),
        sa.Column("quantity_received", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("unit_cost_minor", sa.BigInteger(), nullable=False),
        sa.UniqueConstraint("po_id", "product_id"),
        sa.CheckConstraint("quantity_ordered > 0", name="quantity_ordered"),
        sa.CheckConstraint("quantity_received >= 0", name="quantity_received"),
        sa.CheckConstraint("unit_cost_minor >= 0", name="unit_cost_minor"),
    )
    op.create_table(
        "supplier_ledger",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        _uuid("vendor_id", sa.ForeignKey("vendors.id"), nullable=False, index=True),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.Text(), nullable=False),
        _uuid("po_id", sa.ForeignKey("purchase_orders.id")),
        sa.Column("reference", sa.Text(), nullable=False, server_default=""),
        _uuid("created_by", sa.ForeignKey("hq_users.id")),
        sa.Column("at", TS, nullable=False, server_default=NOW),
        sa.CheckConstraint(_one_of("kind", LEDGER_KINDS), name="kind"),
        sa.CheckConstraint("(kind = 'receipt' AND amount_minor >= 0) OR "
                           "(kind = 'payment' AND amount_minor < 0)", name="amount_sign"),
    )
    # refuse_change() comes from 0001: what is owed is a sum of facts, corrected by new rows.
    op.execute("CREATE TRIGGER supplier_ledger_append_only BEFORE UPDATE OR DELETE ON supplier_ledger "
               "FOR EACH ROW EXECUTE FUNCTION refuse_change()")
    op.execute("CREATE TRIGGER supplier_ledger_no_truncate BEFORE TRUNCATE ON supplier_ledger "
               "FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()")


def downgrade() -> None:
    for table in ("supplier_ledger", "purchase_order_lines", "purchase_orders",
                  "replenishment_levels", "vendor_products", "vendors"):
        op.drop_table(table)
