"""A gift card scanned (or typed) into the sale's scan field with the gift card panel closed: the
panel opens on the card with its balance and its choices — load it, pay with it while paying, F12
to pay a sale in progress with it. Product barcodes win; a mistyped card changes nothing. Real
window (offscreen), keyboard only."""

from __future__ import annotations

from shared.gift_cards import luhn_check_digit, new_store_credit_number
from tests.fixtures.till import BREAD, COFFEE, STORE_ID, catalog_page
from till.ledger.master_data import apply_pull_page
from till.ui.qt import Qt

from .test_overrides_window import events, scan, till_require_shift, typed, window  # noqa: F401

CARD = "603600000000001" + luhn_check_digit("603600000000001")  # ends 0013
# A store's own 16-digit shelf label that happens to pass the card check digit.
LABELLED = {"product_id": "p-hamper", "sku": "HAMPER-XL", "name": "Gift hamper", "price_minor": 3500,
            "barcodes": ["200000000000001" + luhn_check_digit("200000000000001")]}


def scanned_at_sale(qtbot, window, code):  # noqa: F811
    """Typed into the scan field and Enter: what a keyboard or a keyboard-wedge scanner does."""
    assert window.pages.currentWidget() is window.sale_page
    typed(qtbot, window.scan_input, code)


def sell_card_loaded_with(qtbot, window, amount):  # noqa: F811
    scanned_at_sale(qtbot, window, CARD)
    typed(qtbot, window.gift_card_page.amount_input, amount)
    qtbot.keyClick(window.scan_input, Qt.Key_F12)
    typed(qtbot, window.tender_input, amount)
    assert window.message_label.text().startswith("Sale complete")


def test_a_card_typed_at_the_scan_field_opens_the_panel_on_it_to_load(qtbot, window, till):  # noqa: F811
    scanned_at_sale(qtbot, window, "6036 0000 0000 0013")  # as printed on the card
    page = window.gift_card_page
    assert window.pages.currentWidget() is page
    assert page.title.text() == "Gift card ••••0013"
    assert page.number_input.text() == CARD and page.balance_label.text() == "New card ••••0013"
    assert page.message_label.text() == ("Card ••••0013 scanned — type an amount to load onto it, "
                                         "Enter; Esc goes back")
    assert page.amount_input.hasFocus() and not page.pay_button.isVisible()
    assert window.scan_input.text() == ""  # the scan was understood
    typed(qtbot, page.amount_input, "25.00")
    assert window.pages.currentWidget() is window.sale_page
    assert window.lines_table.item(0, 0).text() == "Gift card ••••0013 load"


def test_esc_goes_back_from_a_scanned_card_and_nothing_changed(qtbot, window, till):  # noqa: F811
    scan(qtbot, window, BREAD)
    scanned_at_sale(qtbot, window, CARD)
    qtbot.keyClick(window.gift_card_page.amount_input, Qt.Key_Escape)
    assert window.pages.currentWidget() is window.sale_page and window.scan_input.hasFocus()
    assert [line.product.name for line in window.presenter.basket.lines] == ["White bread"]


def test_a_card_scanned_while_paying_pays_with_its_balance(qtbot, window, till):  # noqa: F811
    sell_card_loaded_with(qtbot, window, "20")
    scan(qtbot, window, COFFEE)
    qtbot.keyClick(window.scan_input, Qt.Key_F12)
    window.scan_from_device("]C0" + CARD)  # a CODE128 read with its symbology identifier
    page = window.gift_card_page
    assert window.pages.currentWidget() is page and page.title.text().startswith("Pay with")
    assert page.number_input.text() == CARD
    assert page.balance_label.text() == "Gift card ••••0013: balance €20.00"
    assert "Enter pays all it can" in page.message_label.text()
    qtbot.keyClick(page.amount_input, Qt.Key_Return)
    assert window.message_label.text().startswith("Sale complete")
    sale = events(till, "SaleCompleted")[-1]
    assert [(t.kind, t.amount_minor, t.reference) for t in sale.tenders] == [
        ("gift_card", 899, CARD)]


def test_f12_pays_the_sale_in_progress_with_the_scanned_card(qtbot, window, till):  # noqa: F811
    sell_card_loaded_with(qtbot, window, "20")
    scan(qtbot, window, BREAD)
    scanned_at_sale(qtbot, window, CARD)
    page = window.gift_card_page
    assert page.pay_button.isVisible()
    assert ("type an amount to load onto it, Enter, or F12 pays this sale with it"
            in page.message_label.text())
    qtbot.keyClick(page.amount_input, Qt.Key_F12)
    assert window.presenter.state.paying and page.title.text().startswith("Pay with")
    assert page.number_input.text() == CARD and page.amount_input.hasFocus()
    qtbot.keyClick(page.amount_input, Qt.Key_Return)
    assert window.message_label.text().startswith("Sale complete")
    assert "Gift card ••••0013 balance €17.51" in window.message_label.text()


def test_a_card_the_till_never_saw_is_offered_for_loading_only(qtbot, window):  # noqa: F811
    scan(qtbot, window, BREAD)
    scanned_at_sale(qtbot, window, CARD)
    page = window.gift_card_page
    assert page.balance_label.text() == "New card ••••0013" and not page.pay_button.isVisible()
    assert "F12" not in page.message_label.text()


def test_a_credit_note_scanned_pays_and_is_never_loaded(qtbot, window, till):  # noqa: F811
    note = new_store_credit_number()
    scanned_at_sale(qtbot, window, note)
    page = window.gift_card_page
    assert page.title.text() == f"Store credit ••••{note[-4:]}"
    assert "store credit pays for a sale: Esc, scan the items, F12" in page.message_label.text()
    qtbot.keyClick(page.amount_input, Qt.Key_Escape)
    scan(qtbot, window, BREAD)
    scanned_at_sale(qtbot, window, note)
    assert page.pay_button.isVisible()
    assert "store credit: F12 pays this sale with it" in page.message_label.text()
    qtbot.keyClick(page.amount_input, Qt.Key_F12)  # not synced here yet: a supervisor approves
    assert window.presenter.state.paying and page.number_input.text() == note
    qtbot.keyClick(page.amount_input, Qt.Key_Return)
    assert page.code_input.isVisible() and page.code_input.hasFocus()
    typed(qtbot, page.code_input, "9999")
    assert window.message_label.text().startswith("Sale complete")
    assert [(t.kind, t.reference) for t in events(till, "SaleCompleted")[-1].tenders] == [
        ("gift_card", note)]


def test_a_product_barcode_that_passes_the_card_check_still_sells_the_product(qtbot, window, till):  # noqa: F811
    with till.ledger.transaction() as uow:
        apply_pull_page(uow, catalog_page([LABELLED], first_cursor=500), STORE_ID)
    label = LABELLED["barcodes"][0]
    scanned_at_sale(qtbot, window, label)
    window.scan_from_device(label)
    assert window.pages.currentWidget() is window.sale_page
    assert not window.presenter.gift_cards.state.mode
    assert [(line.product.name, line.quantity) for line in window.presenter.basket.lines] == [
        ("Gift hamper", 2)]


def test_a_mistyped_card_number_says_so_and_changes_nothing(qtbot, window, till):  # noqa: F811
    scan(qtbot, window, BREAD)
    before = len(events(till))
    scanned_at_sale(qtbot, window, "6036 0000 0000 0019")  # one digit wrong
    assert window.pages.currentWidget() is window.sale_page
    assert window.message_label.text() == (
        "6036 0000 0000 0019: no product has this code, and as a gift card number it does not "
        "check out (a digit is wrong) — scan it again or type it again")
    assert window.scan_input.selectedText() == "6036 0000 0000 0019"  # the next scan replaces it
    window.scan_from_device("6036000000000019")
    assert "does not check out" in window.message_label.text()
    assert not window.presenter.gift_cards.state.mode
    assert [line.product.name for line in window.presenter.basket.lines] == ["White bread"]
    assert len(events(till)) == before


def test_other_unknown_codes_are_still_unknown_products(qtbot, window):  # noqa: F811
    scanned_at_sale(qtbot, window, "60360000000000131")  # 17 digits: not card-shaped
    assert window.message_label.text().startswith("No product with barcode 60360000000000131")
    assert window.pages.currentWidget() is window.sale_page
