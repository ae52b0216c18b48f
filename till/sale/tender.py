"""Paying for a sale with one or more tenders: cash, card, e-wallet. No Qt, no I/O.

Only cash gives change: a card or e-wallet tender may pay at most what is still due, so the
drawer never hands out money a card paid in.

Cash rounding (a store setting, e.g. to 0.05): cards pay the exact amount; the part of the bill
left for cash is rounded to the step, halves up, and change is worked out from that rounded
amount. So an all-cash sale settles the rounded total, and a split tender rounds only what cash
pays (shared.pricing.cash_round).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from shared.events import Tender
from shared.money import Money
from shared.pricing import cash_round

from .errors import SaleError, Underpayment

TENDER_NAMES = {"cash": "Cash", "card": "Card", "ewallet": "E-wallet", "points": "Points",
                "gift_card": "Gift card", "store_credit": "Store credit"}
QUICK_CASH_STEPS = (100, 500, 1000, 2000, 5000, 10000)  # round up to 1, 5, 10, 20, 50, 100


class TenderRefused(SaleError):
    pass


@dataclass(frozen=True, slots=True)
class TerminalResult:
    approved: bool
    reference: str = ""
    message: str = ""


class PaymentTerminal(Protocol):
    """A card / e-wallet terminal. Real integrations implement this; tests use the fake."""

    def charge(self, kind: str, amount: Money) -> TerminalResult: ...

    def void(self, reference: str) -> None: ...

    def refund(self, kind: str, amount: Money, reference: str) -> TerminalResult:
        """Money back to the card that paid `reference`; may raise TimeoutError (no answer)."""
        ...


@dataclass
class FakePaymentTerminal:
    """Approves everything, or declines while `decline` is set (with that message).

    Refunds: declined while `decline_refund` is set, no answer (TimeoutError) while `timeout`."""

    decline: str = ""
    charges: list[tuple[str, Money, str]] = field(default_factory=list)
    voided: list[str] = field(default_factory=list)
    decline_refund: str = ""
    timeout: bool = False
    refunds: list[tuple[str, Money, str, str]] = field(default_factory=list)  # + refund's own ref

    def charge(self, kind: str, amount: Money) -> TerminalResult:
        if self.decline:
            return TerminalResult(False, message=self.decline)
        reference = f"{kind.upper()}-{len(self.charges) + 1:04d}"
        self.charges.append((kind, amount, reference))
        return TerminalResult(True, reference)

    def void(self, reference: str) -> None:
        self.voided.append(reference)

    def refund(self, kind: str, amount: Money, reference: str) -> TerminalResult:
        if self.timeout:
            raise TimeoutError("the terminal did not answer")
        if self.decline_refund:
            return TerminalResult(False, message=self.decline_refund)
        own = f"REFUND-{len(self.refunds) + 1:04d}"
        self.refunds.append((kind, amount, reference, own))
        return TerminalResult(True, own)


def quick_cash(due: Money, count: int = 4) -> list[Money]:
    """The next round amounts above what is due (12.30 due: 13, 15, 20, 50)."""
    amounts: list[int] = []
    for step in QUICK_CASH_STEPS:
        rounded = -(-due.minor // step) * step
        if rounded > due.minor and rounded not in amounts:
            amounts.append(rounded)
    return [Money(a, due.currency) for a in sorted(amounts)[:count]]


@dataclass(frozen=True, slots=True)
class Settlement:
    change: Money
    rounding: Money  # cash rounding: rounded cash due - exact cash due (0 without cash)


def _split(tenders: list[Tender]) -> tuple[int, int]:
    cash = sum(t.amount_minor for t in tenders if t.kind == "cash")
    return cash, sum(t.amount_minor for t in tenders) - cash


def cash_part_due(total: Money, non_cash_minor: int, step: int) -> int:
    """What cash must cover once cards have paid `non_cash_minor`: rounded to the step."""
    return cash_round(max(total.minor - non_cash_minor, 0), step).due_minor


def settle(total: Money, tenders: list[Tender], step: int = 1) -> Settlement:
    """Check a full set of tenders against the total: the change and the cash rounding."""
    cash, non_cash = _split(tenders)
    if any(t.amount_minor <= 0 for t in tenders):
        raise TenderRefused("Every tender must be more than zero")
    if non_cash > total.minor:
        raise TenderRefused("Card and e-wallet cannot pay more than the total — only cash "
                            "gives change")
    due = cash_part_due(total, non_cash, step) if cash else total.minor - non_cash
    if cash < due:
        short = Money(due - cash, total.currency)
        raise Underpayment(f"Paid {Money(cash + non_cash, total.currency)} of "
                           f"{Money(due + non_cash, total.currency)} — {short} more needed")
    rounding = due - (total.minor - non_cash) if cash else 0
    return Settlement(Money(cash - due, total.currency), Money(rounding, total.currency))


def change_due(total: Money, tenders: list[Tender], step: int = 1) -> Money:
    """The change the drawer gives back for a full set of tenders."""
    return settle(total, tenders, step).change


class Payment:
    """The tenders taken so far for one basket total; `rounding_step` is the store's cash rounding."""

    def __init__(self, total: Money, rounding_step: int = 1) -> None:
        self.total = total
        self.rounding_step = rounding_step
        self.tenders: list[Tender] = []

    @property
    def paid(self) -> Money:
        return Money(sum(t.amount_minor for t in self.tenders), self.total.currency)

    @property
    def remaining(self) -> Money:
        """Still due, exactly: what a card would pay now."""
        return Money(max(self.total.minor - self.paid.minor, 0), self.total.currency)

    @property
    def cash_due(self) -> Money:
        """Still due if the rest is paid in cash: rounded to the store's step."""
        cash, non_cash = _split(self.tenders)
        due = cash_part_due(self.total, non_cash, self.rounding_step)
        return Money(max(due - cash, 0), self.total.currency)

    @property
    def change(self) -> Money:
        return self._settlement().change if self.is_paid() else Money.zero(self.total.currency)

    @property
    def rounding(self) -> Money:
        return self._settlement().rounding if self.is_paid() else Money.zero(self.total.currency)

    def is_paid(self) -> bool:
        cash, _ = _split(self.tenders)
        return (self.cash_due.minor == 0) if cash else self.paid.minor >= self.total.minor

    def _settlement(self) -> Settlement:
        return settle(self.total, self.tenders, self.rounding_step)

    def add(self, kind: str, amount: Money, reference: str = "") -> Tender:
        if self.is_paid():
            raise TenderRefused("The sale is already paid")
        if amount.minor <= 0:
            raise TenderRefused(f"{TENDER_NAMES.get(kind, kind)} amount must be more than zero")
        if kind != "cash" and amount.minor > self.remaining.minor:
            raise TenderRefused(f"{TENDER_NAMES.get(kind, kind)} cannot pay more than the "
                                f"{self.remaining} still due — only cash gives change")
        tender = Tender(kind, amount.minor, reference)
        self.tenders.append(tender)
        return tender

    def charge(self, terminal: PaymentTerminal | None, kind: str, amount: Money) -> Tender:
        """Card or e-wallet through the terminal; checked before the customer is charged."""
        name = TENDER_NAMES.get(kind, kind)
        if terminal is None:
            raise TenderRefused("No payment terminal is set up on this till — take cash")
        if self.is_paid() or amount.minor <= 0 or amount.minor > self.remaining.minor:
            return self.add(kind, amount)  # raises the same refusal cash would get
        result = terminal.charge(kind, amount)
        if not result.approved:
            raise TenderRefused(f"{name} declined ({result.message or 'no reason given'}) — "
                                "try again or take another tender")
        return self.add(kind, amount, result.reference)

    def card_references(self) -> list[str]:
        return [t.reference for t in self.tenders
                if t.kind not in ("cash", "gift_card", "store_credit") and t.reference]
