"""Queueing a sale's receipt for email: check the address, render, commit one outbox row.

Called after the sale has committed, in its own small transaction: a bad address or a rendering
problem is an error message for the cashier and leaves the sale (and the outbox) untouched.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from shared.ids import new_id

from ..customers import CustomerService
from ..ledger import Ledger
from ..ledger.returns import sale_by_receipt
from ..receipt import Receipt
from .address import check_address
from .compose import compose_receipt
from .records import OutboxRow, emails_for_sale, insert_email, outbox_counts, sale_event

log = logging.getLogger(__name__)


class EmailError(ValueError):
    """Said to the cashier as it is; nothing was queued."""


@dataclass(frozen=True, slots=True)
class QueuedEmail:
    email_id: str
    sale_id: str
    receipt_no: str
    address: str
    subject: str


@dataclass(frozen=True, slots=True)
class OutboxCounts:
    waiting: int  # not sent yet
    failing: int  # of those, tried and not sent (offline, server refused)
    last_error: str | None


class EmailReceipts:
    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger

    def queue(self, sale_id: str, address: str) -> QueuedEmail:
        """Queue the sale's receipt for `address`; InvalidAddress / EmailError say why not."""
        to = check_address(address)
        store = self._ledger.require_store()
        sale = sale_event(self._ledger.connection(), sale_id)
        if sale is None:
            raise EmailError(f"No sale {sale_id} on this till — nothing to email")
        try:
            email = compose_receipt(Receipt.from_sale(sale, store.store_name, store.store_code))
        except Exception as exc:  # a rendering bug is said on screen, never takes the till down
            log.exception("receipt %s could not be rendered for email", sale.receipt_no)
            raise EmailError(f"Receipt {sale.receipt_no} could not be made into an email "
                             f"({exc}) — print it instead (F9)") from exc
        email_id = new_id()
        with self._ledger.transaction() as uow:  # durable: a queued receipt survives a power cut
            insert_email(uow, email_id, sale.sale_id, to, email.subject, email.text, email.html)
        return QueuedEmail(email_id, sale.sale_id, sale.receipt_no, to, email.subject)

    def sale_for_receipt(self, receipt_no: str) -> str:
        """The sale id of a receipt number typed or scanned (any sale kept on this till)."""
        row = sale_by_receipt(self._ledger.connection(), receipt_no)
        if row is None:
            raise EmailError(f"No receipt “{receipt_no.strip()}” on this till — type or scan the "
                             "number printed under the barcode")
        return row["sale_id"]

    def customer_address(self, sale_id: str) -> str:
        """The email of the customer attached to the sale ("" if none, or no email on file)."""
        sale = sale_event(self._ledger.connection(), sale_id)
        if sale is None or not sale.customer_id:
            return ""
        customer = CustomerService(self._ledger).get(sale.customer_id)
        return customer.email if customer else ""

    def counts(self) -> OutboxCounts:
        return OutboxCounts(*outbox_counts(self._ledger.connection()))

    def for_sale(self, sale_id: str) -> list[OutboxRow]:
        """What was queued for the sale, sent or not, oldest first."""
        return emails_for_sale(self._ledger.connection(), sale_id)
