"""Levels per store, reorder suggestions (target - (on hand + in transit + on order)) grouped by
preferred vendor, and draft orders made from picked suggestions, one per vendor.

Each test works in a store of its own: other tests' open orders would count as on order."""

from __future__ import annotations

from tests.integration.hq.helpers import adjust_stock, query, scalar

OPENING = 20


def set_levels(hq, store: str, levels: list[tuple[int, int, int]], who: str = "buyer"):
    return hq.call(who, "PUT", f"/stores/{store}/replenishment-levels", {"levels": [
        {"product_id": hq.product_id(i), "reorder_point": r, "target_level": t} for i, r, t in levels]})


def ship(hq, source: str, destination: str, lines: list[tuple[int, int]], status: str) -> None:
    """Transfers as hq_server/inventory keeps them, one per line (a product once per transfer)."""
    store_ids = dict(query(hq.database_url, "SELECT code, id FROM stores"))
    for index, quantity in lines:
        query(hq.database_url, """
            WITH t AS (INSERT INTO transfers (id, from_store_id, to_store_id, status)
                       VALUES (gen_random_uuid(), %s, %s, %s) RETURNING id)
            INSERT INTO transfer_lines (transfer_id, product_id, quantity) SELECT id, %s, %s FROM t
            RETURNING transfer_id""", (store_ids[source], store_ids[destination], status,
                                       hq.seed.products[index].id, quantity))


def lines_by_sku(suggested: dict) -> dict[str, dict]:
    return {line["sku"]: {**line, "vendor": group["vendor_name"]}
            for group in suggested["vendors"] for line in group["lines"]}


def test_levels_are_set_in_bulk_and_audited(hq):
    store = hq.new_store()
    first = set_levels(hq, store, [(0, 5, 30), (1, 2, 10)])
    second = set_levels(hq, store, [(1, 4, 12)])

    assert first.status_code == 200 and first.json() == {"store_code": store, "changed": 2}
    assert second.json()["changed"] == 1
    levels = {lv["sku"]: (lv["reorder_point"], lv["target_level"])
              for lv in hq.ok("viewer", "GET", f"/stores/{store}/replenishment-levels")}
    assert levels == {hq.seed.products[0].sku: (5, 30), hq.seed.products[1].sku: (4, 12)}
    audit = query(hq.database_url, "SELECT before, after FROM audit_log WHERE action = "
                  "'replenishment_levels.set' ORDER BY id DESC LIMIT 1")
    assert audit == [({hq.product_id(1): [2, 10]}, {hq.product_id(1): [4, 12]})]


def test_bad_levels_are_refused_and_none_are_set(hq):
    store = hq.new_store()
    below = set_levels(hq, store, [(2, 9, 3)])
    negative = set_levels(hq, store, [(2, -1, 3)])
    unknown = hq.call("buyer", "PUT", f"/stores/{store}/replenishment-levels", {"levels": [
        {"product_id": hq.product_id(2), "reorder_point": 1, "target_level": 2},
        {"product_id": "00000000-0000-0000-0000-0000000000aa", "reorder_point": 1, "target_level": 2}]})
    no_store = set_levels(hq, "S999", [(2, 1, 3)])

    assert [r.status_code for r in (below, negative, unknown, no_store)] == [422, 422, 422, 404]
    assert "below reorder_point" in below.text
    assert "unknown product" in unknown.json()["detail"] and "nothing was set" in unknown.json()["detail"]
    assert scalar(hq.database_url, "SELECT count(*) FROM replenishment_levels l JOIN stores s "
                  "ON s.id = l.store_id WHERE s.code = %s", (store,)) == 0


def test_suggestions_subtract_on_hand_in_transit_and_open_orders(hq):
    store = hq.new_store()
    mine, other = hq.vendor(name="Suggest Vendor A"), hq.vendor(name="Suggest Vendor B")
    for index, vendor in ((3, mine), (4, mine), (5, other)):
        hq.link(vendor["id"], index, 100 + index)
    query(hq.database_url, "DELETE FROM vendor_products WHERE product_id = %s RETURNING 1",
          (hq.seed.products[6].id,))
    assert set_levels(hq, store, [(3, 20, 50), (4, 25, 40), (5, 20, 30), (6, 20, 40)]).status_code == 200
    sent = hq.order(mine["id"], [(3, 12, 103), (5, 4, 105)], store=store)  # open: on order
    hq.ok("admin", "POST", f"/purchase-orders/{sent['id']}/receipts", {"lines": [{"line_no": 1, "quantity": 2}]})
    hq.order(mine["id"], [(4, 9, 104)], store=store, status="draft")  # a draft is not on order
    ship(hq, "S002", store, [(4, 3), (4, 2)], "shipped")  # 5 on their way
    ship(hq, "S002", store, [(4, 7)], "received")  # already in the on-hand, not in transit

    lines = lines_by_sku(hq.ok("buyer", "GET", f"/stores/{store}/replenishment"))

    sku = [p.sku for p in hq.seed.products]
    assert sku[3] not in lines  # 22 on hand after the 2 received: above its reorder point of 20
    assert (lines[sku[4]]["on_hand"], lines[sku[4]]["in_transit"], lines[sku[4]]["on_order"],
            lines[sku[4]]["suggested_quantity"]) == (OPENING, 5, 0, 40 - 20 - 5)
    assert (lines[sku[5]]["on_order"], lines[sku[5]]["suggested_quantity"]) == (4, 30 - 20 - 4)
    assert lines[sku[5]]["vendor"] == "Suggest Vendor B" and lines[sku[6]]["vendor"] is None
    suggested = hq.ok("buyer", "GET", f"/stores/{store}/replenishment")
    assert [(g["vendor_name"], g["total_minor"]) for g in suggested["vendors"]] == [
        ("Suggest Vendor A", 15 * 104), ("Suggest Vendor B", 6 * 105), (None, 0)]  # no vendor: last
    hidden = hq.ok("inventory", "GET", "/stores/S001/replenishment")  # inventory works in S001
    assert all("total_minor" not in g and all("unit_cost_minor" not in line for line in g["lines"])
               for g in hidden["vendors"])


def test_an_open_order_counts_as_on_order_until_closed(hq):
    store = hq.new_store()
    vendor = hq.vendor()
    hq.link(vendor["id"], 7, 70)
    set_levels(hq, store, [(7, 20, 45)])
    order = hq.order(vendor["id"], [(7, 10, 70)], store=store)
    hq.ok("buyer", "POST", f"/purchase-orders/{order['id']}/receipts", {"lines": [{"line_no": 1, "quantity": 1}]})
    store_id = scalar(hq.database_url, "SELECT id FROM stores WHERE code = %s", (store,))
    adjust_stock(hq.database_url, hq.seed.products[7].id, store_id, -5)  # 20 + 1 - 5 = 16

    while_open = lines_by_sku(hq.ok("buyer", "GET", f"/stores/{store}/replenishment"))[hq.seed.products[7].sku]
    hq.ok("buyer", "POST", f"/purchase-orders/{order['id']}/close")
    after_close = lines_by_sku(hq.ok("buyer", "GET", f"/stores/{store}/replenishment"))[hq.seed.products[7].sku]

    assert (while_open["on_hand"], while_open["on_order"], while_open["suggested_quantity"]) == (16, 9, 20)
    assert (after_close["on_order"], after_close["suggested_quantity"]) == (0, 29)


def test_picked_suggestions_become_one_draft_order_per_vendor(hq):
    store = hq.new_store()
    first, second = hq.vendor(name="Pick Vendor A"), hq.vendor(name="Pick Vendor B")
    hq.link(first["id"], 8, 80)
    hq.link(first["id"], 9, 90)
    hq.link(second["id"], 1, 11)
    set_levels(hq, store, [(8, 25, 30), (9, 20, 24), (1, 20, 26)])

    made = hq.ok("buyer", "POST", f"/stores/{store}/replenishment/orders", {"lines": [
        {"product_id": hq.product_id(8)}, {"product_id": hq.product_id(9), "quantity": 7},
        {"product_id": hq.product_id(1)}]})

    assert sorted((o["vendor_name"], o["status"], o["store_code"]) for o in made) == [
        ("Pick Vendor A", "draft", store), ("Pick Vendor B", "draft", store)]
    lines = {line["sku"]: (line["quantity_ordered"], line["unit_cost_minor"])
             for o in made for line in o["lines"]}
    sku = [p.sku for p in hq.seed.products]
    assert lines == {sku[8]: (10, 80), sku[9]: (7, 90), sku[1]: (6, 11)}


def test_picking_a_product_without_a_vendor_makes_no_orders_at_all(hq):
    vendor = hq.vendor()
    hq.link(vendor["id"], 2, 20)
    query(hq.database_url, "DELETE FROM vendor_products WHERE product_id = %s RETURNING 1",
          (hq.seed.products[6].id,))
    before = scalar(hq.database_url, "SELECT count(*) FROM purchase_orders")

    reply = hq.call("buyer", "POST", "/stores/S001/replenishment/orders", {"lines": [
        {"product_id": hq.product_id(2), "quantity": 3}, {"product_id": hq.product_id(6), "quantity": 3}]})
    not_suggested = hq.call("buyer", "POST", f"/stores/{hq.new_store()}/replenishment/orders",
                            {"lines": [{"product_id": hq.product_id(2)}]})

    assert reply.status_code == 422 and "has no preferred vendor" in reply.json()["detail"]
    assert not_suggested.status_code == 422 and "give a quantity" in not_suggested.json()["detail"]
    assert scalar(hq.database_url, "SELECT count(*) FROM purchase_orders") == before
