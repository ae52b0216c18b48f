"""Purchasing tables (on the shared declarative Base; migration 0005).

Money is BIGINT minor units in the vendor's currency. The supplier ledger is append-only (a
trigger refuses UPDATE, DELETE and TRUNCATE): a balance is the sum of its rows.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Identity,
    Index,
    Integer,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from hq_server.db.models import Base, Timestamp

PO_STATUSES = ("draft", "approved", "sent", "partially_received", "received", "closed", "cancelled")
# Orders whose unreceived quantity is still coming (counted as on order by replenishment).
OPEN_PO_STATUSES = ("approved", "sent", "partially_received")
LEDGER_KINDS = ("receipt", "payment")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Vendor(Base):
    __tablename__ = "vendors"
    __table_args__ = (
        CheckConstraint("payment_terms_days >= 0", name="payment_terms_days"),
        CheckConstraint("lead_time_days >= 0", name="lead_time_days"),
    )
    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)
    contact_email: Mapped[str | None] = mapped_column(Text)
    contact_phone: Mapped[str | None] = mapped_column(Text)
    currency: Mapped[str] = mapped_column(Text)
    payment_terms_days: Mapped[int] = mapped_column(Integer, server_default="30")
    lead_time_days: Mapped[int] = mapped_column(Integer, server_default="7")
    active: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))
    created_at: Mapped[datetime] = mapped_column(Timestamp, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(Timestamp, server_default=func.now())


class VendorProduct(Base):
    """A product a vendor supplies, at their SKU and cost. At most one preferred vendor per product."""

    __tablename__ = "vendor_products"
    __table_args__ = (
        CheckConstraint("unit_cost_minor >= 0", name="unit_cost_minor"),
        Index("ix_vendor_products_one_preferred", "product_id", unique=True,
              postgresql_where=text("preferred")),
    )
    vendor_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("vendors.id"), primary_key=True)
    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id"), primary_key=True)
    vendor_sku: Mapped[str] = mapped_column(Text, server_default="")
    unit_cost_minor: Mapped[int] = mapped_column(BigInteger)
    preferred: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    updated_at: Mapped[datetime] = mapped_column(Timestamp, server_default=func.now())


class ReplenishmentLevel(Base):
    """When to reorder a product at a store (on hand at or below `reorder_point`) and up to what."""

    __tablename__ = "replenishment_levels"
    __table_args__ = (
        CheckConstraint("reorder_point >= 0", name="reorder_point"),
        CheckConstraint("target_level >= reorder_point", name="target_level"),
        Index("ix_replenishment_levels_store_id", "store_id"),
    )
    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id"), primary_key=True)
    store_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stores.id"), primary_key=True)
    reorder_point: Mapped[int] = mapped_column(Integer)
    target_level: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(Timestamp, server_default=func.now())


class PurchaseOrder(Base):
    __tablename__ = "purchase_orders"
    __table_args__ = (
        CheckConstraint(_one_of("status", PO_STATUSES), name="status"),
        Index("ix_purchase_orders_store_id_status", "store_id", "status"),
        # a store's list: its page from the index alone (0016, id since 0019)
        Index("ix_purchase_orders_store_id_number", "store_id", "number", postgresql_include=["id"]),
    )
    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    number: Mapped[int] = mapped_column(BigInteger, Identity(), unique=True)  # shown as PO-<number>
    store_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stores.id"))
    vendor_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("vendors.id"), index=True)
    status: Mapped[str] = mapped_column(Text, server_default="draft")
    currency: Mapped[str] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text, server_default="")
    created_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("hq_users.id"))
    created_at: Mapped[datetime] = mapped_column(Timestamp, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(Timestamp, server_default=func.now())


class PurchaseOrderLine(Base):
    __tablename__ = "purchase_order_lines"
    __table_args__ = (
        UniqueConstraint("po_id", "product_id"),
        CheckConstraint("quantity_ordered > 0", name="quantity_ordered"),
        CheckConstraint("quantity_received >= 0", name="quantity_received"),
        CheckConstraint("unit_cost_minor >= 0", name="unit_cost_minor"),
    )
    po_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("purchase_orders.id"), primary_key=True)
    line_no: Mapped[int] = mapped_column(Integer, primary_key=True)
    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id"))
    quantity_ordered: Mapped[int] = mapped_column(Integer)
    quantity_received: Mapped[int] = mapped_column(Integer, server_default="0")
    unit_cost_minor: Mapped[int] = mapped_column(BigInteger)


class SupplierLedgerEntry(Base):
    """What HQ owes a vendor: + for goods received, - for payments. Append-only."""

    __tablename__ = "supplier_ledger"
    __table_args__ = (
        CheckConstraint(_one_of("kind", LEDGER_KINDS), name="kind"),
        CheckConstraint("(kind = 'receipt' AND amount_minor >= 0) OR (kind = 'payment' AND amount_minor < 0)",
                        name="amount_sign"),
    )
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    vendor_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("vendors.id"), index=True)
    kind: Mapped[str] = mapped_column(Text)
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(Text)
    po_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("purchase_orders.id"))
    reference: Mapped[str] = mapped_column(Text, server_default="")
    created_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("hq_users.id"))
    at: Mapped[datetime] = mapped_column(Timestamp, server_default=func.now())
