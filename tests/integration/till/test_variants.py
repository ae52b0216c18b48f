"""Product families at the till: HQ's parent_sku/attributes pulled into a real ledger file, and the
variant picker driven through the real window offscreen (keys, touch, scanner, search)."""

import pytest

from shared.barcodes import make_ean13
from shared.wire import Change
from tests.fixtures.till import MILK, STORE_ID, product_change
from till.ledger.master_data import apply_change
from till.sale import Catalog, NotForSale
from till.ui.main_window import MainWindow
from till.ui.qt import Qt

TEE = {"product_id": "p-tee", "sku": "TEE-CLASSIC", "name": "Classic tee", "price_minor": 1500,
       "barcodes": [], "active": False}  # the parent: no barcode, not sold itself
TEE_S_RED = {"product_id": "p-tee-s-red", "sku": "TEE-CLASSIC-S-RED", "name": "Classic tee S red",
             "price_minor": 1500, "barcodes": [make_ean13("600000000011")],
             "parent_sku": "TEE-CLASSIC", "attributes": {"size": "S", "colour": "Red"}}
TEE_M_RED = {"product_id": "p-tee-m-red", "sku": "TEE-CLASSIC-M-RED", "name": "Classic tee M red",
             "price_minor": 1500, "barcodes": [make_ean13("600000000012")],
             "parent_sku": "TEE-CLASSIC", "attributes": {"size": "M", "colour": "Red"}}
TEE_L_BLUE = {"product_id": "p-tee-l-blue", "sku": "TEE-CLASSIC-L-BLUE",
              "name": "Classic tee L blue", "price_minor": 1700,
              "barcodes": [make_ean13("600000000013")],
              "parent_sku": "TEE-CLASSIC", "attributes": {"size": "L", "colour": "Blue"}}
FAMILY = [TEE, TEE_S_RED, TEE_M_RED, TEE_L_BLUE]
# By SKU: L blue, M red, S red. Stock: 4 L, none of M, S never counted by HQ.
STOCK = {"p-tee-l-blue": 4, "p-tee-m-red": 0}


def pull_family(ledger, products=FAMILY, first_cursor=500):
    with ledger.transaction() as uow:
        for i, product in enumerate(products):
            apply_change(uow, product_change(first_cursor + i, product), STORE_ID)
        for i, (product_id, on_hand) in enumerate(STOCK.items()):
            apply_change(uow, Change(cursor=first_cursor + 50 + i, kind="stock",
                                     data={"product_id": product_id, "store_id": STORE_ID,
                                           "on_hand": on_hand}), STORE_ID)


# --- the ledger and catalogue ----------------------------------------------------------------


def test_a_pulled_family_lists_its_active_variants_with_attributes_and_stock(till_ledger):
    pull_family(till_ledger)
    catalog = Catalog(till_ledger)
    variants = catalog.variants_of("TEE-CLASSIC")
    assert [(v.product.sku, v.product.attributes, v.product.price.minor, v.on_hand)
            for v in variants] == [
        ("TEE-CLASSIC-L-BLUE", {"size": "L", "colour": "Blue"}, 1700, 4),
        ("TEE-CLASSIC-M-RED", {"size": "M", "colour": "Red"}, 1500, 0),
        ("TEE-CLASSIC-S-RED", {"size": "S", "colour": "Red"}, 1500, None)]
    assert catalog.variants_of(MILK["sku"]) == [] and catalog.variants_of("") == []
    # An older HQ sends no family keys: the product stands alone.
    assert catalog.lookup(MILK["sku"]).parent_sku == "" and catalog.lookup(MILK["sku"]).attributes == {}


def test_the_family_lookup_is_an_index_probe(till_ledger):
    plan = " ".join(row[3] for row in till_ledger.connection().execute(
        "EXPLAIN QUERY PLAN SELECT * FROM products p WHERE p.parent_sku = ? AND p.parent_sku != ''",
        ("TEE-CLASSIC",)))
    assert "USING INDEX products_parent" in plan


def test_an_inactive_parent_is_offered_for_its_variants_but_never_sold_itself(till_ledger):
    pull_family(till_ledger)
    catalog = Catalog(till_ledger)
    parent, variants = catalog.lookup_for_sale("tee-classic")
    assert parent.sku == "TEE-CLASSIC" and len(variants) == 3
    with pytest.raises(NotForSale):
        catalog.lookup("TEE-CLASSIC")
    pull_family(till_ledger, [{**v, "active": False} for v in FAMILY[1:]], first_cursor=600)
    with pytest.raises(NotForSale):  # every variant retired: nothing left to pick
        catalog.lookup_for_sale("TEE-CLASSIC")


def test_hq_moving_a_variant_and_changing_its_attributes_is_followed(till_ledger):
    pull_family(till_ledger)
    pull_family(till_ledger, [{**TEE_L_BLUE, "parent_sku": None, "attributes": None},
                              {**TEE_M_RED, "attributes": {"size": "M", "colour": "Crimson"}}],
                first_cursor=700)
    variants = Catalog(till_ledger).variants_of("TEE-CLASSIC")
    assert [(v.product.sku, v.product.attributes["colour"]) for v in variants] == [
        ("TEE-CLASSIC-M-RED", "Crimson"), ("TEE-CLASSIC-S-RED", "Red")]


def test_attributes_that_are_not_an_object_are_refused_and_nothing_is_written(till_ledger):
    with pytest.raises(ValueError, match="attributes must be an object"):
        pull_family(till_ledger, [{**TEE_S_RED, "attributes": ["S", "Red"]}])
    assert Catalog(till_ledger).variants_of("TEE-CLASSIC") == []


# --- the window --------------------------------------------------------------------------------


@pytest.fixture
def window(till, qtbot):
    pull_family(till.ledger)
    win = MainWindow(till.presenter_factory(), lambda: None, till.identity())
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.scan_input.setFocus()
    return win


def typed(qtbot, field, text):
    field.clear()
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key_Return)


def lines(window):
    return [(ln.name, ln.quantity, ln.price_text) for ln in window.presenter.state.lines]


def picker_rows(window):
    return [window.variant_page.list.item(i).text()
            for i in range(window.variant_page.list.count())]


def test_scanning_the_parent_opens_the_picker_and_enter_adds_the_chosen_variant(qtbot, window):
    typed(qtbot, window.scan_input, "TEE-CLASSIC")
    page = window.variant_page
    assert window.pages.currentWidget() is page and page.list.hasFocus()
    assert page.title.text() == "Choose Classic tee"
    assert picker_rows(window) == ["Size L · Colour Blue    €17.00    4 in stock",
                                   "Size M · Colour Red    €15.00    out of stock",
                                   "Size S · Colour Red    €15.00"]
    assert lines(window) == []  # nothing added until a variant is chosen
    qtbot.keyClick(page.list, Qt.Key_Down)
    qtbot.keyClick(page.list, Qt.Key_Return)
    assert window.pages.currentWidget() is window.sale_page and window.scan_input.hasFocus()
    assert lines(window) == [("Classic tee M red", 1, "€15.00")]
    assert window.presenter.basket.lines[0].product.product_id == "p-tee-m-red"
    assert "Added 1 x Classic tee M red" in window.message_label.text()


def test_esc_in_the_picker_adds_nothing(qtbot, window):
    typed(qtbot, window.scan_input, MILK["sku"])
    typed(qtbot, window.scan_input, "TEE-CLASSIC")
    qtbot.keyClick(window.variant_page.list, Qt.Key_Escape)
    assert window.pages.currentWidget() is window.sale_page
    assert lines(window) == [("Milk 1L", 1, "€1.19")]
    assert "Nothing added" in window.message_label.text()


def test_scanning_a_variant_while_the_picker_is_open_adds_that_one(qtbot, window):
    typed(qtbot, window.scan_input, "TEE-CLASSIC")
    window.scan_from_device(MILK["barcodes"][0])  # not of this family: refused, picker stays
    assert window.pages.currentWidget() is window.variant_page
    assert "Milk 1L is not a variant of Classic tee" in window.variant_page.message_label.text()
    window.scan_from_device(TEE_S_RED["barcodes"][0])
    assert window.pages.currentWidget() is window.sale_page
    assert lines(window) == [("Classic tee S red", 1, "€15.00")]


def test_a_scanned_variant_barcode_is_added_directly_and_a_quantity_carries_through(qtbot, window):
    window.scan_from_device(TEE_L_BLUE["barcodes"][0])
    typed(qtbot, window.scan_input, "3*TEE-CLASSIC")
    assert "Choose 3 x Classic tee" in window.variant_page.message_label.text()
    qtbot.mouseClick(window.variant_page.list.viewport(), Qt.LeftButton,
                     pos=window.variant_page.list.visualItemRect(
                         window.variant_page.list.item(2)).center())  # a touch on "S red"
    assert lines(window) == [("Classic tee L blue", 1, "€17.00"), ("Classic tee S red", 3, "€15.00")]


def test_a_search_result_that_is_a_parent_opens_the_picker(qtbot, window, till):
    found = {p.sku: p for p in Catalog(till.ledger).search("classic tee")}
    assert window.presenter.offer(found["TEE-CLASSIC-M-RED"])  # a variant: added as it is
    assert window.presenter.offer(found["TEE-CLASSIC"])  # found though HQ does not sell it
    assert window.pages.currentWidget() is window.variant_page
    qtbot.keyClick(window.variant_page.list, Qt.Key_Return)  # the first: L blue
    assert lines(window) == [("Classic tee M red", 1, "€15.00"), ("Classic tee L blue", 1, "€17.00")]


def test_a_parent_without_variants_is_sold_as_a_normal_product(qtbot, window, till):
    pull_family(till.ledger, [{**TEE, "product_id": "p-cap", "sku": "CAP", "name": "Cap",
                               "active": True, "price_minor": 900}], first_cursor=800)
    typed(qtbot, window.scan_input, "CAP")
    assert window.pages.currentWidget() is window.sale_page
    assert lines(window) == [("Cap", 1, "€9.00")]


def test_a_variant_picked_while_paying_is_taken_into_the_payment(qtbot, window):
    typed(qtbot, window.scan_input, MILK["sku"])
    qtbot.keyClick(window.scan_input, Qt.Key_F12)
    window.scan_from_device("TEE-CLASSIC")
    qtbot.keyClick(window.variant_page.list, Qt.Key_Return)
    assert window.presenter.state.remaining_text.startswith("Due €18.19")
