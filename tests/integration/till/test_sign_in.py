"""Cashier sign-in by PIN or badge, with the lockout, on the ledger and on the real window."""

import pytest

from shared.events import SaleCompleted
from shared.money import Money
from shared.wire import Change
from tests.fixtures.till import ANA, ANA_BADGE, MILK, STORE_ID, till_user
from till.ledger.journal import all_events
from till.ledger.master_data import apply_change
from till.shift import cash_count
from till.staff import LOCKOUT_SECONDS, SignIn, SignInRefused
from till.ui.main_window import MainWindow
from till.ui.qt import QApplication, Qt


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_users_of_this_store_and_of_every_store_are_kept_others_are_not(till_ledger):
    with till_ledger.transaction() as uow:
        apply_change(uow, Change(cursor=1, kind="till_user",
                                 data=till_user("u-far", "Far", "cashier", "2222", store_id="other")),
                     STORE_ID)
        apply_change(uow, Change(cursor=2, kind="till_user", data={**ANA, "active": False}), STORE_ID)
    assert [u.name for u in SignIn(till_ledger).users()] == ["Mia", "Sam"]


def test_the_right_pin_signs_in_and_a_wrong_one_says_how_many_tries_are_left(till_ledger):
    sign_in = SignIn(till_ledger)
    with pytest.raises(SignInRefused, match="Wrong PIN for Ana — try again \\(4 tries left"):
        sign_in.with_pin("u-ana", "1234")
    session = sign_in.with_pin("u-ana", "1111")
    assert (session.name, session.role, session.user_id) == ("Ana", "cashier", "u-ana")


def test_a_scanned_badge_signs_in_by_its_sha256(till_ledger):
    assert SignIn(till_ledger).with_badge(ANA_BADGE).name == "Ana"
    with pytest.raises(SignInRefused, match="Badge not recognised"):
        SignIn(till_ledger).with_badge("BADGE-NOBODY")


def test_five_wrong_pins_lock_sign_in_for_a_minute_even_with_the_right_pin(till_ledger):
    clock = FakeClock()
    sign_in = SignIn(till_ledger, clock=clock)
    for _ in range(4):
        with pytest.raises(SignInRefused):
            sign_in.with_pin("u-sam", "0000")
    with pytest.raises(SignInRefused, match=f"locked for {LOCKOUT_SECONDS} s"):
        sign_in.with_pin("u-sam", "0000")
    clock.now += 20
    with pytest.raises(SignInRefused, match="locked for 40 s more"):
        sign_in.with_pin("u-sam", "9999")
    clock.now += 40
    assert sign_in.with_pin("u-sam", "9999").name == "Sam"


# --- the window ----------------------------------------------------------------------------


@pytest.fixture
def till_cashier():
    return None  # start at the sign-in screen


@pytest.fixture
def window(till, qtbot):
    till.shifts.open_shift(cash_count("EUR", amount=Money(10000, "EUR")), "Sam")  # selling needs one
    win = MainWindow(till.presenter_factory(), lambda: None, till.identity())
    qtbot.addWidget(win)
    win.resize(1024, 768)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    return win


def sign_in_with_keyboard(qtbot, window, name_steps, pin):
    for _ in range(name_steps):
        qtbot.keyClick(window.sign_in_page.pin_input, Qt.Key_Down)
    qtbot.keyClicks(window.sign_in_page.pin_input, pin)
    qtbot.keyClick(window.sign_in_page.pin_input, Qt.Key_Return)


def test_the_till_starts_at_sign_in_and_refuses_to_sell_before(window, till):
    assert window.pages.currentWidget() is window.sign_in_page
    assert QApplication.focusWidget() is window.sign_in_page.pin_input
    users = window.sign_in_page.user_list
    assert [users.item(i).text() for i in range(users.count())] == [
        "Ana  ·  cashier", "Mia  ·  manager", "Sam  ·  supervisor"]
    assert window.identity_label.text() == "S001 TillHQ Test Store · Not signed in"
    assert window.presenter.scan(MILK["sku"]) is False
    assert window.presenter.state.message.startswith("Sign in first")


def test_keyboard_sign_in_puts_the_name_on_the_status_bar_and_on_the_sale(window, qtbot, till):
    sign_in_with_keyboard(qtbot, window, 1, "1111")
    assert window.pages.currentWidget() is window.sale_page
    assert QApplication.focusWidget() is window.scan_input
    assert window.identity_label.text() == "S001 TillHQ Test Store · Cashier Ana"
    shift = till.shifts.current()
    qtbot.keyClicks(window.scan_input, MILK["sku"])
    qtbot.keyClick(window.scan_input, Qt.Key_Return)
    qtbot.keyClick(window.scan_input, Qt.Key_F12)
    qtbot.keyClick(window.tender_input, Qt.Key_Return)
    sale = SaleCompleted.from_payload(all_events(till.ledger.connection())[-1].payload)
    assert (sale.cashier, sale.cashier_id, sale.shift_id) == ("Ana", "u-ana", shift.shift_id)


def test_the_touch_keypad_signs_in(window, qtbot):
    window.sign_in_page.user_list.setCurrentRow(2)  # Sam
    for key in ("9", "9", "9", "8", "⌫", "9", "OK"):
        qtbot.mouseClick(window.sign_in_page.keys[key], Qt.LeftButton)
    assert window.identity_label.text().endswith("Cashier Sam")


def test_a_badge_scan_signs_in_without_choosing_a_name(window, qtbot):
    qtbot.keyClicks(window.sign_in_page.pin_input, ANA_BADGE)
    qtbot.keyClick(window.sign_in_page.pin_input, Qt.Key_Return)
    assert window.identity_label.text().endswith("Cashier Ana")


def test_a_wrong_pin_is_shown_and_the_field_cleared(window, qtbot):
    sign_in_with_keyboard(qtbot, window, 1, "1234")
    assert window.pages.currentWidget() is window.sign_in_page
    assert window.sign_in_page.message_label.text().startswith("Wrong PIN for Ana — try again")
    assert window.sign_in_page.pin_input.text() == ""


def test_f10_signs_out_but_not_in_the_middle_of_a_sale(window, qtbot):
    sign_in_with_keyboard(qtbot, window, 1, "1111")
    qtbot.keyClicks(window.scan_input, MILK["sku"])
    qtbot.keyClick(window.scan_input, Qt.Key_Return)
    qtbot.keyClick(window.scan_input, Qt.Key_F10)
    assert window.message_label.text().startswith("Finish or clear this sale before signing out")
    qtbot.keyClick(window.scan_input, Qt.Key_Delete)
    qtbot.keyClick(window.scan_input, Qt.Key_F10)
    assert window.pages.currentWidget() is window.sign_in_page
    assert window.identity_label.text().endswith("Not signed in")
