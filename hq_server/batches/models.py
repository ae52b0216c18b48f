"""Batch tables (on the shared declarative Base; migration 0013).

Stock stays the sum of movements (merge rule 2); batches are a finer view of it. Every movement
of a tracked product is allocated once (`batch_allocations`, one or more rows per movement whose
quantities add up to its delta) either to a batch or to the (product, store)'s *unbatched*
remainder: stock from before tracking began, returns and found units of unknown batch (above
zero), or units sold beyond every batch (below zero). So for a tracked product at a store,
on-hand = sum of its batches' quantities + unbatched, always.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Identity,
    Index,
    Integer,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from hq_server.db.models import Base, Timestamp

DEFAULT_ALERT_DAYS = 30


class BatchTracking(Base):
    """A product that tracks batches: its receipts name a batch and an expiry date."""

    __tablename__ = "batch_tracked_products"
    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id"), primary_key=True)
    since: Mapped[datetime] = mapped_column(Timestamp, server_default=func.now())
    set_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("hq_users.id"))


class ExpiryAlertWindow(Base):
    """How many days before a batch expires its store is told (DEFAULT_ALERT_DAYS without a row)."""

    __tablename__ = "batch_alert_windows"
    __table_args__ = (CheckConstraint("days BETWEEN 0 AND 3650", name="days"),)
    store_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stores.id"), primary_key=True)
    days: Mapped[int] = mapped_column(Integer)


class ProductBatch(Base):
    """One batch of a product at a store, with what is left of it. A code is unique per
    product and store; the same code arriving by transfer keeps its expiry date."""

    __tablename__ = "product_batches"
    __table_args__ = (
        UniqueConstraint("product_id", "store_id", "code"),
        CheckConstraint("quantity >= 0", name="quantity"),
        Index("ix_product_batches_store_id_expires_on", "store_id", "expires_on"),
    )
    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id"))
    store_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stores.id"))
    code: Mapped[str] = mapped_column(Text)
    expires_on: Mapped[date] = mapped_column(Date)
    received_at: Mapped[datetime] = mapped_column(Timestamp, server_default=func.now())
    quantity: Mapped[int] = mapped_column(BigInteger, server_default="0")


class BatchRemainder(Base):
    """A tracked (product, store)'s stock in no known batch (see the module docstring)."""

    __tablename__ = "batch_remainders"
    product_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    store_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    unbatched: Mapped[int] = mapped_column(BigInteger, server_default="0")


class BatchAllocation(Base):
    """Part of a stock movement placed on a batch (`batch_id`) or on the unbatched remainder
    (`batch_id` None). Append-only; a movement with rows here has been allocated."""

    __tablename__ = "batch_allocations"
    __table_args__ = (Index("ix_batch_allocations_movement_id", "movement_id"),
                      Index("ix_batch_allocations_batch_id", "batch_id"))
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    movement_id: Mapped[int] = mapped_column(BigInteger)
    product_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    store_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    batch_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("product_batches.id"))
    quantity: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(Timestamp, server_default=func.now())
