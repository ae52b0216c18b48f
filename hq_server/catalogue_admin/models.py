"""Catalogue administration tables (on the shared declarative Base; migration 0010).

Variants live on `products` itself (parent_id, attributes): a variant is a product with its own
SKU, barcodes and stock. Bundles and prices below refer to products by id.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, Boolean, CheckConstraint, ForeignKey, Index, Integer, func, text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from hq_server.db.models import Base, Timestamp


class BundleComponent(Base):
    """`quantity` of `component_id` go into one `bundle_id`; the bundle has no stock of its own."""

    __tablename__ = "bundle_components"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity"),
        CheckConstraint("bundle_id <> component_id", name="not_itself"),
    )
    bundle_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id"), primary_key=True)
    component_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id"), primary_key=True,
                                                    index=True)
    quantity: Mapped[int] = mapped_column(Integer)


class PriceEntry(Base):
    """A price for one product from `starts_at` until `ends_at` (open-ended when None).

    `store_id` None is a chain-wide scheduled change; otherwise it is that store's price list.
    Where several apply, a store's entry beats a chain-wide one and the latest start wins. The
    `*_published` flags record that tills were told when the entry started or ended.
    """

    __tablename__ = "price_entries"
    __table_args__ = (
        CheckConstraint("price_minor >= 0", name="price_minor"),
        CheckConstraint("ends_at IS NULL OR ends_at > starts_at", name="ends_after_start"),
        Index("ix_price_entries_product_id_store_id_starts_at", "product_id", "store_id", "starts_at"),
    )
    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id"))
    store_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("stores.id"))
    price_minor: Mapped[int] = mapped_column(BigInteger)
    starts_at: Mapped[datetime] = mapped_column(Timestamp)
    ends_at: Mapped[datetime | None] = mapped_column(Timestamp)
    start_published: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    end_published: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    created_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("hq_users.id"))
    created_at: Mapped[datetime] = mapped_column(Timestamp, server_default=func.now())
