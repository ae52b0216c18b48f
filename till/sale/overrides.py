"""Actions that need a supervisor: price override, big discount, void after totalling, no-sale,
cancel a sale in payment. No Qt.

Each asks `SupervisorApproval` first; a refusal changes nothing and records nothing. The
`OverrideRecorded` event goes with the fact it authorises: price and discount overrides wait on
the basket and are journaled in the sale's transaction; a void, a cancel or a no-sale leaves no
other fact, so its override is journaled alone, at once.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from shared.ids import new_id
from shared.money import Money, MoneyError
from shared.override_events import OverrideRecorded

from ..ledger import Ledger
from ..ledger.returns import journal_override
from ..staff.approval import ApprovalRefused, Approver, SupervisorApproval
from ..staff.sign_in import Session
from .basket import Basket
from .errors import SaleError


class OverrideRefused(SaleError):
    """Shown to the cashier as is; nothing was changed or recorded."""


def _ms() -> int:
    return time.time_ns() // 1_000_000


def parse_discount(text: str, price: Money) -> tuple[Money, int]:
    """ "10%" or "2.00" off each unit → (new unit price, discount in basis points of the price)."""
    text = text.strip()
    try:
        if text.endswith("%"):
            bp = int(Decimal(text[:-1].strip().replace(",", ".")) * 100)
            off = price.minor * bp // 10000
        else:
            off = Money.parse(text, price.currency).minor
            bp = -(-off * 10000 // price.minor) if price.minor else 10000
    except (InvalidOperation, MoneyError, ValueError):
        raise OverrideRefused(f"“{text}” is not a discount — type 10% or an amount like 2.00") from None
    if off <= 0 or off > price.minor:
        raise OverrideRefused(f"A discount must be more than 0 and at most {price}")
    return Money(price.minor - off, price.currency), bp


class OverrideService:
    def __init__(self, ledger: Ledger, approval: SupervisorApproval | None = None,
                 open_drawer: Callable[[], None] | None = None) -> None:
        self._ledger = ledger
        self.approval = approval or SupervisorApproval(ledger)
        self._open_drawer = open_drawer  # the cash drawer kick, when a drawer is set up

    def approve(self, code: str) -> Approver:
        try:
            return self.approval.approve(code)
        except ApprovalRefused as exc:
            raise OverrideRefused(str(exc)) from None

    def event(self, action: str, who: Session, approver: Approver, *, before: str = "",
              after: str = "", reason: str = "", sale_id: str = "") -> OverrideRecorded:
        store = self._ledger.require_store()
        return OverrideRecorded(new_id(), store.store_id, action, who.name, approver.name, before,
                                after, reason, sale_id, who.user_id, approver.user_id, _ms())

    def record_alone(self, event: OverrideRecorded) -> OverrideRecorded:
        with self._ledger.transaction() as uow:
            journal_override(uow, event)
        return event

    # --- the actions -------------------------------------------------------------------------

    def price_override(self, basket: Basket, line_no: int, price_text: str, reason: str,
                       who: Session, code: str) -> Money:
        line = basket.line(line_no)
        try:
            price = Money.parse(price_text, basket.currency)
        except MoneyError:
            raise OverrideRefused(f"“{price_text}” is not a price — e.g. 1.99") from None
        if price.minor < 0:
            raise OverrideRefused("A price cannot be below zero")
        if not reason.strip():
            raise OverrideRefused("A price override needs a reason (e.g. shelf label price)")
        approver = self.approve(code)
        self._set_price(basket, line_no, price, "price_override", reason, who, approver)
        return line.unit_price

    def discount(self, basket: Basket, line_no: int, text: str, reason: str, who: Session,
                 code: str) -> Money:
        """Within the cashier's max_discount_bp no approval is asked (nor an override recorded)."""
        line = basket.line(line_no)
        price, bp = parse_discount(text, line.product.price)
        if not reason.strip():
            raise OverrideRefused("A discount needs a reason (e.g. damaged packaging)")
        if bp <= who.max_discount_bp:
            line.price_override = price
            line.override = {"kind": "discount", "original_unit_price_minor":
                             line.product.price.minor, "approved_by": "", "override_id": "",
                             "reason": reason.strip()}
            return price
        if not code.strip():
            raise OverrideRefused(f"A discount of {bp / 100:g}% is over your limit of "
                                  f"{who.max_discount_bp / 100:g}% — a supervisor must approve")
        self._set_price(basket, line_no, price, "discount", reason, who, self.approve(code))
        return price

    def void_line(self, basket: Basket, line_no: int, who: Session, code: str) -> str:
        line = basket.line(line_no)
        approver = self.approve(code)
        self.record_alone(self.event(
            "void_line", who, approver, before=f"{line.quantity} x {line.product.sku} "
            f"@ {line.unit_price.minor}", after="", reason="void after total",
            sale_id=self._sale_id(basket)))
        basket.remove_line(line_no)
        return line.product.name

    def cancel_sale(self, basket: Basket, who: Session, code: str) -> None:
        approver = self.approve(code)
        self.record_alone(self.event("cancel_sale", who, approver, before=str(basket.total.minor),
                                     after="0", reason="sale cancelled in payment",
                                     sale_id=self._sale_id(basket)))

    def no_sale(self, who: Session, code: str, reason: str = "") -> OverrideRecorded:
        approver = self.approve(code)
        event = self.record_alone(self.event("no_sale", who, approver,
                                             reason=reason.strip() or "no sale"))
        if self._open_drawer is not None:
            self._open_drawer()
        return event

    # --- helpers -----------------------------------------------------------------------------

    @staticmethod
    def _sale_id(basket: Basket) -> str:
        basket.sale_id = basket.sale_id or new_id()
        return basket.sale_id

    def _set_price(self, basket: Basket, line_no: int, price: Money, action: str, reason: str,
                   who: Session, approver: Approver) -> None:
        line = basket.line(line_no)
        event = self.event(action, who, approver, before=str(line.product.price.minor),
                           after=str(price.minor), reason=reason.strip(),
                           sale_id=self._sale_id(basket))
        basket.overrides.append(event)
        line.price_override = price
        line.override = {"kind": action, "original_unit_price_minor": line.product.price.minor,
                         "approved_by": approver.name, "approved_by_id": approver.user_id,
                         "override_id": event.override_id, "reason": reason.strip()}
