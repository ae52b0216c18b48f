from io import BytesIO
from pathlib import Path

from sqlalchemy import text

from hq_server.catalogue_admin.csv_format import RowError
from hq_server.catalogue_admin.importer import import_products
from shared.barcodes import make_ean13
from tests.integration.hq.catalogue.conftest import HEADER, counts, run_import
from tests.integration.hq.helpers import in_transaction, query

BAR1, BAR2, BAR3 = make_ean13("501234500001"), make_ean13("501234500002"), make_ean13("501234500003")
TEE = f"""{HEADER}
TEE,Basic tee,Cotton crew neck,Tops,each,standard,12.50,4.10,,true,,,
TEE-S-RED,Basic tee S red,,Tops,each,standard,12.50,4.10,{BAR1}|{BAR2},true,TEE,S,red
TEE-M-RED,"Basic tee M red, long",,Tops,each,standard,13.00,4.10,{BAR3},yes,TEE,M,red
"""


def product(url, sku):
    rows = query(url, """SELECT p.name, p.price_minor, p.cost_minor, p.attributes, q.sku, p.active,
                                p.description, array(SELECT barcode FROM product_barcodes b
                                                     WHERE b.product_id = p.id ORDER BY 1)
                         FROM products p LEFT JOIN products q ON q.id = p.parent_id WHERE p.sku = %s""",
                 (sku,))
    return rows[0] if rows else None


def test_an_import_creates_products_with_variants_barcodes_and_exact_prices(seeded_url):
    result = run_import(seeded_url, TEE)

    assert (result.created, result.updated, result.unchanged, result.applied) == (3, 0, 0, True)
    assert product(seeded_url, "TEE-S-RED") == ("Basic tee S red", 1250, 410,
                                               {"size": "S", "colour": "red"}, "TEE", True, "",
                                               sorted([BAR1, BAR2]))
    assert product(seeded_url, "TEE-M-RED")[:2] == ("Basic tee M red, long", 1300)


def test_importing_the_same_file_twice_changes_nothing_the_second_time(seeded_url):
    run_import(seeded_url, TEE)
    before = counts(seeded_url)

    again = run_import(seeded_url, TEE)

    assert (again.created, again.updated, again.unchanged, again.applied) == (0, 0, 3, False)
    assert counts(seeded_url) == before


def test_a_changed_row_updates_audits_and_publishes_only_that_product(seeded_url):
    run_import(seeded_url, TEE)
    before = counts(seeded_url)

    result = run_import(seeded_url, TEE.replace("13.00", "14.99"))

    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    after = counts(seeded_url)
    assert after["change_log"] - before["change_log"] == 1
    assert after["audit_log"] - before["audit_log"] == 2  # the product, and the import itself
    change = query(seeded_url, "SELECT kind, store_id, data FROM change_log ORDER BY id DESC LIMIT 1")[0]
    assert change[0] == "product" and change[1] is None
    assert change[2]["sku"] == "TEE-M-RED" and change[2]["price_minor"] == 1499
    assert change[2]["parent_sku"] == "TEE" and change[2]["attributes"] == {"size": "M", "colour": "red"}
    audit = query(seeded_url, "SELECT action, before->>'price_minor', after->>'price_minor' "
                              "FROM audit_log WHERE entity = 'product' ORDER BY id DESC LIMIT 1")[0]
    assert audit == ("product.updated", "1300", "1499")


def test_bad_rows_are_all_reported_in_words_and_nothing_is_applied(seeded_url):
    taken = query(seeded_url, "SELECT barcode FROM product_barcodes LIMIT 1")[0][0]
    bad = f"""{HEADER}
A1,Apple,,,,,12.5x,,,true,,,
A2,Pear,,,,,1.999,,,true,,,
A1,Apple again,,,,,1.00,,,true,,,
A3,Plum,,,,,1.00,,4006381333932,true,,,
A4,Fig,,,,,1.00,,{taken},true,,,
A5,Kiwi,,,,,1.00,,,maybe,NOPE,,
A6,Lime,,,,,-1.00,,,true,,,
"""
    before = counts(seeded_url)

    result = run_import(seeded_url, bad)

    assert not result.applied and counts(seeded_url) == before
    found = {(e.row, e.column): e.message for e in result.errors}
    assert "bad price '12.5x'" in found[(2, "price")]
    assert "more than 2 decimals" in found[(3, "price")]
    assert found[(4, "sku")] == "SKU A1 is also on row 2"
    assert "wrong check digit" in found[(5, "barcodes")]
    assert "already belongs to product" in found[(6, "barcodes")] and "not in this file" in found[(6, "barcodes")]
    assert found[(7, "active")] == "active must be true or false, not 'maybe'"
    assert "unknown parent NOPE" in found[(7, "parent_sku")]
    assert "must not be negative" in found[(8, "price")]
    assert result.error_count == len(result.errors) == 8


def test_a_barcode_may_move_between_two_products_of_the_same_file(seeded_url):
    run_import(seeded_url, TEE)
    moved = TEE.replace(f"{BAR1}|{BAR2}", BAR1).replace(f",{BAR3},yes", f",{BAR3}|{BAR2},yes")

    result = run_import(seeded_url, moved)

    assert result.applied and result.updated == 2
    assert product(seeded_url, "TEE-M-RED")[7] == sorted([BAR2, BAR3])


def test_columns_left_out_keep_what_the_catalogue_has(seeded_url):
    run_import(seeded_url, TEE)

    result = run_import(seeded_url, "sku,name,price\nTEE-S-RED,Basic tee S red,11.00\n")

    assert result.updated == 1
    name, price, cost, attributes, parent, _, _, codes = product(seeded_url, "TEE-S-RED")
    assert (price, cost, attributes, parent, codes) == (1100, 410, {"size": "S", "colour": "red"},
                                                       "TEE", sorted([BAR1, BAR2]))


def test_a_header_with_an_unknown_or_missing_column_is_refused(seeded_url):
    result = run_import(seeded_url, "sku,nmae,price\nX,Y,1.00\n")

    assert RowError(1, "nmae", "unknown column 'nmae'; the columns are sku, name, description, "
                               "category, unit, tax_class, price, cost, barcodes, active, "
                               "parent_sku, size, colour") in result.errors
    assert RowError(1, "name", "required column 'name' is missing") in result.errors


def test_prices_follow_the_currency_exponent(seeded_url):
    result = run_import(seeded_url, "sku,name,price\nJ1,Yen thing,1250\n", currency="JPY")

    assert result.applied
    assert query(seeded_url, "SELECT price_minor, currency FROM products WHERE sku = 'J1'")[0] == (1250, "JPY")
    refused = run_import(seeded_url, "sku,name,price\nJ1,Yen thing,12.50\n", currency="JPY")
    assert "more than 0 decimals" in refused.errors[0].message
    wrong = run_import(seeded_url, "sku,name,price\nJ1,Yen thing,12.50\n")
    assert wrong.errors[0].message == "product J1 is priced in JPY; this import is in EUR"


def test_the_example_in_the_docs_imports_cleanly(seeded_url):
    doc = (Path(__file__).resolve().parents[4] / "docs" / "back-office-catalogue.md").read_text()
    example = doc.split("```csv\n", 1)[1].split("```", 1)[0]

    result = run_import(seeded_url, example)

    assert (result.error_count, result.created) == (0, 3)
    assert product(seeded_url, "TEE-M-RED")[3] == {"size": "M", "colour": "red"}


def test_variants_have_one_level(seeded_url):
    run_import(seeded_url, TEE)

    result = run_import(seeded_url, "sku,name,price,parent_sku\nTEE,Basic tee,12.50,BRU-PAD-L\n"
                                    "TEE-XS,Basic tee XS,12.50,TEE-S-RED\n")

    assert [e.as_dict() for e in result.errors] == [
        {"row": 2, "column": "parent_sku",
         "message": "TEE has variants (TEE-M-RED), so it cannot be a variant itself"},
        {"row": 3, "column": "parent_sku",
         "message": "parent TEE-S-RED is itself a variant of TEE; variants have one level"}]


def test_a_file_that_is_not_utf8_is_refused_in_words(seeded_url):
    result = run_import(seeded_url, "sku,name,price\n")  # header only: nothing to do, no error
    assert (result.rows, result.error_count, result.applied) == (0, 0, False)

    latin1 = BytesIO("sku,name,price\nCAF,Café,1.00\n".encode("latin-1"))
    refused = in_transaction(seeded_url, lambda s: import_products(s, None, latin1, currency="EUR"))
    assert [e.message for e in refused.errors] == ["the file is not UTF-8 text"]


def test_tax_classes_must_be_well_formed_and_known_once_the_chain_has_rates(seeded_url):
    bad_name = run_import(seeded_url, "sku,name,price,tax_class\nT1,Thing,1.00,Standard Rate\n")
    assert bad_name.errors[0].message == ("tax class 'Standard Rate' is not a tax class name: "
                                          "lower-case letters, digits, - and _, up to 40")
    assert run_import(seeded_url, "sku,name,price,tax_class\nT1,Thing,1.00,zero\n").applied  # no rates yet

    in_transaction(seeded_url, lambda s: s.execute(text(
        "INSERT INTO tax_rates (id, tax_class, rate_bp) VALUES (gen_random_uuid(), 'standard', 2000),"
        " (gen_random_uuid(), 'reduced', 700)")))
    unknown = run_import(seeded_url, "sku,name,price,tax_class\nT2,Thing,1.00,zero\n")

    assert unknown.errors[0].as_dict() == {"row": 2, "column": "tax_class",
                                           "message": "unknown tax class zero; the chain has reduced, standard"}
    assert run_import(seeded_url, "sku,name,price,tax_class\nT1,Thing,2.00,zero\n").applied  # kept class
