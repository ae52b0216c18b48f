"""The Stock page in Firefox at laptop and tablet widths: data, search and filters, live updates.
Writes docs/screenshots/firefox-stock*.png for the buyer guide."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.e2e.firefox.conftest import LAPTOP, TABLET

SCREENSHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
NO_PAGE_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"
ROWS = "[...document.querySelectorAll('table.stock tbody tr td.sku')].map((td) => td.textContent)"


@pytest.mark.parametrize(("size", "shot"), [(LAPTOP, "firefox-stock"), (TABLET, "firefox-stock-tablet")],
                         ids=["laptop", "tablet"])
def test_a_buyer_sees_the_stock_and_narrows_it_with_search_and_filters(sign_in, hq_server, size, shot):
    seed = hq_server.seed
    tab = sign_in("buyer", size=size)

    assert tab.evaluate("[...document.querySelectorAll('thead th.store')].map((th) => th.textContent)") \
        == ["S001", "S002"]
    assert tab.evaluate(ROWS) == sorted(p.sku for p in seed.products)
    for store in seed.stores:  # the store totals arrive by fetch after the page loads
        tab.expect_text(f"#units-{store.id}", str(seed.opening_stock * len(seed.products)))
    tab.wait_for("document.getElementById('live').classList.contains('online')", what="live updates on")
    assert tab.evaluate(NO_PAGE_SCROLL), f"the page scrolls sideways at {size[0]} px"
    tab.screenshot(SCREENSHOTS / f"{shot}.png")

    tab.click("input[name=q]")
    tab.expect("document.activeElement.name", "q")
    tab.type("argan")
    tab.press("Enter")
    tab.wait_for("location.search.includes('q=argan')", what="the search submitted")
    assert tab.evaluate(ROWS) == ["CON-ARG-250", "SHA-ARG-250"]

    tab.evaluate("document.getElementById('f-level').focus()")
    tab.type("Out")  # a closed select picks the option whose label starts with what is typed
    tab.expect("document.getElementById('f-level').value", "out")
    tab.click("form.stock-filters button", text="Search")
    tab.wait_for("location.search.includes('level=out')", what="the filter submitted")
    tab.expect_text("table.stock td.empty", "No products match “argan” with these filters.")
    assert tab.evaluate(NO_PAGE_SCROLL)
    assert tab.js_errors() == []


def test_a_till_sale_updates_the_open_stock_page_live_in_firefox(sign_in, hq_server, till):
    serum, store = hq_server.seed.products[2], hq_server.seed.store("S001")
    tab = sign_in("buyer")
    tab.wait_for("document.getElementById('live').classList.contains('online')", what="live updates on")
    cell = f"#c-{serum.id}-{store.id}"
    tab.expect_text(cell, str(hq_server.seed.opening_stock))

    till.sell((serum, 3))
    started = time.monotonic()
    assert till.push().status_code == 200

    tab.expect_text(cell, str(hq_server.seed.opening_stock - 3), timeout=5)
    assert time.monotonic() - started < 5
    assert tab.evaluate("location.pathname") == "/"  # live, not a reload
    assert tab.js_errors() == []
