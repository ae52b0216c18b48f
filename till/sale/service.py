"""Completing a sale: one local transaction (journal row + projections), then the receipt.

The order is the product's promise: the sale is a fact once committed; rendering and printing the
receipt come after and can fail without undoing or delaying it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field, replace

from shared.events import SaleCompleted, SaleLine, SaleTax, Tender
from shared.ids import new_id
from shared.journal import JournalEvent
from shared.money import Money
from shared.pricing import PricingRules

from ..customers.loyalty import earn_for_sale, receipt_line
from ..gift_cards.postings import settle_sale as settle_gift_cards
from ..ledger import Ledger, StoreMeta, UnitOfWork
from ..ledger.journal import append_event
from ..ledger.master_data import pricing_rules
from ..ledger.returns import journal_override
from ..ledger.sales import last_sale_id, record_sale, store_receipt
from ..ledger.shifts import open_shift_id
from ..receipt import PrintQueue, PrintResult, Receipt, ReceiptLayout, render_escpos, render_text
from ..receipt.exchange import ExchangeBlock
from .basket import Basket, price_lines
from .errors import EmptyBasket, SaleError, Underpayment
from .tender import Settlement, cash_part_due, settle

# An exchange's return, written in the sale's transaction; gives the receipt's returned block.
TakenBackWriter = Callable[[UnitOfWork, SaleCompleted], ExchangeBlock]

log = logging.getLogger(__name__)


def receipt_number(store_code: str, device_id: str, seq: int) -> str:
    """S001-9C2F-000012: store, the till, and the journal seq.

    The till part is the last 4 hex digits of the device id: UUIDv7's leading digits are a
    timestamp shared by tills enrolled the same month, its trailing ones are random.
    """
    return f"{store_code}-{device_id.replace('-', '')[-4:].upper()}-{seq:06d}"


@dataclass(frozen=True, slots=True)
class CompletedSale:
    sale_id: str
    receipt_no: str
    total: Money
    tendered: Money
    change: Money
    event: JournalEvent
    receipt_text: str
    printing: Future[PrintResult] | None
    tenders: list[Tender] = field(default_factory=list)
    shift_id: str = ""
    rounding: Money | None = None  # the cash rounding taken (None: the sale had none)
    points_earned: int = 0  # loyalty points the attached customer earned (till.customers)
    card_balances: list[str] = field(default_factory=list)  # cards loaded or paid with
    exchange: ExchangeBlock | None = None  # an exchange: the return committed with it


class SaleService:
    def __init__(self, ledger: Ledger, print_queue: PrintQueue | None = None,
                 on_committed: Callable[[], None] | None = None,
                 layout: ReceiptLayout | None = None) -> None:
        self._ledger = ledger
        self._layout = layout or ReceiptLayout()
        self._print_queue = print_queue
        self._on_committed = on_committed  # e.g. wake the sync agent so HQ hears within a second

    def set_layout(self, layout: ReceiptLayout) -> None:
        """The receipt layout for sales from now on (the settings screen changed the paper)."""
        self._layout = layout

    def pricing(self) -> PricingRules:
        """The store's pricing rules now (from HQ's last `store` change): start baskets with it."""
        return pricing_rules(self._ledger.connection())

    def new_basket(self, currency: str | None = None) -> Basket:
        return Basket(currency or self._ledger.require_store().currency, self.pricing())

    def complete_sale(self, basket: Basket, tendered_cash: Money, cashier: str, *,
                      cashier_id: str = "") -> CompletedSale:
        """All in cash (the original API, kept for callers that only take cash)."""
        self._check_payment(basket, tendered_cash)
        return self.complete_sale_with_tenders(basket, [Tender("cash", tendered_cash.minor)],
                                               cashier, cashier_id=cashier_id)

    def complete_sale_with_tenders(self, basket: Basket, tenders: list[Tender], cashier: str, *,
                                   cashier_id: str = "", training: bool = False,
                                   customer_id: str = "",
                                   taken_back: TakenBackWriter | None = None) -> CompletedSale:
        """Complete a sale paid by `tenders` (cash, card, e-wallet); change comes from cash only.

        The sale records the till's open shift, read inside the sale's transaction so a shift
        closing at the same moment cannot miss it. Requiring an open shift is the caller's rule.
        A `training` sale is journaled with training=True: HQ, stock and X/Z reports skip it.
        `customer_id` attaches a customer: the sale records it and the points it earns are posted
        in the same transaction (till.customers.loyalty). `taken_back` writes an exchange's
        return in the same transaction and gives the receipt its block (till.sale.exchange).
        """
        store = self._ledger.require_store()
        if basket.is_empty():
            raise EmptyBasket()
        total = basket.total
        settled = settle(total, tenders, basket.pricing.cash_rounding_minor)
        change = settled.change
        with self._ledger.transaction() as uow:
            receipt_no = receipt_number(store.store_code, store.device_id, uow.next_seq())
            sale = self._sale_event(basket, list(tenders), settled, cashier, store, receipt_no)
            sale = replace(sale, cashier_id=cashier_id, shift_id=open_shift_id(uow.conn),
                           training=training, customer_id=customer_id)
            for override in basket.overrides:  # the approvals go with the sale they authorise
                journal_override(uow, replace(override, sale_id=sale.sale_id))
            event = append_event(uow, sale.TYPE, sale.SCHEMA_VERSION, sale.to_payload())
            record_sale(uow, sale, event.seq)
            points = earn_for_sale(uow, sale)  # the customer's points go with the sale
            cards = settle_gift_cards(uow, sale)  # so do gift card loads and payments
            exchange = taken_back(uow, sale) if taken_back else None  # all or nothing with it
            # Same transaction, so one durable commit (one WAL fsync) per sale, not two.
            text = self._store_receipt(uow, sale, store, self._layout, points, cards, exchange)
        if self._on_committed is not None:
            self._on_committed()
        printing = self._print_queue.submit(sale.sale_id) if self._print_queue else None
        paid = Money(sum(t.amount_minor for t in tenders), total.currency)
        return CompletedSale(sale.sale_id, receipt_no, total, paid, change, event, text, printing,
                             list(tenders), sale.shift_id, settled.rounding, points, cards,
                             exchange)

    def reprint(self, sale_id: str | None = None) -> Future[PrintResult] | None:
        """Print a stored receipt again (the last sale's by default)."""
        sale_id = sale_id or last_sale_id(self._ledger.connection())
        if sale_id is None or self._print_queue is None:
            return None
        self._print_queue.retry_failed(exclude=sale_id)  # F9 also retries receipts left unprinted
        return self._print_queue.submit(sale_id)

    @staticmethod
    def _check_payment(basket: Basket, tendered: Money) -> Money:
        if basket.is_empty():
            raise EmptyBasket()
        total = basket.total
        if tendered.currency != total.currency:
            raise SaleError(f"Cash must be in {total.currency}, got {tendered.currency}")
        due = Money(cash_part_due(total, 0, basket.pricing.cash_rounding_minor), total.currency)
        if tendered < due:
            raise Underpayment(f"Cash {tendered} is less than the total {due} — "
                               f"{due - tendered} more needed")
        return total

    @staticmethod
    def _sale_event(basket: Basket, tenders: list[Tender], settled: Settlement, cashier: str,
                    store: StoreMeta, receipt_no: str) -> SaleCompleted:
        priced = price_lines(basket.lines, basket.pricing)
        lines = [SaleLine(i, ln.product.product_id, ln.product.sku, ln.product.name, ln.quantity,
                          ln.unit_price.minor, ln.total.minor, p.tax_class, p.rate_bp, p.tax_minor)
                 for i, (ln, p) in enumerate(zip(basket.lines, priced.lines, strict=True), start=1)]
        taxes = [SaleTax(t.tax_class, t.rate_bp, t.net_minor, t.tax_minor, t.gross_minor, t.name)
                 for t in priced.breakdown] if priced.taxed else []
        line_overrides = [{**ln.override, "line_no": i}
                          for i, ln in enumerate(basket.lines, start=1) if ln.override]
        return SaleCompleted(
            sale_id=basket.sale_id or new_id(), line_overrides=line_overrides,
            store_id=store.store_id, receipt_no=receipt_no, cashier=cashier,
            currency=basket.currency, lines=lines, total_minor=priced.gross_minor,
            tenders=tenders, change_minor=settled.change.minor,
            completed_at_ms=time.time_ns() // 1_000_000,
            prices_include_tax=priced.prices_include_tax, taxes=taxes,
            rounding_minor=settled.rounding.minor)

    @staticmethod
    def _store_receipt(uow: UnitOfWork, sale: SaleCompleted, store: StoreMeta,
                       layout: ReceiptLayout, points: int = 0,
                       cards: list[str] | None = None,
                       exchange: ExchangeBlock | None = None) -> str:
        """Render and keep the receipt for (re)printing; a rendering bug must not lose the sale.

        Rendering happens before the insert, so a rendering error leaves the transaction clean
        and the sale commits without a stored receipt.
        """
        try:
            receipt = Receipt.from_sale(sale, store.store_name, store.store_code,
                                        receipt_line(uow, sale, points), cards or (), exchange)
            text = render_text(receipt, layout)
            escpos = render_escpos(receipt, layout)
        except Exception:
            log.exception("receipt for sale %s could not be rendered", sale.sale_id)
            return ""
        store_receipt(uow, sale.sale_id, escpos, text)
        return text
