"""Printing stored receipts, off the caller's thread, recording the outcome for reprint.

The sale is already committed when printing starts: a printer that is off, out of paper or slow
only leaves `printed_at` NULL and `last_error` set; `retry_failed` (every ~30 s and on F9) prints
those receipts once the printer is back.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

from ..ledger import Ledger
from ..ledger.sales import failed_receipt_ids, mark_print_failed, mark_printed, receipt_row
from .transports import NoPrinter, PrinterError, PrinterTransport

log = logging.getLogger(__name__)
T = TypeVar("T")


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

    def failed_receipts(self) -> list[str]:
        return failed_receipt_ids(self._ledger.connection())


class PrintQueue:
    """One worker thread in front of the printer: receipts, reports and drawer kicks go out in
    order, never interleaved, and never block the UI.

    `last_error` is the latest failure (None once something printed), `problems` what the
    printer itself reported (DLE EOT, through `status_check` when one is given)."""

    def __init__(self, printer: ReceiptPrinter,
                 status_check: Callable[[], list[str]] | None = None) -> None:
        self.printer = printer
        self.status_check = status_check
        self.last_error: str | None = None
        self.problems: list[str] = []
        self._retrying = threading.Lock()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="receipt-printer")

    @property
    def configured(self) -> bool:
        return not isinstance(self.printer.transport, NoPrinter)

    def submit(self, sale_id: str) -> Future[PrintResult]:
        return self._executor.submit(self._print_safely, sale_id)

    def submit_document(self, doc_id: str, data: bytes) -> Future[PrintResult]:
        """Reports and drawer kicks go on the same worker, so they queue behind receipts."""
        return self._executor.submit(self._print_safely, doc_id, data)

    def retry_failed(self, exclude: str | None = None) -> Future[list[PrintResult]] | None:
        """Print again every receipt whose printing failed; skipped with no printer configured
        or while a retry is already queued."""
        if not self.configured or not self._retrying.acquire(blocking=False):
            return None
        return self._executor.submit(self._retry, exclude)

    def run_between_jobs(self, action: Callable[[], T]) -> Future[T]:
        """Run `action` on the printer's worker, between jobs (e.g. a status query)."""
        return self._executor.submit(action)

    def check_status(self) -> Future[None] | None:
        """Ask the printer (DLE EOT) on the worker, between jobs, never during one."""
        if self.status_check is None:
            return None
        return self._executor.submit(self._check_status)

    def _retry(self, exclude: str | None) -> list[PrintResult]:
        try:
            ids = [i for i in self.printer.failed_receipts() if i != exclude]
            results = []
            for sale_id in ids:
                results.append(self._print_safely(sale_id))
                if not results[-1].printed:
                    break  # still failing: the rest wait for the next retry
            return results
        finally:
            self._retrying.release()

    def _check_status(self) -> None:
        try:
            self.problems = self.status_check() if self.status_check else []
        except Exception as exc:  # a printer that does not answer status is not an error
            log.debug("printer status unavailable: %s", exc)
            self.problems = []

    def _print_safely(self, sale_id: str, data: bytes | None = None) -> PrintResult:
        try:
            if data is not None:
                result = self.printer.print_document(sale_id, data)
            else:
                result = self.printer.print_receipt(sale_id)
        except Exception as exc:  # the worker must survive anything one receipt throws
            log.exception("printing receipt %s failed", sale_id)
            result = PrintResult(sale_id, False, str(exc))
        self.last_error = None if result.printed else result.error
        if not result.printed and self.status_check is not None:
            self._check_status()  # say why if the printer can tell (out of paper, cover open)
        elif result.printed and self.problems:
            self._check_status()
        return result

    def close(self) -> None:
        self._executor.shutdown(wait=True)
