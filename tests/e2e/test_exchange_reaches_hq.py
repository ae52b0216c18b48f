"""An exchange made on a real till window reaches a real HQ as both of its facts: the goods back
return to HQ's stock (restocked per reason) and the new goods leave it."""

from __future__ import annotations

import pytest

from till.ui.main_window import MainWindow
from till.ui.qt import Qt

from .helpers import enrolled_till, hq_on_hand
from .test_sale_reaches_hq import hq_counts, scan, sell_with_the_keyboard


@pytest.fixture
def till(hq_server, enrolment_code, tmp_path):
    till = enrolled_till(tmp_path / "till", hq_server.url, enrolment_code)
    yield till
    till.close()


def test_an_exchange_puts_the_goods_back_and_takes_the_new_ones_out_at_hq(hq_server, till, qtbot):
    shampoo, _, brush = hq_server.seed.products[:3]
    window = MainWindow(till.presenter_factory(), till.status)
    qtbot.addWidget(window)
    window.show()
    sell_with_the_keyboard(qtbot, window, [shampoo.barcode, shampoo.barcode], cash="200")
    receipt_no = window.presenter.last_sale.receipt_no
    assert till.agent.sync_once()["pending"] == 0
    before = hq_on_hand(hq_server.url, "S001")

    scan(qtbot, window, brush.sku)
    qtbot.keyClick(window.scan_input, Qt.Key_X, Qt.ControlModifier)
    page = window.return_page
    qtbot.keyClicks(page.receipt_input, receipt_no)
    qtbot.keyClick(page.receipt_input, Qt.Key_Return)
    qtbot.keyClick(page.receipt_input, Qt.Key_Plus)
    page.reason_input.setCurrentIndex(page.reason_input.findData("changed_mind"))
    qtbot.keyClick(page.code_input, Qt.Key_Return)
    assert window.pages.currentWidget() is window.sale_page, page.message_label.text()
    qtbot.keyClick(window.scan_input, Qt.Key_F12)
    window.tender_input.clear()
    qtbot.keyClicks(window.tender_input, "200")
    qtbot.keyClick(window.tender_input, Qt.Key_Return)
    assert window.message_label.text().startswith("Exchange complete"), window.message_label.text()
    assert till.agent.sync_once()["pending"] == 0

    after = hq_on_hand(hq_server.url, "S001")
    moved = {sku: after[sku] - before[sku] for sku in before if before[sku] != after[sku]}
    assert moved == {shampoo.sku: 1, brush.sku: -1}
    assert hq_counts(hq_server.database_url)[:2] == (3, 2)  # sale, sale, return; two sales
