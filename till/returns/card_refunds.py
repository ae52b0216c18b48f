"""Refunds to a card or e-wallet go through the payment terminal before anything is committed.

All or nothing: if one terminal refund is declined or gets no answer, the ones already approved
in this go are voided and a clear refusal is raised, so the cashier can choose another tender
and no ledger row says money went back that did not.
"""

from __future__ import annotations

from dataclasses import replace

from shared.money import Money
from shared.override_events import Refund

from ..sale.errors import SaleError
from ..sale.tender import TENDER_NAMES, PaymentTerminal

TERMINAL_KINDS = ("card", "ewallet")  # the tenders a terminal took, so a terminal gives back


class CardRefundFailed(SaleError):
    """The terminal said no (or nothing): nothing was refunded, nothing committed."""


def refund_at_terminal(terminal: PaymentTerminal | None, refunds: list[Refund],
                       currency: str) -> list[Refund]:
    """The refunds with each card/e-wallet one approved at the terminal; its reference becomes
    the terminal's refund reference. Raises CardRefundFailed after voiding any approved.

    Without an integrated terminal (None) the refunds are kept as they are: the cashier keys
    them into a stand-alone card machine, as the sale was.
    """
    if terminal is None:
        return list(refunds)
    done: list[Refund] = []
    for refund in refunds:
        if refund.kind not in TERMINAL_KINDS:
            done.append(refund)
            continue
        amount = Money(refund.amount_minor, currency)
        try:
            result = terminal.refund(refund.kind, amount, refund.reference)
            why = "" if result.approved else f"was declined ({result.message or 'no reason given'})"
        except (TimeoutError, OSError) as exc:
            why = f"got no answer from the terminal ({exc or 'timed out'})"
        if why:
            void_refunds(terminal, done)
            name = TENDER_NAMES.get(refund.kind, refund.kind)
            raise CardRefundFailed(f"{name} refund of {amount} {why} — nothing was refunded. "
                                   "Enter again gives it back in cash instead, Esc cancels")
        done.append(replace(refund, reference=result.reference or refund.reference))
    return done


def void_refunds(terminal: PaymentTerminal | None, refunds: list[Refund]) -> None:
    """Undo approved terminal refunds (the ledger write failed, or a later refund did)."""
    for refund in refunds if terminal is not None else ():
        if refund.kind in TERMINAL_KINDS:
            terminal.void(refund.reference)  # type: ignore[union-attr]


def all_in_cash(refunds: list[Refund]) -> list[Refund]:
    """The same money, all from the drawer: the cashier's choice after a card refund failed."""
    total = sum(r.amount_minor for r in refunds)
    return [Refund("cash", total)] if total else []
