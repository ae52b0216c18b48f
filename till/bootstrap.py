"""The composition root: the only place that opens the ledger, picks the printer and builds the agent."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from .customers import CustomerService
from .devices.config import PrinterConfig, load_device_config
from .devices.printers import open_printer
from .email import EmailReceipts, EmailWorker, load_smtp_settings
from .gift_cards import GiftCardService
from .hardware import RETRY_SECONDS, Hardware, printer_status_check
from .ledger import Ledger
from .ledger.checkpoint import Checkpointer
from .paths import ledger_path
from .receipt import PrintQueue, ReceiptLayout, ReceiptPrinter
from .returns import ReturnService
from .sale import Catalog, SaleService
from .sale.overrides import OverrideService
from .sale.parking import ParkingService
from .sale.tender import PaymentTerminal
from .shift import ShiftService
from .staff import SignIn
from .sync import CredentialFile, SyncAgent, SyncClient, SyncStatus, load_credential
from .sync.enrol import write_store_meta
from .ui.presenter import SalePresenter


@dataclass
class Till:
    data_dir: Path
    ledger: Ledger
    catalog: Catalog
    sales: SaleService
    print_queue: PrintQueue
    agent: SyncAgent | None
    cashier: str | None  # given: starts signed in as this name (tests, demo); None: sign-in screen
    checkpointer: Checkpointer | None = None
    shifts: ShiftService | None = None
    terminal: PaymentTerminal | None = None
    require_shift: bool = True  # the sale screen refuses to sell with no open shift
    hardware: Hardware | None = None  # devices.json's devices; started by the window, not here
    email: EmailReceipts | None = None  # email receipts: queueing (till.email)
    email_worker: EmailWorker | None = None  # their sender thread; started by `run_till`

    def presenter_factory(self) -> SalePresenter:
        store = self.ledger.require_store()
        hw = self.hardware
        overrides = OverrideService(self.ledger, open_drawer=hw.open_drawer if hw else None)
        return SalePresenter(self.catalog, self.sales, store.currency, self.cashier,
                             sign_in=SignIn(self.ledger), shifts=self.shifts,
                             terminal=self.terminal, require_shift=self.require_shift,
                             overrides=overrides, returns=ReturnService(self.ledger, overrides),
                             devices=hw, parking=ParkingService(self.ledger),
                             customers=CustomerService(self.ledger),
                             gift_cards=GiftCardService(self.ledger, overrides, self.print_queue))

    def identity(self) -> str:
        """The status bar's "where" (the window adds who is signed in)."""
        store = self.ledger.require_store()
        return f"{store.store_code} {store.store_name}"

    def status(self) -> SyncStatus | None:
        return self.agent.status() if self.agent else None

    def close(self) -> None:
        if self.agent is not None:
            self.agent.stop()
        if self.email_worker is not None:
            self.email_worker.stop()
        if self.hardware is not None:
            self.hardware.stop()
        self.print_queue.close()
        if self.checkpointer is not None:
            self.checkpointer.stop()
        self.ledger.close()


def build_till(data_dir: Path, printer_spec: str | None = None, *, cashier: str | None = None,
               long_poll_wait: float = 10.0, require_shift: bool | None = None,
               terminal: PaymentTerminal | None = None,
               print_retry_seconds: float = RETRY_SECONDS) -> Till:
    """`printer_spec` given overrides devices.json's printer (`till run --printer`); None takes
    it from devices.json, else no printer. `require_shift` defaults to True for the real till
    (sign-in screen) and to False for a till started already signed in (`cashier` given:
    scripted tests, demo, benchmarks that predate shifts). `terminal`: the card / e-wallet
    terminal; none means cash only."""
    data_dir = Path(data_dir)
    if require_shift is None:
        require_shift = cashier is None
    ledger = Ledger.open(ledger_path(data_dir))
    agent = None
    credential = load_credential(data_dir)
    if credential is not None:
        if ledger.meta("device_id") != credential.device_id:
            write_store_meta(ledger, credential)  # e.g. the ledger file was replaced
        agent = SyncAgent(ledger, SyncClient(credential.hq_url, credential.token),
                          long_poll_wait=long_poll_wait, credentials=CredentialFile(data_dir))
    devices = load_device_config(data_dir)
    printer = _printer(devices.printer, printer_spec, devices.problems)
    print_queue = PrintQueue(ReceiptPrinter(ledger, printer), printer_status_check(printer))
    hardware = Hardware(devices, print_queue, retry_seconds=print_retry_seconds)
    sales = SaleService(ledger, print_queue, on_committed=agent.wake if agent else None,
                        layout=_layout(devices.printer, hardware.problems))
    checkpointer = Checkpointer(ledger)
    checkpointer.start()
    return Till(data_dir, ledger, Catalog(ledger), sales, print_queue, agent, cashier, checkpointer,
                ShiftService(ledger, print_queue), terminal, require_shift, hardware,
                EmailReceipts(ledger), _email_worker(ledger, data_dir, agent, hardware.problems))


def _email_worker(ledger: Ledger, data_dir: Path, agent: SyncAgent | None,
                  problems: list[str]) -> EmailWorker:
    """The email sender; the sync agent's online flag tells it when the network is back."""
    settings, email_problems = load_smtp_settings(data_dir)
    problems.extend(email_problems)
    online = (lambda: agent.status()["online"]) if agent is not None else None
    return EmailWorker(ledger, settings, online=online)


def _printer(config: PrinterConfig, override: str | None, problems: list[str]):  # noqa: ANN202
    """The command line's spec wins; a bad spec in devices.json means no printer, said aloud."""
    if override is not None:
        return open_printer(override)
    try:
        return open_printer(config.spec)
    except ValueError as exc:
        problems.append(f"devices.json printer: {exc} — receipts are kept for reprint")
        return open_printer("none")


def _layout(config: PrinterConfig, problems: list[str]) -> ReceiptLayout:
    layout = ReceiptLayout(config.chars_per_line, config.code_page, cut=config.cut)
    try:
        layout.check()
    except ValueError as exc:
        problems.append(f"devices.json printer: {exc} — using CP858")
        layout = ReceiptLayout(config.chars_per_line, cut=config.cut)
    if config.logo:  # a logo that cannot print is said aloud and left off, never stops receipts
        try:
            layout = replace(layout, logo_path=config.logo, paper_mm=config.paper_mm)
            layout.check()
        except ValueError as exc:
            problems.append(f"devices.json printer: {exc} — receipts print without the logo")
            layout = replace(layout, logo_path="")
    return layout
