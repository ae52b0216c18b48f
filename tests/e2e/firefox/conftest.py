"""Firefox tests: Debian's firefox-esr over WebDriver BiDi (tests/fixtures/firefox_bidi.py), against
HQ on 127.0.0.1 with real PostgreSQL, never a browser download.

A missing Firefox fails the tests (it does not skip): `make test` installs it
(tools/system-deps.sh). The HQ, till and purchasing fixtures are the Chromium suite's, imported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack

import pytest

from tests.e2e.browser.conftest import till  # noqa: F401 - a scripted S001 till on the sync API
from tests.e2e.browser.test_reorder_and_orders import api  # noqa: F401 - vendors + low stock
from tests.fixtures.firefox_bidi import Firefox, Tab, launch
from tests.fixtures.hq import SEEDED_LOGINS

LAPTOP, TABLET = (1366, 768), (768, 1024)


# Session scope: starting Firefox takes ~10 s; each test gets its own user context (cookies).
# It starts in the background, as the first test's HQ and PostgreSQL start.
@pytest.fixture(scope="session", autouse=True)
def _firefox_starting() -> Iterator[Future[Firefox]]:
    with ThreadPoolExecutor(1, thread_name_prefix="firefox-launch") as pool:
        starting = pool.submit(launch)
        yield starting
        if not starting.exception():
            starting.result().close()


@pytest.fixture(scope="session")
def firefox(_firefox_starting: Future[Firefox]) -> Firefox:
    if isinstance(missing := _firefox_starting.exception(), FileNotFoundError):
        pytest.fail(f"{missing.args[0]} is missing: the Firefox tests need Debian's firefox-esr. "
                    "Run `make test` (it installs it via tools/system-deps.sh), or "
                    "`apt-get install firefox-esr`.", pytrace=False)
    return _firefox_starting.result()


@pytest.fixture
def open_tab(hq_server, firefox: Firefox) -> Iterator[Callable[..., Tab]]:
    """(width, height) -> a tab with its own cookies on the HQ under test."""
    with ExitStack() as tabs:
        yield lambda size=LAPTOP: tabs.enter_context(firefox.tab(hq_server.url, *size))


@pytest.fixture
def sign_in(open_tab) -> Callable[..., Tab]:
    """Sign in the way a person does: click the email field, type, Tab, type, Enter."""

    def sign_in_(who: str, path: str = "/", size: tuple[int, int] = LAPTOP) -> Tab:
        email, password = SEEDED_LOGINS[who]
        tab = open_tab(size)
        tab.goto(path)
        tab.wait_for("location.pathname === '/login'", what="the sign-in page")
        tab.click("#email")
        tab.expect("document.activeElement.id", "email")
        tab.type(email)
        tab.press("Tab")
        tab.expect("document.activeElement.id", "password")
        tab.type(password)
        tab.press("Enter")
        tab.wait_for("document.querySelector('nav.nav')", timeout=15, what=f"signed in as {who}")
        return tab

    return sign_in_
