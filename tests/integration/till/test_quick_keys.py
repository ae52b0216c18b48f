"""Quick keys for unbarcoded items: HQ's "quick_key" attribute pulled into a real ledger file and
the grid driven through the real window offscreen (Ctrl+K, the button, keys and touch)."""

import pytest

from tests.fixtures.till import MILK
from till.sale import Catalog
from till.ui.main_window import MainWindow
from till.ui.qt import Qt

from .test_variants import FAMILY, TEE, pull_family

CROISSANT = {"product_id": "p-croissant", "sku": "BAK-CROISSANT", "name": "Croissant",
             "price_minor": 180, "barcodes": [], "attributes": {"quick_key": "Bakery/1"}}
ROLL = {"product_id": "p-roll", "sku": "BAK-ROLL", "name": "Bread roll", "price_minor": 45,
        "barcodes": [], "attributes": {"quick_key": "Bakery/2"}}
BANANA = {"product_id": "p-banana", "sku": "FRU-BANANA", "name": "Banana", "price_minor": 25,
          "barcodes": [], "attributes": {"quick_key": "Fruit/1"}, "unit": "each"}
OLD_BUN = {"product_id": "p-bun", "sku": "BAK-BUN", "name": "Old bun", "price_minor": 60,
           "barcodes": [], "attributes": {"quick_key": "Bakery/3"}, "active": False}
MISKEYED = {"product_id": "p-plum", "sku": "FRU-PLUM", "name": "Plum", "price_minor": 30,
            "barcodes": [], "attributes": {"quick_key": "Fruit/first"}}
QUICK = [CROISSANT, ROLL, BANANA, OLD_BUN, MISKEYED,
         *FAMILY[1:], {**TEE, "attributes": {"quick_key": "Clothes/1"}}]


def test_quick_keys_come_from_active_products_by_page_and_position(till_ledger):
    pull_family(till_ledger, QUICK, first_cursor=900)
    keys = Catalog(till_ledger).quick_keys()
    assert [(k.page, k.position, k.product.name) for k in keys] == [
        ("Bakery", 1, "Croissant"), ("Bakery", 2, "Bread roll"), ("Clothes", 1, "Classic tee"),
        ("Fruit", 1, "Banana")]  # the retired bun and the malformed plum key are left out
    plan = " ".join(row[3] for row in till_ledger.connection().execute(
        "EXPLAIN QUERY PLAN SELECT * FROM products p "
        "WHERE json_extract(p.attributes, '$.quick_key') IS NOT NULL"))
    assert "products_quick_key" in plan


@pytest.fixture
def window(till, qtbot):
    pull_family(till.ledger, QUICK, first_cursor=900)
    win = MainWindow(till.presenter_factory(), lambda: None, till.identity())
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.scan_input.setFocus()
    return win


def lines(window):
    return [(ln.name, ln.quantity, ln.price_text) for ln in window.presenter.state.lines]


def button_texts(window):
    return [b.text() for b in window.quick_keys_page.buttons]


def test_ctrl_k_opens_the_grid_and_enter_on_a_key_adds_it_as_a_scan_would(qtbot, window):
    qtbot.keyClick(window.scan_input, Qt.Key_K, Qt.ControlModifier)
    page = window.quick_keys_page
    assert window.pages.currentWidget() is page
    assert page.title.text() == "Quick keys — Bakery (1/3)"
    assert button_texts(window) == ["Croissant\n€1.80", "Bread roll\n€0.45"]
    assert all(b.minimumHeight() >= 96 for b in page.buttons)  # touch-sized
    qtbot.keyClick(page.buttons[0], Qt.Key_Right)
    qtbot.keyClick(page.buttons[0], Qt.Key_Return)
    assert window.pages.currentWidget() is page  # stays open for the next item
    assert lines(window) == [("Bread roll", 1, "€0.45")]
    assert "Added 1 x Bread roll" in page.message_label.text()
    qtbot.keyClick(page.buttons[0], Qt.Key_Escape)
    assert window.pages.currentWidget() is window.sale_page
    assert "Added 1 x Bread roll" in window.message_label.text()


def test_the_grid_takes_several_taps_without_reopening_and_done_closes_it(qtbot, window):
    qtbot.mouseClick(window.quick_keys_button, Qt.LeftButton)
    page = window.quick_keys_page
    qtbot.mouseClick(page.buttons[0], Qt.LeftButton)
    qtbot.mouseClick(page.buttons[1], Qt.LeftButton)
    qtbot.mouseClick(page.buttons[0], Qt.LeftButton)
    assert window.pages.currentWidget() is page
    assert lines(window) == [("Croissant", 2, "€1.80"), ("Bread roll", 1, "€0.45")]
    assert "tap more, Done or Esc" in page.message_label.text()
    qtbot.mouseClick(page.done_button, Qt.LeftButton)
    assert window.pages.currentWidget() is window.sale_page
    assert window.presenter.state.total_text == "Total €4.05"


def test_the_button_opens_the_grid_pages_turn_and_a_touch_adds(qtbot, window):
    typed_milk = window.presenter.scan(MILK["sku"])
    qtbot.mouseClick(window.quick_keys_button, Qt.LeftButton)
    page = window.quick_keys_page
    qtbot.keyClick(page.buttons[0], Qt.Key_PageUp)  # wraps round to the last page
    assert page.title.text() == "Quick keys — Fruit (3/3)"
    qtbot.mouseClick(page.buttons[0], Qt.LeftButton)
    assert typed_milk and lines(window) == [("Milk 1L", 1, "€1.19"), ("Banana", 1, "€0.25")]
    assert window.pages.currentWidget() is page


def test_esc_leaves_the_grid_without_adding(qtbot, window):
    qtbot.keyClick(window.scan_input, Qt.Key_K, Qt.ControlModifier)
    qtbot.keyClick(window.quick_keys_page.buttons[0], Qt.Key_Escape)
    assert window.pages.currentWidget() is window.sale_page and lines(window) == []


def test_a_quick_key_on_a_family_parent_opens_the_variant_picker(qtbot, window):
    qtbot.keyClick(window.scan_input, Qt.Key_K, Qt.ControlModifier)
    page = window.quick_keys_page
    qtbot.keyClick(page.buttons[0], Qt.Key_PageDown)
    assert page.title.text() == "Quick keys — Clothes (2/3)"
    qtbot.keyClick(page.buttons[0], Qt.Key_Return)
    assert window.pages.currentWidget() is window.variant_page
    qtbot.keyClick(window.variant_page.list, Qt.Key_Return)
    assert lines(window) == [("Classic tee L blue", 1, "€17.00")]


def test_without_quick_keys_the_till_says_how_hq_adds_them(qtbot, till):
    win = MainWindow(till.presenter_factory(), lambda: None, till.identity())
    qtbot.addWidget(win)
    win.show()
    qtbot.keyClick(win.scan_input, Qt.Key_K, Qt.ControlModifier)
    assert win.pages.currentWidget() is win.sale_page
    assert "No quick keys yet" in win.message_label.text() and "quick_key" in win.message_label.text()


def test_a_scan_while_the_grid_is_open_goes_back_to_the_sale_with_the_item(qtbot, window):
    qtbot.keyClick(window.scan_input, Qt.Key_K, Qt.ControlModifier)
    window.scan_from_device(MILK["barcodes"][0])
    assert window.pages.currentWidget() is window.sale_page
    assert lines(window) == [("Milk 1L", 1, "€1.19")]
