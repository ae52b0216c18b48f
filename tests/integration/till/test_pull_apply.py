import pytest

from shared.wire import Change, PullResponse
from tests.fixtures.till import MILK, OPENING_STOCK, STORE_ID, product_change
from till.ledger.master_data import apply_pull_page
from till.ledger.sales import on_hand
from till.ledger.sync_state import read_sync_state
from till.sale import Catalog, UnknownProduct


def apply(ledger, *changes, next_cursor=None):
    page = PullResponse(changes=list(changes), next_cursor=next_cursor or changes[-1].cursor,
                        has_more=False)
    with ledger.transaction() as uow:
        apply_pull_page(uow, page, STORE_ID)


def test_a_pulled_price_change_and_new_barcode_replace_the_old_ones(till_ledger):
    apply(till_ledger, product_change(100, {**MILK, "price_minor": 129, "barcodes": ["96385074"]}))
    catalog = Catalog(till_ledger)
    assert catalog.lookup("96385074").price.minor == 129
    with pytest.raises(UnknownProduct):
        catalog.lookup(MILK["barcodes"][0])
    assert read_sync_state(till_ledger.connection()).pull_cursor == 100


def test_stock_of_this_store_is_applied_and_other_stores_are_skipped(till_ledger):
    apply(till_ledger,
          Change(cursor=100, kind="stock", data={"product_id": "p-milk", "store_id": STORE_ID, "on_hand": 7}),
          Change(cursor=101, kind="stock", data={"product_id": "p-milk", "store_id": "other", "on_hand": 99}))
    assert on_hand(till_ledger.connection(), "p-milk") == 7


def test_a_page_that_fails_midway_applies_nothing_and_keeps_the_cursor(till_ledger):
    bad = Change(cursor=101, kind="product", data={"product_id": "p-broken"})  # no sku, name...
    with pytest.raises(KeyError):
        apply(till_ledger, product_change(100, {**MILK, "price_minor": 1}), bad)
    assert Catalog(till_ledger).lookup("MILK-1L").price.minor == MILK["price_minor"]
    assert read_sync_state(till_ledger.connection()).pull_cursor == 8  # the fixture's page
    assert on_hand(till_ledger.connection(), "p-milk") == OPENING_STOCK


def test_a_sku_moved_to_another_product_at_hq_follows_it(till_ledger):
    apply(till_ledger, product_change(100, {"product_id": "p-milk-2", "sku": "MILK-1L",
                                            "name": "Milk 1L new", "price_minor": 125,
                                            "barcodes": []}))
    assert Catalog(till_ledger).lookup("MILK-1L").product_id == "p-milk-2"
