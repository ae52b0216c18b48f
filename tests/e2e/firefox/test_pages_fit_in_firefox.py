"""Every dashboard page in Firefox at tablet width: it renders, nothing scrolls sideways and no
script fails."""

from __future__ import annotations

from tests.e2e.firefox.conftest import TABLET

NO_PAGE_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def test_every_page_fits_a_tablet_and_runs_without_script_errors(sign_in):
    tab = sign_in("admin", size=TABLET)
    pages = tab.evaluate("[...document.querySelectorAll('nav.nav a')].map((a) => a.getAttribute('href'))")
    assert len(pages) >= 11

    overflowing = {}
    for path in pages:
        tab.goto(path)
        tab.wait_for("document.querySelector('main h1')", what=f"{path} has its heading")
        width = tab.evaluate("document.documentElement.scrollWidth")
        if not tab.evaluate(NO_PAGE_SCROLL):
            overflowing[path] = width
    assert overflowing == {}, f"pages wider than the {TABLET[0]} px tablet"
    assert tab.js_errors() == []
