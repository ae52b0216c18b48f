"""Every field a cashier or supervisor types into keeps a visible label (a placeholder vanishes at
the first key): the label is the field's buddy, so Alt + its underlined letter focuses the field
and a screen reader names the field by it. Real window (offscreen) at 1024x768."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QAccessible

from tests.fixtures.till import BREAD, COFFEE
from till.ui.qt import QComboBox, QLabel, QLineEdit, Qt

from .test_overrides_window import scan, till_require_shift, typed  # noqa: F401
from .test_overrides_window import window as till_window  # noqa: F401

SIZE = (1024, 768)


@pytest.fixture
def window(till_window):  # noqa: F811
    till_window.resize(*SIZE)
    till_window.activateWindow()  # mnemonics go to the active window
    return till_window


def label_of(field):
    """The visible label whose buddy is `field` (None when there is none)."""
    labels = [lb for lb in field.window().findChildren(QLabel)
              if lb.buddy() is field and lb.isVisible() and lb.text().strip("&")]
    return labels[0] if labels else None


def unlabelled(page):
    fields = page.findChildren(QLineEdit) + page.findChildren(QComboBox)
    return [f.objectName() or type(f).__name__ for f in fields
            if f.isVisible() and label_of(f) is None]


def spoken_name(field):
    return QAccessible.queryAccessibleInterface(field).text(QAccessible.Name)


def fits(window):
    """Nothing is squeezed below its minimum at 1024x768 (the layout would overflow instead)."""
    page = window.pages.currentWidget()
    return page.minimumSizeHint().height() <= page.height() and \
        page.minimumSizeHint().width() <= page.width()


def test_the_override_fields_keep_their_labels_while_the_supervisor_types(qtbot, window):
    scan(qtbot, window, COFFEE)
    qtbot.keyClick(window.scan_input, Qt.Key_F7)
    page = window.override_page
    assert unlabelled(page) == []
    typed(qtbot, page.value_input, "7.99", enter=False)
    typed(qtbot, page.code_input, "99", enter=False)
    assert label_of(page.value_input).text() == "&New unit price"
    assert label_of(page.code_input).text() == "&Supervisor PIN or badge"
    assert spoken_name(page.reason_input) == "Reason"
    qtbot.keyClick(page.value_input, Qt.Key_R, Qt.AltModifier)
    assert page.reason_input.hasFocus()
    qtbot.keyClick(page.reason_input, Qt.Key_S, Qt.AltModifier)
    assert page.code_input.hasFocus()
    assert fits(window)


def test_a_discount_names_its_field_and_a_no_sale_hides_the_value(qtbot, window):
    scan(qtbot, window, BREAD)
    qtbot.keyClick(window.scan_input, Qt.Key_F8)
    page = window.override_page
    assert label_of(page.value_input).text() == "&Discount"
    assert page.value_input.placeholderText() == "10% or an amount off each unit, e.g. 0.50"
    qtbot.keyClick(page.value_input, Qt.Key_Escape)
    qtbot.keyClick(window.scan_input, Qt.Key_Delete)
    qtbot.keyClick(window.scan_input, Qt.Key_F11)  # no sale: a reason and the supervisor only
    assert window.pages.currentWidget() is page
    assert not page.value_input.isVisible() and label_of(page.value_input) is None
    assert unlabelled(page) == [] and page.reason_input.hasFocus()


def test_the_gift_card_fields_are_labelled(qtbot, window):
    qtbot.keyClick(window.scan_input, Qt.Key_G, Qt.ControlModifier)
    page = window.gift_card_page
    assert unlabelled(page) == []
    assert label_of(page.amount_input).text() == "&Amount to load"
    assert not page.code_input.isVisible() and label_of(page.code_input) is None
    qtbot.keyClick(page.number_input, Qt.Key_A, Qt.AltModifier)
    assert page.amount_input.hasFocus()
    assert spoken_name(page.number_input) == "Card number"
    assert fits(window)


def test_the_returns_lookup_fields_are_labelled(qtbot, window):
    qtbot.keyClick(window.scan_input, Qt.Key_R, Qt.ControlModifier)
    page = window.return_page
    assert unlabelled(page) == []
    assert label_of(page.receipt_input).text() == "&Receipt"
    qtbot.keyClick(page.receipt_input, Qt.Key_S, Qt.AltModifier)
    assert page.code_input.hasFocus()
    assert fits(window)


def test_customer_search_and_the_new_customer_form_are_labelled(qtbot, window):
    qtbot.keyClick(window.scan_input, Qt.Key_L, Qt.ControlModifier)
    page = window.customer_page
    assert unlabelled(page) == [] and label_of(page.search_input).text() == "&Find"
    typed(qtbot, page.search_input, "Ann", enter=False)
    assert label_of(page.search_input) is not None  # still there with text typed
    qtbot.keyClick(page.search_input, Qt.Key_N, Qt.ControlModifier)
    assert page.form.isVisible() and unlabelled(page) == []
    assert [label_of(f).text() for f in (page.name_input, page.phone_input, page.email_input)] == [
        "&Name", "&Phone", "&Email"]
    qtbot.keyClick(page.name_input, Qt.Key_E, Qt.AltModifier)
    assert page.email_input.hasFocus()
    assert fits(window)


def test_cash_movements_and_the_cash_up_count_are_labelled(qtbot, window):
    qtbot.keyClick(window.scan_input, Qt.Key_F3)
    page = window.shift_page
    assert unlabelled(page) == []
    assert [label_of(f).text() for f in (page.kind_input, page.amount_input, page.reason_input)] \
        == ["&Movement", "&Amount", "&Reason"]
    qtbot.keyClick(page.kind_input, Qt.Key_Escape)
    qtbot.keyClick(window.scan_input, Qt.Key_F2)  # close: the blind count by denomination
    assert page.count_grid.isVisible() and unlabelled(page) == []
    assert label_of(page.pieces["5000"]).text() == "€50.00"
    assert spoken_name(page.pieces["200"]) == "€2.00"
    assert fits(window)


def test_the_cash_field_says_what_its_amount_is(qtbot, window):
    scan(qtbot, window, COFFEE)
    qtbot.keyClick(window.scan_input, Qt.Key_F12)
    assert window.tender_input.text() == "8.99"  # prefilled: what is due
    assert label_of(window.tender_input).text() == "Cash &given"
    qtbot.keyClick(window.tender_input, Qt.Key_Escape)
    qtbot.keyClick(window.scan_input, Qt.Key_G, Qt.AltModifier)
    assert window.tender_input.hasFocus()
    # the scan field alone goes by its placeholder: it is emptied after every scan, so it shows
    assert unlabelled(window.sale_page) == ["scanInput"]
    assert fits(window)
