"""/reorder against the real app and PostgreSQL: what each role sees, and draft orders made from it."""

from __future__ import annotations

import html as markup

from tests.integration.hq.dashboard_purchasing.helpers import (
    alert,
    low_stock,
    orders_of,
    vendor_for,
)


def test_suggestions_are_grouped_by_vendor_with_costs_for_a_buyer(hq, web):
    store = hq.new_store()
    low_stock(hq, store, 0, 1, 2)
    lumen = vendor_for(hq, 0, 1, cost=410)

    page = web["buyer"].get("/reorder", params={"store": store})

    assert page.status_code == 200
    text = markup.unescape(page.text)
    assert lumen["name"] in text and "No preferred vendor" in text  # product 2 has none
    assert "SHA-ARG-250" in text and "CON-ARG-250" in text and "COL-CHS-6N" in text
    assert 'value="10"' in page.text  # target 30 - on hand 20
    assert "€4.10" in text and "€82.00" in text  # unit cost; 2 lines x 10 x €4.10 for the group
    assert 'id="create-orders"' in page.text
    assert page.text.count('name="pick:') == 2  # no checkbox for the product without a vendor


def test_a_role_that_may_not_see_costs_or_order_reads_only(hq, web):
    low_stock(hq, "S001", 3)
    vendor_for(hq, 3, cost=777)

    page = web["inventory"].get("/reorder")

    assert page.status_code == 200 and "BRU-PAD-L" in page.text
    assert "€7.77" not in page.text and "Unit cost" not in page.text
    assert 'name="pick:' not in page.text and "Create draft orders" not in page.text


def test_ticked_lines_become_one_draft_per_vendor_and_the_list_shows_them(hq, web):
    store = hq.new_store()
    low_stock(hq, store, 0, 1, 4)
    first, second = vendor_for(hq, 0, 1, cost=300), vendor_for(hq, 4, cost=150)
    ids = {i: hq.product_id(i) for i in (0, 1, 4)}
    form = {"store": store, "vendor": "",
            f"pick:{store}:{ids[0]}": "1", f"qty:{store}:{ids[0]}": "12",
            f"qty:{store}:{ids[1]}": "10",  # not ticked: not ordered
            f"pick:{store}:{ids[4]}": "1", f"qty:{store}:{ids[4]}": "10"}

    reply = web["buyer"].post("/reorder", data=form)

    assert reply.status_code == 303
    made = orders_of(hq, store, "draft")
    assert sorted((o["vendor_name"], [(line["sku"], line["quantity_ordered"]) for line in o["lines"]])
                  for o in made) == sorted([(first["name"], [("SHA-ARG-250", 12)]),
                                            (second["name"], [("NAI-RED-10", 10)])])
    listing = web["buyer"].get(reply.headers["location"])
    assert "Created 2 draft orders" in listing.text
    for order in made:
        assert f'href="/purchase-orders/{order["id"]}"' in listing.text


def test_a_bad_quantity_orders_nothing_and_keeps_what_was_typed(hq, web):
    store = hq.new_store()
    low_stock(hq, store, 0, 1)
    vendor_for(hq, 0, 1)
    ids = [hq.product_id(0), hq.product_id(1)]
    form = {"store": store, f"pick:{store}:{ids[0]}": "1", f"qty:{store}:{ids[0]}": "7",
            f"pick:{store}:{ids[1]}": "1", f"qty:{store}:{ids[1]}": "lots",
            f"sku:{store}:{ids[1]}": "CON-ARG-250"}

    reply = web["buyer"].post("/reorder", data=form)

    assert reply.status_code == 422
    assert "CON-ARG-250" in alert(reply.text) and "nothing was ordered" in alert(reply.text)
    assert 'value="7"' in reply.text and 'value="lots"' in reply.text
    assert reply.text.count(" checked") == 2
    assert orders_of(hq, store) == []


def test_nothing_ticked_says_so(hq, web):
    store = hq.new_store()
    low_stock(hq, store, 0)
    vendor_for(hq, 0)

    reply = web["buyer"].post("/reorder", data={"store": store})

    assert reply.status_code == 422 and "tick at least one line" in alert(reply.text)


def test_roles_without_buying_rights_are_refused_and_nothing_is_made(hq, web):
    store = hq.new_store()
    low_stock(hq, store, 0)
    vendor_for(hq, 0)
    form = {f"pick:{store}:{hq.product_id(0)}": "1", f"qty:{store}:{hq.product_id(0)}": "5"}

    for role in ("store_manager", "inventory", "owner", "viewer"):
        reply = web[role].post("/reorder", data=form)
        assert reply.status_code == 403, role
        assert "Not for your role" in reply.text
    assert orders_of(hq, store) == []


def test_a_store_manager_sees_only_their_store(hq, web):
    low_stock(hq, "S001", 5)
    low_stock(hq, "S002", 6)
    vendor_for(hq, 5, 6)

    mine = web["store_manager"].get("/reorder").text
    other = web["store_manager"].get("/reorder", params={"store": "S002"})

    assert "SKN-HYA-50" in mine and 'data-store="S001"' in mine
    assert 'data-store="S002"' not in mine and 'value="S002"' not in mine
    assert 'data-store="S002"' not in other.text and "no store &#39;S002&#39; among your stores" in other.text


def test_orders_for_several_stores_are_made_all_or_none(hq, web):
    store = hq.new_store()
    low_stock(hq, store, 7)
    vendor_for(hq, 7)
    form = {f"pick:{store}:{hq.product_id(7)}": "1", f"qty:{store}:{hq.product_id(7)}": "5",
            f"pick:ZZZ:{hq.product_id(7)}": "1", f"qty:ZZZ:{hq.product_id(7)}": "5"}

    reply = web["buyer"].post("/reorder", data=form)

    assert reply.status_code == 404 and "no store 'ZZZ'" in markup.unescape(alert(reply.text))
    assert orders_of(hq, store) == []
