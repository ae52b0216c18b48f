"""Shifts and split tender on the real window (offscreen), driven by the keyboard."""

import pytest

from shared.events import SaleCompleted, parse_payload
from shared.money import Money
from tests.fixtures.till import BREAD, COFFEE, MILK
from till.ledger.journal import all_events
from till.sale.tender import FakePaymentTerminal
from till.shift import cash_count
from till.ui.main_window import MainWindow
from till.ui.qt import QApplication, Qt


@pytest.fixture
def till_require_shift():
    return True


@pytest.fixture
def till_terminal():
    return FakePaymentTerminal()


@pytest.fixture
def window(till, qtbot):
    win = MainWindow(till.presenter_factory(), lambda: None, till.identity())
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


def type_into(qtbot, field, text):
    field.clear()
    qtbot.keyClicks(field, text)


def open_shift_by_keys(qtbot, window, pieces):
    qtbot.keyClick(window.scan_input, Qt.Key_F2)
    assert window.pages.currentWidget() is window.shift_page
    for key, count in pieces.items():
        type_into(qtbot, window.shift_page.pieces[key], count)
    qtbot.keyClick(window.shift_page.pieces[next(iter(pieces))], Qt.Key_Return)
    assert window.pages.currentWidget() is window.sale_page


def events(till):
    return [parse_payload(e.type, e.schema_version, e.payload)
            for e in all_events(till.ledger.connection())]


def test_selling_with_no_shift_is_refused_with_how_to_open_one(window, qtbot, till):
    scan(qtbot, window, MILK["sku"])
    assert window.message_label.text() == ("No shift is open — press F2 to open a shift and "
                                           "count the float")
    assert window.lines_table.rowCount() == 0 and all_events(till.ledger.connection()) == []


def test_a_whole_shift_by_keys_float_sale_paid_out_x_and_blind_z(window, qtbot, till):
    open_shift_by_keys(qtbot, window, {"5000": "1", "1000": "5"})  # 100.00 float
    assert window.message_label.text().startswith("Shift open — float €100.00")
    scan(qtbot, window, COFFEE["sku"])
    qtbot.keyClick(window.scan_input, Qt.Key_F12)
    type_into(qtbot, window.tender_input, "20")
    qtbot.keyClick(window.tender_input, Qt.Key_Return)
    assert window.message_label.text().startswith("Sale complete — change €11.01")

    qtbot.keyClick(window.scan_input, Qt.Key_F3)  # paid out 3.50, window cleaner
    page = window.shift_page
    page.kind_input.setCurrentIndex(1)
    type_into(qtbot, page.amount_input, "3.50")
    type_into(qtbot, page.reason_input, "window cleaner")
    qtbot.keyClick(page.reason_input, Qt.Key_Return)
    assert window.message_label.text() == "Paid out €3.50 recorded (window cleaner)"

    qtbot.keyClick(window.scan_input, Qt.Key_F4)
    assert "Expected in drawer" in page.report_view.toPlainText()
    assert "€105.49" in page.report_view.toPlainText()  # 100 + 8.99 - 3.50
    qtbot.keyClick(page, Qt.Key_Escape)
    assert QApplication.focusWidget() is window.scan_input

    qtbot.keyClick(window.scan_input, Qt.Key_F2)  # close: the count is blind
    assert "105.49" not in page.message_label.text() + page.title.text()
    assert not page.amount_input.isVisible() and page.count_grid.isVisible()
    type_into(qtbot, page.pieces["5000"], "2")
    type_into(qtbot, page.pieces["500"], "1")
    type_into(qtbot, page.pieces["20"], "2")
    qtbot.keyClick(page.pieces["20"], Qt.Key_Return)  # 105.40: short 0.09
    assert "short €0.09" in page.message_label.text()
    assert "SHORT" in page.report_view.toPlainText()
    closed = events(till)[-1]
    assert (closed.TYPE, closed.expected_cash_minor, closed.counted_cash_minor,
            closed.over_short_minor) == ("ShiftClosed", 10549, 10540, -9)
    assert closed.counted_by_denomination == {"5000": 2, "500": 1, "20": 2}
    qtbot.keyClick(page, Qt.Key_Escape)
    scan(qtbot, window, MILK["sku"])
    assert window.message_label.text().startswith("No shift is open")


def test_split_tender_card_then_cash_with_quick_cash_and_the_receipt_lists_both(window, qtbot, till):
    till.shifts.open_shift(cash_count("EUR", amount=Money(0, "EUR")), "Ana")
    for code in (COFFEE["sku"], BREAD["sku"]):  # 11.48
        scan(qtbot, window, code)
    qtbot.keyClick(window.scan_input, Qt.Key_F12)
    type_into(qtbot, window.tender_input, "15")
    qtbot.keyClick(window.tender_input, Qt.Key_F5)  # a card cannot pay more than is due
    assert "only cash gives change" in window.message_label.text()
    type_into(qtbot, window.tender_input, "5")
    qtbot.keyClick(window.tender_input, Qt.Key_F5)
    assert window.payment_panel.remaining_label.text() == "Due €6.48"
    assert [window.payment_panel.tenders_list.item(i).text()
            for i in range(window.payment_panel.tenders_list.count())] == ["Card CARD-0001  €5.00"]
    assert window.tender_input.text() == "6.48"
    quick = [b.text() for b in window.payment_panel.quick_buttons if b.isVisible()]
    assert quick == ["€7.00 (Ctrl+1)", "€10.00 (Ctrl+2)", "€20.00 (Ctrl+3)", "€50.00 (Ctrl+4)"]
    qtbot.keyClick(window.tender_input, Qt.Key_2, Qt.ControlModifier)  # 10.00 cash
    assert window.message_label.text().startswith("Sale complete — change €3.52")
    sale = [e for e in events(till) if isinstance(e, SaleCompleted)][-1]
    assert [(t.kind, t.amount_minor, t.reference) for t in sale.tenders] == [
        ("card", 500, "CARD-0001"), ("cash", 1000, "")]
    assert sale.shift_id == till.shifts.current().shift_id
    text = window.presenter.last_sale.receipt_text
    assert any(ln.startswith("Card CARD-0001") and ln.endswith("€5.00") for ln in text.splitlines())
    assert any(ln.startswith("Cash") and ln.endswith("€10.00") for ln in text.splitlines())
    x = till.shifts.x_report("Ana")
    assert x.sums.tender_totals == {"card": 500, "cash": 1000}


def test_a_declined_card_takes_nothing_and_cancel_voids_an_approved_one(window, qtbot, till):
    till.shifts.open_shift(cash_count("EUR", amount=Money(0, "EUR")), "Ana")
    scan(qtbot, window, COFFEE["sku"])
    qtbot.keyClick(window.scan_input, Qt.Key_F12)
    till.terminal.decline = "insufficient funds"
    qtbot.keyClick(window.tender_input, Qt.Key_F6)
    assert window.message_label.text().startswith("E-wallet declined (insufficient funds)")
    till.terminal.decline = ""
    type_into(qtbot, window.tender_input, "4")
    qtbot.keyClick(window.tender_input, Qt.Key_F6)
    qtbot.keyClick(window.tender_input, Qt.Key_Escape)
    assert till.terminal.voided == ["EWALLET-0001"]
    assert "voided at the terminal" in window.message_label.text()
    assert [e.type for e in all_events(till.ledger.connection())] == ["ShiftOpened"]
