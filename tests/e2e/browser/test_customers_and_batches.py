"""The Customers pages and the product page's batches in a real Chromium: an admin searches a
customer, reads their points, purchases and negative balance, opens a receipt and its product;
a store manager sees only their store's purchases; a buyer has no Customers page; a batch-tracked
product shows what is left of each batch after FEFO sales. Writes the buyer guide's screenshots
(customers.png, customer.png, catalogue-batches.png) to docs/screenshots/."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from playwright.sync_api import Page, expect

from tests.integration.hq.customers.helpers import post_points, save_customer
from tests.integration.hq.dashboard_customers.conftest import pushed, sell_to
from tests.integration.hq.helpers import enrol_till

SCREENSHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
REGULARS = [("Aisha Rahman", "+44 20 7946 0101", "aisha.r@example.com", 120),
            ("Ben Okoro", "07700 900202", "", 45), ("Carla Mendes", "", "carla@example.org", 0),
            ("Dev Patel", "07700 900404", "dev.patel@example.com", 310),
            ("Elif Yilmaz", "+44 161 496 0505", "", 80)]


def screenshot(page: Page, name: str) -> None:
    """The whole page in one viewport, so nothing is cut at the fold."""
    size = page.viewport_size
    assert size is not None
    height = page.evaluate("document.documentElement.scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": max(height, size["height"])})
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), animations="disabled")
    page.set_viewport_size(size)


def a_chain_with_customers(hq_server, till) -> str:  # noqa: ANN001
    """Regulars at S001 and Vera, who shops at S001 and S002 and spent more points than she had."""
    shampoo, brush = hq_server.seed.product("SHA-ARG-250"), hq_server.seed.product("BRU-PAD-L")
    for name, phone, email, points in REGULARS:
        cid = save_customer(till, name, phone, email).payload["customer_id"]
        if points:
            post_points(till, cid, points)
    vera = save_customer(till, "Vera Lindqvist", "0711 222 333", "vera@example.com").payload["customer_id"]
    sell_to(till, vera, "R-1001", (shampoo, 2), (brush, 1))
    post_points(till, vera, 32, receipt_no="R-1001")
    post_points(till, vera, -50, receipt_no="R-1002")
    pushed(till)
    s002 = enrol_till(hq_server, "S002", name="S002 till 1")
    sell_to(s002, vera, "S2-2001", (brush, 1))
    post_points(s002, vera, 15, receipt_no="S2-2001")
    pushed(s002)
    return vera


def test_an_admin_finds_a_customer_and_reads_points_purchases_and_a_receipt(sign_in, hq_server, till):
    a_chain_with_customers(hq_server, till)
    page = sign_in("admin")

    page.get_by_role("link", name="Customers").click()
    expect(page.get_by_role("heading", name="Customers")).to_be_visible()
    expect(page.locator("tr[data-customer]")).to_have_count(6)
    screenshot(page, "customers")
    page.get_by_label("Search").fill("lind")
    page.keyboard.press("Enter")
    expect(page.locator("tr[data-customer]")).to_have_count(1)
    expect(page.locator("td.points")).to_have_text("-3")
    page.get_by_role("link", name="Vera Lindqvist").click()

    expect(page.get_by_role("heading", name="Vera Lindqvist")).to_be_visible()
    expect(page.locator("#points-balance b")).to_have_text("-3")  # 32 - 50 + 15
    expect(page.get_by_role("alert")).to_contain_text("below zero")
    expect(page.locator(".loyalty-exceptions li.open")).to_contain_text("-50 points on receipt R-1002")
    expect(page.locator("table.postings tbody tr")).to_have_count(3)
    expect(page.locator("table.postings tr.redeem")).to_contain_text("till-1")
    expect(page.locator("table.purchases tbody tr")).to_have_count(2)
    screenshot(page, "customer")

    page.get_by_role("link", name="R-1001").click()
    expect(page.get_by_role("heading", name="Receipt R-1001")).to_be_visible()
    expect(page.locator("table.receipt-lines tbody tr")).to_have_count(2)
    page.get_by_role("link", name="SHA-ARG-250").click()
    expect(page.get_by_role("heading", name=re.compile("Argan Repair Shampoo"))).to_be_visible()


def test_a_store_manager_sees_only_their_stores_purchases_and_a_buyer_no_customers(sign_in, open_page,
                                                                                   hq_server, till):
    vera = a_chain_with_customers(hq_server, till)
    manager = sign_in("manager", path=f"/customers/{vera}", width=820)  # tablet width

    expect(manager.locator("#points-balance b")).to_have_text("-3")  # the balance is chain-wide
    expect(manager.locator("table.purchases tbody tr")).to_have_count(1)
    expect(manager.locator("table.postings tbody tr")).to_have_count(2)
    assert "S2-2001" not in manager.content()
    assert manager.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    buyer = open_page()
    buyer.goto("/")
    buyer.get_by_label("Email").fill("buyer@example.com")
    buyer.get_by_label("Password").fill("tillhq-buyer")
    buyer.get_by_role("button", name="Sign in").click()
    buyer.wait_for_selector("nav.nav")
    expect(buyer.locator("nav.nav a", has_text="Customers")).to_have_count(0)
    buyer.goto(f"/customers/{vera}")
    expect(buyer.get_by_role("heading", name="Not for your role")).to_be_visible()
    assert "Vera" not in buyer.content()


def test_a_batch_tracked_product_shows_fefo_quantities_and_expiry(sign_in, hq_server, till):
    admin = hq_server.admin_headers
    api = f"{hq_server.url}/api/v1"
    cream = hq_server.seed.product("SKN-HYA-50")
    assert httpx.put(f"{api}/batches/tracking/{cream.sku}", json={"tracked": True}, headers=admin).is_success
    vendor = httpx.post(f"{api}/vendors", json={"name": "Skin Lab Supply"}, headers=admin).json()["id"]
    order = httpx.post(f"{api}/purchase-orders", headers=admin, json={
        "store_code": "S001", "vendor_id": vendor,
        "lines": [{"product_id": str(cream.id), "quantity": 36, "unit_cost_minor": 900}]}).json()["id"]
    for step in ("approve", "send"):
        assert httpx.post(f"{api}/purchase-orders/{order}/{step}", headers=admin).is_success
    today = datetime.now(UTC).date()
    for code, quantity, days in (("HY-2411", 6, -4), ("HY-2412", 12, 18), ("HY-2506", 18, 190)):
        reply = httpx.post(f"{api}/purchase-orders/{order}/receipts", headers=admin, json={"lines": [{
            "line_no": 1, "quantity": quantity, "batch_code": code,
            "expires_on": (today + timedelta(days=days)).isoformat()}]})
        assert reply.status_code == 201, reply.text
    till.sell((cream, 9))  # FEFO: all 6 of HY-2411, then 3 of HY-2412
    pushed(till)

    page = sign_in("manager", path=f"/catalogue/{cream.sku}")
    panel = page.locator('.batch-store[data-store="S001"]')
    expect(panel.locator("tr.batch[data-batch]")).to_have_count(2)
    expect(panel.locator('tr[data-batch="HY-2412"] td.qty')).to_have_text("9")
    expect(panel.locator('tr[data-batch="HY-2412"]')).to_contain_text("expiring soon")
    expect(panel.locator('tr[data-batch="HY-2412"]')).to_contain_text("sells next")
    expect(panel.locator('tr[data-batch="HY-2506"] td.qty')).to_have_text("18")
    page.locator("#batches-title").scroll_into_view_if_needed()
    screenshot(page, "catalogue-batches")
