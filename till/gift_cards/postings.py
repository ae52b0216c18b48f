"""Posting to cards with the sale or return they belong to (one transaction, like loyalty).

A sale posts a `load` per gift card line and a `redeem` per gift card or store credit tender; a
return posts a `refund` per refund onto a card and an `unload` per gift card load it takes back.
A training sale posts nothing. What comes back is the receipt's lines: each card touched with the
balance this till now knows for it.
"""

from __future__ import annotations

import time

from shared.events import SaleCompleted, Tender
from shared.gift_card_events import GiftCardPosted
from shared.gift_cards import is_gift_card_line, mask
from shared.money import Money
from shared.override_events import ReturnCompleted

from ..ledger.journal import append_event
from ..ledger.ledger import UnitOfWork
from .records import held_card, record_posting

CARD_TENDERS = ("gift_card", "store_credit")
KIND_NAMES = {"gift_card": "Gift card", "store_credit": "Store credit"}


def shown_reference(tender: Tender) -> str:
    """A tender's reference as a screen shows it: a card's last four digits only."""
    return mask(tender.reference) if tender.kind in CARD_TENDERS else tender.reference


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


def post(uow: UnitOfWork, posted: GiftCardPosted) -> None:
    """Journal a posting and project it, in the caller's transaction."""
    event = append_event(uow, posted.TYPE, posted.SCHEMA_VERSION, posted.to_payload())
    record_posting(uow, posted, event.seq)


def balance_lines(uow: UnitOfWork, numbers: list[str], currency: str) -> list[str]:
    """"Gift card ****1234 balance 30.00" per card, as the receipt prints it."""
    lines = []
    for number in dict.fromkeys(numbers):
        card = held_card(uow.conn, number)
        if card is not None:
            lines.append(f"{KIND_NAMES.get(card.kind, 'Card')} {mask(number, '*')} balance "
                         f"{Money(card.balance_minor, currency)}")
    return lines


def _approver(uow: UnitOfWork, sale_id: str, number: str) -> str:
    """The supervisor who let a card the till did not know pay on this sale ("" if none)."""
    row = uow.execute("SELECT approved_by FROM overrides WHERE sale_id = ? AND action = "
                      "'unknown_gift_card' AND before = ?", (sale_id, mask(number, "*"))).fetchone()
    return row[0] if row else ""


def kind_of(uow: UnitOfWork, number: str, default: str = "gift_card") -> tuple[str, str]:
    card = held_card(uow.conn, number)
    return (card.kind, card.customer_id) if card else (default, "")


def settle_sale(uow: UnitOfWork, sale: SaleCompleted) -> list[str]:
    """Post the sale's loads and card payments; the receipt lines of the cards it touched."""
    if sale.training:
        return []
    touched: list[str] = []

    def posting(number: str, delta: int, reason: str) -> None:
        kind, customer = kind_of(uow, number)
        post(uow, GiftCardPosted(number, sale.store_id, delta, sale.currency, reason, kind,
                                 customer, sale_id=sale.sale_id, receipt_no=sale.receipt_no,
                                 approved_by=_approver(uow, sale.sale_id, number) if delta < 0
                                 else "", posted_at_ms=_now_ms()))
        touched.append(number)

    for line in sale.lines:
        if is_gift_card_line(line.product_id):
            posting(line.sku, line.line_total_minor, "load")
    for tender in sale.tenders:
        if tender.kind in CARD_TENDERS:
            posting(tender.reference, -tender.amount_minor, "redeem")
    return balance_lines(uow, touched, sale.currency)


def settle_return(uow: UnitOfWork, ret: ReturnCompleted, customer_id: str = "") -> list[str]:
    """Post a return's refunds onto cards (a new credit note, the customer's account or the card
    the sale was paid with) and take back the gift card loads it returns."""
    touched: list[str] = []
    currency = ret.currency or uow.ledger.require_store().currency

    def posting(number: str, delta: int, reason: str, kind: str, customer: str) -> None:
        post(uow, GiftCardPosted(number, ret.store_id, delta, currency, reason, kind, customer,
                                 sale_id=ret.original_sale_id, return_id=ret.return_id,
                                 receipt_no=ret.original_receipt_no, approved_by=ret.approved_by,
                                 posted_at_ms=_now_ms()))
        touched.append(number)

    for refund in ret.refunds:
        if refund.kind in CARD_TENDERS:
            held_kind, held_customer = kind_of(uow, refund.reference, refund.kind)
            posting(refund.reference, refund.amount_minor, "refund", held_kind,
                    held_customer or (customer_id if refund.kind == "store_credit" else ""))
    for line in ret.lines:
        if is_gift_card_line(line.product_id):
            kind, customer = kind_of(uow, line.sku)
            posting(line.sku, -line.line_total_minor, "unload", kind, customer)
    return balance_lines(uow, touched, currency)
