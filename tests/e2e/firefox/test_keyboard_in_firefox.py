"""Keyboard access in Firefox: Tab walks the nav and the Stock page's controls in reading order,
each with a visible focus ring."""

from __future__ import annotations

from tests.e2e.firefox.conftest import TABLET

FOCUSED = """(() => {
    const el = document.activeElement, style = getComputedStyle(el);
    return {name: el.id || el.name || el.textContent.trim(),
            ring: el.matches(":focus-visible") && style.outlineStyle !== "none"
                  && parseFloat(style.outlineWidth) >= 2};
})()"""


def test_tab_reaches_the_nav_and_the_stock_filters_with_a_visible_focus_ring(sign_in):
    tab = sign_in("buyer", size=TABLET)
    tab.goto("/")  # a fresh page: focus starts at the top of the document
    nav = tab.evaluate("[...document.querySelectorAll('nav.nav a')].map((a) => a.textContent.trim())")

    walked = []
    for _ in range(40):
        tab.evaluate("(window.focusWas = document.activeElement, true)")
        tab.press("Tab")
        tab.wait_for("document.activeElement !== window.focusWas", what="Tab moved the focus")
        walked.append(tab.evaluate(FOCUSED))
        if walked[-1]["name"] == "Search":
            break
    names = [f["name"] for f in walked]

    assert names == ["Skip to content", *nav, "Sign out", "q", "f-category", "f-vendor", "f-level", "Search"]
    assert [f["name"] for f in walked if not f["ring"]] == [], "focused without a visible ring"
    tab.press("Shift+Tab")
    tab.expect(FOCUSED, {"name": "f-level", "ring": True})
