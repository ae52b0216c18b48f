"""Returns on the real window (offscreen): by receipt, beyond what was sold, without a receipt."""

from shared.money import Money
from tests.fixtures.till import BREAD, MILK, OPENING_STOCK
from till.ledger.sales import on_hand
from till.sale import Basket
from till.ui.qt import Qt

from .test_overrides_window import events, till_require_shift, typed, window  # noqa: F401


def sell_two_milk_and_bread(till):
    basket = Basket("EUR")
    basket.add(till.catalog.lookup(MILK["sku"]), 2)
    basket.add(till.catalog.lookup(BREAD["sku"]))
    return till.sales.complete_sale(basket, Money(1000, "EUR"), "Ana")


def choose_reason(page, key):
    page.reason_input.setCurrentIndex(page.reason_input.findData(key))


def test_a_return_by_receipt_refunds_cash_and_restocks_unless_damaged(qtbot, window, till):  # noqa: F811
    sale = sell_two_milk_and_bread(till)
    qtbot.keyClick(window.scan_input, Qt.Key_R, Qt.ControlModifier)
    page = window.return_page
    assert window.pages.currentWidget() is page
    typed(qtbot, page.receipt_input, sale.receipt_no)
    assert page.lines_table.item(0, 2).text() == "2"  # refundable
    qtbot.keyClick(page.receipt_input, Qt.Key_Plus)
    choose_reason(page, "damaged")
    typed(qtbot, page.code_input, "")
    assert window.pages.currentWidget() is window.sale_page
    (first,) = events(till, "ReturnCompleted")
    assert first.original_sale_id == sale.sale_id and first.total_minor == 119
    assert [(r.kind, r.amount_minor) for r in first.refunds] == [("cash", 119)]
    assert first.lines[0].restock is False and first.approved_by == ""
    assert on_hand(till.ledger.connection(), MILK["product_id"]) == OPENING_STOCK - 2

    qtbot.keyClick(window.scan_input, Qt.Key_R, Qt.ControlModifier)
    typed(qtbot, page.receipt_input, sale.receipt_no)
    assert page.lines_table.item(0, 2).text() == "1"
    qtbot.keyClick(page.receipt_input, Qt.Key_Plus)
    qtbot.keyClick(page.receipt_input, Qt.Key_Plus)  # 2 back, only 1 left to refund
    choose_reason(page, "changed_mind")
    typed(qtbot, page.code_input, "")
    assert "supervisor" in page.message_label.text()
    typed(qtbot, page.code_input, "1111")
    assert len(events(till, "ReturnCompleted")) == 1  # a cashier's PIN approves nothing
    typed(qtbot, page.code_input, "9999")
    second = events(till, "ReturnCompleted")[-1]
    assert second.approved_by == "Sam" and second.lines[0].restock is True
    assert [o.action for o in events(till, "OverrideRecorded")] == ["refund_beyond_sold"]
    assert on_hand(till.ledger.connection(), MILK["product_id"]) == OPENING_STOCK

    report = till.shifts.x_report("Ana")
    assert report.sums.cash_refunds_minor == 119 * 3 and report.sums.returns_count == 2
    assert report.expected_cash.minor == 10000 + 487 - 119 * 3


def test_a_return_without_receipt_needs_a_supervisor(qtbot, window, till):  # noqa: F811
    qtbot.keyClick(window.scan_input, Qt.Key_R, Qt.ControlModifier)
    page = window.return_page
    typed(qtbot, page.receipt_input, BREAD["sku"])
    choose_reason(page, "faulty")
    typed(qtbot, page.code_input, "")
    assert events(till, "ReturnCompleted") == []
    typed(qtbot, page.code_input, "4321")
    (ret,) = events(till, "ReturnCompleted")
    assert ret.original_sale_id == "" and ret.approved_by == "Mia"
    assert events(till, "OverrideRecorded")[0].action == "refund_without_receipt"
