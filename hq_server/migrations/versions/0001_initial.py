"""Initial HQ schema: stores, catalogue, devices, events, sales, stock ledger, change log.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

GENESIS_HASH = "0" * 64  # shared.journal.GENESIS_HASH, frozen here as migrations must be
TS = sa.DateTime(timezone=True)
NOW = sa.text("now()")


def _uuid(name: str, *args, **kw) -> sa.Column:
    return sa.Column(name, UUID(as_uuid=True), *args, **kw)


def upgrade() -> None:
    op.create_table(
        "stores",
        _uuid("id", primary_key=True),
        sa.Column("code", sa.Text(), nullable=False, unique=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("currency", sa.Text(), nullable=False),
        sa.Column("created_at", TS, nullable=False, server_default=NOW),
    )
    op.create_table(
        "products",
        _uuid("id", primary_key=True),
        sa.Column("sku", sa.Text(), nullable=False, unique=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("category", sa.Text(), nullable=False, server_default=""),
        sa.Column("vendor", sa.Text(), nullable=False, server_default=""),
        sa.Column("price_minor", sa.BigInteger(), nullable=False),
        sa.Column("cost_minor", sa.BigInteger(), nullable=False, server_default="0"),
        sa.Column("currency", sa.Text(), nullable=False),
        sa.Column("tax_class", sa.Text(), nullable=False, server_default="standard"),
        sa.Column("reorder_point", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.text("true")),
        sa.Column("updated_at", TS, nullable=False, server_default=NOW),
    )
    op.create_table(
        "product_barcodes",
        sa.Column("barcode", sa.Text(), primary_key=True),
        _uuid("product_id", sa.ForeignKey("products.id"), nullable=False, index=True),
    )
    op.create_table(
        "devices",
        _uuid("id", primary_key=True),
        _uuid("store_id", sa.ForeignKey("stores.id"), nullable=False, index=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("token_hash", sa.Text(), nullable=False, unique=True),
        sa.Column("app_version", sa.Text(), nullable=False, server_default=""),
        sa.Column("enrolled_at", TS, nullable=False, server_default=NOW),
        sa.Column("revoked_at", TS),
        sa.Column("last_seen_at", TS),
        sa.Column("last_seq", sa.BigInteger(), nullable=False, server_default="0"),
        sa.Column("last_hash", sa.Text(), nullable=False, server_default=GENESIS_HASH),
    )
    op.create_table(
        "enrolment_codes",
        sa.Column("code_hash", sa.Text(), primary_key=True),
        _uuid("store_id", sa.ForeignKey("stores.id"), nullable=False),
        sa.Column("created_at", TS, nullable=False, server_default=NOW),
        sa.Column("expires_at", TS, nullable=False),
        sa.Column("used_at", TS),
        _uuid("device_id", sa.ForeignKey("devices.id")),
    )
    op.create_table(
        "events",
        _uuid("event_id", primary_key=True),
        _uuid("device_id", sa.ForeignKey("devices.id"), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("hlc", sa.Text(), nullable=False),
        sa.Column("type", sa.Text(), nullable=False),
        sa.Column("schema_version", sa.Integer(), nullable=False),
        sa.Column("payload", JSONB(), nullable=False),
        sa.Column("prev_hash", sa.Text(), nullable=False),
        sa.Column("hash", sa.Text(), nullable=False),
        sa.Column("received_at", TS, nullable=False, server_default=NOW),
        sa.UniqueConstraint("device_id", "seq"),
    )
    op.create_table(
        "sales",
        _uuid("id", primary_key=True),
        _uuid("store_id", sa.ForeignKey("stores.id"), nullable=False),
        _uuid("device_id", sa.ForeignKey("devices.id")),
        _uuid("event_id"),
        sa.Column("receipt_no", sa.Text(), nullable=False),
        sa.Column("total_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.Text(), nullable=False),
        sa.Column("line_count", sa.Integer(), nullable=False),
        sa.Column("sold_at", TS, nullable=False, index=True),
    )
    op.create_table(
        "sale_lines",
        _uuid("sale_id", sa.ForeignKey("sales.id"), primary_key=True),
        sa.Column("line_no", sa.Integer(), primary_key=True),
        _uuid("product_id", nullable=False, index=True),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_price_minor", sa.BigInteger(), nullable=False),
        sa.Column("line_total_minor", sa.BigInteger(), nullable=False),
    )
    op.create_table(
        "stock_movements",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        _uuid("product_id", nullable=False),
        _uuid("store_id", nullable=False),
        sa.Column("delta", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        _uuid("event_id"),
        sa.Column("hlc", sa.Text()),
        sa.Column("created_at", TS, nullable=False, server_default=NOW),
    )
    op.create_table(
        "stock_on_hand",
        _uuid("product_id", primary_key=True),
        _uuid("store_id", primary_key=True),
        sa.Column("on_hand", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", TS, nullable=False, server_default=NOW),
    )
    op.create_table(
        "change_log",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column("kind", sa.Text(), nullable=False),
        _uuid("store_id"),
        sa.Column("entity_id", sa.Text(), nullable=False),
        sa.Column("data", JSONB(), nullable=False),
        sa.Column("created_at", TS, nullable=False, server_default=NOW),
    )
    _append_only("events", "stock_movements")


def _append_only(*tables: str) -> None:
    """Facts are never edited: a correction is a new event / movement (ARCHITECTURE.md)."""
    op.execute("""
        CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
                USING ERRCODE = 'insufficient_privilege';
        END $$
    """)
    for table in tables:
        op.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                   "FOR EACH ROW EXECUTE FUNCTION refuse_change()")
        op.execute(f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                   "FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()")


def downgrade() -> None:
    for table in ("change_log", "stock_on_hand", "stock_movements", "sale_lines", "sales",
                  "events", "enrolment_codes", "devices", "product_barcodes", "products", "stores"):
        op.drop_table(table)
    op.execute("DROP FUNCTION refuse_change()")
