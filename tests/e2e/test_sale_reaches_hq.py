"""A sale on a real till window reaches a real HQ exactly once."""

from __future__ import annotations

import threading

import pytest
import requests

from shared.wire import PushRequest, WireEvent
from till.ledger.journal import all_events
from till.sync import load_credential
from till.ui.main_window import MainWindow
from till.ui.qt import Qt

from .helpers import enrolled_till, hq_on_hand


@pytest.fixture
def till(hq_server, enrolment_code, tmp_path):
    till = enrolled_till(tmp_path / "till", hq_server.url, enrolment_code,
                         printer_spec=f"file:{tmp_path / 'receipts.escpos'}")
    yield till
    till.close()


def scan(qtbot, window, code: str) -> None:
    qtbot.keyClicks(window.scan_input, code)
    qtbot.keyClick(window.scan_input, Qt.Key_Return)


def sell_with_the_keyboard(qtbot, window, codes: list[str], cash: str) -> None:
    for code in codes:
        scan(qtbot, window, code)
    qtbot.keyClick(window.scan_input, Qt.Key_F12)
    window.tender_input.clear()
    qtbot.keyClicks(window.tender_input, cash)
    qtbot.keyClick(window.tender_input, Qt.Key_Return)


def push_journal_again(hq_url: str, till) -> dict:
    credential = load_credential(till.data_dir)
    events = [WireEvent.from_journal(e) for e in all_events(till.ledger.connection())]
    body = PushRequest(device_id=credential.device_id, events=events).model_dump(mode="json")
    response = requests.post(f"{hq_url}/api/v1/sync/push", json=body, timeout=10,
                             headers={"Authorization": f"Bearer {credential.token}"})
    assert response.status_code == 200, response.text
    return response.json()


def hq_counts(database_url: str) -> tuple[int, int, int]:
    import psycopg

    from hq_server.db.session import psycopg_conninfo

    with psycopg.connect(psycopg_conninfo(database_url)) as conn:
        return tuple(conn.execute(  # type: ignore[return-value]
            "select (select count(*) from events), (select count(*) from sales),"
            " (select count(*) from stock_movements where reason = 'sale')").fetchone())


def test_three_items_scanned_one_twice_and_paid_cash_drop_hq_stock_by_exactly_what_was_sold(
        hq_server, till, qtbot, tmp_path):
    shampoo, conditioner, brush = hq_server.seed.products[:3]
    before = hq_on_hand(hq_server.url, "S001")
    other_store_before = hq_on_hand(hq_server.url, "S002")

    window = MainWindow(till.presenter_factory(), till.status)
    qtbot.addWidget(window)
    window.show()
    sell_with_the_keyboard(qtbot, window, [shampoo.barcode, conditioner.barcode, shampoo.barcode,
                                           brush.sku], cash="200")
    assert window.message_label.text().startswith("Sale complete"), window.message_label.text()
    assert till.agent.sync_once()["pending"] == 0

    after = hq_on_hand(hq_server.url, "S001")
    sold = {shampoo.sku: 2, conditioner.sku: 1, brush.sku: 1}
    assert {sku: before[sku] - after[sku] for sku in before if before[sku] != after[sku]} == sold
    assert hq_on_hand(hq_server.url, "S002") == other_store_before
    assert hq_counts(hq_server.database_url) == (1, 1, 3)
    assert (tmp_path / "receipts.escpos").read_bytes().startswith(b"\x1b@")

    # The same batch again, then twice at once from two threads: nothing changes at HQ.
    again = push_journal_again(hq_server.url, till)
    assert again == {"acked_seq": 1, "applied": 0, "duplicates": 1}
    answers: list[dict] = []
    threads = [threading.Thread(target=lambda: answers.append(push_journal_again(hq_server.url, till)))
               for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert answers == [again, again]
    assert hq_on_hand(hq_server.url, "S001") == after
    assert hq_counts(hq_server.database_url) == (1, 1, 3)
