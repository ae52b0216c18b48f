"""Purchasing names products by SKU as well as by id, as the inventory calls do: vendor links,
reorder levels, picks from the suggestions and purchase order lines. An unknown SKU is refused
in words and changes nothing; OpenAPI documents each such field as "product id or SKU"."""

from __future__ import annotations

from tests.integration.hq.helpers import query


def test_a_vendor_link_names_the_product_by_sku(hq):
    vendor, product = hq.vendor(), hq.seed.products[0]

    linked = hq.ok("buyer", "PUT", f"/vendors/{vendor['id']}/products/{product.sku}",
                   {"vendor_sku": "V-SKU", "unit_cost_minor": 123, "preferred": True})
    unknown = hq.call("buyer", "PUT", f"/vendors/{vendor['id']}/products/NO-SUCH-SKU",
                      {"vendor_sku": "V-X", "unit_cost_minor": 1, "preferred": False})

    assert (linked["product_id"], linked["sku"], linked["unit_cost_minor"]) == (str(product.id), product.sku, 123)
    assert unknown.status_code == 404 and unknown.json() == {"detail": "no product NO-SUCH-SKU"}
    assert [r["sku"] for r in hq.ok("buyer", "GET", f"/vendors/{vendor['id']}/products")] == [product.sku]


def test_reorder_levels_and_picks_take_skus_and_ids_alike(hq):
    store, vendor = hq.new_store(), hq.vendor()
    first, second = hq.seed.products[1], hq.seed.products[2]
    hq.link(vendor["id"], 1, 100)
    hq.link(vendor["id"], 2, 200)

    set_ = hq.ok("buyer", "PUT", f"/stores/{store}/replenishment-levels", {"levels": [
        {"product_id": first.sku, "reorder_point": 500, "target_level": 600},
        {"product_id": str(second.id), "reorder_point": 1, "target_level": 2}]})
    twice = hq.call("buyer", "PUT", f"/stores/{store}/replenishment-levels", {"levels": [
        {"product_id": first.sku, "reorder_point": 1, "target_level": 2},
        {"product_id": str(first.id), "reorder_point": 1, "target_level": 2}]})
    unknown = hq.call("buyer", "PUT", f"/stores/{store}/replenishment-levels", {"levels": [
        {"product_id": "NO-SUCH-SKU", "reorder_point": 1, "target_level": 2}]})

    assert set_ == {"store_code": store, "changed": 2}
    assert twice.status_code == 422 and "appears twice" in twice.json()["detail"]
    assert unknown.status_code == 422 and "NO-SUCH-SKU" in unknown.json()["detail"]
    levels = {r["sku"]: r["reorder_point"] for r in hq.ok("buyer", "GET", f"/stores/{store}/replenishment-levels")}
    assert levels == {first.sku: 500, second.sku: 1}

    orders = hq.ok("buyer", "POST", f"/stores/{store}/replenishment/orders", {"lines": [{"product_id": first.sku}]})
    assert [(line["sku"], line["quantity_ordered"]) for line in orders[0]["lines"]] == \
        [(first.sku, 600 - hq.seed.opening_stock)]


def test_a_purchase_order_line_names_its_product_by_sku(hq):
    vendor, product = hq.vendor(), hq.seed.products[3]
    hq.link(vendor["id"], 3, 345)

    order = hq.ok("buyer", "POST", "/purchase-orders", {
        "store_code": "S001", "vendor_id": vendor["id"], "lines": [{"product_id": product.sku, "quantity": 4}]})
    refused = hq.call("buyer", "POST", "/purchase-orders", {
        "store_code": "S001", "vendor_id": vendor["id"], "lines": [{"product_id": "NO-SUCH-SKU", "quantity": 4}]})
    changed = hq.ok("buyer", "PUT", f"/purchase-orders/{order['id']}/lines",
                    {"lines": [{"product_id": product.sku, "quantity": 6}]})

    assert [(line["sku"], line["quantity_ordered"], line["unit_cost_minor"]) for line in order["lines"]] == \
        [(product.sku, 4, 345)]
    assert refused.status_code == 422 and refused.json() == {"detail": "line 1: no product NO-SUCH-SKU"}
    assert [line["quantity_ordered"] for line in changed["lines"]] == [6]
    assert query(hq.database_url, "SELECT count(*) FROM purchase_orders WHERE vendor_id = %s",
                 (vendor["id"],)) == [(1,)]


def test_openapi_says_product_id_or_sku(hq):
    import httpx
    spec = httpx.get(f"{hq.url}/openapi.json").json()
    schemas = spec["components"]["schemas"]

    for name in ("LevelIn", "OrderLineIn", "SuggestionPick"):
        assert schemas[name]["properties"]["product_id"]["description"] == "product id or SKU", name
    put = spec["paths"]["/api/v1/vendors/{vendor_id}/products/{product_id}"]["put"]
    assert {p["name"]: p.get("description") for p in put["parameters"]}["product_id"] == "product id or SKU"
