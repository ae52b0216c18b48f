"""What a receipt says, independent of how it is printed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from shared.events import SaleCompleted
from shared.money import Money

if TYPE_CHECKING:
    from .exchange import ExchangeBlock


@dataclass(frozen=True, slots=True)
class ReceiptLine:
    quantity: int
    name: str
    unit_price: Money
    total: Money
    tax_mark: str = ""  # "A", "B": which tax class, when the receipt has more than one


@dataclass(frozen=True, slots=True)
class ReceiptTax:
    mark: str
    tax_class: str
    name: str
    rate_bp: int
    net: Money
    tax: Money
    gross: Money


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
    taxes: tuple[ReceiptTax, ...] = ()  # empty: the store has no tax set up
    rounding: Money | None = None  # the cash rounding, when there was any
    prices_include_tax: bool = True
    customer: str = ""  # "Ann Lee · +65 points, 120 in all" when a customer was attached
    cards: tuple[str, ...] = ()  # "Gift card ****1234 balance 30.00" per card loaded or paid with
    exchange: ExchangeBlock | None = None  # an exchange: what came back and the net (exchange.py)

    @property
    def subtotal(self) -> Money:
        """The lines as printed (net in a tax-exclusive store)."""
        return sum((ln.total for ln in self.lines), Money.zero(self.total.currency))

    @property
    def to_pay(self) -> Money:
        return self.total + self.rounding if self.rounding else self.total

    @classmethod
    def from_sale(cls, sale: SaleCompleted, store_name: str, store_code: str,
                  customer: str = "", cards: Sequence[str] = (),
                  exchange: ExchangeBlock | None = None) -> Receipt:
        cur = sale.currency
        # Letters mark each line's tax class only when there is more than one class to tell apart.
        marks = ({t.tax_class: chr(ord("A") + i) for i, t in enumerate(sale.taxes)}
                 if len(sale.taxes) > 1 else {})
        lines = [ReceiptLine(ln.quantity, ln.name, Money(ln.unit_price_minor, cur),
                             Money(ln.line_total_minor, cur), marks.get(ln.tax_class, ""))
                 for ln in sale.lines]
        taxes = tuple(ReceiptTax(marks.get(t.tax_class, ""), t.tax_class, t.name, t.rate_bp,
                                 Money(t.net_minor, cur), Money(t.tax_minor, cur),
                                 Money(t.gross_minor, cur)) for t in sale.taxes)
        tendered = Money(sum(t.amount_minor for t in sale.tenders), cur)
        # Local time: the customer reads the receipt in the shop's time zone.
        completed_at = datetime.fromtimestamp(sale.completed_at_ms / 1000).astimezone()
        return cls(store_name, store_code, sale.receipt_no, sale.cashier, completed_at, lines,
                   Money(sale.total_minor, cur), tendered, Money(sale.change_minor, cur),
                   tuple(ReceiptTender(t.kind, Money(t.amount_minor, cur), t.reference)
                         for t in sale.tenders), sale.training, taxes,
                   Money(sale.rounding_minor, cur) if sale.rounding_minor else None,
                   sale.prices_include_tax, customer, tuple(cards), exchange)
