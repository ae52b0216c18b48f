"""Reorder to purchase order to receipt in Firefox at tablet width: lines ticked with the keyboard,
goods received with a keyboard-wedge scanner (keys sent back to back, then Enter)."""

from __future__ import annotations

import re

from tests.e2e.firefox.conftest import TABLET
from tests.fixtures.firefox_bidi import KEYS, Tab

NO_PAGE_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def wedge_scan(tab: Tab, code: str) -> None:
    """What a keyboard-wedge scanner does: the code's keys and Enter in one burst, no pauses."""
    tab.type(code + KEYS["Enter"])


def received_now(sku: str) -> str:
    return f"document.querySelector(\"tr[data-sku='{sku}'] input.recv-input\").value"


def test_a_buyer_orders_from_reorder_suggestions_and_receives_with_a_scanner(sign_in, hq_server, api):
    shampoo, conditioner = hq_server.seed.product("SHA-ARG-250"), hq_server.seed.product("CON-ARG-250")
    tab = sign_in("buyer", "/reorder", size=TABLET)
    lumen = "section.po-group[data-group^='S001-']"
    assert tab.evaluate(f"document.querySelector(\"{lumen} h2\").textContent") == "Lumen Supply Co"
    assert tab.evaluate(NO_PAGE_SCROLL), "the reorder page scrolls sideways at tablet width"

    tab.evaluate(f"document.querySelector(\"{lumen} input.select-all\").focus()")
    tab.expect("document.activeElement.className", "select-all")
    tab.press("Space")
    tab.expect(f"document.querySelectorAll(\"{lumen} tbody input[type=checkbox]:checked\").length", 3)
    tab.click("button", text="Create draft orders")
    tab.wait_for("document.querySelector('#created')?.textContent.includes("
                 "'Created 1 draft order from the suggestions')", what="the new draft order listed")
    assert re.fullmatch(r"/purchase-orders\?status=draft&created=\d+", tab.url_path())
    tab.click("#created a")
    tab.expect_text("#po-status", "Draft")
    tab.click("button", text="Approve")
    tab.expect_text("#po-status", "Approved")
    tab.click("button", text="Mark as sent")
    tab.expect_text("#po-status", "Sent")

    tab.click("a", text="Receive goods")
    tab.wait_for("document.activeElement?.id === 'scan'", what="the scan field focused")
    wedge_scan(tab, shampoo.barcode)
    wedge_scan(tab, shampoo.barcode)
    tab.expect(received_now("SHA-ARG-250"), "2")
    tab.expect_text("#scan-message", "SHA-ARG-250: receiving 2 now, 2 of 12 ordered.")
    tab.click("h1")  # the cursor off the scan field: the page still tells a scan from typing
    tab.expect("document.activeElement.id", "main")
    wedge_scan(tab, conditioner.barcode)
    tab.expect(received_now("CON-ARG-250"), "1")
    tab.expect_text("#now-total", "3")
    assert tab.evaluate(NO_PAGE_SCROLL), "the receive screen scrolls sideways at tablet width"
    assert tab.js_errors() == []
