"""What the sale screen shows, as plain data: the presenters fill it, the widgets render it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from shared.money import Money

from ..sale import Basket

SIGN_IN_FIRST = "Sign in first: choose your name and type your PIN, or scan your badge"


@dataclass(frozen=True, slots=True)
class LineView:
    line_no: int
    name: str
    quantity: int
    price_text: str
    total_text: str


@dataclass(slots=True)
class SaleScreenState:
    lines: list[LineView] = field(default_factory=list)
    total_text: str = ""
    tax_text: str = ""  # "incl. tax €1.67" / "Subtotal €8.35 + tax €1.67"; "" with no tax set up
    message: str = "Scan an item to start a sale"
    message_kind: str = "info"  # info | success | error
    selected_line: int | None = None
    paying: bool = False
    tender_prefill: str = ""
    change_due: Money | None = None
    last_receipt_no: str | None = None
    cashier: str = ""  # the signed-in cashier's name; "" shows the sign-in screen
    tenders: list[str] = field(default_factory=list)  # "Card CARD-0001  €5.00", in order taken
    remaining_text: str = ""  # "Due €3.99" while paying
    quick_cash: list[Money] = field(default_factory=list)  # round amounts above what is due
    training: bool = False  # training mode: the window shows "TRAINING — nothing is sold"
    customer_text: str = ""  # the customer attached to the sale ("" none: till.ui.customer_*)
    exchange_text: str = ""  # "Exchange: new €17.00 − back €3.99 (S001-…) = to pay €13.01"


class SaleDevices(Protocol):
    """The customer display and cash drawer as the sale sees them; calls return at once."""

    def line_added(self, name: str, price: str, quantity: int = 1) -> None: ...
    def paying(self, total: str) -> None: ...
    def sale_completed(self, paid: str, change: str, cash: bool) -> None: ...
    def open_drawer(self) -> None: ...


def tax_text(basket: Basket) -> str:
    """The tax under the total, from the same figures the receipt prints."""
    priced = basket.priced()
    if not priced.taxed or basket.is_empty():
        return ""
    tax = Money(priced.tax_minor, basket.currency)
    if priced.prices_include_tax:
        return f"incl. tax {tax}"
    return f"Subtotal {Money(priced.amount_minor, basket.currency)} + tax {tax}"


def line_views(basket: Basket) -> list[LineView]:
    """The basket's lines as the table shows them; a line with an override is marked " *"."""
    return [LineView(i, ln.product.name + (" *" if ln.override else ""), ln.quantity,
                     ln.unit_price.format(), ln.total.format())
            for i, ln in enumerate(basket.lines, start=1)]
