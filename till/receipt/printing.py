"""Printing stored receipts, off the caller's thread, recording the outcome for reprint.

The sale is already committed when printing starts: a printer that is off, out of paper or slow
only leaves `printed_at` NULL and `last_error` set, and the cashier can reprint later.
"""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from ..ledger import Ledger
from ..ledger.sales import mark_print_failed, mark_printed, receipt_row
from .transports import PrinterError, PrinterTransport

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PrintResult:
    sale_id: str
    printed: bool
    error: str | None = None


class ReceiptPrinter:
    """Sends a sale's stored receipt bytes to the printer and records what happened."""

    def __init__(self, ledger: Ledger, transport: PrinterTransport) -> None:
        self._ledger = ledger
        self.transport = transport

    def print_receipt(self, sale_id: str) -> PrintResult:
        row = receipt_row(self._ledger.connection(), sale_id)
        if row is None:
            return PrintResult(sale_id, False, f"no stored receipt for sale {sale_id}")
        try:
            self.transport.send(bytes(row["escpos"]))
        except PrinterError as exc:
            log.warning("receipt %s not printed: %s", sale_id, exc)
            with self._ledger.transaction(durable=False) as uow:  # reprint status, not a fact
                mark_print_failed(uow, sale_id, str(exc))
            return PrintResult(sale_id, False, str(exc))
        with self._ledger.transaction(durable=False) as uow:
            mark_printed(uow, sale_id)
        return PrintResult(sale_id, True)


    def print_document(self, doc_id: str, data: bytes) -> PrintResult:
        """Send bytes kept elsewhere (a Z report lives on its shift row); no status bookkeeping."""
        try:
            self.transport.send(data)
        except PrinterError as exc:
            log.warning("document %s not printed: %s", doc_id, exc)
            return PrintResult(doc_id, False, str(exc))
        return PrintResult(doc_id, True)


class PrintQueue:
    """One worker thread in front of the printer: receipts print in order and never block the UI."""

    def __init__(self, printer: ReceiptPrinter) -> None:
        self.printer = printer
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="receipt-printer")

    def submit(self, sale_id: str) -> Future[PrintResult]:
        return self._executor.submit(self._print_safely, sale_id)

    def submit_document(self, doc_id: str, data: bytes) -> Future[PrintResult]:
        """Reports print on the same worker, so they queue behind receipts, never interleave."""
        return self._executor.submit(self._print_safely, doc_id, data)

    def _print_safely(self, sale_id: str, data: bytes | None = None) -> PrintResult:
        try:
            if data is not None:
                return self.printer.print_document(sale_id, data)
            return self.printer.print_receipt(sale_id)
        except Exception as exc:  # the worker must survive anything one receipt throws
            log.exception("printing receipt %s failed", sale_id)
            return PrintResult(sale_id, False, str(exc))

    def close(self) -> None:
        self._executor.shutdown(wait=True)
