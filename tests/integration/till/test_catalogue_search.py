"""Search-as-you-type (FTS5 prefix queries) and SKU lookup on the till's catalogue."""

import sqlite3

from shared.wire import PullResponse
from tests.fixtures.till import BREAD, COFFEE, MILK, STORE_ID, product_change
from till.ledger import Ledger
from till.ledger.master_data import apply_pull_page, search_query
from till.ledger.migrations import V1
from till.sale import Catalog


def apply(ledger, *changes):
    page = PullResponse(changes=list(changes), next_cursor=changes[-1].cursor, has_more=False)
    with ledger.transaction() as uow:
        apply_pull_page(uow, page, STORE_ID)


def names(catalog, text):
    return [p.name for p in catalog.search(text)]


def test_typed_prefixes_of_name_words_find_the_product(till_ledger):
    catalog = Catalog(till_ledger)
    assert names(catalog, "co") == ["Coffee beans 500g"]
    assert names(catalog, "whi bre") == ["White bread"]
    assert names(catalog, "bread white") == ["White bread"]
    assert names(catalog, "wh cof") == []


def test_sku_and_barcode_prefixes_find_the_product(till_ledger):
    catalog = Catalog(till_ledger)
    assert names(catalog, "coffee-5") == ["Coffee beans 500g"]
    assert names(catalog, MILK["barcodes"][0][:6]) == ["Milk 1L"]


def test_deactivated_products_are_not_offered(till_ledger):
    assert names(Catalog(till_ledger), "mug") == []


def test_nothing_typed_browses_the_active_catalogue_by_name(till_ledger):
    assert names(Catalog(till_ledger), "  ") == ["Coffee beans 500g", "Milk 1L", "White bread"]


def test_search_syntax_in_the_typed_text_is_plain_text(till_ledger):
    catalog = Catalog(till_ledger)
    for text in ('"', "OR", "NOT milk", "*", "milk)", "-", "", "   "):
        catalog.search(text)  # never an FTS5 syntax error
    assert search_query('mi "lk') == '"mi"* AND "lk"*'


def test_a_renamed_product_is_found_by_its_new_name_only(till_ledger):
    apply(till_ledger, product_change(100, {**COFFEE, "name": "Espresso roast"}))
    catalog = Catalog(till_ledger)
    assert names(catalog, "espr") == ["Espresso roast"]
    assert names(catalog, "beans") == []


def test_a_sku_moved_to_another_product_leaves_no_stale_search_row(till_ledger):
    apply(till_ledger, product_change(100, {"product_id": "p-new", "sku": COFFEE["sku"],
                                            "name": "Decaf beans", "price_minor": 999,
                                            "barcodes": []}))
    catalog = Catalog(till_ledger)
    assert names(catalog, "coffee") == ["Decaf beans"]  # by its SKU; the old product is gone
    assert catalog.lookup("coffee-500").name == "Decaf beans"


def test_a_barcode_moved_to_another_product_is_searchable_only_there(till_ledger):
    code = MILK["barcodes"][0]
    apply(till_ledger, product_change(100, {**BREAD, "barcodes": [code]}))
    assert names(Catalog(till_ledger), code) == ["White bread"]


def test_sku_lookup_is_case_insensitive_and_uses_an_index(till_ledger):
    assert Catalog(till_ledger).lookup("milk-1l").name == "Milk 1L"
    plan = " ".join(row[3] for row in till_ledger.connection().execute(
        "EXPLAIN QUERY PLAN SELECT * FROM products WHERE sku = ? COLLATE NOCASE", ("x",)))
    assert "products_sku_nocase" in plan


def test_a_ledger_from_before_search_gets_its_products_indexed_on_upgrade(tmp_path):
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    for statement in V1:
        conn.execute(statement)
    conn.execute("INSERT INTO products (product_id, sku, name, price_minor, currency) "
                 "VALUES ('p1', 'TEA-1', 'Green tea', 350, 'EUR')")
    conn.execute("INSERT INTO barcodes VALUES ('4006381333931', 'p1')")
    conn.execute("PRAGMA user_version = 1")
    conn.close()
    with Ledger.open(path) as ledger:
        assert names(Catalog(ledger), "gre") == ["Green tea"]
        assert names(Catalog(ledger), "400638") == ["Green tea"]
