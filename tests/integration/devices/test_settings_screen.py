"""The device settings screen (Ctrl+F10) in the running till window, against real byte streams:
a network printer listening on 127.0.0.1, a pole display and a serial scanner on
pseudo-terminals. Fields are filled the way the screen's widgets are, and the buttons clicked."""

from __future__ import annotations

import json
import socket

import pytest

from tests.fixtures.till import ANA_BADGE, MILK, SAM_BADGE
from till.ui import settings_presenter
from till.ui.app import close_window, open_window
from till.ui.qt import QApplication, Qt

from .fake_printer import FakeNetworkPrinter

pytestmark = pytest.mark.timeout(30)
KICK = b"\x1bp\x00\x19\xfa"  # ESC p, pin 2, 50 ms on / 500 ms off in 2 ms units
CUT = b"\x1bd\x06\x1dV\x01"  # ESC d 6 (feed past the cutter), GS V 1 (partial cut)
LINE_2 = b"\x1f$\x01\x02"  # pole display: US $ 1 2, column 1 of row 2


def free_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as s:
        return s.getsockname()[1]


@pytest.fixture
def till_printer_spec(till_data_dir, printer):
    """Only a network printer and its drawer to start with; the rest is added on the screen."""
    (till_data_dir / "devices.json").write_text(json.dumps({
        "printer": {"spec": f"tcp:127.0.0.1:{printer.port}", "paper_mm": 80},
        "scanners": [{"type": "wedge", "terminator": "enter"}],
        "drawer": {"via": "printer", "pin": 2},
    }))
    return None


@pytest.fixture
def window(till, qtbot):
    app = QApplication.instance()
    win = open_window(till, app)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    close_window(win, app)


def as_supervisor(window) -> None:
    assert window.presenter.sign_out()
    assert window.presenter.sign_in.submit(SAM_BADGE)
    assert window.presenter.session.role == "supervisor"


def open_settings(qtbot, window):
    qtbot.keyClick(window.scan_input, Qt.Key_F10, Qt.ControlModifier)
    assert window.pages.currentWidget() is window.settings_page
    return window.settings_page


def click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.LeftButton)


def message(page) -> str:
    return page.message_label.text()


def test_a_cashier_is_refused_and_a_supervisor_opens_the_settings_with_live_states(qtbot, window,
                                                                                  printer):
    qtbot.keyClick(window.scan_input, Qt.Key_F10, Qt.ControlModifier)
    assert window.pages.currentWidget() is window.sale_page
    assert "for a supervisor or manager — Ana is a cashier" in window.message_label.text()
    as_supervisor(window)
    page = open_settings(qtbot, window)
    assert page.fields["printer.kind"].currentText() == "network"
    assert page.fields["printer.address"].text() == f"127.0.0.1:{printer.port}"
    assert page.fields["drawer.via"].currentText() == "printer"
    assert f"printer tcp:127.0.0.1:{printer.port}: OK" in page.devices_label.text()
    qtbot.keyClick(page.fields["printer.address"], Qt.Key_Escape)
    assert window.pages.currentWidget() is window.sale_page


def test_save_writes_devices_json_and_reopens_the_devices_without_a_restart(
        qtbot, window, till, display, scanner_port):
    as_supervisor(window)
    page = open_settings(qtbot, window)
    page.fields["display.port"].setText(display.path)
    page.fields["scanner.0.port"].setText(scanner_port.path)
    page.fields["scanner.0.suffix"].setText("#")
    page.fields["printer.paper_mm"].setCurrentText("58")
    click(qtbot, page.save_button)
    assert "Saved" in message(page), message(page)
    saved = json.loads((till.data_dir / "devices.json").read_text())
    assert saved["display"] == {"port": display.path, "baud": 9600}
    assert saved["scanners"][0] == {"type": "serial", "port": scanner_port.path, "baud": 9600,
                                    "terminator": "cr", "prefix": "", "suffix": "#"}
    assert saved["scanners"][1] == {"type": "wedge", "terminator": "enter"}  # kept as it was
    assert saved["printer"]["paper_mm"] == 58 and till.sales._layout.width == 32
    assert display.receive(3) == b"\x1b@\x0c"  # the display was opened: ESC @, clear
    scanner = till.hardware.scanners[0]
    assert scanner.wait_for(scanner.state().connection.CONNECTED, 3)
    # The label follows the devices on the settings screen's timer.
    qtbot.waitUntil(lambda: f"display {display.path}: OK" in page.devices_label.text()
                    and f"scanner {scanner_port.path}: OK" in page.devices_label.text())
    assert window.settings.state.scanner_rows == [0, 1]  # a new blank row to add another
    assert page.fields["scanner.0.port"].text() == scanner_port.path


def test_wrong_settings_are_refused_in_words_and_nothing_is_written(qtbot, window, till):
    before = (till.data_dir / "devices.json").read_text()
    as_supervisor(window)
    page = open_settings(qtbot, window)
    page.fields["printer.address"].setText("10.0.0.5:abc")
    page.fields["printer.code_page"].setText("CP999")
    page.fields["display.port"].setText("/dev/ttyUSB1")
    page.fields["scanner.0.port"].setText("/dev/ttyUSB1")
    click(qtbot, page.save_button)
    text = message(page)
    assert text.startswith("Not saved:")
    assert "“10.0.0.5:abc” is not host:port" in text
    assert "Port /dev/ttyUSB1 is set for a scanner and the pole display" in text
    assert (till.data_dir / "devices.json").read_text() == before
    page.fields["printer.address"].setText("10.0.0.5:9100")
    page.fields["scanner.0.port"].setText("")
    click(qtbot, page.save_button)
    assert "unknown code page 'CP999'" in message(page)


def test_the_test_page_reaches_the_network_printer_with_its_text_and_a_cut(qtbot, window,
                                                                          printer):
    as_supervisor(window)
    page = open_settings(qtbot, window)
    click(qtbot, page.test_buttons["printer"])
    qtbot.waitUntil(lambda: "Test page printed" in message(page), timeout=5000)
    [job] = printer.jobs
    text = job.decode("cp858")
    assert "TillHQ test page" in text and f"tcp:127.0.0.1:{printer.port}" in text
    assert "\n123456789012345678901234567890123456789012\n" in text  # exactly 42 columns
    assert "Code page CP858: €" in text
    assert job.endswith(CUT)


def test_a_printer_that_is_off_says_so_and_the_kept_test_page_prints_once_it_is_on(
        qtbot, window, till):
    port = free_port()  # nothing listens there: the printer is off
    as_supervisor(window)
    page = open_settings(qtbot, window)
    page.fields["printer.address"].setText(f"127.0.0.1:{port}")
    click(qtbot, page.save_button)
    click(qtbot, page.test_buttons["printer"])
    qtbot.waitUntil(lambda: "not printed" in message(page), timeout=8000)
    assert "unreachable" in message(page) and "It is kept" in message(page)
    assert window.settings.setup.pending_test_page is not None
    printer = FakeNetworkPrinter(port=port)  # switched on
    try:
        click(qtbot, page.test_buttons["printer"])
        qtbot.waitUntil(lambda: "Test page printed" in message(page), timeout=5000)
        assert len(printer.jobs) == 1 and b"TillHQ test page" in printer.jobs[0]
        assert window.settings.setup.pending_test_page is None
    finally:
        printer.close()


def test_open_drawer_kicks_it_through_the_printer(qtbot, window, printer):
    as_supervisor(window)
    page = open_settings(qtbot, window)
    click(qtbot, page.test_buttons["drawer"])
    qtbot.waitUntil(lambda: "Drawer kick sent" in message(page), timeout=5000)
    assert printer.jobs == [KICK]


def test_the_pole_display_test_shows_tillhq_test(qtbot, window, display):
    as_supervisor(window)
    page = open_settings(qtbot, window)
    page.fields["display.port"].setText(display.path)
    click(qtbot, page.save_button)
    assert display.receive(3) == b"\x1b@\x0c"
    click(qtbot, page.test_buttons["display"])
    shown = display.receive(46)
    assert shown[:24] == b"\x0c\x0b" + b"TillHQ test".ljust(20) + LINE_2[:2]
    assert shown[24:26] == LINE_2[2:] and len(shown) == 46
    qtbot.waitUntil(lambda: "should read “TillHQ test”" in message(page), timeout=5000)


def test_wait_for_a_scan_shows_the_serial_scanners_code_and_sells_nothing(
        qtbot, window, till, scanner_port):
    as_supervisor(window)
    page = open_settings(qtbot, window)
    page.fields["scanner.0.port"].setText(scanner_port.path)
    click(qtbot, page.save_button)
    scanner = till.hardware.scanners[0]
    assert scanner.wait_for(scanner.state().connection.CONNECTED, 3)
    page = window.settings_page
    click(qtbot, page.test_buttons["scanner"])
    assert page.test_buttons["scanner"].text() == "Waiting for a scan…"
    scanner_port.send(MILK["barcodes"][0].encode() + b"\r")
    qtbot.waitUntil(lambda: message(page) == f"Scanned: {MILK['barcodes'][0]}", timeout=3000)
    assert window.presenter.state.lines == []  # a test scan never reaches the sale


def test_wait_for_a_scan_gives_up_after_its_time(qtbot, window, monkeypatch):
    monkeypatch.setattr(settings_presenter, "SCAN_WAIT_SECONDS", 0.3)
    as_supervisor(window)
    page = open_settings(qtbot, window)
    click(qtbot, page.test_buttons["scanner"])
    qtbot.waitUntil(lambda: "No scan within" in message(page), timeout=3000)
    assert page.test_buttons["scanner"].text() == "Wait for a scan"


def test_a_serial_printer_chosen_on_the_screen_prints_the_test_page_on_its_port(
        qtbot, window, till, pty_pair):
    as_supervisor(window)
    page = open_settings(qtbot, window)
    page.fields["printer.kind"].setCurrentText("serial")
    page.fields["printer.address"].setText(pty_pair.path)
    page.fields["printer.baud"].setCurrentText("19200")
    page.fields["drawer.via"].setCurrentText("none")
    click(qtbot, page.save_button)
    assert "Saved" in message(page), message(page)
    saved = json.loads((till.data_dir / "devices.json").read_text())
    assert saved["printer"]["spec"] == f"serial:{pty_pair.path}:19200" and "drawer" not in saved
    click(qtbot, page.test_buttons["printer"])
    qtbot.waitUntil(lambda: "Test page printed" in message(page), timeout=5000)
    page_bytes = pty_pair.receive(400, timeout=1.0)
    assert b"TillHQ test page" in page_bytes and page_bytes.endswith(CUT)


def test_signing_out_closes_the_settings_so_the_next_cashier_never_sees_them(qtbot, window):
    as_supervisor(window)
    page = open_settings(qtbot, window)
    qtbot.keyClick(page.fields["printer.address"], Qt.Key_F10)  # F10 alone: sign out
    assert window.presenter.session is None
    qtbot.waitUntil(lambda: window.settings.state.mode == "", timeout=2000)
    assert window.presenter.sign_in.submit(ANA_BADGE)
    assert window.pages.currentWidget() is window.sale_page
