"""The catalogue list, the product page and its forms, per role, over real HTTP and PostgreSQL."""

from __future__ import annotations

import csv
import io

from shared.barcodes import make_ean13
from tests.integration.hq.dashboard_catalogue.conftest import import_csv
from tests.integration.hq.helpers import query

HEADER = "sku,name,description,category,unit,tax_class,price,cost,barcodes,active,parent_sku,size,colour"


def family(prefix: str, digits: str, category: str = "Tops") -> str:
    a, b = (make_ean13(f"5{digits}{n:06d}") for n in (1, 2))
    return (f"{HEADER}\n{prefix},Basic tee {prefix},,{category},each,standard,12.50,4.10,,true,,,\n"
            f"{prefix}-S,Basic tee {prefix} S,,{category},each,standard,12.50,4.10,{a},true,{prefix},S,red\n"
            f"{prefix}-M,Basic tee {prefix} M,,{category},each,standard,13.00,4.10,{b},true,{prefix},M,blue\n")


def skus_listed(html: str) -> list[str]:
    return [chunk.split('"', 1)[0] for chunk in html.split('<tr data-sku="')[1:]]


def test_the_list_searches_by_sku_name_or_barcode_and_filters_by_category(as_):
    buyer = as_("buyer")
    assert import_csv(buyer, family("LS", "10001", "Knitwear")).status_code == 200
    shampoo = as_.seed.product("SHA-ARG-250")

    by_sku = buyer.get("/catalogue", params={"q": "ls-"}).text
    by_name = buyer.get("/catalogue", params={"q": "argan repair sham"}).text
    by_barcode = buyer.get("/catalogue", params={"q": shampoo.barcode}).text
    knitwear = buyer.get("/catalogue", params={"category": "Knitwear"}).text

    assert skus_listed(by_sku) == ["LS-M", "LS-S"]
    assert skus_listed(by_name) == ["SHA-ARG-250"]
    assert skus_listed(by_barcode) == ["SHA-ARG-250"]
    assert skus_listed(knitwear) == ["LS", "LS-M", "LS-S"]
    assert "2 variants" in knitwear and "variant of LS" in knitwear
    assert '<option value="Knitwear" selected>' in knitwear
    assert "3 products · page 1 of 1" in knitwear


def test_the_list_pages_fifty_at_a_time_in_sku_order(as_):
    rows = "\n".join(f"PG{n:03d},Paged thing {n},,Paging,each,standard,1.00,,,true,,," for n in range(120))
    assert import_csv(as_("admin"), f"{HEADER}\n{rows}\n").status_code == 200

    first = as_("viewer").get("/catalogue", params={"category": "Paging"}).text
    third = as_("viewer").get("/catalogue", params={"category": "Paging", "page": 3}).text

    assert skus_listed(first) == [f"PG{n:03d}" for n in range(50)]
    assert skus_listed(third) == [f"PG{n:03d}" for n in range(100, 120)]
    assert "120 products · page 3 of 3" in third and "Next →" not in third
    assert 'href="/catalogue?category=Paging&amp;page=2"' in third


def test_only_editors_are_offered_the_import(as_):
    assert 'href="/catalogue/import"' in as_("buyer").get("/catalogue").text
    assert 'href="/catalogue/import"' not in as_("store_manager").get("/catalogue").text
    assert as_("store_manager").get("/catalogue/import").status_code == 403


def test_a_product_page_shows_cost_only_to_roles_that_see_costs(as_):
    buyer, inventory = as_("buyer").get("/catalogue/SHA-ARG-250"), as_("inventory").get("/catalogue/SHA-ARG-250")

    assert buyer.status_code == inventory.status_code == 200
    assert 'name="cost" value="4.49"' in buyer.text
    assert "Cost" not in inventory.text and "4.49" not in inventory.text
    assert "read only" in inventory.text and "Save details" not in inventory.text
    assert 'action="/catalogue/SHA-ARG-250/barcodes"' not in inventory.text


def test_a_store_manager_sees_only_their_stores_prices(as_):
    html = as_("store_manager").get("/catalogue/SHA-ARG-250").text

    assert '<tr data-store="S001">' in html and '<tr data-store="S002">' not in html


def test_an_unknown_sku_is_a_404_page(as_):
    reply = as_("viewer").get("/catalogue/NOPE-404")

    assert reply.status_code == 404 and "no product with SKU &#39;NOPE-404&#39;" in reply.text


def test_adding_and_removing_a_barcode_goes_through_the_imports_checks(as_):
    admin = as_("admin")
    assert import_csv(admin, family("BC", "10002")).status_code == 200
    code = make_ean13("590123412345")

    added = admin.post("/catalogue/BC/barcodes", data={"barcode": code})
    wrong = admin.post("/catalogue/BC/barcodes", data={"barcode": code[:-1] + str((int(code[-1]) + 1) % 10)})
    taken = admin.post("/catalogue/BC/barcodes", data={"barcode": make_ean13("510002000001")})

    assert added.status_code == 303 and added.headers["location"] == "/catalogue/BC?done=barcode-added"
    assert query(as_.database_url, "SELECT b.barcode FROM product_barcodes b JOIN products p "
                                   "ON p.id = b.product_id WHERE p.sku = 'BC'") == [(code,)]
    assert wrong.status_code == 422 and "has a wrong check digit" in wrong.text
    assert taken.status_code == 422 and "already belongs to product BC-S" in taken.text
    assert query(as_.database_url, "SELECT count(*) FROM audit_log WHERE action = 'product.updated' "
                                   "AND after->>'sku' = 'BC'") == [(1,)]

    removed = admin.post("/catalogue/BC/barcodes-remove", data={"barcode": code})

    assert removed.status_code == 303
    assert query(as_.database_url, "SELECT count(*) FROM product_barcodes b JOIN products p "
                                   "ON p.id = b.product_id WHERE p.sku = 'BC'") == [(0,)]


def test_saving_details_changes_only_what_the_form_holds(as_):
    buyer = as_("buyer")
    assert import_csv(buyer, family("DT", "10003")).status_code == 200
    form = {"name": "Better tee", "description": "Organic", "category": "Tops", "unit": "each",
            "tax_class": "standard", "price": "14.00", "cost": "5.00"}  # active left unticked

    saved = buyer.post("/catalogue/DT-S/details", data=form)
    refused = buyer.post("/catalogue/DT-S/details", data={**form, "price": "14.999", "active": "true"})

    assert saved.status_code == 303
    assert query(as_.database_url, "SELECT name, price_minor, cost_minor, active, attributes->>'size', "
                                   "(SELECT sku FROM products q WHERE q.id = p.parent_id) "
                                   "FROM products p WHERE sku = 'DT-S'") == [("Better tee", 1400, 500, False, "S", "DT")]
    assert refused.status_code == 422 and "Price: bad price &#39;14.999&#39;" in refused.text
    assert query(as_.database_url, "SELECT price_minor, active FROM products WHERE sku = 'DT-S'") == [(1400, False)]


def test_a_store_price_is_added_shown_and_ended(as_):
    admin = as_("admin")

    added = admin.post("/catalogue/SHA-DRY-200/prices", data={"store": "S002", "price": "3.49"})
    page = admin.get("/catalogue/SHA-DRY-200").text
    entry = query(as_.database_url, "SELECT e.id FROM price_entries e JOIN products p ON p.id = e.product_id "
                                    "WHERE p.sku = 'SHA-DRY-200' AND e.ends_at IS NULL")[0][0]
    ended = admin.post(f"/catalogue/SHA-DRY-200/prices/{entry}/end")
    bad = admin.post("/catalogue/SHA-DRY-200/prices", data={"store": "S002", "price": "cheap"})

    assert added.status_code == 303
    assert '<tr data-store="S002"><td>S002</td><td class="num">€3.49</td><td class="muted">store price</td>' in page
    assert ended.status_code == 303
    assert query(as_.database_url, f"SELECT ends_at IS NOT NULL FROM price_entries WHERE id = '{entry}'") == [(True,)]
    assert bad.status_code == 422 and "not an amount" in bad.text


def test_bundle_components_are_set_and_availability_shown(as_):
    buyer = as_("buyer")
    assert import_csv(buyer, f"{HEADER}\nKIT-PG,Gift kit,,Gifts,each,standard,20.00,,,true,,,\n").status_code == 200

    saved = buyer.post("/catalogue/KIT-PG/components", data={
        "component_0": "SHA-ARG-250", "quantity_0": "1", "component_1": "CON-ARG-250", "quantity_1": "2",
        "component_2": "", "quantity_2": ""})
    nested = buyer.post("/catalogue/KIT-PG/components", data={"component_0": "KIT-PG", "quantity_0": "1"})
    page = buyer.get("/catalogue/KIT-PG").text

    assert saved.status_code == 303
    assert nested.status_code == 422 and "a bundle cannot contain itself" in nested.text
    assert page.count('<td class="num">') >= 2 and "Bundles each store can make" in page
    assert '<tr data-store="S001"><td>S001</td>' in page


def test_a_role_that_may_not_edit_is_refused_every_form(as_):
    manager = as_("store_manager")
    before = query(as_.database_url, "SELECT count(*) FROM audit_log")

    replies = [manager.post("/catalogue/SHA-ARG-250/barcodes", data={"barcode": make_ean13("590123400001")}),
               manager.post("/catalogue/SHA-ARG-250/details", data={"name": "Hacked", "price": "0.01"}),
               manager.post("/catalogue/SHA-ARG-250/prices", data={"price": "0.01"}),
               import_csv(manager, "sku,name,price\nSHA-ARG-250,Hacked,0.01\n")]

    assert [r.status_code for r in replies] == [403, 403, 403, 403]
    assert query(as_.database_url, "SELECT name FROM products WHERE sku = 'SHA-ARG-250'") == [("Argan Repair Shampoo 250ml",)]
    assert query(as_.database_url, "SELECT count(*) FROM audit_log") == before


def test_the_export_is_the_imports_format_without_cost_for_inventory(as_):
    buyer, inventory = as_("buyer").get("/catalogue/export.csv"), as_("inventory").get("/catalogue/export.csv")

    for_buyer = list(csv.DictReader(io.StringIO(buyer.text)))
    for_inventory = list(csv.DictReader(io.StringIO(inventory.text)))

    assert buyer.status_code == 200 and buyer.headers["content-type"].startswith("text/csv")
    assert "cost" in for_buyer[0] and "cost" not in for_inventory[0]
    assert {r["sku"] for r in for_buyer} == {r["sku"] for r in for_inventory} >= {"SHA-ARG-250"}
