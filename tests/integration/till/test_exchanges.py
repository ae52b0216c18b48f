"""Exchanges on the real window (offscreen): goods from an earlier receipt come back into the
sale in progress (Ctrl+X), new goods are sold, and the net is paid or refunded — one ledger
transaction holding the return and the sale, linked by the exchange id."""

import pytest

from shared.events import Tender
from shared.money import Money
from tests.fixtures.till import BREAD, COFFEE, MILK, OPENING_STOCK
from till.ledger.sales import on_hand
from till.sale import Basket
from till.sale.tender import FakePaymentTerminal
from till.ui.qt import Qt

from .test_overrides_window import events, pay_cash, scan, typed, window  # noqa: F401
from .test_returns_window import choose_reason, sell_two_milk_and_bread


@pytest.fixture
def till_require_shift():
    return True


@pytest.fixture
def till_terminal():
    return FakePaymentTerminal()


def sell_coffee_by_card(till):
    basket = Basket("EUR")
    basket.add(till.catalog.lookup(COFFEE["sku"]))
    return till.sales.complete_sale_with_tenders(basket, [Tender("card", 899, "CARD-0001")], "Ana")


def bring_back(qtbot, window, receipt_no, reason="wrong_item", code=""):  # noqa: F811
    """Ctrl+X, the receipt, + on the first line, a reason, Enter: back on the sale screen."""
    qtbot.keyClick(window.scan_input, Qt.Key_X, Qt.ControlModifier)
    page = window.return_page
    assert window.pages.currentWidget() is page and page.title.text() == "Exchange: goods back"
    typed(qtbot, page.receipt_input, receipt_no)
    qtbot.keyClick(page.receipt_input, Qt.Key_Plus)
    choose_reason(page, reason)
    typed(qtbot, page.code_input, code)


def rows(window):  # noqa: F811
    return [(ln.name, ln.quantity, ln.total_text) for ln in window.presenter.state.lines]


def test_the_customer_pays_the_difference_and_both_halves_commit_together(qtbot, window, till):  # noqa: F811
    sold = sell_two_milk_and_bread(till)
    scan(qtbot, window, COFFEE)
    bring_back(qtbot, window, sold.receipt_no)
    assert window.pages.currentWidget() is window.sale_page
    assert rows(window) == [("Coffee beans 500g", 1, "€8.99"), ("Back: Milk 1L (wrong item)", -1, "-€1.19")]
    assert window.total_label.text() == "To pay €7.80"
    assert "back €1.19" in window.exchange_label.text() and window.exchange_label.isVisible()
    pay_cash(qtbot, window, "10")
    assert window.message_label.text() == "Exchange complete — change €2.20"
    (sale,) = events(till, "SaleCompleted")[1:]
    (ret,) = events(till, "ReturnCompleted")
    exchange_id = sale.tenders[0].reference
    assert [(t.kind, t.amount_minor) for t in sale.tenders] == [("exchange", 119), ("cash", 1000)]
    assert sale.change_minor == 220 and sale.total_minor == 899
    assert [(r.kind, r.amount_minor, r.reference) for r in ret.refunds] == [
        ("exchange", 119, exchange_id)]
    assert ret.original_sale_id == sold.sale_id and ret.lines[0].restock is True
    conn = till.ledger.connection()
    assert on_hand(conn, MILK["product_id"]) == OPENING_STOCK - 2 + 1
    assert on_hand(conn, COFFEE["product_id"]) == OPENING_STOCK - 1
    receipt = window.presenter.last_sale.receipt_text
    assert f"Returned (receipt {sold.receipt_no})" in receipt
    assert "-1 x Milk 1L (wrong item)           -€1.19" in receipt
    assert "Exchange credit                      €1.19" in receipt
    assert "NET TO PAY                           €7.80" in receipt
    report = till.shifts.x_report("Ana")  # the drawer saw €10 in, €2.20 out; nothing refunded
    assert report.expected_cash.minor == 10000 + 487 + 1000 - 220
    assert report.sums.cash_refunds_minor == 0


def test_the_customer_gets_the_difference_back_on_their_card(qtbot, window, till):  # noqa: F811
    sold = sell_coffee_by_card(till)
    bring_back(qtbot, window, sold.receipt_no, reason="damaged")
    assert "scan the new items" in window.message_label.text()
    scan(qtbot, window, BREAD)
    assert window.total_label.text() == "Refund €6.50"
    qtbot.keyClick(window.scan_input, Qt.Key_F12)
    assert "Refund €6.50 to the customer's original tender" in window.message_label.text()
    assert window.payment_panel.remaining_label.text() == "Refund €6.50"
    qtbot.keyClick(window.tender_input, Qt.Key_Return)
    assert window.message_label.text() == "Exchange complete — refunded Card €6.50"
    assert till.terminal.refunds == [("card", Money(650, "EUR"), "CARD-0001", "REFUND-0001")]
    (ret,) = events(till, "ReturnCompleted")
    (sale,) = events(till, "SaleCompleted")[1:]
    assert [(r.kind, r.amount_minor) for r in ret.refunds] == [("exchange", 249), ("card", 650)]
    assert ret.refunds[1].reference == "REFUND-0001" and ret.lines[0].restock is False
    assert [(t.kind, t.amount_minor) for t in sale.tenders] == [("exchange", 249)]
    assert on_hand(till.ledger.connection(), COFFEE["product_id"]) == OPENING_STOCK - 1  # damaged
    assert "NET REFUND" in window.presenter.last_sale.receipt_text


def test_a_declined_card_refund_commits_nothing_and_enter_again_gives_cash(qtbot, window, till):  # noqa: F811
    sold = sell_coffee_by_card(till)
    bring_back(qtbot, window, sold.receipt_no)
    scan(qtbot, window, MILK)
    till.terminal.decline_refund = "card expired"
    qtbot.keyClick(window.scan_input, Qt.Key_F12)
    qtbot.keyClick(window.tender_input, Qt.Key_Return)
    message = window.message_label.text()
    assert "declined (card expired)" in message and "nothing was refunded" in message
    assert "in cash" in message
    assert events(till, "ReturnCompleted") == [] and len(events(till, "SaleCompleted")) == 1
    assert rows(window)[1][0].startswith("Back: Coffee")  # the exchange is still on screen
    qtbot.keyClick(window.tender_input, Qt.Key_Return)
    (ret,) = events(till, "ReturnCompleted")
    assert [(r.kind, r.amount_minor) for r in ret.refunds] == [("exchange", 119), ("cash", 780)]
    assert window.message_label.text() == "Exchange complete — refunded Cash €7.80"
    assert till.shifts.x_report("Ana").sums.cash_refunds_minor == 780


def test_goods_back_beyond_the_receipt_need_a_supervisor_as_a_return_does(qtbot, window, till):  # noqa: F811
    sold = sell_coffee_by_card(till)
    qtbot.keyClick(window.scan_input, Qt.Key_X, Qt.ControlModifier)
    page = window.return_page
    typed(qtbot, page.receipt_input, sold.receipt_no)
    qtbot.keyClick(page.receipt_input, Qt.Key_Plus)
    qtbot.keyClick(page.receipt_input, Qt.Key_Plus)  # 2 back, 1 was sold
    choose_reason(page, "changed_mind")
    typed(qtbot, page.code_input, "")
    assert "supervisor" in page.message_label.text() and window.pages.currentWidget() is page
    typed(qtbot, page.code_input, "9999")
    assert window.pages.currentWidget() is window.sale_page
    assert events(till, "OverrideRecorded") == []  # approved, but only a fact with the sale
    scan(qtbot, window, COFFEE)
    scan(qtbot, window, COFFEE)
    assert window.total_label.text() == "To pay €0.00"
    qtbot.keyClick(window.scan_input, Qt.Key_F12)
    assert "Nothing to pay or refund" in window.message_label.text()
    qtbot.keyClick(window.tender_input, Qt.Key_Return)
    (override,) = events(till, "OverrideRecorded")
    (ret,) = events(till, "ReturnCompleted")
    assert override.action == "refund_beyond_sold" and ret.approved_by == "Sam"
    assert [(r.kind, r.amount_minor) for r in ret.refunds] == [("exchange", 1798)]


def test_delete_on_a_returned_line_takes_the_goods_out_and_esc_keeps_the_sale(qtbot, window, till):  # noqa: F811
    sold = sell_two_milk_and_bread(till)
    scan(qtbot, window, COFFEE)
    bring_back(qtbot, window, sold.receipt_no)
    qtbot.keyClick(window.scan_input, Qt.Key_P, Qt.ControlModifier)
    assert window.message_label.text().startswith("An exchange cannot be parked")
    window.lines_table.selectRow(1)
    qtbot.keyClick(window.scan_input, Qt.Key_Delete)
    assert rows(window) == [("Coffee beans 500g", 1, "€8.99")]
    assert window.total_label.text() == "Total €8.99" and not window.exchange_label.isVisible()
    pay_cash(qtbot, window, "10")
    assert events(till, "ReturnCompleted") == []
    assert window.message_label.text() == "Sale complete — change €1.01"


def test_a_failing_sale_write_leaves_no_return_half(qtbot, window, till, monkeypatch):  # noqa: F811
    import till.sale.service as service

    sold = sell_two_milk_and_bread(till)
    scan(qtbot, window, COFFEE)
    bring_back(qtbot, window, sold.receipt_no)

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(service, "settle_gift_cards", broken)  # inside the one transaction
    with pytest.raises(RuntimeError):
        window.presenter.begin_payment()
        window.presenter.tender_cash("10")
    assert events(till, "ReturnCompleted") == [] and len(events(till, "SaleCompleted")) == 1
    assert on_hand(till.ledger.connection(), MILK["product_id"]) == OPENING_STOCK - 2
