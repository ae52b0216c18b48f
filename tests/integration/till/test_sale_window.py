"""The sale screen, driven by the keyboard only, on real widgets (offscreen)."""

import os
import select
import signal
import subprocess
import sys
import time

import pytest

from shared.events import SaleCompleted
from tests.fixtures.till import BREAD, COFFEE, MILK
from till.ledger import Ledger
from till.ledger.journal import all_events
from till.paths import ledger_path
from till.ui.main_window import MainWindow
from till.ui.qt import QApplication, Qt


@pytest.fixture
def window(till, qtbot):
    status = {"online": False, "pending": 0, "last_sync": None, "last_error": None}
    win = MainWindow(till.presenter_factory(), lambda: status)
    qtbot.addWidget(win)
    win.resize(1024, 768)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    win.scan_input.setFocus()
    return win


def scan(qtbot, window, code):
    qtbot.keyClicks(window.scan_input, code)
    qtbot.keyClick(window.scan_input, Qt.Key_Return)


def table(window):
    t = window.lines_table
    return [tuple(t.item(r, c).text() for c in range(t.columnCount())) for r in range(t.rowCount())]


def test_the_window_has_the_named_widgets_and_starts_in_the_scan_field(window):
    assert window.scan_input.objectName() == "scanInput"
    assert window.tender_input.objectName() == "tenderInput"
    assert window.pay_button.text() == "Pay (F12)"
    headers = [window.lines_table.horizontalHeaderItem(i).text() for i in range(4)]
    assert headers == ["Item", "Qty", "Price", "Total"]
    assert QApplication.focusWidget() is window.scan_input


def test_scanning_three_items_one_twice_shows_three_lines_one_with_qty_two(window, qtbot):
    for code in (MILK["barcodes"][0], BREAD["barcodes"][0], MILK["barcodes"][0], COFFEE["sku"]):
        scan(qtbot, window, code)
    assert table(window) == [("Milk 1L", "2", "€1.19", "€2.38"),
                             ("White bread", "1", "€2.49", "€2.49"),
                             ("Coffee beans 500g", "1", "€8.99", "€8.99")]
    assert window.total_label.text() == "Total €13.86"
    assert window.scan_input.text() == ""


def test_f12_then_cash_and_enter_completes_the_sale_and_shows_the_change(window, qtbot, till):
    for code in (MILK["barcodes"][0], MILK["barcodes"][0], BREAD["barcodes"][0]):
        scan(qtbot, window, code)
    qtbot.keyClick(window.scan_input, Qt.Key_F12)
    assert QApplication.focusWidget() is window.tender_input
    assert window.tender_input.text() == "4.87"
    window.tender_input.clear()
    qtbot.keyClicks(window.tender_input, "20")
    qtbot.keyClick(window.tender_input, Qt.Key_Return)

    assert window.message_label.text().startswith("Sale complete — change €15.13")
    assert window.lines_table.rowCount() == 0 and window.total_label.text() == "Total €0.00"
    assert QApplication.focusWidget() is window.scan_input
    events = all_events(till.ledger.connection())
    assert [e.type for e in events] == [SaleCompleted.TYPE]
    sale = SaleCompleted.from_payload(events[0].payload)
    assert [(ln.sku, ln.quantity, ln.line_total_minor) for ln in sale.lines] == [
        ("MILK-1L", 2, 238), ("BREAD-WHITE", 1, 249)]
    assert (sale.total_minor, sale.change_minor, sale.tenders[0].amount_minor) == (487, 1513, 2000)


def test_too_little_cash_says_how_much_more_and_keeps_the_basket(window, qtbot, till):
    scan(qtbot, window, COFFEE["sku"])
    qtbot.keyClick(window.scan_input, Qt.Key_F12)
    window.tender_input.clear()
    qtbot.keyClicks(window.tender_input, "5")
    qtbot.keyClick(window.tender_input, Qt.Key_Return)
    assert "€3.99 more needed" in window.message_label.text()
    assert window.lines_table.rowCount() == 1
    assert all_events(till.ledger.connection()) == []


def test_an_unknown_barcode_shows_the_clear_message_and_adds_nothing(window, qtbot):
    scan(qtbot, window, MILK["barcodes"][0])
    scan(qtbot, window, "4000000000006")
    assert window.message_label.text() == ("No product with barcode 4000000000006 — check the "
                                           "code or search by name")
    assert table(window) == [("Milk 1L", "1", "€1.19", "€1.19")]
    assert window.total_label.text() == "Total €1.19"


def test_plus_minus_and_delete_change_the_selected_line(window, qtbot):
    scan(qtbot, window, MILK["barcodes"][0])
    scan(qtbot, window, BREAD["barcodes"][0])
    qtbot.keyClick(window.scan_input, Qt.Key_Up)  # select the milk line
    qtbot.keyClick(window.scan_input, Qt.Key_Plus)
    qtbot.keyClick(window.scan_input, Qt.Key_Plus)
    assert table(window)[0][1] == "3"
    qtbot.keyClick(window.scan_input, Qt.Key_Minus)
    assert table(window)[0][1] == "2"
    qtbot.keyClick(window.scan_input, Qt.Key_Delete)
    assert table(window) == [("White bread", "1", "€2.49", "€2.49")]
    qtbot.keyClick(window.scan_input, Qt.Key_Minus)  # would be 0: refused, line kept
    assert "at least 1" in window.message_label.text() and window.lines_table.rowCount() == 1


def test_escape_clears_the_scan_field(window, qtbot):
    qtbot.keyClicks(window.scan_input, "12345")
    qtbot.keyClick(window.scan_input, Qt.Key_Escape)
    assert window.scan_input.text() == ""


def test_the_status_bar_shows_sync_state_from_the_provider(window, qtbot):
    qtbot.waitUntil(lambda: window.sync_status_label.text().startswith("Offline · 0 events"),
                    timeout=2000)


@pytest.fixture
def till_printer_spec(unused_tcp_port_spec):
    return unused_tcp_port_spec


@pytest.fixture
def unused_tcp_port_spec():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"tcp:127.0.0.1:{s.getsockname()[1]}"


def test_a_printer_that_is_off_is_reported_after_the_sale_with_how_to_reprint(window, qtbot, till):
    scan(qtbot, window, MILK["barcodes"][0])
    qtbot.keyClick(window.scan_input, Qt.Key_F12)
    qtbot.keyClick(window.tender_input, Qt.Key_Return)  # the prefilled exact amount
    assert window.message_label.text().startswith("Sale complete — change €0.00")
    qtbot.waitUntil(lambda: "press F9 to reprint" in window.message_label.text(), timeout=3000)
    assert len(all_events(till.ledger.connection())) == 1


def until_ready(process: subprocess.Popen, seconds: float = 60) -> list[str]:
    """The lines the till writes to stderr up to "till ready" (or until it exits or time is up)."""
    said: list[str] = []
    deadline = time.monotonic() + seconds  # the window is up in under a second on a quiet machine
    while time.monotonic() < deadline and not said[-1:] == ["till ready\n"]:
        if select.select([process.stderr], [], [], 0.5)[0]:
            line = process.stderr.readline()
            if not line:
                break
            said.append(line)
    return said


def test_till_run_opens_the_window_and_closes_everything_on_sigterm(till_data_dir, till):
    """`till run` in its own process: quitting a QApplication's event loop is for good, so the
    test process (whose QApplication the other window tests share) must not do it."""
    till.close()  # the process builds its own
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    process = subprocess.Popen([sys.executable, "-m", "till.cli", "run", "--data", str(till_data_dir),
                                "--printer", "none"], env=env, stderr=subprocess.PIPE, text=True)
    try:
        said = until_ready(process)
        assert said[-1:] == ["till ready\n"], "".join(said)
        process.send_signal(signal.SIGTERM)  # as a service manager stops it
        assert process.wait(timeout=15) == 0, process.stderr.read()
    finally:
        process.kill()
    with Ledger.open(ledger_path(till_data_dir)) as ledger:  # closed cleanly: opens, intact
        assert ledger.connection().execute("PRAGMA integrity_check").fetchone()[0] == "ok"
