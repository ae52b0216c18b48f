"""The composition root: the only place that opens the ledger, picks the printer and builds the agent."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .ledger import Ledger
from .ledger.checkpoint import Checkpointer
from .paths import ledger_path
from .receipt import PrintQueue, ReceiptPrinter, printer_from_spec
from .returns import ReturnService
from .sale import Catalog, SaleService
from .sale.overrides import OverrideService
from .sale.tender import PaymentTerminal
from .shift import ShiftService
from .staff import SignIn
from .sync import SyncAgent, SyncClient, SyncStatus, load_credential
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

    def presenter_factory(self) -> SalePresenter:
        store = self.ledger.require_store()
        overrides = OverrideService(self.ledger)
        return SalePresenter(self.catalog, self.sales, store.currency, self.cashier,
                             sign_in=SignIn(self.ledger), shifts=self.shifts,
                             terminal=self.terminal, require_shift=self.require_shift,
                             overrides=overrides, returns=ReturnService(self.ledger, overrides))

    def identity(self) -> str:
        """The status bar's "where" (the window adds who is signed in)."""
        store = self.ledger.require_store()
        return f"{store.store_code} {store.store_name}"

    def status(self) -> SyncStatus | None:
        return self.agent.status() if self.agent else None

    def close(self) -> None:
        if self.agent is not None:
            self.agent.stop()
        self.print_queue.close()
        if self.checkpointer is not None:
            self.checkpointer.stop()
        self.ledger.close()


def build_till(data_dir: Path, printer_spec: str = "none", *, cashier: str | None = None,
               long_poll_wait: float = 10.0, require_shift: bool | None = None,
               terminal: PaymentTerminal | None = None) -> Till:
    """`require_shift` defaults to True for the real till (sign-in screen) and to False for a
    till started already signed in (`cashier` given: scripted tests, demo, benchmarks that
    predate shifts). `terminal`: the card / e-wallet terminal; none means cash only."""
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
                          long_poll_wait=long_poll_wait)
    print_queue = PrintQueue(ReceiptPrinter(ledger, printer_from_spec(printer_spec)))
    sales = SaleService(ledger, print_queue, on_committed=agent.wake if agent else None)
    checkpointer = Checkpointer(ledger)
    checkpointer.start()
    return Till(data_dir, ledger, Catalog(ledger), sales, print_queue, agent, cashier, checkpointer,
                ShiftService(ledger, print_queue), terminal, require_shift)
