"""What a receipt says, independent of how it is printed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from shared.events import SaleCompleted
from shared.money import Money


@dataclass(frozen=True, slots=True)
class ReceiptLine:
    quantity: int
    name: str
    unit_price: Money
    total: Money


@dataclass(frozen=True, slots=True)
class ReceiptTender:
    kind: str
    amount: Money
    reference: str = ""


@dataclass(frozen=True, slots=True)
class Receipt:
    store_name: str
    store_code: str
    receipt_no: str
    cashier: str
    completed_at: datetime
    lines: list[ReceiptLine]
    total: Money
    tendered: Money
    change: Money
    tenders: tuple[ReceiptTender, ...] = ()
    training: bool = False  # printed TRAINING at top and bottom: nothing was sold

    @classmethod
    def from_sale(cls, sale: SaleCompleted, store_name: str, store_code: str) -> Receipt:
        cur = sale.currency
        lines = [ReceiptLine(ln.quantity, ln.name, Money(ln.unit_price_minor, cur),
                             Money(ln.line_total_minor, cur)) for ln in sale.lines]
        tendered = Money(sum(t.amount_minor for t in sale.tenders), cur)
        # Local time: the customer reads the receipt in the shop's time zone.
        completed_at = datetime.fromtimestamp(sale.completed_at_ms / 1000).astimezone()
        return cls(store_name, store_code, sale.receipt_no, sale.cashier, completed_at, lines,
                   Money(sale.total_minor, cur), tendered, Money(sale.change_minor, cur),
                   tuple(ReceiptTender(t.kind, Money(t.amount_minor, cur), t.reference)
                         for t in sale.tenders), sale.training)
