"""Finding, creating and attaching a customer to the sale, without widgets.

Ctrl+L opens the customer screen: typing searches (a name's words by their start, or a phone
number by its digits), Up/Down choose, Enter attaches the customer to the sale, Ctrl+N makes a
new one (prefilled with what was typed), Esc goes back. The attachment belongs to the basket it
was made for: a new sale, a parked or a completed one leaves the next sale without a customer.
While paying, Ctrl+Shift+L (or the "Pay with points" button) spends the customer's points as a
tender, up to what is still due.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from shared.money import Money

from ..customers import Customer, CustomerError, CustomerService
from ..customers.loyalty import POINTS_TENDER, minor_for_points, points_for_minor
from ..customers.service import is_phone_search
from ..sale import SaleError
from .screen_presenter import ScreenPresenter


@dataclass(slots=True)
class CustomerScreenState:
    mode: str = ""  # "" hidden | "search" | "create"
    rows: list[str] = field(default_factory=list)  # "Ann Lee · 0712 345 · 120 points"
    selected: int = 0
    form: tuple[str, str, str] = ("", "", "")  # name, phone, email to start the create form with
    message: str = ""
    message_kind: str = "info"


class CustomerPresenter(ScreenPresenter[CustomerScreenState]):
    """`host` is the SalePresenter: its session, basket and rendering."""

    def __init__(self, service: CustomerService, host: Any) -> None:
        self.service, self._host = service, host
        super().__init__(CustomerScreenState())
        self._found: list[Customer] = []
        self._attached: tuple[Customer, object] | None = None  # (customer, the basket)
        self._query = ""

    # --- the sale's customer ---------------------------------------------------------------------

    def attached(self) -> Customer | None:
        basket = self._host.basket
        if self._attached is not None and self._attached[1] is basket:
            return self._attached[0]
        if not basket.customer_id:
            return None
        # A recalled (parked) basket names its customer: read them back, points as they are now.
        customer = self.service.get(basket.customer_id)
        self._attached = (customer, basket) if customer is not None else None
        return customer

    def attached_id(self) -> str:
        customer = self.attached()
        return customer.customer_id if customer else ""

    def attached_text(self) -> str:
        """The sale screen's line: "Customer Ann Lee · 120 points", or "" with none attached."""
        customer = self.attached()
        return f"Customer {customer.name} · {customer.points} points" if customer else ""

    def detach(self) -> bool:
        customer = self.attached()
        if customer is None:
            return self._host._fail("No customer on this sale")
        if self._points_taken():
            return self._host._fail("Points pay for this sale: cancel the payment first (Esc)")
        self._attached, self._host.basket.customer_id = None, ""
        return self._host._done(f"{customer.name} removed from this sale")

    def redeem(self) -> bool:
        """Pay with the attached customer's points, up to what is still due."""
        host, customer = self._host, self.attached()
        if customer is None:
            return host._fail("Attach the customer first (Ctrl+L), then pay with their points")
        if host.payment is None or not host.state.paying:
            return host._fail("Press F12 to pay first, then pay with points")
        now = self.service.get(customer.customer_id)
        balance = (now.points if now else 0) - points_for_minor(self._points_taken())
        amount = min(minor_for_points(balance), host.payment.remaining.minor)
        if amount <= 0:
            return host._fail(f"{customer.name} has no points to spend ({balance} points)")
        try:
            host.payment.add(POINTS_TENDER, Money(amount, host.basket.currency))
        except SaleError as error:
            return host._fail(str(error))
        if host.payment.is_paid():
            return host._complete()
        return host._done(f"{points_for_minor(amount)} points taken — {host.payment.remaining} "
                          "more needed: cash, F5 card or F6 e-wallet")

    def _points_taken(self) -> int:
        payment = self._host.payment
        return sum(t.amount_minor for t in payment.tenders if t.kind == POINTS_TENDER) \
            if payment is not None else 0

    # --- the customer screen ---------------------------------------------------------------------

    def open(self) -> bool:
        if self._host.session is None:
            return self._host._fail("Sign in first")
        self.state.mode, self._found, self.state.rows, self._query = "search", [], [], ""
        return self._render("Type a name or a phone number; Enter attaches, Ctrl+N new customer")

    def search(self, text: str) -> None:
        self._query = text
        self._found = self.service.search(text)
        self.state.rows = [c.describe() for c in self._found]
        self.state.selected = 0
        if not text.strip():
            self._render("Type a name or a phone number")
        elif self._found:
            self._render(f"{len(self._found)} found — Up/Down choose, Enter attaches")
        else:
            self._render("No customer found — Ctrl+N makes a new one", "error")

    def move(self, step: int) -> None:
        if self._found:
            self.state.selected = min(max(self.state.selected + step, 0), len(self._found) - 1)
            self._render(self.state.message)

    def attach(self, index: int | None = None) -> bool:
        index = self.state.selected if index is None else index
        if not 0 <= index < len(self._found):
            return self._render("Find the customer first, or Ctrl+N to make a new one", "error")
        return self._attach(self._found[index], "attached")

    def new_customer(self) -> bool:
        """The create form, prefilled with what was typed (a phone number or a name)."""
        query = self._query.strip()
        self.state.form = ("", query, "") if is_phone_search(query) else (query, "", "")
        self.state.mode = "create"
        return self._render("Name (required), phone and email, then Enter to save")

    def create(self, name: str, phone: str = "", email: str = "") -> bool:
        host = self._host
        try:
            customer = self.service.create(name, phone, email,
                                           saved_by=host.session.name if host.session else "")
        except CustomerError as error:
            return self._render(str(error), "error")
        return self._attach(customer, "saved and attached")

    def back(self) -> None:
        """Esc: from the form back to the search, from the search back to the sale."""
        if self.state.mode == "create":
            self.state.mode = "search"
            self._render("Type a name or a phone number")
        else:
            self.close()

    def close(self) -> None:
        self.state.mode, self._found, self.state.rows = "", [], []
        self._render("")

    def _attach(self, customer: Customer, done: str) -> bool:
        self.close()
        if self._points_taken() and customer.customer_id != self.attached_id():
            return self._host._fail("Points pay for this sale: cancel the payment first (Esc)")
        self._attached = (customer, self._host.basket)
        self._host.basket.customer_id = customer.customer_id
        return self._host._done(f"{customer.name} {done} — {customer.points} points")
