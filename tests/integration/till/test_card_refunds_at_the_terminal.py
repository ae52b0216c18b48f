"""A return's card refund goes through the payment terminal before anything is committed:
approved, the refund carries the terminal's reference; declined or unanswered, nothing is
written and the cashier can give the money back in cash instead."""

import pytest

from shared.money import Money
from tests.fixtures.till import COFFEE
from till.returns import ReturnService
from till.returns.card_refunds import CardRefundFailed
from till.sale.overrides import OverrideService
from till.sale.tender import FakePaymentTerminal
from till.staff import Session
from till.ui.qt import Qt

from .test_exchanges import sell_coffee_by_card
from .test_overrides_window import events, typed, window  # noqa: F401
from .test_returns_window import choose_reason


@pytest.fixture
def till_require_shift():
    return True


@pytest.fixture
def till_terminal():
    return FakePaymentTerminal()


def start_return(qtbot, window, receipt_no):  # noqa: F811
    qtbot.keyClick(window.scan_input, Qt.Key_R, Qt.ControlModifier)
    page = window.return_page
    typed(qtbot, page.receipt_input, receipt_no)
    qtbot.keyClick(page.receipt_input, Qt.Key_Plus)
    choose_reason(page, "changed_mind")
    return page


def test_an_approved_card_refund_goes_through_the_terminal(qtbot, window, till):  # noqa: F811
    sold = sell_coffee_by_card(till)
    page = start_return(qtbot, window, sold.receipt_no)
    typed(qtbot, page.code_input, "")
    assert till.terminal.refunds == [("card", Money(899, "EUR"), "CARD-0001", "REFUND-0001")]
    (ret,) = events(till, "ReturnCompleted")
    assert [(r.kind, r.amount_minor, r.reference) for r in ret.refunds] == [
        ("card", 899, "REFUND-0001")]
    assert window.pages.currentWidget() is window.sale_page
    assert window.message_label.text() == "Refunded €8.99 (card €8.99)"


def test_a_declined_card_refund_commits_nothing_and_enter_again_refunds_cash(qtbot, window, till):  # noqa: F811
    sold = sell_coffee_by_card(till)
    till.terminal.decline_refund = "refunds not allowed on this card"
    page = start_return(qtbot, window, sold.receipt_no)
    typed(qtbot, page.code_input, "")
    assert window.pages.currentWidget() is page
    message = page.message_label.text()
    assert message.startswith("Card refund of €8.99 was declined (refunds not allowed on this card)")
    assert "nothing was refunded" in message and "Enter again gives it back in cash" in message
    assert page.total_label.text() == "Refund €8.99 in cash"
    assert events(till, "ReturnCompleted") == [] and till.terminal.refunds == []
    typed(qtbot, page.code_input, "")
    (ret,) = events(till, "ReturnCompleted")
    assert [(r.kind, r.amount_minor) for r in ret.refunds] == [("cash", 899)]
    assert till.shifts.x_report("Ana").sums.cash_refunds_minor == 899


def test_a_terminal_that_does_not_answer_refunds_nothing(till):
    sold = sell_coffee_by_card(till)
    till.terminal.timeout = True
    service = ReturnService(till.ledger, OverrideService(till.ledger))
    draft = service.find(sold.receipt_no)
    draft.lines[0].quantity = 1
    with pytest.raises(CardRefundFailed, match="got no answer from the terminal"):
        service.complete(draft, "faulty", Session("Ana"), terminal=till.terminal)
    assert events(till, "ReturnCompleted") == []


def test_an_approved_refund_is_voided_when_the_ledger_write_fails(till, monkeypatch):
    import till.returns.service as returns

    sold = sell_coffee_by_card(till)
    service = ReturnService(till.ledger, OverrideService(till.ledger))
    draft = service.find(sold.receipt_no)
    draft.lines[0].quantity = 1

    def broken(*_args):
        raise RuntimeError("disk full")

    monkeypatch.setattr(returns, "record_return", broken)
    with pytest.raises(RuntimeError):
        service.complete(draft, "faulty", Session("Ana"), terminal=till.terminal)
    assert till.terminal.voided == ["REFUND-0001"] and events(till, "ReturnCompleted") == []
    assert COFFEE["sku"] == draft.lines[0].line.sku  # the draft is intact for a retry
