"""Returns: the customer brings goods back, with the receipt or without it.

With a receipt the till lists each sale line with what is still refundable (sold minus what this
till's ledger already returned). Without one, or beyond the refundable quantity, a supervisor
approves (merge rule 5: HQ caps refunds chain-wide and raises an over-refund exception). Money goes
back to the original tender by default — card before cash, as the sale was paid — and anything
without one comes out of the drawer as cash. Restocked lines go back on hand; damaged or faulty
goods do not. One transaction: the overrides, the ReturnCompleted event and the projections.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

from shared.ids import new_id
from shared.money import Money
from shared.override_events import (
    NOT_RESTOCKED,
    RETURN_REASONS,
    OverrideRecorded,
    Refund,
    ReturnCompleted,
    ReturnLine,
)

from ..customers.loyalty import settle_return_points
from ..gift_cards.postings import settle_return as settle_return_cards
from ..gift_cards.service import StoreCredit
from ..ledger import Ledger, UnitOfWork
from ..ledger.journal import append_event
from ..ledger.master_data import pricing_rules
from ..ledger.returns import (
    RefundableLine,
    journal_override,
    record_return,
    refundable_lines,
    refunded_by_kind,
    sale_by_receipt,
    sale_change,
    sale_tenders,
)
from ..ledger.shifts import open_shift_id
from ..receipt.exchange import EXCHANGE
from ..sale.errors import SaleError
from ..sale.overrides import OverrideService
from ..sale.product import Product
from ..sale.tender import PaymentTerminal
from ..staff.sign_in import Session
from .card_refunds import all_in_cash, refund_at_terminal, void_refunds

REASON_NAMES = {"damaged": "Damaged", "wrong_item": "Wrong item", "changed_mind": "Changed mind",
                "faulty": "Faulty"}


class ReturnRefused(SaleError):
    pass


@dataclass(frozen=True, slots=True)
class TakenBack:
    """A return checked (reason, supervisor) but not yet written: a plain return writes it at
    once, an exchange with the sale it pays towards (till.sale.exchange)."""

    sale_id: str  # the original sale ("" without a receipt)
    receipt_no: str
    currency: str
    lines: list[ReturnLine]
    total_minor: int
    cashier: Session
    approved_by: str = ""
    overrides: list[OverrideRecorded] = field(default_factory=list)


@dataclass(slots=True)
class ReturnLineDraft:
    line: RefundableLine  # for a line without receipt: sold = returned = 0, line_no = 0
    quantity: int = 0


@dataclass(slots=True)
class ReturnDraft:
    currency: str
    sale_id: str = ""
    receipt_no: str = ""
    lines: list[ReturnLineDraft] = field(default_factory=list)

    @property
    def total(self) -> Money:
        """What goes back to the customer: the units at their price, plus their tax where the
        store's prices exclude it."""
        return Money(sum(d.line.unit_price_minor * d.quantity + d.line.tax_back(d.quantity)
                         for d in self.lines), self.currency)

    def picked(self) -> list[ReturnLineDraft]:
        return [d for d in self.lines if d.quantity > 0]

    def overrides_needed(self) -> list[str]:
        if not self.picked():
            return []
        if not self.sale_id:
            return ["refund_without_receipt"]
        if any(d.quantity > d.line.refundable for d in self.picked()):
            return ["refund_beyond_sold"]
        return []


class ReturnService:
    def __init__(self, ledger: Ledger, overrides: OverrideService) -> None:
        self._ledger, self._overrides = ledger, overrides

    def find(self, receipt_no: str) -> ReturnDraft:
        conn = self._ledger.connection()
        sale = sale_by_receipt(conn, receipt_no)
        if sale is None:
            raise ReturnRefused(f"No sale with receipt {receipt_no.strip()} on this till — check "
                                "the number, or return without a receipt (supervisor)")
        lines = [ReturnLineDraft(line) for line in refundable_lines(conn, sale["sale_id"])]
        return ReturnDraft(sale["currency"], sale["sale_id"], sale["receipt_no"], lines)

    def line_without_receipt(self, product: Product) -> ReturnLineDraft:
        """One unit of `product` back without a receipt, at today's price (and, where prices
        exclude tax, today's rate for its tax class)."""
        rules = pricing_rules(self._ledger.connection())
        rate = 0 if rules.prices_include_tax else rules.rate_for(product.tax_class).rate_bp
        return ReturnLineDraft(RefundableLine(0, product.product_id, product.sku, product.name, 0, 0,
                                              product.price.minor, tax_rate_bp=rate), 1)

    def complete(self, draft: ReturnDraft, reason: str, who: Session,
                 code: str = "", store_credit: StoreCredit | None = None, *,
                 terminal: PaymentTerminal | None = None, in_cash: bool = False) -> ReturnCompleted:
        """`store_credit`: refund it all onto that card (a credit note or the customer's
        account) instead of the original tenders. `terminal`: card and e-wallet refunds go
        through it first (till.returns.card_refunds); declined, nothing is committed. `in_cash`:
        the cashier chose the drawer instead of the original tenders (after a decline)."""
        taken = self.prepare(draft, reason, who, code)
        total = taken.total_minor
        refunds = [store_credit.refund(total)] if store_credit else self._refunds(draft, total)
        if in_cash and not store_credit:
            refunds = all_in_cash(refunds)
        refunds = refund_at_terminal(terminal, refunds, draft.currency)
        try:
            with self._ledger.transaction() as uow:
                return self.record(uow, taken, refunds,
                                   store_credit.customer_id if store_credit else "")
        except BaseException:
            void_refunds(terminal, refunds)  # the card money must not go back without the fact
            raise

    def prepare(self, draft: ReturnDraft, reason: str, who: Session, code: str = "") -> TakenBack:
        """Check the return and get the supervisor's approval it needs; nothing is written yet."""
        picked = draft.picked()
        if not picked:
            raise ReturnRefused("Choose what comes back: select a line and press + ")
        if reason not in RETURN_REASONS:
            raise ReturnRefused("Choose a reason: damaged, wrong item, changed mind or faulty")
        needed = draft.overrides_needed()
        if needed and not code.strip():
            what = "without a receipt" if needed[0] == "refund_without_receipt" else \
                "beyond what was sold"
            raise ReturnRefused(f"A refund {what} needs a supervisor's PIN or badge")
        approver = self._overrides.approve(code) if needed else None
        lines = [ReturnLine(d.line.product_id, d.line.sku, d.line.name, d.quantity,
                            d.line.unit_price_minor, d.line.unit_price_minor * d.quantity, reason,
                            reason not in NOT_RESTOCKED, d.line.line_no, d.line.tax_back(d.quantity))
                 for d in picked]
        total = draft.total.minor
        overrides: list[OverrideRecorded] = [self._overrides.event(
            action, who, approver, before=str(draft.receipt_no), after=str(total), reason=reason,
            sale_id=draft.sale_id) for action in needed] if approver else []
        return TakenBack(draft.sale_id, draft.receipt_no, draft.currency, lines, total, who,
                         approver.name if approver else "", overrides)

    def record(self, uow: UnitOfWork, taken: TakenBack, refunds: list[Refund],
               credit_customer_id: str = "") -> ReturnCompleted:
        """Journal and project a prepared return in the caller's transaction (a plain return's
        own, or an exchange's together with its sale)."""
        store = self._ledger.require_store()
        who = taken.cashier
        event = ReturnCompleted(
            new_id(), store.store_id, taken.sale_id, taken.receipt_no, taken.lines,
            taken.total_minor, refunds, open_shift_id(uow.conn), who.name, taken.approved_by,
            taken.currency, who.user_id, time.time_ns() // 1_000_000,
            [o.override_id for o in taken.overrides])
        for override in taken.overrides:
            journal_override(uow, replace(override))
        sealed = append_event(uow, event.TYPE, event.SCHEMA_VERSION, event.to_payload())
        record_return(uow, event, sealed.seq)
        settle_return_points(uow, event)  # the customer's points follow the money
        settle_return_cards(uow, event, credit_customer_id)
        return event

    def _refunds(self, draft: ReturnDraft, total: int) -> list[Refund]:
        return self.refunds_for(draft.sale_id, total)

    def refunds_for(self, sale_id: str, total: int) -> list[Refund]:
        """Back to the original tenders, non-cash first; what they cannot take is cash."""
        refunds: list[Refund] = []
        if sale_id:
            conn = self._ledger.connection()
            already = refunded_by_kind(conn, sale_id)
            tenders = sale_tenders(conn, sale_id)
            change = sale_change(conn, sale_id)
            # An exchange's credit (kind "exchange") was no money paid in: its part comes as cash.
            tenders = [t for t in tenders if t["kind"] != EXCHANGE]
            for t in sorted(tenders, key=lambda t: t["kind"] == "cash"):
                room = t["amount_minor"] - (change if t["kind"] == "cash" else 0)
                room -= already.get(t["kind"], 0)
                already[t["kind"]] = max(already.get(t["kind"], 0) - t["amount_minor"], 0)
                amount = min(max(room, 0), total - sum(r.amount_minor for r in refunds))
                if amount > 0:
                    refunds.append(Refund(t["kind"], amount, t["reference"]))
        rest = total - sum(r.amount_minor for r in refunds)
        if rest > 0:
            refunds.append(Refund("cash", rest))
        return _merge_cash(refunds)


def _merge_cash(refunds: list[Refund]) -> list[Refund]:
    cash = sum(r.amount_minor for r in refunds if r.kind == "cash")
    others = [r for r in refunds if r.kind != "cash"]
    return others + ([Refund("cash", cash)] if cash else [])
