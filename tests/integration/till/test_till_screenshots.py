"""The cashier guide's screenshots, taken from the real window at 1024x768 (offscreen, as every
window test runs): sign-in, a sale, a split-tender payment, a return, an exchange, an override
prompt and the Z report. Each is written to docs/screenshots/till-<flow>.png; the test checks the
window shows what the guide says it shows at the moment it is grabbed (and a gift card scanned at
the sale, till-gift-card.png)."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from shared.money import Money
from tests.fixtures.till import BREAD, COFFEE, MILK
from till.sale.tender import FakePaymentTerminal
from till.shift import cash_count
from till.ui.main_window import MainWindow
from till.ui.qt import QApplication, Qt

from .test_exchanges import bring_back
from .test_gift_card_scans import sell_card_loaded_with
from .test_overrides_window import typed
from .test_returns_window import choose_reason, sell_two_milk_and_bread

OUT = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
SIZE = (1024, 768)


def online():
    """The status bar of a till that syncs, as a store's would read (this test till has no HQ)."""
    return {"online": True, "pending": 0, "last_sync": datetime.now(UTC)}


@pytest.fixture
def till_require_shift():
    return True


@pytest.fixture
def till_terminal():
    return FakePaymentTerminal()


@pytest.fixture
def window(till, qtbot, till_cashier):
    if till_cashier is not None:
        till.shifts.open_shift(cash_count("EUR", amount=Money(10000, "EUR")), "Ana")
    win = MainWindow(till.presenter_factory(), online, till.identity())
    qtbot.addWidget(win)
    win.resize(*SIZE)
    win.show()
    qtbot.waitExposed(win)
    if win.pages.currentWidget() is win.sale_page:
        win.scan_input.setFocus()
    return win


def shot(window, flow: str) -> Path:
    for _ in range(3):  # layouts settle, the status bar ticks
        QApplication.processEvents()
    image = window.grab()
    path = OUT / f"till-{flow}.png"
    assert (image.width(), image.height()) == SIZE
    assert image.save(str(path)), f"could not write {path}"
    return path


def scan(qtbot, window, *products):
    for product in products:
        typed(qtbot, window.scan_input, product["sku"])


@pytest.mark.parametrize("till_cashier", [None])
def test_sign_in(window):
    assert window.pages.currentWidget() is window.sign_in_page
    shot(window, "sign-in")


def test_a_sale_with_lines_and_totals(qtbot, window):
    scan(qtbot, window, COFFEE, BREAD, MILK, MILK)
    assert window.total_label.text() == "Total €13.86"
    shot(window, "sale")


def test_split_tender_payment(qtbot, window):
    scan(qtbot, window, COFFEE, BREAD)
    qtbot.keyClick(window.scan_input, Qt.Key_F12)
    typed(qtbot, window.tender_input, "5", enter=False)
    qtbot.keyClick(window.tender_input, Qt.Key_F5)
    assert window.payment_panel.remaining_label.text() == "Due €6.48"
    shot(window, "split-tender")


def test_a_return_by_receipt(qtbot, window, till):
    sale = sell_two_milk_and_bread(till)
    qtbot.keyClick(window.scan_input, Qt.Key_R, Qt.ControlModifier)
    page = window.return_page
    typed(qtbot, page.receipt_input, sale.receipt_no)
    qtbot.keyClick(page.receipt_input, Qt.Key_Plus)
    choose_reason(page, "wrong_item")
    assert page.total_label.text() == "Refund €1.19"
    shot(window, "return")


def test_an_exchange(qtbot, window, till):
    sale = sell_two_milk_and_bread(till)
    scan(qtbot, window, COFFEE)
    bring_back(qtbot, window, sale.receipt_no)
    assert window.total_label.text() == "To pay €7.80"
    shot(window, "exchange")


def test_an_override_prompt(qtbot, window):
    scan(qtbot, window, COFFEE)
    qtbot.keyClick(window.scan_input, Qt.Key_F7)
    page = window.override_page
    typed(qtbot, page.value_input, "7.99", enter=False)
    typed(qtbot, page.reason_input, "damaged box", enter=False)
    assert window.pages.currentWidget() is page
    # typed-in fields keep their labels in sight (not placeholders that vanish)
    assert [page.form.labelForField(f).text() for f in (page.value_input, page.reason_input,
                                                        page.code_input)] == [
        "&New unit price", "&Reason", "&Supervisor PIN or badge"]
    shot(window, "override")


def test_a_gift_card_scanned_during_a_sale(qtbot, window):
    sell_card_loaded_with(qtbot, window, "20")
    scan(qtbot, window, COFFEE)
    typed(qtbot, window.scan_input, "6036 0000 0000 0013")  # the card, its panel closed
    page = window.gift_card_page
    assert window.pages.currentWidget() is page and page.pay_button.isVisible()
    assert page.balance_label.text() == "Gift card ••••0013: balance €20.00"
    shot(window, "gift-card")


def test_the_z_report(qtbot, window):
    scan(qtbot, window, COFFEE)
    qtbot.keyClick(window.scan_input, Qt.Key_F12)
    typed(qtbot, window.tender_input, "20")
    qtbot.keyClick(window.scan_input, Qt.Key_F2)
    page = window.shift_page
    typed(qtbot, page.pieces["5000"], "2", enter=False)
    typed(qtbot, page.pieces["500"], "1", enter=False)
    typed(qtbot, page.pieces["200"], "2", enter=False)
    qtbot.keyClick(page.pieces["200"], Qt.Key_Return)
    assert "Z report" in page.title.text()
    shot(window, "z-report")
