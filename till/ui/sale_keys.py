"""The till's keyboard: which key does what on the sale page. Every action has a key.

F12 pay, F9 reprint, F10 sign out, Esc cancel payment / clear, Delete remove the selected line,
+/- its quantity, Up/Down select (or move in the search results). Paying: F5 card, F6 e-wallet,
Ctrl+1..4 quick cash. Shift: F2 open/close, F3 paid in/out/drop, F4 X report. Overrides: F7
price, F8 discount, F11 no-sale, Ctrl+Delete void, Ctrl+Shift+Delete cancel the sale. Ctrl+R
return, Ctrl+X exchange (goods back into this sale), Ctrl+L customer (Ctrl+Shift+L pay with points), Ctrl+P park, Ctrl+U recall, Ctrl+T
training, Ctrl+F10 device settings, Ctrl+K quick keys, Ctrl+E email receipt (Ctrl+Shift+E mail
server), Ctrl+G gift card (sell one; while paying, pay with one or with store credit).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .qt import QKeyEvent, QObject, Qt

if TYPE_CHECKING:
    from .main_window import MainWindow

CTRL_DIGITS = {Qt.Key_1: 0, Qt.Key_2: 1, Qt.Key_3: 2, Qt.Key_4: 3}


class SaleKeys:
    """Routes a key press to the presenter (or a panel); True when the key was used."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window

    @property
    def _page(self):  # noqa: ANN202 — the SalePage, read late: the window builds it first
        return self.window.sale_page

    def handle(self, watched: QObject | None, event: QKeyEvent) -> bool:
        key, page, presenter = event.key(), self._page, self.window.presenter
        typing = watched in (page.scan_input, page.tender_input) and bool(watched.text())
        if self._email_key(key, event) or self._shift_or_tender_key(key, event):
            return True
        if key == Qt.Key_F12:
            page.begin_payment()
        elif key == Qt.Key_F9:
            presenter.reprint_last()
        elif key == Qt.Key_F10:
            presenter.sign_out()
        elif key == Qt.Key_Escape:
            page.escape(watched is page.tender_input)
        elif watched is page.tender_input:
            return False  # digits, comma, Enter: the cash field's own
        elif key == Qt.Key_Delete and not typing:
            presenter.remove_line(presenter.state.selected_line)
        elif key in (Qt.Key_Plus, Qt.Key_Minus) and not typing:
            presenter.change_quantity(presenter.state.selected_line,
                                      1 if key == Qt.Key_Plus else -1)
        elif key in (Qt.Key_Up, Qt.Key_Down) and watched is page.scan_input:
            step = -1 if key == Qt.Key_Up else 1
            if not presenter.search.move(step):  # no results listed: move in the basket
                page.move_selection(step)
        else:
            return False
        return True

    def _shift_or_tender_key(self, key: int, event: QKeyEvent) -> bool:
        shift, page = self.window.presenter.shift, self._page
        paying = self.window.presenter.state.paying
        actions = {Qt.Key_F5: lambda: page.tender("card"), Qt.Key_F6: lambda: page.tender("ewallet")}
        if shift is not None:
            actions |= {Qt.Key_F2: shift.open_or_close, Qt.Key_F3: shift.movement,
                        Qt.Key_F4: shift.x_report}
        if event.modifiers() & Qt.ControlModifier and key in CTRL_DIGITS and paying:
            page.payment_panel.quick_cash(CTRL_DIGITS[key])
            return True
        if self._override_key(key, event):
            return True
        if key not in actions or (key in (Qt.Key_F5, Qt.Key_F6) and not paying):
            return False
        actions[key]()
        return True

    def _override_key(self, key: int, event: QKeyEvent) -> bool:
        """F7 price, F8 discount, F11 no-sale, Ctrl+R return, Ctrl+X exchange, Ctrl+Delete void, Ctrl+Shift+Delete
        cancel the sale, Ctrl+L customer, Ctrl+Shift+L pay with points."""
        presenter, mods = self.window.presenter, event.modifiers()
        ov, ret = presenter.overrides, presenter.returns
        ctrl = bool(mods & Qt.ControlModifier)
        if ov is not None and key == Qt.Key_Delete and ctrl:
            (ov.cancel_sale if mods & Qt.ShiftModifier else ov.void_line)()
        elif ov is not None and key in (Qt.Key_F7, Qt.Key_F8, Qt.Key_F11):
            {Qt.Key_F7: ov.price, Qt.Key_F8: ov.discount, Qt.Key_F11: ov.no_sale}[key]()
        elif ret is not None and key == Qt.Key_R and ctrl:
            ret.open()
        elif ret is not None and key == Qt.Key_X and ctrl:
            presenter.start_exchange()
        elif presenter.customers is not None and key == Qt.Key_L and ctrl:
            customers = presenter.customers
            (customers.redeem if mods & Qt.ShiftModifier else customers.open)()
        else:
            return self._park_key(key, ctrl)
        return True

    def _park_key(self, key: int, ctrl: bool) -> bool:
        """Ctrl+P park, Ctrl+U recall a parked sale, Ctrl+T training mode, Ctrl+K quick keys."""
        presenter, settings = self.window.presenter, self.window.settings
        parked, ov = presenter.parked, presenter.overrides
        if not ctrl:
            return False
        if parked is not None and key in (Qt.Key_P, Qt.Key_U):
            (presenter.park_sale if key == Qt.Key_P else parked.open)()
        elif ov is not None and key == Qt.Key_T:
            ov.training()
        elif settings is not None and key == Qt.Key_F10:
            settings.open()
        elif key == Qt.Key_K:
            presenter.quick_keys.open()
        elif presenter.gift_cards is not None and key == Qt.Key_G:
            presenter.gift_cards.open()  # sells a card; while paying, pays with one
        else:
            return False
        return True

    def _email_key(self, key: int, event: QKeyEvent) -> bool:
        email = self.window.email
        if email is None or key != Qt.Key_E or not event.modifiers() & Qt.ControlModifier:
            return False
        (self.window.email_settings.open if event.modifiers() & Qt.ShiftModifier else email.open)()
        return True
