"""Customer tables (migration 0012): the customer's winning details and its points counter,
one row per loyalty posting, and the sales a customer was attached to.

Posting and sale rows come from till facts, so they carry no foreign key to customers: a fact is
never refused (rule 1), even for a customer HQ has not heard of yet.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, Text, func
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from hq_server.db.models import Base, Timestamp
from shared.customer_events import LOYALTY_REASONS

# Byte order, so a btree index answers "starts with" (LIKE 'ann%') whatever the database locale.
SEARCH_KEY = Text(collation="C")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Customer(Base):
    """The winning version of a customer's details (last writer by hlc) and the points balance."""

    __tablename__ = "customers"
    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    name: Mapped[str] = mapped_column(Text, server_default="")
    phone: Mapped[str] = mapped_column(Text, server_default="")
    email: Mapped[str] = mapped_column(Text, server_default="")
    name_key: Mapped[str] = mapped_column(SEARCH_KEY, server_default="", index=True)
    phone_key: Mapped[str] = mapped_column(SEARCH_KEY, server_default="", index=True)
    hlc: Mapped[str] = mapped_column(Text, server_default="")  # "" until a version is saved
    saved_by: Mapped[str] = mapped_column(Text, server_default="")
    home_store_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("stores.id"))
    points_balance: Mapped[int] = mapped_column(BigInteger, server_default="0")
    created_at: Mapped[datetime] = mapped_column(Timestamp, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(Timestamp, server_default=func.now())


class LoyaltyPosting(Base):
    """One LoyaltyPosted fact, with the balance it left in HQ's arrival order."""

    __tablename__ = "loyalty_postings"
    __table_args__ = (CheckConstraint(_one_of("reason", LOYALTY_REASONS), name="reason"),
                      Index("ix_loyalty_postings_customer_id_device_id", "customer_id", "device_id"))
    event_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    customer_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    store_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stores.id"))
    device_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("devices.id"))
    seq: Mapped[int] = mapped_column(BigInteger)  # the device's journal seq (tills read it back)
    delta: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(Text)
    sale_id: Mapped[str] = mapped_column(Text, server_default="")
    receipt_no: Mapped[str] = mapped_column(Text, server_default="")
    balance_after: Mapped[int] = mapped_column(BigInteger)
    hlc: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(Timestamp)


class CustomerSale(Base):
    """A completed sale a customer was attached to (their history)."""

    __tablename__ = "customer_sales"
    __table_args__ = (Index("ix_customer_sales_customer_id_sold_at", "customer_id", "sold_at"),)
    event_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    sale_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    customer_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    store_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stores.id"))
    receipt_no: Mapped[str] = mapped_column(Text)
    total_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(Text)
    sold_at: Mapped[datetime] = mapped_column(Timestamp)
