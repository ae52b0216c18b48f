"""The stock page: category, vendor and level filters in PostgreSQL, per-store reorder points,
store totals fetched after the page, and a cell's explanation from the ledger."""

from __future__ import annotations

import re

from hq_server.auth.identity import Actor, StoreScope
from hq_server.db.models import Store
from hq_server.purchasing.replenishment import set_levels
from hq_server.purchasing.vendors import create_vendor, link_product
from tests.integration.hq.helpers import in_transaction

SYSTEM = Actor(user_id=None, email="system", role="admin", scope=StoreScope(True))  # type: ignore[arg-type]


def _categorise(hq_server, sku: str, category: str) -> None:  # noqa: ANN001
    from sqlalchemy import text
    in_transaction(hq_server.database_url, lambda s: s.execute(
        text("UPDATE products SET category = :c WHERE sku = :s"), {"c": category, "s": sku}))


def _vendor(hq_server, name: str, *skus: str) -> str:  # noqa: ANN001
    def work(session) -> str:  # noqa: ANN001
        vendor = create_vendor(session, SYSTEM, name=name, currency="EUR")
        for sku in skus:
            link_product(session, SYSTEM, vendor.id, hq_server.seed.product(sku).id, vendor_sku=sku,
                         unit_cost_minor=100, preferred=False)
        return str(vendor.id)

    return in_transaction(hq_server.database_url, work)


def skus_on(html: str) -> list[str]:
    return re.findall(r'<td class="sku">([^<]+)</td>', html)


def test_the_category_filter_lists_only_that_categorys_products(hq_server, web):
    _categorise(hq_server, "BRU-PAD-L", "Brushes")
    admin = web("admin")

    page = admin.get("/", params={"category": "Brushes"})

    assert page.status_code == 200
    assert skus_on(page.text) == ["BRU-PAD-L"]
    assert '<option value="Brushes" selected>Brushes</option>' in page.text
    assert "1 products · page 1 of 1" in page.text


def test_the_vendor_filter_follows_the_purchasing_product_vendor_links(hq_server, web):
    acme = _vendor(hq_server, "Acme Hair", "SHA-ARG-250", "CON-ARG-250")
    _vendor(hq_server, "Nailco", "NAI-RED-10")
    admin = web("admin")

    assert skus_on(admin.get("/", params={"vendor": acme}).text) == ["CON-ARG-250", "SHA-ARG-250"]
    combined = admin.get("/", params={"vendor": acme, "q": "shampoo"}).text
    assert skus_on(combined) == ["SHA-ARG-250"]
    assert "Acme Hair" in combined and "Nailco" in combined  # the pick list
    assert "Test · Acme Hair</div>" in combined  # the row names its vendor from the links


def test_a_store_replenishment_level_makes_its_cell_low_and_the_level_filter_finds_it(hq_server, web, till):
    cream = hq_server.seed.product("SKN-HYA-50")  # product reorder point 3, 20 on hand
    s001 = hq_server.seed.store("S001")
    in_transaction(hq_server.database_url, lambda s: set_levels(
        s, SYSTEM, s.get_one(Store, s001.id), [(cream.id, 25, 40)]))
    brush = hq_server.seed.product("BRU-PAD-L")
    till.sell((brush, 20))
    assert till.push().status_code == 200
    admin = web("admin")

    html = admin.get("/").text
    assert f'class="num onhand low" id="c-{cream.id}-{s001.id}"' in html
    assert 'data-reorder="25"' in html
    assert f'class="num onhand out" id="c-{brush.id}-{s001.id}"' in html
    assert skus_on(admin.get("/", params={"level": "low"}).text) == ["BRU-PAD-L", "SKN-HYA-50"]
    assert skus_on(admin.get("/", params={"level": "out"}).text) == ["BRU-PAD-L"]


def test_store_totals_come_after_the_page_for_the_same_filters(hq_server, web, till):
    brush = hq_server.seed.product("BRU-PAD-L")
    till.sell((brush, 18))
    assert till.push().status_code == 200
    admin = web("admin")

    page = admin.get("/", params={"q": "brush"}).text
    assert 'data-src="/stock/totals?q=brush&amp;page=1"' in page
    totals = admin.get("/stock/totals", params={"q": "brush"}).text
    s001 = hq_server.seed.store("S001")
    assert f'<span id="units-{s001.id}">2</span>' in totals
    assert re.search(r'<span class="n">1</span> low', totals)


def test_a_cells_explanation_names_the_till_cashier_and_receipt_of_a_sale(hq_server, web, till):
    serum = hq_server.seed.products[2]
    s001 = hq_server.seed.store("S001")
    till.sell((serum, 3))
    assert till.push().status_code == 200
    admin = web("admin")

    html = admin.get("/").text
    assert f'href="/stock/explain?product={serum.id}&amp;store={s001.id}"' in html
    panel = admin.get("/stock/explain", params={"product": str(serum.id), "store": str(s001.id),
                                                "partial": "1"})
    assert panel.status_code == 200 and "<html" not in panel.text
    assert "R000001" in panel.text and "till-1" in panel.text and "ann" in panel.text
    assert "20 → <b>17</b>" in panel.text
    assert "Start + movements = <b>17</b>, the number shown." in panel.text
    full = admin.get("/stock/explain", params={"product": serum.sku, "store": "S001"})
    assert full.status_code == 200 and "<title>TillHQ — Why this number</title>" in full.text


def test_a_store_manager_sees_only_their_store_and_cannot_explain_another(hq_server, web):
    manager = web("manager")
    s002 = hq_server.seed.store("S002")

    html = manager.get("/").text
    assert "S002" not in html and str(s002.id) not in html
    assert "S002" not in manager.get("/stock/totals").text
    refused = manager.get("/stock/explain", params={"product": "BRU-PAD-L", "store": "S002",
                                                    "partial": "1"})
    assert refused.status_code == 403 and "not one of your stores" in refused.text
