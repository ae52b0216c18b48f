"""Parking and recalling a sale (also across a restart) and training mode, on the real window."""

import pytest

from shared.events import parse_payload
from shared.money import Money
from tests.fixtures.till import BREAD, COFFEE, MILK, STORE_ID, product_change
from till.bootstrap import build_till
from till.ledger.journal import all_events
from till.ledger.master_data import apply_change
from till.ledger.returns import sale_by_receipt
from till.ledger.sales import on_hand, receipt_row
from till.shift import cash_count
from till.ui.main_window import MainWindow
from till.ui.qt import Qt


@pytest.fixture
def till_require_shift():
    return True


def open_window(qtbot, till):
    win = MainWindow(till.presenter_factory(), lambda: None, till.identity())
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.scan_input.setFocus()
    return win


@pytest.fixture
def window(till, qtbot):
    till.shifts.open_shift(cash_count("EUR", amount=Money(10000, "EUR")), "Ana")
    return open_window(qtbot, till)


def typed(qtbot, field, text, enter=True):
    field.clear()
    qtbot.keyClicks(field, text)
    if enter:
        qtbot.keyClick(field, Qt.Key_Return)


def sales(till):
    found = [parse_payload(e.type, e.schema_version, e.payload)
             for e in all_events(till.ledger.connection())]
    return [e for e in found if type(e).__name__ == "SaleCompleted"]


def scan(qtbot, window, product):
    typed(qtbot, window.scan_input, product["sku"])


def pay_cash(qtbot, window, amount="50"):
    qtbot.keyClick(window.scan_input, Qt.Key_F12)
    typed(qtbot, window.tender_input, amount)


def test_a_parked_sale_survives_a_restart_and_is_recalled_and_paid(qtbot, window, till,
                                                                    till_data_dir):
    scan(qtbot, window, MILK)
    scan(qtbot, window, MILK)
    scan(qtbot, window, BREAD)
    qtbot.keyClick(window.scan_input, Qt.Key_F7)  # a supervisor's price on the bread line
    page = window.override_page
    typed(qtbot, page.value_input, "1.99", enter=False)
    typed(qtbot, page.reason_input, "shelf label", enter=False)
    typed(qtbot, page.code_input, "9999")
    qtbot.keyClick(window.scan_input, Qt.Key_P, Qt.ControlModifier)
    assert "Sale parked (3 items, €4.37)" in window.message_label.text()
    assert window.lines_table.rowCount() == 0 and sales(till) == []
    window.close()
    till.close()

    restarted = build_till(till_data_dir, "none", cashier="Ana")
    try:
        win = open_window(qtbot, restarted)
        qtbot.keyClick(win.scan_input, Qt.Key_U, Qt.ControlModifier)
        assert win.pages.currentWidget() is win.parked_page
        (row,) = [win.parked_page.list.item(i).text() for i in range(win.parked_page.list.count())]
        assert "Ana" in row and "3 items" in row and "€4.37" in row
        qtbot.keyClick(win.parked_page.list, Qt.Key_Return)
        assert win.pages.currentWidget() is win.sale_page
        assert "Recalled Ana's sale, €4.37" in win.message_label.text()
        assert [win.lines_table.item(r, 0).text() for r in range(2)] == ["Milk 1L",
                                                                         "White bread *"]
        pay_cash(qtbot, win, "5")
        (sale,) = sales(restarted)
        assert [(ln.sku, ln.quantity, ln.unit_price_minor) for ln in sale.lines] == [
            ("MILK-1L", 2, 119), ("BREAD-WHITE", 1, 199)]
        assert sale.line_overrides[0]["approved_by"] == "Sam" and not sale.training
        qtbot.keyClick(win.scan_input, Qt.Key_U, Qt.ControlModifier)  # it left the list
        assert win.message_label.text() == "No parked sales"
    finally:
        restarted.close()


def test_recall_keeps_the_parked_price_of_a_product_hq_repriced_or_deactivated(qtbot, window,
                                                                               till):
    scan(qtbot, window, MILK)
    scan(qtbot, window, COFFEE)
    qtbot.keyClick(window.scan_input, Qt.Key_P, Qt.ControlModifier)
    with till.ledger.transaction() as uow:
        apply_change(uow, product_change(500, {**MILK, "price_minor": 149}), STORE_ID)
        apply_change(uow, product_change(501, {**COFFEE, "active": False}), STORE_ID)
    qtbot.keyClick(window.scan_input, Qt.Key_U, Qt.ControlModifier)
    qtbot.keyClick(window.parked_page.list, Qt.Key_Return)
    message = window.message_label.text()
    assert "Milk 1L now costs €1.49 — kept at the parked price €1.19" in message
    assert "Coffee beans 500g is no longer sold (HQ deactivated it) — kept at the parked " \
           "price €8.99" in message
    pay_cash(qtbot, window, "20")
    assert sales(till)[0].total_minor == 119 + 899


def test_parking_is_refused_while_paying_and_recall_needs_an_empty_basket(qtbot, window, till):
    qtbot.keyClick(window.scan_input, Qt.Key_P, Qt.ControlModifier)
    assert "Nothing to park" in window.message_label.text()
    scan(qtbot, window, MILK)
    qtbot.keyClick(window.scan_input, Qt.Key_F12)
    qtbot.keyClick(window.tender_input, Qt.Key_P, Qt.ControlModifier)
    assert "Cancel the payment first" in window.message_label.text()
    qtbot.keyClick(window.tender_input, Qt.Key_Escape)
    qtbot.keyClick(window.scan_input, Qt.Key_P, Qt.ControlModifier)
    scan(qtbot, window, BREAD)
    qtbot.keyClick(window.scan_input, Qt.Key_U, Qt.ControlModifier)
    assert "before recalling another" in window.message_label.text()
    assert window.pages.currentWidget() is window.sale_page


def enter_training(qtbot, window, code="9999"):
    qtbot.keyClick(window.scan_input, Qt.Key_T, Qt.ControlModifier)
    assert window.pages.currentWidget() is window.override_page
    typed(qtbot, window.override_page.code_input, code)


def test_training_needs_a_supervisor_and_shows_a_banner(qtbot, window, till):
    assert window.training_banner.isHidden()
    enter_training(qtbot, window, "1111")  # Ana is a cashier
    assert "Not a supervisor" in window.override_page.message_label.text()
    assert not window.presenter.state.training
    typed(qtbot, window.override_page.code_input, "9999")
    assert window.pages.currentWidget() is window.sale_page
    assert window.training_banner.isVisible()
    assert window.training_banner.text() == "TRAINING — nothing is sold"
    qtbot.keyClick(window.scan_input, Qt.Key_T, Qt.ControlModifier)  # leaving needs nobody
    assert window.training_banner.isHidden() and "Training mode ended" in \
        window.message_label.text()


def test_a_training_sale_is_journaled_as_training_and_moves_no_stock_or_totals(qtbot, window,
                                                                                till):
    scan(qtbot, window, BREAD)
    pay_cash(qtbot, window, "5")  # one real sale
    enter_training(qtbot, window)
    scan(qtbot, window, MILK)
    scan(qtbot, window, MILK)
    pay_cash(qtbot, window, "10")
    assert window.message_label.text().startswith("Training sale complete (nothing sold)")
    real, training = sales(till)
    assert (real.training, training.training) == (False, True)
    conn = till.ledger.connection()
    assert on_hand(conn, MILK["product_id"]) == 20 and on_hand(conn, BREAD["product_id"]) == 19
    sums = till.shifts.x_report("Ana").sums
    assert (sums.sales_count, sums.sales_total_minor) == (1, 249)
    assert sums.tender_totals == {"cash": 500} and sums.change_minor == 251
    text = receipt_row(conn, training.sale_id)["text"].strip().splitlines()
    assert "TRAINING" in text[0] and "TRAINING" in text[-1]
    assert "TRAINING" not in receipt_row(conn, real.sale_id)["text"]
    assert sale_by_receipt(conn, training.receipt_no) is None  # nothing to return
    assert sale_by_receipt(conn, real.receipt_no) is not None


def test_training_mode_is_switched_only_between_sales_and_ends_at_sign_out(qtbot, window):
    scan(qtbot, window, MILK)
    qtbot.keyClick(window.scan_input, Qt.Key_T, Qt.ControlModifier)
    assert "before switching training mode" in window.message_label.text()
    qtbot.keyClick(window.scan_input, Qt.Key_Delete)
    enter_training(qtbot, window)
    assert window.presenter.state.training
    window.presenter.sign_out()
    assert not window.presenter.state.training
