"""The till's configured devices, running: scanners, cash drawer, pole display, printer status.

Built by the composition root from `devices.json`; no Qt here. Every method the sale screen
calls returns at once: device I/O runs on the print queue's worker (printer, drawer kick via
the printer) or on one worker per serial device. A device that fails only changes its state
in the status bar; nothing is raised into the sale.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from .devices import (
    ByteTransport,
    CashDrawer,
    Connection,
    DeviceState,
    PoleDisplay,
    Scan,
    ScannerSource,
    SerialScanner,
    SerialTransport,
    TcpTransport,
    read_printer_status,
)
from .devices.config import DeviceConfig, WedgeConfig
from .devices.drawer import drawer_is_open
from .devices.drawer_watch import DrawerWatch
from .devices.state import StateHolder
from .receipt import NetworkPrinter, PrintQueue

log = logging.getLogger(__name__)
RETRY_SECONDS = 30.0
DRAWER_POLL_SECONDS = 2.0  # how often an open drawer is read until it is shut


class SerialLink:
    """A serial device opened on first use and reopened after a failure, on its own worker."""

    def __init__(self, name: str, transport: ByteTransport,
                 on_open: Callable[[ByteTransport], None] | None = None) -> None:
        self.transport, self._on_open = transport, on_open
        self.state = StateHolder(name)
        self._open = False
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)

    def run(self, action: Callable[[], None]) -> Future[None]:
        return self._executor.submit(self._run, action)

    def _run(self, action: Callable[[], None]) -> None:
        try:
            if not self._open:
                self.transport.open()
                self._open = True
                if self._on_open is not None:
                    self._on_open(self.transport)
            action()
            self.state.set(Connection.CONNECTED)
        except Exception as exc:
            log.warning("%s: %s", self.state.current.device, exc)
            self._close()
            self.state.set(Connection.DISCONNECTED, str(exc) or type(exc).__name__)

    def _close(self) -> None:
        try:
            self.transport.close()
        except Exception:  # already gone
            pass
        self._open = False

    def close(self) -> None:
        self._executor.submit(self._close)
        self._executor.shutdown(wait=True)


class Hardware:
    def __init__(self, config: DeviceConfig, print_queue: PrintQueue, *,
                 scanners: list[ScannerSource] | None = None, retry_seconds: float = RETRY_SECONDS,
                 drawer_poll_seconds: float = DRAWER_POLL_SECONDS) -> None:
        self.config, self.print_queue = config, print_queue
        self.problems = list(config.problems)
        self.scanners = scanners if scanners is not None else self._scanners(config)
        self.display = self._display_link(config)
        self.drawer_link, self._drawer = self._drawer_setup(config)
        self._drawer_state = StateHolder("drawer (via printer)")
        self._drawer_watch = self._watch_for(config)
        self._watcher: threading.Thread | None = None
        self._watch_lock = threading.Lock()
        self.retry_seconds, self.drawer_poll_seconds = retry_seconds, drawer_poll_seconds
        self._stop = threading.Event()
        self._maintenance: threading.Thread | None = None
        self._on_scan: Callable[[Scan], None] | None = None

    @property
    def wedge(self) -> WedgeConfig:
        return self.config.wedge

    # --- life cycle ------------------------------------------------------------------------

    def start(self, on_scan: Callable[[Scan], None]) -> None:
        self._on_scan = on_scan
        for scanner in self.scanners:
            scanner.start(on_scan)
        if self.display is not None:
            self.display.run(lambda: None)  # open it now, so the status bar knows
        self._maintenance = threading.Thread(target=self._maintain, name="printer-retry",
                                             daemon=True)
        self._maintenance.start()

    def stop(self) -> None:
        self._stop.set()
        for scanner in self.scanners:
            scanner.stop()
        for link in (self.display, self.drawer_link):
            if link is not None:
                link.close()
        if self._maintenance is not None:
            self._maintenance.join(2.0)

    def reopen(self, config: DeviceConfig) -> None:
        """Settings saved: close every device, open what `config` lists, same scan listener.
        The print queue's printer is swapped by the caller first (the drawer may use it)."""
        self.stop()
        self.config, self.problems = config, list(config.problems)
        self.scanners = self._scanners(config)
        self.display = self._display_link(config)
        self.drawer_link, self._drawer = self._drawer_setup(config)
        self._drawer_watch = self._watch_for(config)
        self._stop = threading.Event()
        if self._on_scan is not None:
            self.start(self._on_scan)

    def _maintain(self) -> None:
        self.print_queue.check_status()
        while not self._stop.wait(self.retry_seconds):
            self.print_queue.retry_failed()
            self.print_queue.check_status()

    # --- what the sale screen calls --------------------------------------------------------

    def open_drawer(self) -> Future | None:  # type: ignore[type-arg]
        """The kick's future (None: no drawer), for a caller that wants the outcome."""
        if self.drawer_link is not None and self._drawer is not None:
            return self.drawer_link.run(self._drawer.kick)
        if self._drawer is not None:
            kicking = self.print_queue.submit_document("drawer", self._drawer.kick_command)
            kicking.add_done_callback(self._drawer_kicked)
            self._watch_drawer_after_kick()
            return kicking
        return None

    def line_added(self, name: str, price: str, quantity: int = 1) -> None:
        self._show(lambda d: d.show_item(name, price, quantity))

    def paying(self, total: str) -> None:
        self._show(lambda d: d.show_total(total))

    def sale_completed(self, paid: str, change: str, cash: bool) -> None:
        self._show(lambda d: d.show_change(paid, change))
        if cash:
            self.open_drawer()

    def states(self) -> list[DeviceState]:
        out = [self._printer_state()] if self.print_queue.configured else []
        out += [s.state() for s in self.scanners]
        if self._drawer is not None:
            out.append(self._drawer_device_state())
        if self.display is not None:
            out.append(self.display.state.current)
        return out

    # --- helpers ---------------------------------------------------------------------------

    def _show(self, action: Callable[[PoleDisplay], None]) -> None:
        if self.display is not None:
            display = PoleDisplay(self.display.transport)
            self.display.run(lambda: action(display))

    def _drawer_device_state(self) -> DeviceState:
        state = (self.drawer_link.state if self.drawer_link else self._drawer_state).current
        with self._watch_lock:
            warning = self._drawer_watch.warning(time.monotonic()) if self._drawer_watch else ""
        return DeviceState(state.device, Connection.ERROR, warning) if warning else state

    def _watch_for(self, config: DeviceConfig) -> DrawerWatch | None:
        """A printer-wired drawer on a printer that answers status is watched after each kick."""
        network = isinstance(self.print_queue.printer.transport, NetworkPrinter)
        d = config.drawer
        if self._drawer is None or self.drawer_link is not None or not network or d is None:
            return None
        return DrawerWatch(d.warn_open_seconds) if d.warn_open_seconds else None

    def _watch_drawer_after_kick(self) -> None:
        if self._drawer_watch is None:
            return
        with self._watch_lock:
            self._drawer_watch.kicked(time.monotonic())
            if self._watcher is not None and self._watcher.is_alive():
                return
            self._watcher = threading.Thread(target=self._read_drawer_until_shut, name="drawer-watch",
                                             daemon=True)
            self._watcher.start()

    def _read_drawer_until_shut(self) -> None:
        """Reads go through the printer's worker, between receipts, like its status queries."""
        stop, watch = self._stop, self._drawer_watch
        check = printer_drawer_check(self.print_queue.printer.transport)
        while watch is not None and check is not None and not stop.wait(self.drawer_poll_seconds):
            try:
                is_open = self.print_queue.run_between_jobs(check).result(timeout=10)
            except Exception as exc:  # the printer went away: say the state is unknown
                log.debug("drawer state unavailable: %s", exc)
                with self._watch_lock:
                    watch.reading_failed()
                continue
            with self._watch_lock:
                watch.observed(is_open, time.monotonic())
                if not watch.watching:
                    return

    def _drawer_kicked(self, kicking: Future) -> None:  # type: ignore[type-arg]
        result = kicking.result()
        self._drawer_state.set(Connection.CONNECTED if result.printed else Connection.ERROR,
                               "" if result.printed else result.error or "")

    def _printer_state(self) -> DeviceState:
        name = f"printer {self.print_queue.printer.transport!r}"
        problems = self.print_queue.problems
        if problems:
            return DeviceState(name, Connection.ERROR, ", ".join(problems))
        if self.print_queue.last_error:
            return DeviceState(name, Connection.ERROR, self.print_queue.last_error)
        return DeviceState(name, Connection.CONNECTED)

    def _scanners(self, config: DeviceConfig) -> list[ScannerSource]:
        scanners: list[ScannerSource] = [
            SerialScanner(s.port, s.baud, s.terminator.encode("latin-1"), s.prefix, s.suffix)
            for s in config.serial_scanners]
        for h in config.hid_scanners:
            from .devices import HidapiTransport, HidPosScanner

            scanners.append(HidPosScanner(HidapiTransport(h.vendor_id, h.product_id),
                                          f"HID scanner {h.vendor_id:04x}:{h.product_id:04x}"))
        return scanners

    @staticmethod
    def _display_link(config: DeviceConfig) -> SerialLink | None:
        if config.display is None:
            return None
        return SerialLink(f"display {config.display.port}",
                          SerialTransport(config.display.port, config.display.baud),
                          lambda t: PoleDisplay(t).initialise())

    def _drawer_setup(self, config: DeviceConfig) -> tuple[SerialLink | None, CashDrawer | None]:
        d = config.drawer
        if d is None:
            return None, None
        try:
            if d.via == "serial":
                link = SerialLink(f"drawer {d.port}", SerialTransport(d.port, d.baud))
                return link, CashDrawer.serial_triggered(link.transport, d.trigger.encode("latin-1"))
            if not self.print_queue.configured:
                raise ValueError("it opens through the receipt printer, and none is configured")
            return None, CashDrawer(_NoTransport(), pin=d.pin, on_ms=d.on_ms, off_ms=d.off_ms,
                                    unit_ms=d.unit_ms)
        except ValueError as exc:
            self.problems.append(f"devices.json drawer: {exc} — the drawer is off")
            return None, None


class _NoTransport:
    """The printer-wired drawer's bytes go through the print queue, never written directly."""

    def open(self) -> None: ...
    def close(self) -> None: ...
    def write(self, data: bytes) -> None:
        raise RuntimeError("kick through the print queue")
    def read(self, size: int, timeout: float) -> bytes:
        return b""


def printer_drawer_check(printer: object, timeout: float = 0.5) -> Callable[[], bool] | None:
    """Is the drawer on this network printer open? (DLE EOT 1 over its raw port.)"""
    if not isinstance(printer, NetworkPrinter):
        return None

    def check() -> bool:
        transport = TcpTransport(printer.host, printer.port, timeout=2.0)
        transport.open()
        try:
            return drawer_is_open(transport, timeout=timeout)
        finally:
            transport.close()

    return check


def printer_status_check(printer: object, timeout: float = 0.5) -> Callable[[], list[str]] | None:
    """DLE EOT over the network printer's raw port; file printers cannot answer."""
    if not isinstance(printer, NetworkPrinter):
        return None

    def check() -> list[str]:
        transport = TcpTransport(printer.host, printer.port, timeout=2.0)
        transport.open()
        try:
            return read_printer_status(transport, timeout).problems()
        finally:
            transport.close()

    return check
