"""Exchanges: goods brought back and new goods sold in one basket, committed together.

One ledger transaction holds two ordinary facts: the return (ReturnCompleted) and the sale
(SaleCompleted), so HQ applies each as it always does (stock back per reason, stock out). They
are linked by an exchange id carried as the reference of an "exchange" tender on the sale and an
"exchange" refund on the return, for the same amount: the part of the returned value that pays
for the new goods. No schema change: both events already take any tender / refund kind.

  new goods cost more: the customer pays the difference with any tender;
  new goods cost less: the difference goes back to the original tender (card through the
  terminal, before anything is committed), or in cash if the cashier chooses so.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.events import SaleCompleted, Tender
from shared.ids import new_id
from shared.override_events import Refund

from ..ledger import UnitOfWork
from ..receipt.exchange import EXCHANGE, ExchangeBlock
from ..returns.card_refunds import all_in_cash, refund_at_terminal, void_refunds
from ..returns.service import ReturnService, TakenBack
from .basket import Basket
from .errors import SaleError
from .service import CompletedSale, SaleService
from .tender import PaymentTerminal


class ExchangeRefused(SaleError):
    pass


@dataclass(frozen=True, slots=True)
class ExchangeTotals:
    """The two halves of an exchange in minor units, and what they net to."""

    sale_minor: int  # the new goods, tax included
    returned_minor: int  # what the goods brought back are worth

    @property
    def net_minor(self) -> int:
        """Above zero the customer pays it; below zero they get it back."""
        return self.sale_minor - self.returned_minor

    @property
    def credit_minor(self) -> int:
        """The returned value that pays for the new goods: the "exchange" tender and refund."""
        return min(self.sale_minor, self.returned_minor)

    @property
    def due_minor(self) -> int:
        return max(self.net_minor, 0)

    @property
    def refund_minor(self) -> int:
        return max(-self.net_minor, 0)


class ExchangeService:
    def __init__(self, sales: SaleService, returns: ReturnService) -> None:
        self._sales, self._returns = sales, returns

    def refunds(self, taken: TakenBack, totals: ExchangeTotals, exchange_id: str,
                in_cash: bool = False) -> list[Refund]:
        """The return's refunds: the credit carried to the sale, then any money back to the
        original tenders (or all in cash when the cashier chose so)."""
        back = self._returns.refunds_for(taken.sale_id, totals.refund_minor) \
            if totals.refund_minor else []
        if in_cash:
            back = all_in_cash(back)
        credit = [Refund(EXCHANGE, totals.credit_minor, exchange_id)] if totals.credit_minor else []
        return credit + back

    def complete(self, basket: Basket, taken: TakenBack, tenders: list[Tender], cashier: str, *,
                 cashier_id: str = "", customer_id: str = "",
                 terminal: PaymentTerminal | None = None,
                 refund_in_cash: bool = False) -> CompletedSale:
        """`tenders` pay what is due beyond the returned value (none when money goes back).
        Card refunds go through `terminal` first; declined, nothing is committed."""
        if basket.is_empty():
            raise ExchangeRefused("Scan the new items for the exchange — or press Esc and use "
                                  "Ctrl+R for a plain refund")
        totals = ExchangeTotals(basket.total.minor, taken.total_minor)
        exchange_id = new_id()
        refunds = refund_at_terminal(
            terminal, self.refunds(taken, totals, exchange_id, refund_in_cash), basket.currency)
        credit = [Tender(EXCHANGE, totals.credit_minor, exchange_id)] if totals.credit_minor else []

        def write_return(uow: UnitOfWork, sale: SaleCompleted) -> ExchangeBlock:
            event = self._returns.record(uow, taken, refunds)
            return ExchangeBlock.from_return(event, sale.total_minor)

        try:
            return self._sales.complete_sale_with_tenders(
                basket, credit + list(tenders), cashier, cashier_id=cashier_id,
                customer_id=customer_id, taken_back=write_return)
        except BaseException:
            void_refunds(terminal, refunds)  # no card money back without the committed facts
            raise
