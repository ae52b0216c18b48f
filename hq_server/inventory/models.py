"""Inventory tables (on the shared declarative Base; migration 0006): transfers and counts.

Stock itself moves only through the ledger (hq_server.stock): these are the documents a person
works on, and each posting step writes its movements there.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Identity, Index, Text, func
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from hq_server.db.models import Base, Timestamp

TRANSFER_STATUSES = ("requested", "approved", "shipped", "received", "cancelled")
COUNT_STATUSES = ("open", "posted", "cancelled")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _user() -> Mapped[uuid.UUID | None]:
    return mapped_column(ForeignKey("hq_users.id"))


class Transfer(Base):
    """Stock moving between two stores (merge rule 7): shipped at one, received at the other."""

    __tablename__ = "transfers"
    __table_args__ = (
        CheckConstraint(_one_of("status", TRANSFER_STATUSES), name="status"),
        CheckConstraint("from_store_id <> to_store_id", name="two_stores"),
        Index("ix_transfers_to_store_id_status", "to_store_id", "status"),
    )
    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    number: Mapped[int] = mapped_column(BigInteger, Identity(), unique=True)
    from_store_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stores.id"), index=True)
    to_store_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stores.id"))
    status: Mapped[str] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text, server_default="")
    requested_by: Mapped[uuid.UUID | None] = _user()
    requested_at: Mapped[datetime] = mapped_column(Timestamp, server_default=func.now())
    approved_by: Mapped[uuid.UUID | None] = _user()
    approved_at: Mapped[datetime | None] = mapped_column(Timestamp)
    shipped_by: Mapped[uuid.UUID | None] = _user()
    shipped_at: Mapped[datetime | None] = mapped_column(Timestamp)
    received_by: Mapped[uuid.UUID | None] = _user()
    received_at: Mapped[datetime | None] = mapped_column(Timestamp)
    cancelled_by: Mapped[uuid.UUID | None] = _user()
    cancelled_at: Mapped[datetime | None] = mapped_column(Timestamp)

    @property
    def reference(self) -> str:
        return f"T-{self.number:06d}"


class TransferLine(Base):
    __tablename__ = "transfer_lines"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity"),)
    transfer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("transfers.id"), primary_key=True)
    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id"), primary_key=True,
                                                  index=True)
    quantity: Mapped[int] = mapped_column(BigInteger)  # requested, and shipped: ship sends it all
    received: Mapped[int | None] = mapped_column(BigInteger)


class StockCount(Base):
    """A count sheet for one store and category; its `hlc` is stamped when it is posted."""

    __tablename__ = "stock_counts"
    __table_args__ = (CheckConstraint(_one_of("status", COUNT_STATUSES), name="status"),)
    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    number: Mapped[int] = mapped_column(BigInteger, Identity(), unique=True)
    store_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stores.id"), index=True)
    category: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text)
    created_by: Mapped[uuid.UUID | None] = _user()
    created_at: Mapped[datetime] = mapped_column(Timestamp, server_default=func.now())
    posted_by: Mapped[uuid.UUID | None] = _user()
    posted_at: Mapped[datetime | None] = mapped_column(Timestamp)
    hlc: Mapped[str | None] = mapped_column(Text)

    @property
    def reference(self) -> str:
        return f"C-{self.number:06d}"


class StockCountLine(Base):
    """One product on a count sheet.

    `expected` is the on-hand when the sheet was made; `book` the on-hand the count replaced
    when posted; `absorbed` the sum of movements stamped before the count that arrived after it
    (merge rule 3). The variance is counted - (book + absorbed).
    """

    __tablename__ = "stock_count_lines"
    count_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stock_counts.id"), primary_key=True)
    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id"), primary_key=True)
    expected: Mapped[int] = mapped_column(BigInteger)
    counted: Mapped[int | None] = mapped_column(BigInteger)
    book: Mapped[int | None] = mapped_column(BigInteger)
    absorbed: Mapped[int] = mapped_column(BigInteger, server_default="0")
