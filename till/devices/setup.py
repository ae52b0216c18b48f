"""Device setup and diagnostics for the settings screen: read and save devices.json, reopen the
devices without restarting the till, and test each one through the path the sale uses.

No Qt here. Every test returns a `Future[Outcome]` at once; the I/O runs on the print queue's
worker (test page, printer-wired drawer) or on the device's own worker (pole display, serial
drawer), so the screen never waits on a device that is off.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..receipt import PrintQueue, PrintResult, ReceiptLayout
from .config import CustomerScreenConfig, DeviceConfig, load_device_config, parse_device_config
from .pole_display import PoleDisplay
from .printers import open_printer
from .settings_form import Form, form_from_raw, raw_from_form, read_raw, write_raw
from .state import Connection, DeviceState
from .test_page import test_page_bytes

if TYPE_CHECKING:
    from ..hardware import Hardware

log = logging.getLogger(__name__)
DISPLAY_TEST = "TillHQ test"


@dataclass(frozen=True, slots=True)
class Outcome:
    ok: bool
    text: str  # a sentence for the screen


class DeviceSetup:
    """`set_layout` hands the receipt layout (paper width, code page) to the sale; `on_customer_
    screen` reopens the customer display window on the chosen screen (None: none)."""

    def __init__(self, data_dir: Path, hardware: Hardware, print_queue: PrintQueue, *,
                 set_layout: Callable[[ReceiptLayout], None] | None = None,
                 on_customer_screen: Callable[[CustomerScreenConfig | None], None] | None = None,
                 status_check_for: Callable[[Any], Callable[[], list[str]] | None] | None = None,
                 ) -> None:
        self.data_dir, self.hardware, self.print_queue = Path(data_dir), hardware, print_queue
        self._set_layout, self._on_customer_screen = set_layout, on_customer_screen
        self._status_check_for = status_check_for
        self.pending_test_page: bytes | None = None  # a test page the printer did not take

    # --- settings ----------------------------------------------------------------------------

    def form(self) -> Form:
        return form_from_raw(read_raw(self.data_dir))

    def states(self) -> tuple[list[DeviceState], list[str]]:
        return self.hardware.states(), list(self.hardware.problems)

    def save(self, form: Form) -> list[str]:
        """Check, write devices.json, reopen the devices; the errors (nothing saved) or []."""
        raw, errors = raw_from_form(form, read_raw(self.data_dir))
        layout = _layout(raw)
        try:
            layout.check()
        except ValueError as exc:
            errors.append(f"Printer: {exc} — e.g. CP858 (has €), CP437, CP1252")
        if errors:
            return errors
        try:
            write_raw(self.data_dir, raw)
        except OSError as exc:
            return [f"devices.json could not be written ({exc.strerror or exc}) — check the "
                    "data folder's disk and permissions"]
        self.apply(load_device_config(self.data_dir), layout)
        return []

    def apply(self, config: DeviceConfig, layout: ReceiptLayout) -> None:
        printer = open_printer(config.printer.spec)
        self.print_queue.printer.transport = printer  # the next job goes to the new printer
        self.print_queue.status_check = self._status_check_for(printer) if self._status_check_for \
            else None
        self.print_queue.last_error, self.print_queue.problems = None, []
        self.pending_test_page = None  # it shows the old printer's width: a new one is made
        if self._set_layout is not None:
            self._set_layout(layout)
        self.hardware.reopen(config)
        self.show_customer_screen(config.customer_screen)

    def show_customer_screen(self, config: CustomerScreenConfig | None) -> None:
        if self._on_customer_screen is not None:
            self._on_customer_screen(config)

    # --- tests -------------------------------------------------------------------------------

    def print_test_page(self) -> Future[Outcome]:
        """Through the print queue, behind any receipt. A page the printer did not take is kept
        and goes out first the next time (one page, never a pile)."""
        printer = self.print_queue.printer.transport
        page = self.pending_test_page or test_page_bytes(self.hardware.config.printer, repr(printer))
        self.pending_test_page = page
        return _then(self.print_queue.submit_document("test page", page), self._printed)

    def _printed(self, result: PrintResult) -> Outcome:
        if result.printed:
            self.pending_test_page = None
            return Outcome(True, "Test page printed — check the ruler fills one line and the "
                                 "paper was cut")
        return Outcome(False, f"Test page not printed: {result.error}. It is kept — press "
                              "Test again once the printer is on")

    def open_drawer(self) -> Future[Outcome]:
        kicking = self.hardware.open_drawer()
        if kicking is None:
            return _done(Outcome(False, "No cash drawer is set up — choose how it is wired, "
                                        "then Save"))
        return _then(kicking, self._kicked)

    def _kicked(self, result: PrintResult | None) -> Outcome:
        if isinstance(result, PrintResult) and not result.printed:
            return Outcome(False, f"Drawer not opened: {result.error}")
        link = self.hardware.drawer_link
        if link is not None and link.state.current.connection is not Connection.CONNECTED:
            return Outcome(False, f"Drawer not opened: {link.state.current.message}")
        return Outcome(True, "Drawer kick sent — did the drawer open?")

    def test_display(self) -> Future[Outcome]:
        link = self.hardware.display
        if link is None:
            return _done(Outcome(False, "No pole display is set up — type its port, then Save"))
        when = datetime.now().astimezone()
        shown = link.run(lambda: PoleDisplay(link.transport).show(DISPLAY_TEST, f"{when:%H:%M:%S}"))

        def outcome(_: None) -> Outcome:
            state = link.state.current
            if state.connection is Connection.CONNECTED:
                return Outcome(True, f"The pole display should read “{DISPLAY_TEST}”")
            return Outcome(False, f"Pole display not reached: {state.message}")

        return _then(shown, outcome)


def _layout(raw: dict[str, Any]) -> ReceiptLayout:
    printer = parse_device_config(raw).printer
    return ReceiptLayout(printer.chars_per_line, printer.code_page, cut=printer.cut)


def _then(future: Future[Any], step: Callable[[Any], Outcome]) -> Future[Outcome]:
    out: Future[Outcome] = Future()

    def chain(done: Future[Any]) -> None:
        try:
            out.set_result(step(done.result()))
        except Exception as exc:  # a device's surprise is a message, never a crash
            log.warning("device test failed: %s", exc)
            out.set_result(Outcome(False, f"Test failed: {exc}"))

    future.add_done_callback(chain)
    return out


def _done(outcome: Outcome) -> Future[Outcome]:
    out: Future[Outcome] = Future()
    out.set_result(outcome)
    return out
