"""Running the till window: build everything, start the agent and devices, run Qt, tidy up."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

from ..bootstrap import Till, build_till
from ..devices import KeyboardWedgeDetector
from ..devices.setup import DeviceSetup
from ..hardware import printer_status_check
from .background import Worker
from .customer_display_view import CustomerScreen
from .email_presenter import EmailReceiptPresenter
from .email_settings_presenter import EmailSettingsPresenter
from .main_window import MainWindow
from .qt import QApplication, QTimer
from .scanning import ScanBridge, WedgeFilter
from .settings_presenter import SettingsPresenter


def run_till(data_dir: Path, printer_spec: str | None = None) -> int:
    till = build_till(data_dir, printer_spec)
    if till.ledger.store() is None:
        till.close()
        print(f"this till is not enrolled (data folder {data_dir}) — run "
              "`till enrol --hq URL --code CODE` first", file=sys.stderr)
        return 2
    for problem in till.hardware.problems if till.hardware else []:
        print(f"devices: {problem}", file=sys.stderr)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    # Ctrl-C or a service manager's SIGTERM closes the window the normal way, so `till.close()`
    # below stops the agent and the ledger. (Python runs the handler on the window's status
    # timer tick, at most half a second later.) The quit is queued: a signal that lands before
    # the event loop runs would otherwise be lost, as quit() outside exec() does nothing.
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: QTimer.singleShot(0, app.quit))
    window = None
    try:
        window = open_window(till, app)
        if till.agent is not None:
            till.agent.start()
        if till.email_worker is not None:
            till.email_worker.start()
        window.showMaximized()
        QTimer.singleShot(0, lambda: print("till ready", file=sys.stderr, flush=True))  # loop running
        return app.exec()
    finally:
        if window is not None:
            close_window(window, app)
        till.close()


def open_window(till: Till, app: QApplication) -> MainWindow:
    """The sale window with the devices connected: wedge filter, scanner threads, status bar."""
    hardware = till.hardware
    status = (lambda: (hardware.states(), hardware.problems)) if hardware else None
    window = MainWindow(till.presenter_factory(), till.status, till.identity(), status)
    if till.email is not None and till.email_worker is not None:  # Ctrl+E, Ctrl+Shift+E
        window.add_email(EmailReceiptPresenter(till.email, window.presenter, till.email_worker),
                         EmailSettingsPresenter(till.data_dir, till.email_worker, window.presenter))
    if window.presenter.sign_in is not None:  # argon2 PIN checks off the UI thread
        window.presenter.sign_in.runner = window.worker = Worker(window)
    if hardware is not None:
        w = hardware.wedge
        detector = KeyboardWedgeDetector(w.terminator, min_chars=w.min_chars,
                                         max_avg_ms=w.max_avg_ms, max_gap_ms=w.max_gap_ms)
        window.wedge_filter = WedgeFilter(detector, window.scan_from_device, parent=window)
        window.wedge_filter.install(app)
        window.scan_bridge = ScanBridge(window.scan_from_device)
        hardware.start(window.scan_bridge.deliver)
        window.customer_screen = CustomerScreen(window.presenter)
        setup = device_setup(till, window.customer_screen)
        window.add_settings(SettingsPresenter(setup, window.presenter))
        setup.show_customer_screen(hardware.config.customer_screen)
    return window


def device_setup(till: Till, customer_screen: CustomerScreen) -> DeviceSetup:
    """The settings screen's service: Save reopens the devices, the layout and the second screen."""
    hardware = till.hardware
    assert hardware is not None

    def show_customer_screen(config: object) -> None:
        customer_screen.apply(config)  # type: ignore[arg-type]
        if customer_screen.problem:
            hardware.problems.append(customer_screen.problem)

    return DeviceSetup(till.data_dir, hardware, till.print_queue,
                       set_layout=till.sales.set_layout,
                       on_customer_screen=show_customer_screen,
                       status_check_for=printer_status_check)


def close_window(window: MainWindow, app: QApplication) -> None:
    """The key filter is application-wide: it must not outlive its window."""
    wedge = getattr(window, "wedge_filter", None)
    if wedge is not None:
        app.removeEventFilter(wedge)
    if getattr(window, "customer_screen", None) is not None:
        window.customer_screen.close()
    if getattr(window, "worker", None) is not None:
        window.worker.shutdown()
    window.close()
