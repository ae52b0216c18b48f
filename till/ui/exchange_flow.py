"""Exchanges on the sale screen: Ctrl+X brings lines of an earlier receipt into the sale in
progress as returns (the returns panel in exchange mode: receipt, lines, reason, supervisor when
needed), the basket shows them negative, and paying settles the net — the customer pays the
difference by any tender, or gets it back on the original tender (till.sale.exchange).

A mixin of `SalePresenter` (till.ui.presenter), next to `PaymentFlow`, which asks it for the
amount due and hands it the completion when an exchange is in the basket.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shared.money import Money

from ..receipt.exchange import REASONS
from ..returns.card_refunds import CardRefundFailed
from ..returns.service import TakenBack
from ..sale import SaleError
from ..sale.exchange import ExchangeTotals
from ..sale.tender import TENDER_NAMES
from .sale_screen_state import SIGN_IN_FIRST, LineView

if TYPE_CHECKING:
    from .presenter import SalePresenter


class ExchangeFlow:
    """The return half of an exchange, held on the sale screen until the sale completes."""

    def start_exchange(self: SalePresenter) -> bool:
        if self.session is None:
            return self._fail(SIGN_IN_FIRST)
        if self.returns is None or self._exchanges is None:
            return self._fail("Returns are not set up on this till")
        if self.state.paying:
            return self._fail("Press Esc to stop paying first, then Ctrl+X to bring goods back")
        if self.state.training:
            return self._fail("Exchanges are not practised in training mode — Ctrl+T leaves it")
        if self.exchange is not None:
            return self._fail("This sale already takes goods back — Delete on a returned line "
                              "takes them out, then Ctrl+X again")
        return self.returns.open(exchange=True)

    def take_back(self: SalePresenter, taken: TakenBack) -> bool:
        """The returns panel approved the lines coming back: they join the sale, negative."""
        self.exchange, self._refund_in_cash = taken, False
        items = sum(line.quantity for line in taken.lines)
        total = Money(taken.total_minor, taken.currency)
        nxt = "scan the new items, then F12" if self.basket.is_empty() else "F12 settles the net"
        return self._done(f"{items} item(s) back for {total} — {nxt}", self.state.selected_line)

    def park_sale(self: SalePresenter) -> bool:
        """Ctrl+P. A parked sale keeps only its new items, so an exchange is finished first."""
        if self.exchange is not None:
            return self._fail("An exchange cannot be parked — finish it, or Delete the returned "
                              "lines first")
        return self.parked.park() if self.parked is not None else False

    def drop_exchange(self: SalePresenter) -> bool:
        self.exchange = None
        return self._done("The returned goods are out of this sale — Ctrl+X brings goods back")

    def exchange_totals(self: SalePresenter) -> ExchangeTotals | None:
        if self.exchange is None:
            return None
        return ExchangeTotals(self.basket.total.minor, self.exchange.total_minor)

    def amount_due(self: SalePresenter) -> Money:
        """What the customer pays: the basket, less what comes back in an exchange."""
        totals = self.exchange_totals()
        return self.basket.total if totals is None else Money(totals.due_minor,
                                                              self.basket.currency)

    def returned_views(self: SalePresenter) -> list[LineView]:
        """The returned lines, after the basket's and negative; their rows follow its lines."""
        if self.exchange is None:
            return []
        first, cur = len(self.basket.lines) + 1, self.exchange.currency
        return [LineView(first + i, f"Back: {ln.name} ({REASONS.get(ln.reason, ln.reason)})",
                         -ln.quantity, Money(ln.unit_price_minor, cur).format(),
                         Money(-ln.refund_minor(), cur).format())
                for i, ln in enumerate(self.exchange.lines)]

    def exchange_text(self: SalePresenter) -> str:
        totals = self.exchange_totals()
        if totals is None:
            return ""
        cur = self.basket.currency
        receipt = self.exchange.receipt_no or "no receipt"  # type: ignore[union-attr]
        net = (f"to pay {Money(totals.due_minor, cur)}" if totals.net_minor >= 0
               else f"to refund {Money(totals.refund_minor, cur)}")
        return (f"Exchange: new {Money(totals.sale_minor, cur)} − back "
                f"{Money(totals.returned_minor, cur)} ({receipt}) = {net}")

    def _refund_exchange(self: SalePresenter) -> bool:
        """F12 with more coming back than going out: Enter pays the difference back."""
        return self._complete_exchange([])

    def _complete_exchange(self: SalePresenter, tenders: list) -> bool:
        assert self.exchange is not None and self.session is not None
        try:
            sale = self._exchanges.complete(  # type: ignore[union-attr]
                self.basket, self.exchange, tenders, self.session.name,
                cashier_id=self.session.user_id, terminal=self._terminal,
                customer_id=self.customers.attached_id() if self.customers else "",
                refund_in_cash=self._refund_in_cash)
        except CardRefundFailed as exc:
            self._refund_in_cash = True  # the next Enter gives it back from the drawer
            return self._fail(str(exc))
        except SaleError as exc:
            return self._fail(str(exc))
        block = sale.exchange
        self.exchange, self.payment, self._refund_in_cash = None, None, False
        back = ", ".join(f"{TENDER_NAMES.get(r.kind, r.kind)} {r.amount}" for r in block.refunds) \
            if block else ""
        outcome = f"refunded {back}" if back else f"change {sale.change}"
        self._completed(sale, f"Exchange complete — {outcome}")
        if self.devices is not None and block and any(r.kind == "cash" for r in block.refunds):
            self.devices.open_drawer()  # the cash going back comes out of the drawer
        return True
