"""Tax rates per tax class, chain-wide or for one store (migration 0007).

A store's effective rate for a class is its own row if it has one, else the chain's. The store's
other pricing settings (tax-inclusive prices, cash rounding) are columns of `stores`.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, Integer, Text, func, text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from hq_server.db.models import Base


class TaxRate(Base):
    __tablename__ = "tax_rates"
    __table_args__ = (
        CheckConstraint("rate_bp BETWEEN 0 AND 10000", name="rate_bp"),
        # One chain rate and at most one store rate per class (NULL store ids are never equal,
        # so a single unique index could not hold the chain's rows to one each).
        Index("ix_tax_rates_chain_class", "tax_class", unique=True,
              postgresql_where=text("store_id IS NULL")),
        Index("ix_tax_rates_store_class", "store_id", "tax_class", unique=True,
              postgresql_where=text("store_id IS NOT NULL")),
    )
    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    store_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("stores.id"))
    tax_class: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(Text, server_default="")
    rate_bp: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
