"""The second-screen customer display, opened by the till window from devices.json and driven
by the same sale events as the pole display (which runs beside it on a pseudo-terminal)."""

from __future__ import annotations

import json

import pytest

from tests.fixtures.till import BREAD, MILK
from till.ui.app import close_window, open_window
from till.ui.qt import QApplication

pytestmark = pytest.mark.timeout(20)


@pytest.fixture
def customer_screen_config() -> dict:
    return {"screen": 0, "welcome": "Welcome to TillHQ Test Store"}  # offscreen has one screen


@pytest.fixture
def till_printer_spec(till_data_dir, display, customer_screen_config):
    (till_data_dir / "devices.json").write_text(json.dumps({
        "display": {"port": display.path},
        "customer_screen": customer_screen_config,
    }))
    return None


@pytest.fixture
def window(till, qtbot):
    app = QApplication.instance()
    win = open_window(till, app)
    qtbot.addWidget(win)
    win.show()
    yield win
    close_window(win, app)


def shown(label) -> str:
    return label.text() if label.isVisible() else ""


def table_rows(table) -> list[tuple[str, ...]]:
    return [tuple(table.item(r, c).text() for c in range(table.columnCount()))
            for r in range(table.rowCount())]


def test_the_customer_sees_a_welcome_each_line_the_total_and_the_change(qtbot, window,
                                                                        display):
    screen = window.customer_screen.window
    assert screen is not None and screen.isVisible() and screen.isFullScreen()
    assert shown(screen.welcome_label) == "Welcome to TillHQ Test Store"
    assert not screen.lines_table.isVisible() and shown(screen.total_label) == ""
    p = window.presenter
    assert p.scan(MILK["barcodes"][0]) and p.scan(BREAD["barcodes"][0])
    assert shown(screen.welcome_label) == ""
    assert table_rows(screen.lines_table) == [("Milk 1L", "1", "€1.19"),
                                              ("White bread", "1", "€2.49")]
    assert shown(screen.last_item_label) == "White bread  €2.49"
    assert shown(screen.total_label) == "Total €3.68"
    assert p.begin_payment()
    assert shown(screen.total_label) == "To pay €3.68"
    assert p.tender_cash("5")
    assert shown(screen.change_label) == "Change €1.32"
    assert shown(screen.paid_label) == "Paid €5.00"
    assert shown(screen.total_label) == "Total €3.68"
    assert not screen.lines_table.isVisible()
    # the pole display was told the very same events, in the same order
    assert display.receive(3) == b"\x1b@\x0c"
    pole = display.receive(46 * 4)
    assert b"Milk 1L" in pole and b"White bread" in pole and b"TOTAL" in pole
    assert pole.endswith(b"CHANGE".ljust(13) + b"EUR1.32")


def test_a_removed_line_leaves_the_customer_screen_and_an_emptied_basket_greets_again(
        qtbot, window):
    screen = window.customer_screen.window
    p = window.presenter
    p.scan(MILK["barcodes"][0])
    p.scan(BREAD["barcodes"][0])
    assert p.remove_line(1)
    assert table_rows(screen.lines_table) == [("White bread", "1", "€2.49")]
    assert shown(screen.total_label) == "Total €2.49"
    assert p.remove_line(1)
    assert shown(screen.welcome_label) == "Welcome to TillHQ Test Store"
    assert shown(screen.total_label) == ""


def test_the_next_sale_replaces_the_change_with_its_lines(qtbot, window):
    screen = window.customer_screen.window
    p = window.presenter
    p.scan(MILK["barcodes"][0])
    p.begin_payment()
    p.tender_cash("2")
    assert shown(screen.change_label) == "Change €0.81"
    p.scan(BREAD["barcodes"][0])
    assert shown(screen.change_label) == "" and shown(screen.paid_label) == ""
    assert table_rows(screen.lines_table) == [("White bread", "1", "€2.49")]


@pytest.mark.parametrize("customer_screen_config", [{"screen": 3}])
def test_a_screen_that_is_not_connected_is_said_in_the_status_bar_and_selling_goes_on(
        qtbot, window, customer_screen_config):
    assert window.customer_screen.window is None
    qtbot.waitUntil(lambda: "customer screen 3 is not connected (1 screen(s) found)"
                    in window.device_status_label.text())
    assert window.presenter.scan(MILK["barcodes"][0])
