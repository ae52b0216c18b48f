"""Gift card tables (migration 0017): one row per card with its balance, one per posting.

Postings come from till facts, so they carry no foreign key to the card: a fact is never refused
(rule 1), and a card is created by its first posting wherever it was sold or first seen.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, Text, func
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from hq_server.db.models import Base, Timestamp
from shared.gift_card_events import CARD_KINDS, POSTING_REASONS


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class GiftCard(Base):
    """A card's balance: the sum of its postings, in HQ's arrival order."""

    __tablename__ = "gift_cards"
    __table_args__ = (CheckConstraint(_one_of("kind", CARD_KINDS), name="kind"),)
    card_number: Mapped[str] = mapped_column(Text, primary_key=True)
    kind: Mapped[str] = mapped_column(Text, server_default="gift_card")
    currency: Mapped[str] = mapped_column(Text)
    customer_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), index=True)
    first_store_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("stores.id"))
    balance_minor: Mapped[int] = mapped_column(BigInteger, server_default="0")
    created_at: Mapped[datetime] = mapped_column(Timestamp, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(Timestamp, server_default=func.now())


class GiftCardPosting(Base):
    """One GiftCardPosted fact (or an HQ adjustment: no device), with the balance it left."""

    __tablename__ = "gift_card_postings"
    __table_args__ = (CheckConstraint(_one_of("reason", POSTING_REASONS), name="reason"),
                      Index("ix_gift_card_postings_card_number_device_id", "card_number",
                            "device_id"),
                      Index("ix_gift_card_postings_card_number_at", "card_number", "at"))
    event_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    card_number: Mapped[str] = mapped_column(Text)
    store_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stores.id"))
    device_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("devices.id"))
    seq: Mapped[int | None] = mapped_column(BigInteger)  # the device's journal seq
    delta_minor: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(Text)
    sale_id: Mapped[str] = mapped_column(Text, server_default="")
    return_id: Mapped[str] = mapped_column(Text, server_default="")
    receipt_no: Mapped[str] = mapped_column(Text, server_default="")
    approved_by: Mapped[str] = mapped_column(Text, server_default="")  # supervisor, or HQ user
    note: Mapped[str] = mapped_column(Text, server_default="")
    balance_after: Mapped[int] = mapped_column(BigInteger)
    hlc: Mapped[str] = mapped_column(Text, server_default="")
    at: Mapped[datetime] = mapped_column(Timestamp)
