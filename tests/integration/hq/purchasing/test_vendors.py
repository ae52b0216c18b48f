"""Vendors and the products they supply: created, changed, linked (several vendors per product,
one preferred), audited; costs and payment terms are absent for roles that may not see costs."""

from __future__ import annotations

from tests.integration.hq.helpers import query


def test_a_buyer_creates_lists_and_updates_a_vendor(hq):
    made = hq.vendor(name="Lumen Supply Co", contact_email="orders@lumen.example",
                     contact_phone="+44 20 7946 0000", payment_terms_days=45, lead_time_days=3)

    changed = hq.ok("buyer", "PATCH", f"/vendors/{made['id']}", {"lead_time_days": 10, "active": False})

    assert made["payment_terms_days"] == 45 and made["currency"] == "EUR" and made["active"]
    assert (changed["lead_time_days"], changed["active"], changed["contact_email"]) == \
        (10, False, "orders@lumen.example")
    assert hq.ok("viewer", "GET", f"/vendors/{made['id']}")["name"] == "Lumen Supply Co"
    listed = {v["id"] for v in hq.ok("owner", "GET", "/vendors")}
    active = {v["id"] for v in hq.ok("owner", "GET", "/vendors", params={"active_only": True})}
    assert made["id"] in listed and made["id"] not in active
    audit = query(hq.database_url, "SELECT action, before, after FROM audit_log WHERE entity_id = %s "
                  "ORDER BY id", (made["id"],))
    assert [a for a, _, _ in audit] == ["vendor.created", "vendor.updated"]
    assert audit[1][1]["lead_time_days"] == 3 and audit[1][2]["lead_time_days"] == 10


def test_bad_vendor_input_is_refused_in_words(hq):
    taken = hq.vendor()

    duplicate = hq.call("buyer", "POST", "/vendors", {"name": taken["name"]})
    negative_terms = hq.call("buyer", "POST", "/vendors", {"name": "X", "payment_terms_days": -1})
    unknown_currency = hq.call("buyer", "POST", "/vendors", {"name": "Y", "currency": "XXX"})
    missing = hq.call("buyer", "PATCH", "/vendors/00000000-0000-0000-0000-000000000000", {"active": False})
    nameless = hq.call("buyer", "PATCH", f"/vendors/{taken['id']}", {"name": None, "contact_email": None})

    assert duplicate.status_code == 422 and "already exists" in duplicate.json()["detail"]
    assert negative_terms.status_code == 422 and unknown_currency.status_code == 422
    assert "unknown currency" in unknown_currency.json()["detail"]
    assert missing.status_code == 404
    assert nameless.status_code == 422 and "name cannot be empty" in nameless.json()["detail"]
    assert hq.ok("buyer", "GET", f"/vendors/{taken['id']}")["name"] == taken["name"]


def test_a_product_has_several_vendors_and_one_preferred(hq):
    first, second = hq.vendor(), hq.vendor()
    hq.link(first["id"], 0, 410, preferred=True)
    hq.link(second["id"], 0, 395, preferred=True)  # takes the preference over

    links = {v["id"]: hq.ok("buyer", "GET", f"/vendors/{v['id']}/products") for v in (first, second)}

    assert [(p["unit_cost_minor"], p["preferred"]) for p in links[first["id"]]] == [(410, False)]
    assert [(p["unit_cost_minor"], p["preferred"], p["vendor_sku"]) for p in links[second["id"]]] == \
        [(395, True, "V-0")]
    preferred = query(hq.database_url, "SELECT count(*) FROM vendor_products WHERE product_id = %s "
                      "AND preferred", (hq.seed.products[0].id,))
    assert preferred == [(1,)]


def test_a_negative_cost_or_unknown_product_is_refused(hq):
    vendor = hq.vendor()

    negative = hq.call("buyer", "PUT", f"/vendors/{vendor['id']}/products/{hq.product_id(1)}",
                       {"unit_cost_minor": -5})
    unknown = hq.call("buyer", "PUT", f"/vendors/{vendor['id']}/products/00000000-0000-0000-0000-000000000001",
                      {"unit_cost_minor": 5})

    assert (negative.status_code, unknown.status_code) == (422, 404)
    assert hq.ok("buyer", "GET", f"/vendors/{vendor['id']}/products") == []


def test_inventory_and_viewers_never_see_costs_or_terms(hq):
    vendor = hq.vendor(payment_terms_days=60)
    hq.link(vendor["id"], 2, 123)
    order = hq.order(vendor["id"], [(2, 1, 123)])

    for who in ("inventory", "viewer"):
        seen_vendor = hq.ok(who, "GET", f"/vendors/{vendor['id']}")
        seen_links = hq.ok(who, "GET", f"/vendors/{vendor['id']}/products")
        seen_order = hq.ok(who, "GET", f"/purchase-orders/{order['id']}")
        assert "payment_terms_days" not in seen_vendor and seen_vendor["lead_time_days"] == 5
        assert "unit_cost_minor" not in seen_links[0] and seen_links[0]["vendor_sku"] == "V-2"
        assert "total_minor" not in seen_order
        assert not {"unit_cost_minor", "line_total_minor"} & set(seen_order["lines"][0])
    assert hq.ok("store_manager", "GET", f"/purchase-orders/{order['id']}")["total_minor"] == 123
