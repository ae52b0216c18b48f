"""Gift card queries and writes, and the card's entry in the change log tills pull."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from hq_server.auth.identity import StoreScope
from hq_server.changelog.service import LOCK_SQL, ChangeRow, append_changes
from hq_server.db.models import Store
from hq_server.gift_cards.models import GiftCard, GiftCardPosting

CHANGE_KIND = "gift_card"


def lock_card_writers(session: Session) -> None:
    """Every card write starts here, as customer writes do (customers.ingest says why)."""
    session.execute(text(LOCK_SQL))


def lock_or_create(session: Session, card_number: str, *, kind: str, currency: str,
                   customer_id: uuid.UUID | None, store_id: uuid.UUID | None) -> GiftCard:
    """The card row, locked; made by the first posting HQ hears of (wherever that was)."""
    session.execute(insert(GiftCard).values(
        card_number=card_number, kind=kind, currency=currency, customer_id=customer_id,
        first_store_id=store_id).on_conflict_do_nothing(index_elements=[GiftCard.card_number]))
    row = session.scalar(select(GiftCard).where(GiftCard.card_number == card_number)
                         .with_for_update().execution_options(populate_existing=True))
    assert row is not None
    return row


def insert_posting(session: Session, values: dict[str, Any]) -> None:
    session.execute(insert(GiftCardPosting).values(values))


def touch(row: GiftCard, balance: int) -> None:
    row.balance_minor, row.updated_at = balance, datetime.now(UTC)


def change_row(session: Session, row: GiftCard) -> ChangeRow:
    """The card as tills hold it: HQ's balance, and for each till the last of its own postings
    that balance counts (a till adds only its postings HQ had not counted yet)."""
    counted = session.execute(
        select(GiftCardPosting.device_id, func.max(GiftCardPosting.seq))
        .where(GiftCardPosting.card_number == row.card_number,
               GiftCardPosting.device_id.is_not(None))
        .group_by(GiftCardPosting.device_id)).all()
    return ChangeRow(CHANGE_KIND, row.card_number, {
        "card_number": row.card_number, "kind": row.kind, "currency": row.currency,
        "customer_id": str(row.customer_id) if row.customer_id else "",
        "balance_minor": row.balance_minor,
        "counted_seq": {str(device): seq for device, seq in counted}})


def publish(session: Session, rows: Sequence[GiftCard]) -> None:
    """Chain-wide: a card sold at one store pays at any other."""
    append_changes(session, [change_row(session, row) for row in rows])


def get(session: Session, card_number: str) -> GiftCard | None:
    return session.get(GiftCard, card_number)


def history(session: Session, card_number: str, scope: StoreScope,
            limit: int) -> Sequence[tuple[GiftCardPosting, str]]:
    stmt = (select(GiftCardPosting, Store.code).join(Store, Store.id == GiftCardPosting.store_id)
            .where(GiftCardPosting.card_number == card_number)
            .order_by(GiftCardPosting.at.desc(), GiftCardPosting.event_id.desc()).limit(limit))
    return session.execute(scope.apply(stmt, GiftCardPosting.store_id)).all()  # type: ignore[return-value]


def store_by_code(session: Session, code: str) -> Store | None:
    return session.scalar(select(Store).where(Store.code == code))


def store_code(session: Session, store_id: uuid.UUID | None) -> str | None:
    return None if store_id is None else session.scalar(
        select(Store.code).where(Store.id == store_id))
