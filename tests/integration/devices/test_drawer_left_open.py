"""A printer-wired drawer left open: read through the printer after each kick (DLE EOT 1, the
drawer switch on pin 3), warned on the status bar past the store's limit, cleared when shut."""

from __future__ import annotations

import time

import pytest

from tests.fixtures.till import seed_ledger
from till.devices import Connection
from till.devices.config import parse_device_config
from till.hardware import Hardware
from till.ledger import Ledger
from till.receipt import NetworkPrinter, PrintQueue, ReceiptPrinter

from .fake_printer import FakeNetworkPrinter

pytestmark = pytest.mark.timeout(20)
SHUT, OPEN = 0x12, 0x16  # DLE EOT 1: bit 2 is the drawer switch (pin 3 high = open here)


@pytest.fixture
def printer():
    p = FakeNetworkPrinter({1: SHUT})
    yield p
    p.close()


def hardware_for(printer: FakeNetworkPrinter, tmp_path, warn_open_seconds: int) -> Hardware:
    ledger = seed_ledger(Ledger.open(tmp_path / "till.db"))
    config = parse_device_config({"drawer": {"via": "printer", "pin": 2,
                                             "warn_open_seconds": warn_open_seconds}})
    queue = PrintQueue(ReceiptPrinter(ledger, NetworkPrinter("127.0.0.1", printer.port, timeout=2)))
    return Hardware(config, queue, drawer_poll_seconds=0.05)


def drawer_state(hardware: Hardware):
    return next(s for s in hardware.states() if s.device.startswith("drawer"))


def wait_for(condition, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_a_drawer_left_open_past_the_limit_is_warned_and_cleared_once_shut(printer, tmp_path):
    hardware = hardware_for(printer, tmp_path, warn_open_seconds=1)
    try:
        printer.statuses[1] = OPEN  # the kick springs it open; nobody shuts it
        hardware.open_drawer().result(5)
        assert drawer_state(hardware).connection is Connection.CONNECTED  # not yet a second

        wait_for(lambda: "close it" in drawer_state(hardware).message)
        assert drawer_state(hardware).connection is Connection.ERROR
        assert drawer_state(hardware).message.startswith("drawer open for ")

        printer.statuses[1] = SHUT
        wait_for(lambda: drawer_state(hardware).connection is Connection.CONNECTED)
        assert drawer_state(hardware).message == ""
        assert b"\x10\x04\x01" in bytes(printer.received)  # read through the printer
    finally:
        hardware.stop()


def test_a_drawer_shut_at_once_never_warns_and_stops_being_read(printer, tmp_path):
    hardware = hardware_for(printer, tmp_path, warn_open_seconds=1)
    try:
        hardware.open_drawer().result(5)
        wait_for(lambda: b"\x10\x04\x01" in bytes(printer.received))
        time.sleep(0.3)
        reads = bytes(printer.received).count(b"\x10\x04\x01")
        time.sleep(1.2)
        assert bytes(printer.received).count(b"\x10\x04\x01") == reads  # shut: no more polling
        assert drawer_state(hardware).connection is Connection.CONNECTED
    finally:
        hardware.stop()


def test_zero_seconds_turns_the_warning_off(printer, tmp_path):
    hardware = hardware_for(printer, tmp_path, warn_open_seconds=0)
    try:
        printer.statuses[1] = OPEN
        hardware.open_drawer().result(5)
        time.sleep(0.3)
        assert b"\x10\x04\x01" not in bytes(printer.received)
    finally:
        hardware.stop()


def test_a_negative_limit_in_devices_json_is_refused_in_words():
    config = parse_device_config({"drawer": {"via": "printer", "warn_open_seconds": -5}})
    assert config.drawer is None
    assert any("warn_open_seconds is 0 (never) or more" in p for p in config.problems)
