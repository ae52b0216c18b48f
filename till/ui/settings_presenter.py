"""The device settings screen's logic, without widgets (Ctrl+F10 from the sale screen).

Only a supervisor or manager opens it, between sales. It lists each device with its live state,
edits devices.json as a form (Save checks it, writes it and reopens the devices), and tests each
device through the sale's own path. Tests run off the UI thread; `tick()` (the view's timer)
collects their outcomes, refreshes the states and ends a "wait for a scan" after its time.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

from ..devices.settings_form import Form, scanner_rows
from ..devices.setup import DeviceSetup, Outcome
from .screen_presenter import ScreenPresenter
from .status_text import device_status_text

ROLES = ("supervisor", "manager")
SCAN_WAIT_SECONDS = 15.0
STARTED = {"printer": "Printing a test page…", "drawer": "Opening the drawer…",
           "display": "Showing “TillHQ test” on the pole display…"}


@dataclass(slots=True)
class SettingsScreenState:
    mode: str = ""  # "" hidden | "settings"
    form: Form = field(default_factory=dict)
    scanner_rows: list[int] = field(default_factory=list)
    form_version: int = 0  # a new form (opened, saved): the view rebuilds its fields
    devices: list[str] = field(default_factory=list)  # "printer tcp:…: OK", one per device
    problems: list[str] = field(default_factory=list)  # devices.json mistakes, in words
    message: str = ""
    message_kind: str = "info"
    waiting_for_scan: bool = False
    last_scan: str = ""


class SettingsPresenter(ScreenPresenter[SettingsScreenState]):
    """`host` is the SalePresenter: who is signed in, whether a sale is open, its messages."""

    def __init__(self, setup: DeviceSetup, host: Any,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.setup, self._host, self._clock = setup, host, clock
        super().__init__(SettingsScreenState())
        self._tests: list[tuple[str, Future[Outcome]]] = []
        self._scan_deadline = 0.0

    # --- intents -----------------------------------------------------------------------------

    def open(self) -> bool:
        session = self._host.session
        if session is None:
            return self._host._fail("Sign in first")
        if session.role not in ROLES:
            return self._host._fail(f"Device settings are for a supervisor or manager — "
                                    f"{session.name} is a {session.role}")
        if not self._host.basket.is_empty() or self._host.state.paying:
            return self._host._fail("Finish or clear this sale before changing devices")
        self.state.mode, self.state.last_scan = "settings", ""
        self._load_form()
        return self._render("Change a setting and Save, or test a device", "info")

    def close(self) -> None:
        self.state.mode, self.state.waiting_for_scan = "", False
        self._render("")

    def edit(self, key: str, value: str) -> None:
        self.state.form[key] = value

    def save(self) -> bool:
        if not self._still_allowed():
            return False
        errors = self.setup.save(dict(self.state.form))
        if errors:
            return self._render("Not saved: " + "; ".join(errors), "error")
        self._load_form()
        return self._render("Saved — the devices were reopened with the new settings", "success")

    def test(self, device: str) -> bool:
        """printer | drawer | display | scanner"""
        if not self._still_allowed():
            return False
        if device == "scanner":
            self._scan_deadline = self._clock() + SCAN_WAIT_SECONDS
            self.state.waiting_for_scan, self.state.last_scan = True, ""
            return self._render(f"Scan any barcode with any scanner within "
                                f"{SCAN_WAIT_SECONDS:.0f} s…")
        start = {"printer": self.setup.print_test_page, "drawer": self.setup.open_drawer,
                 "display": self.setup.test_display}[device]
        self._tests.append((device, start()))
        return self._render(STARTED[device])

    def scanned(self, code: str) -> bool:
        """A scan from any scanner; True when the settings screen took it (it never sells)."""
        if not self.state.mode:
            return False
        if self.state.waiting_for_scan:
            self.state.waiting_for_scan, self.state.last_scan = False, code
            self._render(f"Scanned: {code}", "success")
        return True

    def tick(self) -> None:
        if not self.state.mode or not self._still_allowed():
            return
        message = None
        for device, outcome in [t for t in self._tests if t[1].done()]:
            self._tests.remove((device, outcome))
            message = outcome.result()
        if self.state.waiting_for_scan and self._clock() >= self._scan_deadline:
            self.state.waiting_for_scan = False
            message = Outcome(False, f"No scan within {SCAN_WAIT_SECONDS:.0f} s — check the "
                                     "scanner's state above, its cable and its port")
        self._refresh_devices()
        if message is not None:
            self._render(message.text, "success" if message.ok else "error")
        else:
            self._notify()

    # --- helpers -----------------------------------------------------------------------------

    def _still_allowed(self) -> bool:
        """Signed out (F10) with the screen open: it closes, so the next cashier never sees it."""
        session = self._host.session
        if session is not None and session.role in ROLES:
            return True
        self.close()
        return False

    def _load_form(self) -> None:
        self.state.form = self.setup.form()
        self.state.scanner_rows = scanner_rows(self.state.form)
        self.state.form_version += 1
        self._refresh_devices()

    def _refresh_devices(self) -> None:
        states, problems = self.setup.states()
        self.state.devices = [device_status_text([s]) for s in states] or [
            "No devices set up — a USB keyboard-wedge scanner works without settings"]
        self.state.problems = problems

    def _render(self, message: str, kind: str = "info") -> bool:
        self.state.message, self.state.message_kind = message, kind
        self._notify()
        return kind != "error"
