"""The returns panel's logic, without widgets (Ctrl+R).

Scan the receipt's barcode or type its number → the sale's lines with what is still refundable.
Up/Down selects, + / - sets how many come back, a reason is chosen, Enter refunds. Scanning a
product instead of a receipt starts (or adds to) a return without a receipt — supervisor needed,
as it is for more than is refundable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from shared.money import Money

from ..returns import ReturnDraft, ReturnService
from ..returns.card_refunds import CardRefundFailed
from ..returns.service import REASON_NAMES
from ..sale import Catalog, SaleError
from .screen_presenter import ScreenPresenter

RECEIPT_NO = re.compile(r"^[A-Za-z0-9]+-[0-9A-Fa-f]{4}-\d{6}$")  # S001-9C2F-000012


@dataclass(frozen=True, slots=True)
class ReturnLineView:
    name: str
    sold: int
    refundable: int
    quantity: int
    price_text: str


@dataclass(slots=True)
class ReturnScreenState:
    mode: str = ""  # "" hidden | return
    receipt_no: str = ""
    lines: list[ReturnLineView] = field(default_factory=list)
    selected: int | None = None  # 1-based
    total_text: str = ""
    needs_supervisor: bool = False
    reasons: list[tuple[str, str]] = field(default_factory=lambda: list(REASON_NAMES.items()))
    message: str = ""
    message_kind: str = "info"
    exchange: bool = False  # taking goods back into the sale in progress (Ctrl+X), not refunding
    in_cash: bool = False  # a card refund failed: Enter now refunds from the drawer


class ReturnPresenter(ScreenPresenter[ReturnScreenState]):
    def __init__(self, service: ReturnService, catalog: Catalog, host: Any) -> None:
        self.service, self._catalog, self._host = service, catalog, host
        super().__init__(ReturnScreenState())
        self.draft: ReturnDraft | None = None
        self._code = ""  # the supervisor code kept while the cashier retries in cash

    def open(self, exchange: bool = False) -> bool:
        """A refund (Ctrl+R, between sales), or goods back into the sale in progress (Ctrl+X)."""
        if self._host.session is None:
            return self._host._fail("Sign in first")
        if not exchange and not self._host.basket.is_empty():
            return self._host._fail("Finish or clear this sale before a return — or Ctrl+X to "
                                    "take goods back in exchange")
        if not self._host._shift_ready():
            return False
        self.draft, self.state.mode, self.state.exchange = None, "return", exchange
        self.state.in_cash, self._code = False, ""
        return self._render("Scan the receipt's barcode or type its number, Enter. No receipt: "
                            "scan the item (supervisor)")

    def find(self, text: str) -> bool:
        text = text.strip()
        try:
            if RECEIPT_NO.match(text):
                self.draft = self.service.find(text)
                self.state.selected = 1
                return self._render(f"Receipt {self.draft.receipt_no}: select a line, + / - to "
                                    "return, choose a reason, Enter")
            product = self._catalog.lookup(text)
        except SaleError as exc:
            return self._render(str(exc), "error")
        if self.draft is None or self.draft.sale_id:
            self.draft = ReturnDraft(product.price.currency)
        self.draft.lines.append(self.service.line_without_receipt(product))
        self.state.selected = len(self.draft.lines)
        return self._render(f"No receipt: {product.name} added — a supervisor must approve")

    def select(self, row: int | None) -> None:
        self.state.selected = row

    def move(self, step: int) -> None:
        if self.draft and self.draft.lines:
            current = self.state.selected or 1
            self.state.selected = min(max(current + step, 1), len(self.draft.lines))
            self._render(self.state.message, self.state.message_kind)

    def change_quantity(self, delta: int) -> bool:
        if self.draft is None or not self.state.selected:
            return self._render("Scan a receipt or an item first", "error")
        line = self.draft.lines[self.state.selected - 1]
        line.quantity = max(0, line.quantity + delta)
        note = " — more than is refundable: a supervisor must approve" if (
            self.draft.sale_id and line.quantity > line.line.refundable) else ""
        return self._render(f"{line.line.name}: {line.quantity} back{note}")

    @property
    def offers_store_credit(self) -> bool:
        return getattr(self._host, "gift_cards", None) is not None

    def submit(self, reason: str, code: str, to_store_credit: bool = False) -> bool:
        if self.draft is None:
            return self._render("Scan a receipt or an item first", "error")
        if self.state.exchange:
            return self._take_back(reason, code)
        cards = self._host.gift_cards if self.offers_store_credit else None
        credit = cards.credit_for_return() if to_store_credit and cards else None
        code = code or self._code  # a supervisor's approval outlives a declined card refund
        try:
            event = self.service.complete(self.draft, reason, self._host.session, code,
                                          store_credit=credit, terminal=self._host._terminal,
                                          in_cash=self.state.in_cash)
        except CardRefundFailed as exc:
            self.state.in_cash, self._code = True, code
            return self._render(str(exc), "error")
        except SaleError as exc:
            return self._render(str(exc), "error")
        self.close()
        if credit is not None:  # a credit note printed, or the customer's account credited
            return self._host._done(cards.credit_issued(event, credit))
        cur = event.currency or self._host.basket.currency
        paid = ", ".join(f"{r.kind} {Money(r.amount_minor, cur)}" for r in event.refunds)
        return self._host._done(f"Refunded {Money(event.total_minor, cur)} ({paid})")

    def _take_back(self, reason: str, code: str) -> bool:
        assert self.draft is not None
        try:
            taken = self.service.prepare(self.draft, reason, self._host.session, code)
        except SaleError as exc:
            return self._render(str(exc), "error")
        self.close()
        return self._host.take_back(taken)

    def close(self) -> None:
        self.draft, self.state.mode, self.state.exchange, self.state.in_cash = None, "", False, False
        self._code = ""
        self._render("")

    def _render(self, message: str, kind: str = "info") -> bool:
        s, d = self.state, self.draft
        s.receipt_no = d.receipt_no if d else ""
        s.lines = [] if d is None else [
            ReturnLineView(x.line.name, x.line.sold, x.line.refundable, x.quantity,
                           Money(x.line.unit_price_minor, d.currency).format()) for x in d.lines]
        s.total_text = "" if d is None else (f"Back in exchange {d.total}" if s.exchange else
                                             f"Refund {d.total}" + (" in cash" if s.in_cash else ""))
        s.needs_supervisor = bool(d and d.overrides_needed())
        s.message, s.message_kind = message, kind
        self._notify()
        return kind != "error"
