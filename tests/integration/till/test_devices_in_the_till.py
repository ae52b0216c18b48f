"""The devices of devices.json, connected to the running till window: a fake network printer
(with its drawer) on 127.0.0.1, a pole display and a serial scanner on pseudo-terminals, and
keyboard-wedge scans arriving as key bursts whichever field has focus."""

from __future__ import annotations

import json

import pytest

from tests.fixtures.till import BREAD, MILK
from till.devices import kick_bytes
from till.ledger.sales import receipt_row
from till.ledger.shifts import z_report
from till.ui.app import close_window, open_window
from till.ui.qt import QApplication, QLineEdit, Qt

pytestmark = pytest.mark.timeout(20)
KICK = b"\x1bp\x00\x19\xfa"  # ESC p, pin 2, 50 ms on / 500 ms off in 2 ms units


@pytest.fixture
def till_printer_spec(till_data_dir, printer, display, scanner_port):
    """No command-line printer: everything comes from devices.json."""
    (till_data_dir / "devices.json").write_text(json.dumps({
        "printer": {"spec": f"tcp:127.0.0.1:{printer.port}", "paper_mm": 80},
        "scanners": [{"type": "serial", "port": scanner_port.path, "baud": 9600},
                     {"type": "wedge", "terminator": "enter"}],
        "drawer": {"via": "printer", "pin": 2, "on_ms": 50},
        "display": {"port": display.path, "baud": 9600},
    }))
    return None


@pytest.fixture
def window(till, qtbot):
    till.hardware.retry_seconds = 0.3
    app = QApplication.instance()
    win = open_window(till, app)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    yield win
    close_window(win, app)


def burst(qtbot, widget, code):
    """What a wedge scanner does: the code's keys back to back, then Enter."""
    qtbot.keyClicks(widget, code)
    qtbot.keyClick(widget, Qt.Key_Return)


def wait_for(qtbot, condition, timeout=3000):
    qtbot.waitUntil(condition, timeout=timeout)


def pay_cash(window, amount="20"):
    assert window.presenter.begin_payment()
    assert window.presenter.tender_cash(amount)


def test_a_wedge_scan_in_the_tender_field_adds_the_item_and_types_nothing(qtbot, window):
    window.tender_input.setFocus()
    burst(qtbot, window.tender_input, MILK["barcodes"][0])
    assert [ln.name for ln in window.presenter.state.lines] == ["Milk 1L"]
    assert window.tender_input.text() == ""


def test_a_wedge_scan_in_another_windows_field_reaches_the_sale(qtbot, window):
    dialog_field = QLineEdit()
    qtbot.addWidget(dialog_field)
    dialog_field.show()
    dialog_field.setFocus()
    burst(qtbot, dialog_field, BREAD["barcodes"][0])
    assert [ln.name for ln in window.presenter.state.lines] == ["White bread"]
    assert dialog_field.text() == ""


def test_slow_typing_is_typed_into_the_field_not_taken_as_a_scan(qtbot, window):
    window.tender_input.setFocus()
    for ch in "123456":
        qtbot.keyClick(window.tender_input, ch)
        qtbot.wait(70)
    wait_for(qtbot, lambda: window.tender_input.text() == "123456", 1000)
    qtbot.keyClick(window.tender_input, Qt.Key_Return)
    assert window.presenter.state.lines == []


def test_a_serial_scanner_adds_a_line_in_the_window(qtbot, window, till, scanner_port):
    scanner = till.hardware.scanners[0]
    assert scanner.wait_for(scanner.state().connection.CONNECTED, 3)
    scanner_port.send(MILK["barcodes"][0].encode() + b"\r")
    wait_for(qtbot, lambda: len(window.presenter.state.lines) == 1)
    assert window.presenter.state.lines[0].name == "Milk 1L"


def test_a_cash_sale_prints_the_receipt_then_kicks_the_drawer_on_one_queue(qtbot, window, till,
                                                                           printer):
    assert window.presenter.scan(MILK["barcodes"][0])
    pay_cash(window)
    sale_id = window.presenter.last_sale.sale_id
    wait_for(qtbot, lambda: len(printer.jobs) == 2)
    assert printer.jobs == [bytes(receipt_row(till.ledger.connection(), sale_id)["escpos"]), KICK]
    assert KICK == kick_bytes(2, 50, 500)


def test_no_sale_paid_in_and_shift_close_open_the_drawer(qtbot, window, till, printer):
    p = window.presenter
    p.overrides.no_sale()
    assert p.overrides.submit("", "change for the bakery", "9999")
    wait_for(qtbot, lambda: printer.jobs == [KICK])
    assert p.shift.submit_float("100", {})
    assert p.shift.submit_movement("paid_in", "5", "float top-up")
    wait_for(qtbot, lambda: len(printer.jobs) == 2)
    assert p.shift.submit_count({}, "105")
    wait_for(qtbot, lambda: len(printer.jobs) == 4)
    closed_shift = till.ledger.connection().execute(
        "SELECT shift_id FROM shifts ORDER BY rowid DESC LIMIT 1").fetchone()[0]
    assert printer.jobs[1:] == [KICK, z_report(till.ledger.connection(), closed_shift)[0], KICK]


def test_the_pole_display_shows_each_line_the_total_and_the_change(qtbot, window, display):
    p = window.presenter
    assert display.receive(3) == b"\x1b@\x0c"  # opened at start: ESC @, clear
    p.scan(MILK["barcodes"][0])
    line2 = " " * 13 + "EUR1.19"
    assert display.receive(46) == (b"\x0c\x0b" + b"Milk 1L".ljust(20) + b"\x1f$\x01\x02"
                                   + line2.encode())
    p.begin_payment()
    assert display.receive(46) == (b"\x0c\x0b" + b"TOTAL".ljust(13) + b"EUR1.19"
                                   + b"\x1f$\x01\x02" + b" " * 20)
    p.tender_cash("5")
    assert display.receive(46) == (b"\x0c\x0b" + b"PAID".ljust(13) + b"EUR5.00"
                                   + b"\x1f$\x01\x02" + b"CHANGE".ljust(13) + b"EUR3.81")


def test_the_status_bar_shows_each_device_and_paper_out(qtbot, window, till, printer):
    printer.statuses[4] = 0x72  # roll paper end (bits 5, 6)
    p = window.presenter
    p.scan(MILK["barcodes"][0])
    pay_cash(window)
    wait_for(qtbot, lambda: "out of paper" in window.device_status_label.text())
    text = window.device_status_label.text()
    assert f"printer tcp:127.0.0.1:{printer.port}: ERROR" in text
    assert "scanner" in text and "display" in text and "drawer" in text


def test_a_failed_receipt_is_retried_until_printed_and_the_sale_stands(qtbot, window, till,
                                                                      printer):
    printer.accepting = False  # connections are dropped: the receipt fails
    till.print_queue.printer.transport.timeout = 0.3
    till.print_queue.status_check = None
    real_port = printer.port
    till.print_queue.printer.transport.port = 1  # nothing listens: refused at once
    p = window.presenter
    p.scan(MILK["barcodes"][0])
    pay_cash(window)
    sale_id = p.last_sale.sale_id
    wait_for(qtbot, lambda: "unreachable" in window.device_status_label.text())
    assert p.state.last_receipt_no  # the sale is complete regardless
    printer.accepting = True
    till.print_queue.printer.transport.port = real_port
    wait_for(qtbot, lambda: receipt_row(till.ledger.connection(), sale_id)["printed_at"])
    wait_for(qtbot, lambda: ": OK" in window.device_status_label.text().split(" · ")[0])
    assert printer.jobs[0] == bytes(receipt_row(till.ledger.connection(), sale_id)["escpos"])


def test_a_broken_devices_file_is_shown_and_the_till_still_sells(tmp_path, qtbot):
    from tests.fixtures.till import seed_ledger
    from till.bootstrap import build_till
    from till.ledger import Ledger
    from till.paths import ledger_path

    data = tmp_path / "till"
    data.mkdir()
    with Ledger.open(ledger_path(data)) as ledger:
        seed_ledger(ledger)
    (data / "devices.json").write_text('{"printer": {"spec": "lpt1"}, "drawer": {}}')
    built = build_till(data, cashier="Ana")
    app = QApplication.instance()
    try:
        win = open_window(built, app)
        qtbot.addWidget(win)
        text = win.device_status_label.text()
        assert "unknown printer spec 'lpt1'" in text and "drawer" in text
        assert win.presenter.scan(MILK["barcodes"][0])
        pay_cash(win)
        assert win.presenter.state.last_receipt_no
        close_window(win, app)
    finally:
        built.close()
