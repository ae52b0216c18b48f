"""PIN sign-in in the running till window: argon2 runs on the UI's worker thread and the outcome
comes back on the UI thread, so the window keeps painting while a PIN is checked."""

from __future__ import annotations

import threading
import time

import pytest

from tests.fixtures.till import SAM_BADGE
from till.ui.app import close_window, open_window
from till.ui.qt import QApplication

pytestmark = pytest.mark.timeout(20)


@pytest.fixture
def till_cashier():
    return None  # the sign-in screen


@pytest.fixture
def window(till, qtbot):
    app = QApplication.instance()
    win = open_window(till, app)
    qtbot.addWidget(win)
    win.show()
    yield win
    close_window(win, app)


def pump_until(condition, timeout: float = 5.0) -> None:
    """Run the UI thread's events until `condition()`. processEvents, not qtbot.waitUntil: an
    earlier test's `run_till` can leave nested event loops returning at once."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        QApplication.processEvents()
        time.sleep(0.01)


def choose(sign_in, name: str) -> None:
    sign_in.select([u.name for u in sign_in.state.users].index(name))


def test_a_pin_is_checked_on_the_worker_and_signs_in_when_it_reports_back(qtbot, window):
    sign_in = window.presenter.sign_in
    choose(sign_in, "Sam")
    assert sign_in.submit("9999") is True  # taken for checking; the UI thread goes on
    assert window.presenter.session is None
    assert window.sign_in_page.message_label.text() == "Checking the PIN…"
    assert "ui-worker_0" in [t.name for t in threading.enumerate()]
    assert sign_in.submit("9999") is False  # one check at a time
    pump_until(lambda: window.presenter.session is not None)
    assert window.presenter.session.name == "Sam"
    assert window.pages.currentWidget() is window.sale_page


def test_a_wrong_pin_comes_back_as_a_message_and_the_next_try_is_taken(qtbot, window):
    sign_in = window.presenter.sign_in
    choose(sign_in, "Sam")
    sign_in.submit("0000")
    pump_until(lambda: window.sign_in_page.message_label.text().startswith(
        "Wrong PIN for Sam — try again"))
    assert window.presenter.session is None
    assert sign_in.submit("9999") is True
    pump_until(lambda: window.presenter.session is not None)


def test_a_badge_needs_no_worker_and_signs_in_at_once(window):
    assert window.presenter.sign_in.submit(SAM_BADGE) is True
    assert window.presenter.session.name == "Sam"
