"""The HQ dashboard in a real browser: sign in, what each role sees, live stock, exceptions."""

from __future__ import annotations

import time

from playwright.sync_api import expect


def test_a_wrong_password_shows_the_error_and_keeps_you_on_the_login_page(open_page):
    page = open_page()
    page.goto("/")
    assert "/login?next=%2F" in page.url

    page.get_by_label("Email").fill("admin@example.com")
    page.get_by_label("Password").fill("not-the-password")
    page.keyboard.press("Enter")

    expect(page.get_by_role("alert")).to_have_text(
        "That email and password do not match an active HQ user.")
    expect(page.get_by_label("Email")).to_have_value("admin@example.com")
    assert "/login" in page.url


def test_the_admin_sees_every_store_and_every_page(sign_in, hq_server):
    page = sign_in("admin")

    expect(page.locator("thead th.store")).to_have_text(["S001", "S002"])
    expect(page.locator("nav.nav a")).to_have_text([
        "Today", "Stock", "Reorder", "Orders", "Transfers", "Counts", "Catalogue", "Analytics",
        "Customers", "Exceptions", "Devices", "Audit"])
    expect(page.locator(".who .user")).to_have_text("admin@example.com")
    page.get_by_role("link", name="Devices").click()
    expect(page.get_by_role("heading", name="Devices")).to_be_visible()


def test_the_s001_manager_sees_no_s002_stock_or_exceptions(sign_in, hq_server, enrolment_code):
    page = sign_in("manager", width=820)  # tablet width

    expect(page.locator("thead th.store")).to_have_text(["S001"])
    expect(page.locator(".summary .card-title")).to_have_text(["S001"])
    assert "S002" not in page.content()
    page.get_by_role("link", name="Exceptions").click()
    expect(page.locator("select[name=store] option")).to_have_text(["Any", "S001"])
    assert "S002" not in page.content()
    # The nav fits at tablet width: nothing scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_pushed_sale_updates_the_open_stock_page_within_seconds(sign_in, hq_server, till):
    serum = hq_server.seed.products[2]
    store = hq_server.seed.store("S001")
    page = sign_in("admin")
    expect(page.locator("#live")).to_have_class("live online")
    cell = page.locator(f"#c-{serum.id}-{store.id}")
    expect(cell).to_have_text(str(hq_server.seed.opening_stock))

    till.sell((serum, 3))
    started = time.monotonic()
    assert till.push().status_code == 200

    expect(cell).to_have_text(str(hq_server.seed.opening_stock - 3), timeout=5_000)
    assert time.monotonic() - started < 5


def test_resolving_an_oversell_from_the_page_takes_it_off_the_open_list(sign_in, hq_server, till):
    brush = hq_server.seed.product("BRU-PAD-L")
    till.sell((brush, hq_server.seed.opening_stock + 1))
    assert till.push().status_code == 200
    page = sign_in("manager", "/exceptions")

    item = page.locator(".worklist .item.open")
    expect(item).to_have_count(1)
    expect(item.locator(".what")).to_contain_text(f"Oversold: {brush.name} at S001 — on hand -1")
    item.get_by_text("Resolve…").click()
    item.get_by_label("Resolution").fill("stock corrected")
    item.get_by_label("Note").fill("found 0 on the shelf")
    item.get_by_role("button", name="Resolve").click()

    expect(page.get_by_role("status")).to_have_text("Exception resolved.")
    expect(page.locator(".worklist .item.open")).to_have_count(0)
    page.get_by_label("Status").select_option("resolved")
    page.get_by_role("button", name="Show").click()
    expect(page.locator(".worklist .resolved-by")).to_contain_text(
        "Resolved by manager.s001@example.com: stock corrected")
