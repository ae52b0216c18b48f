"""Looking a card up (balance and history) and adjusting it from the back office.

Balances are chain-wide (a card pays at any store), so every reader sees a card's balance; its
history lists postings at the reader's stores only, as customers' loyalty does. An adjustment is
made at HQ by a person, not seen at a counter, so unlike a till's posting it is refused when it
would leave the card below zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from hq_server.audit.service import record
from hq_server.auth.identity import Actor
from hq_server.errors import Forbidden, Invalid, NotFound
from hq_server.gift_cards import repository
from hq_server.gift_cards.models import GiftCard
from shared.gift_cards import CardNumberError, mask, parse_card_number
from shared.ids import uuid7

MAX_ADJUSTMENT_MINOR = 10_000_000  # 100,000.00: anything larger is a typo


@dataclass(frozen=True, slots=True)
class Adjustment:
    delta_minor: int
    store_code: str
    note: str


def card_number(text: str) -> str:
    try:
        return parse_card_number(text)
    except CardNumberError as error:
        raise Invalid(str(error)) from None


def one(session: Session, actor: Actor, number_text: str, *, limit: int = 50) -> dict[str, Any]:
    number = card_number(number_text)
    row = repository.get(session, number)
    if row is None:
        raise NotFound(f"no gift card {mask(number, '*')} has been sold or used yet")
    postings = repository.history(session, number, actor.scope, limit)
    return {**summary(session, row),
            "history": [{"delta_minor": p.delta_minor, "reason": p.reason, "store": code,
                         "receipt_no": p.receipt_no, "balance_after": p.balance_after,
                         "approved_by": p.approved_by, "note": p.note,
                         "at": p.at.isoformat()} for p, code in postings]}


def summary(session: Session, row: GiftCard) -> dict[str, Any]:
    return {"card_number": row.card_number, "masked": mask(row.card_number, "*"),
            "kind": row.kind, "currency": row.currency, "balance_minor": row.balance_minor,
            "customer_id": str(row.customer_id) if row.customer_id else None,
            "first_store": repository.store_code(session, row.first_store_id)}


def adjust(session: Session, actor: Actor, number_text: str, adjustment: Adjustment) -> GiftCard:
    """Put money on a card or take it off (a goodwill card, a correction after an exception)."""
    number = card_number(number_text)
    if adjustment.delta_minor == 0 or abs(adjustment.delta_minor) > MAX_ADJUSTMENT_MINOR:
        raise Invalid(f"an adjustment must be non-zero and at most {MAX_ADJUSTMENT_MINOR} "
                      "minor units either way")
    if not adjustment.note.strip():
        raise Invalid("say why the card is adjusted (note)")
    store = repository.store_by_code(session, adjustment.store_code)
    if store is None:
        raise NotFound(f"no store {adjustment.store_code}")
    if not actor.scope.allows(store.id):
        raise Forbidden(f"store {store.code} is not one of yours")
    repository.lock_card_writers(session)
    row = repository.lock_or_create(session, number, kind="gift_card", currency=store.currency,
                                    customer_id=None, store_id=store.id)
    before = row.balance_minor
    after = before + adjustment.delta_minor
    if after < 0:
        raise Invalid(f"the card holds {before} minor units: taking {-adjustment.delta_minor} "
                      "would leave it below zero")
    repository.insert_posting(session, {
        "event_id": uuid7(), "card_number": number, "store_id": store.id, "device_id": None,
        "seq": None, "delta_minor": adjustment.delta_minor, "reason": "adjust",
        "approved_by": actor.email, "note": adjustment.note.strip(), "balance_after": after,
        "at": datetime.now(UTC)})
    repository.touch(row, after)
    session.flush()
    record(session, actor, "gift_card.adjusted", "gift_card", mask(number, "*"),
           {"balance_minor": before}, {"balance_minor": after, "note": adjustment.note.strip()})
    repository.publish(session, [row])
    return row
