"""Stock, Transfers and Counts in a real Chromium: filters, a cell's explanation after a till sale,
a transfer received short, a count posted with its variance, and a store manager kept to their
store. Writes the buyer guide's screenshots to docs/screenshots/."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect
from sqlalchemy import text

from hq_server.auth.identity import Actor, StoreScope
from hq_server.catalog.service import create_store
from hq_server.purchasing.vendors import create_vendor, link_product
from tests.integration.hq.helpers import in_transaction

SCREENSHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
SYSTEM = Actor(user_id=None, email="system", role="admin", scope=StoreScope(True))  # type: ignore[arg-type]
CATEGORIES = {"SHA-ARG-250": "Hair care", "CON-ARG-250": "Hair care", "COL-CHS-6N": "Hair colour",
              "BRU-PAD-L": "Accessories", "NAI-RED-10": "Nails", "SKN-HYA-50": "Skin care",
              "SKN-CLN-200": "Skin care", "ACC-CLP-12": "Accessories", "SHA-DRY-200": "Hair care",
              "VIT-BIO-60": "Supplements"}


def catalogue(hq_server) -> None:  # noqa: ANN001
    """Real categories and two vendors linked through purchasing, as a buyer's chain has them."""
    def work(session) -> None:  # noqa: ANN001
        for sku, category in CATEGORIES.items():
            session.execute(text("UPDATE products SET category = :c WHERE sku = :s"), {"c": category, "s": sku})
        for name, skus in (("Argan & Co", ["SHA-ARG-250", "CON-ARG-250", "SHA-DRY-200"]),
                           ("Brush Works", ["BRU-PAD-L", "ACC-CLP-12"])):
            vendor = create_vendor(session, SYSTEM, name=name, currency="EUR")
            for sku in skus:
                link_product(session, SYSTEM, vendor.id, hq_server.seed.product(sku).id, vendor_sku=sku,
                             unit_cost_minor=300, preferred=True)

    in_transaction(hq_server.database_url, work)


def skus(page: Page):
    return page.locator("table.grid.stock tbody td.sku")


def fits_the_width(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_stock_page_filters_by_category_and_by_vendor(sign_in, hq_server, till):
    catalogue(hq_server)
    brush, clips = hq_server.seed.product("BRU-PAD-L"), hq_server.seed.product("ACC-CLP-12")
    till.sell((brush, 20), (clips, 13), (hq_server.seed.product("SHA-ARG-250"), 16))
    assert till.push().status_code == 200
    page = sign_in("admin")

    expect(page.locator("#units-" + str(hq_server.seed.store("S001").id))).not_to_have_text("…")
    page.screenshot(path=str(SCREENSHOTS / "stock.png"), full_page=True)
    page.get_by_label("Category").select_option("Hair care")
    page.get_by_role("button", name="Search").click()
    expect(skus(page)).to_have_text(["CON-ARG-250", "SHA-ARG-250", "SHA-DRY-200"])
    expect(page.get_by_label("Category")).to_have_value("Hair care")

    page.get_by_label("Category").select_option("")
    page.get_by_label("Vendor").select_option(label="Brush Works")
    page.get_by_role("button", name="Search").click()
    expect(skus(page)).to_have_text(["ACC-CLP-12", "BRU-PAD-L"])
    s001 = hq_server.seed.store("S001")
    expect(page.locator(f"#c-{brush.id}-{s001.id}")).to_have_class("num onhand out")
    expect(page.locator(f"#c-{clips.id}-{s001.id}")).to_have_class("num onhand low")
    card = page.locator(f'.summary .card[data-store="{s001.id}"]')
    expect(card.locator(".pill.low .n")).to_have_text("1")
    expect(card.locator(".pill.out .n")).to_have_text("1")

    page.get_by_label("Stock", exact=True).select_option("out")
    page.get_by_role("button", name="Search").click()
    expect(skus(page)).to_have_text(["BRU-PAD-L"])


def test_a_cells_explanation_shows_the_receipt_of_a_sale_pushed_by_a_till(sign_in, hq_server, till):
    catalogue(hq_server)
    serum, s001 = hq_server.seed.products[2], hq_server.seed.store("S001")
    page = sign_in("admin")
    cell = page.locator(f"#c-{serum.id}-{s001.id}")
    expect(page.locator("#live")).to_have_class("live online")

    till.sell((serum, 3))
    assert till.push().status_code == 200
    expect(cell).to_have_text(str(hq_server.seed.opening_stock - 3), timeout=5_000)

    cell.locator("a").focus()  # keyboard: the number is a link; Enter opens its explanation
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    row = dialog.locator("tr.movement").last
    expect(row).to_contain_text("Sale")
    expect(row).to_contain_text("till-1")
    expect(row).to_contain_text("ann")
    expect(row).to_contain_text("R000001")
    expect(row).to_contain_text("20 → 17")
    expect(dialog.locator(".explain-sum")).to_contain_text("Start + movements = 17")
    page.screenshot(path=str(SCREENSHOTS / "stock-explained.png"))

    till.sell((serum, 1))  # the open explanation follows the live stock
    assert till.push().status_code == 200
    expect(dialog.locator("tr.movement").last).to_contain_text("R000002")

    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(cell.locator("a")).to_be_focused()


def test_a_transfer_is_requested_shipped_and_received_short_with_its_variance(sign_in, hq_server):
    page = sign_in("admin", "/transfers")
    page.on("dialog", lambda d: d.accept())
    shampoo = hq_server.seed.product("SHA-ARG-250")

    page.get_by_label("From store").select_option("S002")
    page.get_by_label("To store").select_option("S001")
    page.get_by_label("Products").fill(f"BRU-PAD-L 5\n{shampoo.barcode}\n{shampoo.barcode}\nCOL-CHS-6N 3")
    page.get_by_label("Note").fill("weekend promotion")
    page.get_by_role("button", name="Request transfer").click()
    expect(page.get_by_role("status")).to_have_text("Transfer requested.")
    expect(page.locator('tr[data-sku="SHA-ARG-250"] td').nth(2)).to_have_text("2")

    page.get_by_role("button", name="Approve").click()
    expect(page.locator("#transfer-status")).to_have_text("approved")
    page.get_by_role("button", name="Ship").click()
    expect(page.get_by_role("status")).to_have_text("Transfer shipped: the units are in transit.")

    page.get_by_label("Received of BRU-PAD-L").fill("4")
    page.get_by_role("button", name="Receive").click()
    expect(page.locator("#transfer-status")).to_have_text("received")
    expect(page.locator("#transfer-variance")).to_contain_text("BRU-PAD-L: shipped 5, received 4 (-1)")
    expect(page.locator('tr[data-sku="BRU-PAD-L"] td.diff')).to_have_text("-1")
    page.screenshot(path=str(SCREENSHOTS / "transfer.png"), full_page=True)
    page.set_viewport_size({"width": 820, "height": 900})
    assert fits_the_width(page)

    page.get_by_role("link", name="← Transfers").click()
    expect(page.locator('tr[data-transfer="T-000001"] .status')).to_have_text("received")


def test_a_count_is_entered_by_scan_and_by_hand_posted_and_shows_its_variance(sign_in, hq_server):
    catalogue(hq_server)
    page = sign_in("manager", "/counts")
    page.get_by_label("Category", exact=True).select_option("Hair care")
    page.get_by_role("button", name="Start count").click()
    expect(page.locator("#count-status")).to_have_text("open")
    expect(page.locator("tbody tr")).to_have_count(3)

    shampoo = hq_server.seed.product("SHA-ARG-250")
    scan = page.get_by_label("Scan or type a barcode")
    for _ in range(3):  # a keyboard-wedge scanner: the digits, then Enter
        scan.type(shampoo.barcode)
        scan.press("Enter")
    expect(page.get_by_label("Counted SHA-ARG-250")).to_have_value("3")
    expect(page.locator("#scan-said")).to_have_text("SHA-ARG-250: 3")
    scan.type("NOT-HERE")
    scan.press("Enter")
    expect(page.locator("#scan-said")).to_have_text("NOT-HERE is not on this count")

    page.get_by_label("Counted SHA-ARG-250").fill("18")
    page.get_by_label("Counted CON-ARG-250").fill("20")
    page.get_by_role("button", name="Post count").click()
    expect(page.get_by_role("alert")).to_contain_text("no quantity for SHA-DRY-200")
    expect(page.get_by_label("Counted SHA-ARG-250")).to_have_value("18")  # nothing lost

    page.get_by_label("Counted SHA-DRY-200").fill("21")
    page.get_by_role("button", name="Post count").click()
    expect(page.locator("#count-status")).to_have_text("posted")
    expect(page.locator('tr[data-sku="SHA-ARG-250"] td.variance')).to_have_text("-2")
    expect(page.locator('tr[data-sku="SHA-DRY-200"] td.variance')).to_have_text("+1")
    expect(page.locator("#total-variance")).to_have_text("-1")
    expect(page.locator("#count-variance")).to_contain_text("Count variance")
    page.screenshot(path=str(SCREENSHOTS / "count.png"), full_page=True)
    page.set_viewport_size({"width": 820, "height": 900})
    assert fits_the_width(page)

    page.get_by_role("link", name="← Counts").click()
    expect(page.locator('tr[data-count="C-000001"] .status')).to_have_text("posted")


def test_a_store_manager_sees_only_their_store_on_stock_transfers_and_counts(sign_in, hq_server):
    def others(session) -> None:  # noqa: ANN001
        from hq_server.inventory import counts, transfers

        create_store(session, code="S003", name="Lumen Beauty — Hackney", currency="EUR")
        transfers.request(session, SYSTEM, from_ref="S002", to_ref="S003", lines=[("BRU-PAD-L", 2)])
        counts.create(session, SYSTEM, store_ref="S002", category="Test")

    in_transaction(hq_server.database_url, others)
    page = sign_in("manager", width=820)  # tablet width

    expect(page.locator("thead th.store")).to_have_text(["S001"])
    expect(page.locator(".summary .card-title")).to_have_text(["S001"])
    assert "S002" not in page.content() and "S003" not in page.content()
    assert fits_the_width(page)

    page.get_by_role("link", name="Transfers").click()
    expect(page.get_by_role("heading", name="Transfers")).to_be_visible()
    expect(page.locator("table.transfers tbody")).to_contain_text("No transfers")
    assert fits_the_width(page)

    page.get_by_role("link", name="Counts").click()
    expect(page.locator("table.counts-list tbody")).to_contain_text("No counts yet.")
    expect(page.get_by_label("Store")).to_have_text("S001 — Lumen Beauty — Camden")
    assert fits_the_width(page)
