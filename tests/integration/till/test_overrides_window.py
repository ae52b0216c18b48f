"""Supervisor overrides on the real window (offscreen), driven by the keyboard."""

import pytest

from shared.events import parse_payload
from shared.money import Money
from tests.fixtures.till import BREAD, MILK, SAM_BADGE
from till.ledger.journal import all_events
from till.shift import cash_count
from till.ui.main_window import MainWindow
from till.ui.qt import Qt


@pytest.fixture
def till_require_shift():
    return True


@pytest.fixture
def window(till, qtbot):
    till.shifts.open_shift(cash_count("EUR", amount=Money(10000, "EUR")), "Ana")
    win = MainWindow(till.presenter_factory(), lambda: None, till.identity())
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.scan_input.setFocus()
    return win


def typed(qtbot, field, text, enter=True):
    field.clear()
    qtbot.keyClicks(field, text)
    if enter:
        qtbot.keyClick(field, Qt.Key_Return)


def events(till, kind=None):
    found = [parse_payload(e.type, e.schema_version, e.payload)
             for e in all_events(till.ledger.connection())]
    return [e for e in found if kind is None or type(e).__name__ == kind]


def scan(qtbot, window, product):
    typed(qtbot, window.scan_input, product["sku"])


def pay_cash(qtbot, window, amount="50"):
    qtbot.keyClick(window.scan_input, Qt.Key_F12)
    typed(qtbot, window.tender_input, amount)


def test_price_override_needs_a_supervisor_and_is_a_fact_on_the_sale(qtbot, window, till):
    scan(qtbot, window, MILK)
    qtbot.keyClick(window.scan_input, Qt.Key_F7)
    page = window.override_page
    assert window.pages.currentWidget() is page
    typed(qtbot, page.value_input, "0.99", enter=False)
    typed(qtbot, page.reason_input, "shelf label", enter=False)
    typed(qtbot, page.code_input, "1111")  # Ana is a cashier
    assert "Not a supervisor" in page.message_label.text()
    assert events(till, "OverrideRecorded") == []
    typed(qtbot, page.code_input, "9999")
    assert window.pages.currentWidget() is window.sale_page
    assert window.lines_table.item(0, 2).text() == "€0.99"
    pay_cash(qtbot, window, "1")
    sale = events(till, "SaleCompleted")[-1]
    assert sale.lines[0].unit_price_minor == 99 and sale.total_minor == 99
    assert sale.line_overrides[0]["approved_by"] == "Sam"
    assert sale.line_overrides[0]["original_unit_price_minor"] == MILK["price_minor"]
    (override,) = events(till, "OverrideRecorded")
    assert (override.action, override.before, override.after, override.sale_id) == (
        "price_override", "119", "99", sale.sale_id)


def test_discount_over_the_cashiers_limit_asks_for_a_supervisor_badge(qtbot, window, till):
    scan(qtbot, window, BREAD)
    qtbot.keyClick(window.scan_input, Qt.Key_F8)
    page = window.override_page
    typed(qtbot, page.value_input, "10%", enter=False)
    typed(qtbot, page.reason_input, "dented", enter=False)
    typed(qtbot, page.code_input, "")
    assert "over your limit" in page.message_label.text()
    typed(qtbot, page.code_input, SAM_BADGE)
    assert window.pages.currentWidget() is window.sale_page
    pay_cash(qtbot, window, "5")
    sale = events(till, "SaleCompleted")[-1]
    assert sale.lines[0].unit_price_minor == 249 - 24
    assert events(till, "OverrideRecorded")[0].action == "discount"


def test_void_after_totalling_no_sale_and_cancel_in_payment(qtbot, window, till):
    scan(qtbot, window, MILK)
    scan(qtbot, window, BREAD)
    qtbot.keyClick(window.scan_input, Qt.Key_F12)
    qtbot.keyClick(window.tender_input, Qt.Key_Delete, Qt.ControlModifier)
    page = window.override_page
    typed(qtbot, page.code_input, "0000")
    assert events(till, "OverrideRecorded") == [] and len(window.presenter.basket.lines) == 2
    typed(qtbot, page.code_input, "4321")
    assert len(window.presenter.basket.lines) == 1
    assert window.presenter.payment.total == Money(MILK["price_minor"], "EUR")
    window.tender_input.setFocus()
    qtbot.keyClick(window.tender_input, Qt.Key_Delete,
                   Qt.ControlModifier | Qt.ShiftModifier)
    typed(qtbot, page.code_input, "9999")
    assert window.presenter.basket.is_empty() and not window.presenter.state.paying
    qtbot.keyClick(window.scan_input, Qt.Key_F11)
    typed(qtbot, page.reason_input, "change for the bakery", enter=False)
    typed(qtbot, page.code_input, "9999")
    actions = [o.action for o in events(till, "OverrideRecorded")]
    assert actions == ["void_line", "cancel_sale", "no_sale"]
    assert "No sale recorded" in window.message_label.text()
    assert events(till, "SaleCompleted") == []
