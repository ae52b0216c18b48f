"""Gift cards and store credit on the real window (offscreen), driven by the keyboard: sell a
card (Ctrl+G), pay a sale partly with it and partly in cash, refund a return as store credit (its
note printed with the number as a barcode) and pay with that credit; a card the till does not
know pays only with a supervisor."""

from __future__ import annotations

import pytest

from shared.gift_cards import luhn_check_digit
from tests.fixtures.till import BREAD, COFFEE, MILK
from till.ledger.sales import receipt_row
from till.ui.qt import Qt

from .test_overrides_window import events, scan, till_require_shift, typed, window  # noqa: F401

CARD = "603600000000001" + luhn_check_digit("603600000000001")  # ends 0013
STRANGER = "603600000000009" + luhn_check_digit("603600000000009")


@pytest.fixture
def till_printer_spec(till_data_dir):
    return f"file:{till_data_dir / 'printer.bin'}"


def gift_card_key(qtbot, window):  # noqa: F811
    qtbot.keyClick(window.scan_input, Qt.Key_G, Qt.ControlModifier)
    assert window.pages.currentWidget() is window.gift_card_page
    return window.gift_card_page


def pay_with_card(qtbot, window, number, amount=""):  # noqa: F811
    qtbot.keyClick(window.scan_input, Qt.Key_F12)
    page = gift_card_key(qtbot, window)
    typed(qtbot, page.number_input, number)
    typed(qtbot, page.amount_input, amount)
    return page


def printed(till_data_dir):
    path = till_data_dir / "printer.bin"
    return path.read_bytes() if path.exists() else b""


def test_a_card_sold_then_pays_part_of_a_sale_with_cash_for_the_rest(qtbot, window, till):  # noqa: F811
    page = gift_card_key(qtbot, window)
    assert page.title.text() == "Sell a gift card"
    typed(qtbot, page.number_input, "6036 0000 0000 0019")  # one digit wrong
    assert "does not check out" in page.message_label.text()
    typed(qtbot, page.number_input, CARD)
    assert page.balance_label.text() == "New card ••••0013"
    typed(qtbot, page.amount_input, "50.00")
    assert window.pages.currentWidget() is window.sale_page
    assert window.lines_table.item(0, 0).text() == "Gift card ••••0013 load"
    qtbot.keyClick(window.scan_input, Qt.Key_F12)
    typed(qtbot, window.tender_input, "50")
    (load,) = events(till, "GiftCardPosted")
    assert (load.card_number, load.delta_minor, load.reason) == (CARD, 5000, "load")

    scan(qtbot, window, COFFEE)
    scan(qtbot, window, BREAD)  # 8.99 + 2.49 = 11.48
    page = pay_with_card(qtbot, window, CARD, "10.00")
    assert window.pages.currentWidget() is window.sale_page
    assert "Gift card ••••0013 paid €10.00 — €1.48 more needed" in window.message_label.text()
    assert window.presenter.state.tenders == ["Gift card ••••0013  €10.00"]  # masked on screen
    typed(qtbot, window.tender_input, "2")
    assert window.message_label.text().startswith("Sale complete — change €0.52")
    sale = events(till, "SaleCompleted")[-1]
    assert [(t.kind, t.amount_minor, t.reference) for t in sale.tenders] == [
        ("gift_card", 1000, CARD), ("cash", 200, "")]
    receipt = receipt_row(till.ledger.connection(), sale.sale_id)["text"]
    assert "Gift card ****0013" in receipt and "Gift card ****0013 balance €40.00" in receipt

    scan(qtbot, window, MILK)
    page = pay_with_card(qtbot, window, CARD, "45")
    assert window.pages.currentWidget() is page
    assert "holds €40.00 — take at most that" in page.message_label.text()
    typed(qtbot, page.amount_input, "")  # empty: all the card can pay, here the whole bill
    assert "Sale complete" in window.message_label.text()
    assert "Gift card ••••0013 balance €38.81" in window.message_label.text()


def test_a_return_refunded_as_store_credit_prints_a_note_that_pays_later(qtbot, window, till,  # noqa: F811
                                                                        till_data_dir):
    scan(qtbot, window, COFFEE)
    qtbot.keyClick(window.scan_input, Qt.Key_F12)
    typed(qtbot, window.tender_input, "10")
    sale = events(till, "SaleCompleted")[-1]

    qtbot.keyClick(window.scan_input, Qt.Key_R, Qt.ControlModifier)
    page = window.return_page
    typed(qtbot, page.receipt_input, sale.receipt_no)
    qtbot.keyClick(page.receipt_input, Qt.Key_Plus)
    page.reason_input.setCurrentIndex(page.reason_input.findData("changed_mind"))
    page.refund_to_input.setCurrentIndex(page.refund_to_input.findData("store_credit"))
    typed(qtbot, page.code_input, "")
    (ret,) = events(till, "ReturnCompleted")
    (refund,) = ret.refunds
    credit = refund.reference
    assert (refund.kind, refund.amount_minor) == ("store_credit", 899) and credit.startswith("99")
    assert f"€8.99 put on a new store credit note ••••{credit[-4:]} — balance €8.99" in \
        window.message_label.text()
    qtbot.waitUntil(lambda: b"{B" + credit.encode() in printed(till_data_dir), timeout=5000)
    assert b"STORE CREDIT" in printed(till_data_dir)  # the note, with its CODE128 barcode

    scan(qtbot, window, BREAD)
    pay_with_card(qtbot, window, credit)
    assert window.message_label.text().startswith("Sale complete")
    paid = events(till, "SaleCompleted")[-1]
    assert [(t.kind, t.amount_minor) for t in paid.tenders] == [("store_credit", 249)]
    assert till.presenter_factory().gift_cards.service.card(credit).balance_minor == 899 - 249
    report = till.shifts.x_report("Ana")
    assert report.sums.cash_refunds_minor == 0  # nothing came out of the drawer


def test_a_card_the_till_does_not_know_pays_after_a_supervisor_approves(qtbot, window, till):  # noqa: F811
    scan(qtbot, window, BREAD)
    page = pay_with_card(qtbot, window, STRANGER)
    assert "not known on this till" in page.balance_label.text()
    assert page.code_input.isVisible() and "supervisor" in page.message_label.text()
    typed(qtbot, page.code_input, "1111")  # a cashier's PIN approves nothing
    assert window.pages.currentWidget() is page and events(till, "SaleCompleted") == []
    typed(qtbot, page.code_input, "9999")
    assert window.message_label.text().startswith("Sale complete")
    (override,) = events(till, "OverrideRecorded")
    assert (override.action, override.approved_by) == ("unknown_gift_card", "Sam")
    (posted,) = events(till, "GiftCardPosted")
    assert (posted.card_number, posted.delta_minor, posted.approved_by) == (STRANGER, -249, "Sam")


def test_a_scanner_reads_the_card_into_the_open_panel_not_into_the_sale(qtbot, window, till):  # noqa: F811
    page = gift_card_key(qtbot, window)
    window.scan_from_device(CARD)  # as a serial or HID scanner delivers it
    assert page.number_input.text() == CARD and page.balance_label.text() == "New card ••••0013"
    typed(qtbot, page.amount_input, "20")
    assert [line.product.name for line in window.presenter.basket.lines] == ["Gift card ••••0013 load"]
    window.scan_from_device(MILK["barcodes"][0])  # panel closed: scans sell again
    assert len(window.presenter.basket.lines) == 2
