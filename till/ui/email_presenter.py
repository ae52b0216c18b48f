"""Emailing a receipt, without widgets (Ctrl+E from the sale screen).

Opens on the last sale's receipt, with the address prefilled from the customer attached to that
sale; any earlier receipt of this till is emailed by typing or scanning its number. Queueing is a
small local write after the sale committed: a bad address is said here, on the panel, and nothing
is queued; the sale is never touched. `status_text()` is the status bar's "emails waiting".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..email import EmailError, EmailReceipts, EmailWorker, InvalidAddress
from .screen_presenter import ScreenPresenter


@dataclass(slots=True)
class EmailScreenState:
    mode: str = ""  # "" hidden | "ask"
    receipt_no: str = ""
    address: str = ""
    form_version: int = 0  # a new form: the view refills its fields from the two above
    message: str = ""
    message_kind: str = "info"


class EmailReceiptPresenter(ScreenPresenter[EmailScreenState]):
    """`host` is the SalePresenter: its session, last sale, and messages on the sale screen."""

    def __init__(self, receipts: EmailReceipts, host: Any, worker: EmailWorker | None = None) -> None:
        self.receipts, self._host, self.worker = receipts, host, worker
        super().__init__(EmailScreenState())

    # --- intents -------------------------------------------------------------------------------

    def open(self) -> bool:
        if self._host.session is None:
            return self._host._fail("Sign in first")
        if self._host.state.paying:
            return self._host._fail("Finish the payment first — the receipt can be emailed after")
        sale = self._host.last_sale
        receipt_no = sale.receipt_no if sale else ""
        address = self.receipts.customer_address(sale.sale_id) if sale else ""
        self.state.mode, self.state.receipt_no, self.state.address = "ask", receipt_no, address
        self.state.form_version += 1
        hint = ("Check the address and press Enter to send" if address else
                "Type the customer's email address and press Enter")
        return self._render(hint if receipt_no else "Type or scan the receipt number, then the "
                            "customer's email address, and press Enter")

    def edit(self, receipt_no: str, address: str) -> None:
        """The fields as typed (the view forwards each change)."""
        self.state.receipt_no, self.state.address = receipt_no, address

    def scanned(self, code: str) -> bool:
        """A scan while the panel is open is a receipt's barcode (it never sells); True: taken."""
        if not self.state.mode:
            return False
        self.state.receipt_no = code.strip()
        self.state.form_version += 1
        try:
            sale_id = self._sale_id(code)
        except EmailError as exc:
            self._render(str(exc), "error")
            return True
        if not self.state.address.strip():
            self.state.address = self.receipts.customer_address(sale_id)
        self._render(f"Receipt {self.state.receipt_no} — check the address and press Enter")
        return True

    def submit(self, receipt_no: str, address: str) -> bool:
        """Queue the receipt; the panel closes and the sale screen says so, or the panel says why not."""
        self.state.receipt_no, self.state.address = receipt_no, address
        try:
            sale_id = self._sale_id(receipt_no)
            queued = self.receipts.queue(sale_id, address)
        except (InvalidAddress, EmailError) as exc:
            return self._render(f"{exc} — nothing was sent", "error")
        if self.worker is not None:
            self.worker.send_now()
        self.close()
        when = ("it goes out within seconds" if self._configured() else
                "it waits until a supervisor sets up the mail server (Ctrl+Shift+E)")
        return self._host._done(f"Receipt {queued.receipt_no} queued for {queued.address} — {when}")

    def close(self) -> None:
        self.state.mode = ""
        self._render("")

    def status_text(self) -> str:
        """"" with nothing waiting; else how many, and why they wait."""
        counts = self.receipts.counts()
        if not counts.waiting:
            return ""
        text = f"✉ {counts.waiting} email{'s' if counts.waiting != 1 else ''} waiting"
        if not self._configured():
            return f"{text} — no mail server set up (Ctrl+Shift+E)"
        error = (self.worker.last_error if self.worker else None) or counts.last_error
        return f"{text} — {error}" if counts.failing and error else text

    # --- helpers -------------------------------------------------------------------------------

    def _sale_id(self, receipt_no: str) -> str:
        sale = self._host.last_sale
        if sale is not None and receipt_no.strip() == sale.receipt_no:
            return sale.sale_id  # also a training sale, which the receipt search leaves out
        if not receipt_no.strip():
            raise EmailError("Type or scan the receipt number first")
        return self.receipts.sale_for_receipt(receipt_no)

    def _configured(self) -> bool:
        return self.worker is not None and self.worker.settings.configured
