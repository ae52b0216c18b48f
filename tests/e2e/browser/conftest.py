"""Browser tests: Debian's Chromium (/usr/bin/chromium) driven by Playwright, never a download.

A missing Chromium fails the test (it does not skip): `make test` installs it
(tools/system-deps.sh).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.integration.hq.helpers import ScriptedTill

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
USERS = {"admin": ("admin@example.com", "tillhq-admin"),
         "manager": ("manager.s001@example.com", "tillhq-manager")}


# Module scope, not session: Playwright's sync API keeps an event loop running in this thread
# while it is open, and later tests call asyncio.run().
@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: the browser tests need Debian's Chromium. Run "
                    "`make test` (it installs it via tools/system-deps.sh), or "
                    "`apt-get install chromium`.", pytrace=False)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(chromium: Browser, hq_server) -> Iterator[Callable[..., Page]]:
    """width -> a fresh browser context (own cookies) on the HQ under test."""
    contexts = []

    def open_(width: int = 1366, height: int = 900) -> Page:
        context = chromium.new_context(viewport={"width": width, "height": height},
                                       base_url=hq_server.url)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture
def sign_in(open_page) -> Callable[..., Page]:
    def sign_in_(who: str, path: str = "/", width: int = 1366) -> Page:
        page = open_page(width)
        page.goto(path)
        page.get_by_label("Email").fill(USERS[who][0])
        page.get_by_label("Password").fill(USERS[who][1])
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_selector("nav.nav")
        return page

    return sign_in_


@pytest.fixture
def till(hq_server, enrolment_code) -> ScriptedTill:
    """A scripted till in S001 pushing through the real sync API."""
    return ScriptedTill(hq_server.url, enrolment_code)
