"""Reorder and purchase orders in a real Chromium against HQ on 127.0.0.1 with real PostgreSQL:
a buyer turns reorder suggestions into a purchase order, approves and sends it, and the goods are
received with a keyboard-wedge scanner; roles without buying rights only read; a store manager
sees only their store. Writes the buyer guide's screenshots to docs/screenshots/."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from hq_server.dashboard.formats import money
from tests.fixtures.hq import PASSWORD, add_hq_user

SCREENSHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
USERS = {"buyer": ("buyer@example.com", "tillhq-buyer"),
         "manager": ("manager.s001@example.com", "tillhq-manager"),
         "inventory": ("inventory.s001@example.com", PASSWORD)}
OPENING = 20  # the seed's stock of every product in every store
NO_PAGE_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


class Api:
    """The JSON API as the seeded buyer: how the tests set up vendors, levels and orders."""

    def __init__(self, hq_server) -> None:  # noqa: ANN001
        self.url, self.seed = f"{hq_server.url}/api/v1", hq_server.seed
        self.headers = hq_server.headers_for(*USERS["buyer"])

    def __call__(self, method: str, path: str, body: object = None) -> dict:
        reply = httpx.request(method, self.url + path, json=body, headers=self.headers, timeout=30)
        assert reply.status_code in (200, 201), reply.text
        return reply.json()

    def pid(self, sku: str) -> str:
        return str(self.seed.product(sku).id)

    def vendor(self, name: str, offers: dict[str, int]) -> dict:
        """A vendor preferred for the products in `offers` (sku -> unit cost in cents)."""
        vendor = self("POST", "/vendors", {"name": name, "contact_email": "orders@example.com",
                                           "payment_terms_days": 30, "lead_time_days": 4})
        for sku, cost in offers.items():
            self("PUT", f"/vendors/{vendor['id']}/products/{self.pid(sku)}",
                 {"vendor_sku": f"{name[:3].upper()}-{sku}", "unit_cost_minor": cost, "preferred": True})
        return vendor

    def levels(self, store: str, targets: dict[str, int]) -> None:
        """Each product at its reorder point in `store` (on hand 20), to be filled up to a target."""
        self("PUT", f"/stores/{store}/replenishment-levels", {"levels": [
            {"product_id": self.pid(sku), "reorder_point": OPENING, "target_level": target}
            for sku, target in targets.items()]})


@pytest.fixture
def api(hq_server) -> Api:
    """Two vendors, low stock in both stores, one low product with no vendor yet."""
    api = Api(hq_server)
    api.vendor("Lumen Supply Co", {"SHA-ARG-250": 410, "CON-ARG-250": 455, "COL-CHS-6N": 620})
    api.vendor("Northwind Beauty", {"SKN-HYA-50": 1180, "SKN-CLN-200": 540, "BRU-PAD-L": 700})
    api.levels("S001", {"SHA-ARG-250": 32, "CON-ARG-250": 30, "COL-CHS-6N": 26,
                        "SKN-HYA-50": 28, "SKN-CLN-200": 30, "VIT-BIO-60": 24})
    api.levels("S002", {"BRU-PAD-L": 30})
    return api


def sign_in(open_page, who: str, path: str, width: int = 1366) -> Page:  # noqa: ANN001
    page = open_page(width)
    page.goto(path)
    page.get_by_label("Email").fill(USERS[who][0])
    page.get_by_label("Password").fill(USERS[who][1])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector("nav.nav")
    return page


def screenshot(page: Page, name: str) -> None:
    """The whole page in one viewport, so the sticky action bar sits at the end, not over rows."""
    size = page.viewport_size
    assert size is not None
    height = page.evaluate("document.documentElement.scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": max(height, size["height"])})
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), animations="disabled")
    page.set_viewport_size(size)


def line(page: Page, sku: str):  # noqa: ANN201
    return page.locator(f'tr[data-sku="{sku}"]')


def wedge_scan(page: Page, code: str) -> None:
    """What a keyboard-wedge scanner does: the code's keys as fast as they come, then Enter."""
    page.keyboard.type(code)
    page.keyboard.press("Enter")


def test_a_buyer_creates_a_po_from_reorder_suggestions_and_receives_it(open_page, hq_server, api):
    shampoo, conditioner = hq_server.seed.product("SHA-ARG-250"), hq_server.seed.product("CON-ARG-250")
    page = sign_in(open_page, "buyer", "/reorder")

    # Find what is low: S001 from both vendors, S002's brush; the vitamins have no vendor yet.
    lumen = page.locator('section.po-group[data-group^="S001-"]').filter(has_text="Lumen Supply Co")
    expect(lumen.locator("tbody tr")).to_have_count(3)
    expect(line(page, "SHA-ARG-250").locator("input.qty-input")).to_have_value("12")  # 32 - 20
    expect(line(page, "SHA-ARG-250")).to_contain_text(money(410, "EUR"))
    expect(line(page, "BRU-PAD-L")).to_have_attribute("data-store", "S002")
    expect(page.get_by_text("These products have no preferred vendor")).to_be_visible()
    expect(line(page, "VIT-BIO-60").locator('input[type="checkbox"]')).to_have_count(0)

    # Order it: select all of Lumen's lines with the keyboard, order 24 shampoos instead of 12.
    lumen.locator("input.select-all").focus()
    page.keyboard.press("Space")
    expect(lumen.locator('tbody input[type="checkbox"]:checked')).to_have_count(3)
    line(page, "SHA-ARG-250").locator("input.qty-input").fill("24")
    expect(line(page, "SHA-ARG-250").locator("td.line-cost")).to_have_text(money(24 * 410, "EUR"))
    expect(page.locator("#picked")).to_have_text("3 lines ticked, 40 units.")  # 24 + 10 + 6
    screenshot(page, "reorder")
    page.get_by_role("button", name="Create draft orders").click()

    expect(page).to_have_url(re.compile(r"/purchase-orders\?status=draft&created=\d+$"))
    expect(page.locator("#created")).to_contain_text("Created 1 draft order from the suggestions")
    expect(page.locator("tbody tr[data-status=draft]")).to_have_count(1)
    page.locator("#created a").click()

    expect(page.locator("#po-status")).to_have_text("Draft")
    expect(page.locator("#po-lines tbody tr")).to_have_count(3)
    expect(page.locator("#po-total")).to_have_text(money(24 * 410 + 10 * 455 + 6 * 620, "EUR"))
    screenshot(page, "purchase-order")
    page.get_by_role("button", name="Approve").click()
    expect(page.locator("#notice")).to_contain_text("approved")
    expect(page.locator('input[name="qty:1"]')).to_have_count(0)  # lines are fixed now
    page.get_by_role("button", name="Mark as sent").click()
    expect(page.locator("#po-status")).to_have_text("Sent")

    # Receive it: the scanner in the scan field, a scan while the cursor is in a count, a carton typed.
    page.get_by_role("link", name="Receive goods").click()
    expect(page.locator("#scan")).to_be_focused()
    wedge_scan(page, shampoo.barcode)
    wedge_scan(page, shampoo.barcode)
    expect(line(page, "SHA-ARG-250").locator("input.recv-input")).to_have_value("2")
    expect(page.locator("#scan-message")).to_have_text("SHA-ARG-250: receiving 2 now, 2 of 24 ordered.")
    line(page, "COL-CHS-6N").locator("input.recv-input").fill("6")
    line(page, "COL-CHS-6N").locator("input.recv-input").focus()
    wedge_scan(page, conditioner.barcode)  # the cursor is in COL-CHS-6N's count, which keeps its 6
    expect(line(page, "CON-ARG-250").locator("input.recv-input")).to_have_value("1")
    expect(line(page, "COL-CHS-6N").locator("input.recv-input")).to_have_value("6")
    line(page, "SHA-ARG-250").locator("input.recv-input").fill("24")
    expect(line(page, "SHA-ARG-250").locator(".variance-cell")).to_have_text("complete")
    expect(line(page, "CON-ARG-250").locator(".variance-cell")).to_have_text("short 9")
    expect(page.locator("#now-total")).to_have_text("31")
    expect(page.locator("#variance-total")).to_have_text("short 9")
    page.locator("#scan").focus()
    screenshot(page, "receive")
    page.get_by_role("button", name="Post receipt").click()

    expect(page.locator("#notice")).to_contain_text("31 units added to stock")
    expect(page.locator("#po-status")).to_have_text("Partially received")
    expect(line(page, "CON-ARG-250")).to_contain_text("short 9")
    order = api("GET", "/purchase-orders?store=S001")[0]
    assert {li["sku"]: li["quantity_received"] for li in order["lines"]} == {
        "SHA-ARG-250": 24, "CON-ARG-250": 1, "COL-CHS-6N": 6}
    # What arrived is in stock: those products are above their reorder point and leave the list.
    page.goto("/reorder?store=S001")
    expect(line(page, "SHA-ARG-250")).to_have_count(0)
    expect(line(page, "SKN-HYA-50")).to_have_count(1)


def test_a_wedge_scan_of_an_unknown_barcode_says_so_and_changes_nothing_and_typing_is_no_scan(open_page, hq_server, api):
    made = api("POST", "/stores/S001/replenishment/orders", {"lines": [{"product_id": api.pid("SHA-ARG-250")}]})
    order_id = made[0]["id"]
    for step in ("approve", "send"):
        api("POST", f"/purchase-orders/{order_id}/{step}")
    page = sign_in(open_page, "buyer", f"/purchase-orders/{order_id}/receive")
    line(page, "SHA-ARG-250").locator("input.recv-input").fill("3")
    page.locator("h1").click()  # the cursor anywhere on the page

    wedge_scan(page, "5012345678900")

    expect(page.locator("#scan-message")).to_have_text(
        f"“5012345678900” is not on {made[0]['number']}: nothing was added. Set the item aside and tell the buyer.")
    expect(page.locator("#scan-message")).to_have_class("scan-message error")
    expect(line(page, "SHA-ARG-250").locator("input.recv-input")).to_have_value("3")
    expect(page.locator("#now-total")).to_have_text("3")
    expect(page).to_have_url(re.compile(r"/receive$"))
    # A person typing a count at a person's pace, then Enter: a count, not a scan, and not a post.
    count = line(page, "SHA-ARG-250").locator("input.recv-input")
    count.select_text()
    page.keyboard.type("12", delay=150)
    page.keyboard.press("Enter")
    expect(count).to_have_value("12")
    expect(page.locator("#now-total")).to_have_text("12")
    expect(page.locator("#scan-message")).to_have_class("scan-message error")  # still the last scan's
    expect(page).to_have_url(re.compile(r"/receive$"))
    assert api("GET", f"/purchase-orders/{order_id}")["lines"][0]["quantity_received"] == 0


def test_a_role_without_buying_rights_sees_no_buying_buttons_and_a_post_is_refused(open_page, hq_server, api):
    add_hq_user(hq_server.database_url, USERS["inventory"][0], "inventory", ("S001",))
    made = api("POST", "/stores/S001/replenishment/orders", {"lines": [{"product_id": api.pid("SHA-ARG-250")}]})
    page = sign_in(open_page, "inventory", "/reorder")

    expect(line(page, "SHA-ARG-250")).to_have_count(1)
    expect(page.get_by_role("button", name="Create draft orders")).to_have_count(0)
    expect(page.locator('input[type="checkbox"]')).to_have_count(0)
    expect(page.get_by_text("Unit cost")).to_have_count(0)  # inventory never sees costs
    page.goto(f"/purchase-orders/{made[0]['id']}")
    expect(page.locator("#po-status")).to_have_text("Draft")
    expect(page.get_by_role("button", name="Approve")).to_have_count(0)
    expect(page.get_by_role("button", name="Save lines")).to_have_count(0)

    refused = page.request.post(f"/purchase-orders/{made[0]['id']}/approve", max_redirects=0)
    ordered = page.request.post("/reorder", form={f"pick:S001:{api.pid('CON-ARG-250')}": "1",
                                                  f"qty:S001:{api.pid('CON-ARG-250')}": "5"}, max_redirects=0)

    assert refused.status == 403 and ordered.status == 403
    assert "Not for your role" in refused.text()
    assert api("GET", f"/purchase-orders/{made[0]['id']}")["status"] == "draft"
    assert len(api("GET", "/purchase-orders?store=S001")) == 1


def test_a_store_manager_sees_only_their_store_at_tablet_width(open_page, hq_server, api):
    api("POST", "/stores/S002/replenishment/orders", {"lines": [{"product_id": api.pid("BRU-PAD-L")}]})
    mine = api("POST", "/stores/S001/replenishment/orders", {"lines": [{"product_id": api.pid("SKN-HYA-50")}]})
    page = sign_in(open_page, "manager", "/reorder", width=820)

    expect(page.locator("select[name=store] option")).to_have_text(["My store", "S001 — Lumen Beauty — Camden"])
    expect(page.locator('tr[data-store="S002"]')).to_have_count(0)
    expect(line(page, "SKN-CLN-200")).to_have_count(1)
    assert page.evaluate(NO_PAGE_SCROLL)
    page.get_by_role("link", name="Orders").click()
    expect(page.locator("tbody tr[data-order]")).to_have_count(1)
    expect(page.locator("tbody tr[data-order]")).to_have_attribute("data-order", mine[0]["number"])
    assert page.evaluate(NO_PAGE_SCROLL)


@pytest.mark.parametrize("width", [1366, 820])
def test_the_pages_fit_the_width_and_wide_tables_scroll_in_their_own_box(open_page, hq_server, api, width):
    made = api("POST", "/stores/S001/replenishment/orders", {"lines": [
        {"product_id": api.pid(sku)} for sku in ("SHA-ARG-250", "CON-ARG-250", "COL-CHS-6N")]})
    order_id = made[0]["id"]
    for step in ("approve", "send"):
        api("POST", f"/purchase-orders/{order_id}/{step}")
    page = sign_in(open_page, "buyer", "/reorder", width=width)

    for path in ("/reorder", "/purchase-orders", f"/purchase-orders/{order_id}",
                 f"/purchase-orders/{order_id}/receive"):
        page.goto(path)
        assert page.evaluate(NO_PAGE_SCROLL), f"{path} scrolls sideways at {width} px"
