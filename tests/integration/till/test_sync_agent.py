import time

import pytest

from shared.journal import verify_chain
from shared.wire import Change
from tests.fixtures.till import DEVICE_ID, MILK, OPENING_STOCK, STORE_ID, product_change
from till.ledger.journal import all_events
from till.ledger.sales import on_hand
from till.ledger.sync_state import read_sync_state
from till.sale import Catalog
from till.sync import HQRefused, HQUnavailable, SyncAgent, SyncClient

from .conftest import sell


def agent_for(ledger, hq, **kwargs):
    kwargs = {"long_poll_wait": 0.3, "backoff": (0.05, 0.2), **kwargs}
    return SyncAgent(ledger, SyncClient(hq.url, "test-token", timeout=3), **kwargs)


def wait_until(predicate, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


def test_pending_events_are_pushed_in_seq_order_in_batches(till_ledger, fake_hq):
    for _ in range(7):
        sell(till_ledger, "MILK-1L")
    agent = agent_for(till_ledger, fake_hq, batch_size=3)
    assert agent.status()["pending"] == 7
    assert agent.push_pending() == 7
    assert fake_hq.batches == [[1, 2, 3], [4, 5, 6], [7]]
    verify_chain(fake_hq.events, device_id=DEVICE_ID)
    assert read_sync_state(till_ledger.connection()).acked_seq == 7
    assert agent.status()["pending"] == 0


def test_the_ack_moves_sold_quantities_out_of_the_local_delta_in_the_same_transaction(till_ledger, fake_hq):
    sell(till_ledger, "MILK-1L", "MILK-1L")
    conn = till_ledger.connection()
    delta = "SELECT local_delta FROM stock WHERE product_id = 'p-milk'"
    assert conn.execute(delta).fetchone()[0] == -2
    agent_for(till_ledger, fake_hq).push_pending()
    assert conn.execute(delta).fetchone()[0] == 0
    # HQ's on-hand now carries the sale; the next pull brings it.
    fake_hq.add_changes(Change(cursor=1000, kind="stock", data={
        "product_id": "p-milk", "store_id": STORE_ID, "on_hand": OPENING_STOCK - 2}))
    agent_for(till_ledger, fake_hq).pull()
    assert on_hand(conn, "p-milk") == OPENING_STOCK - 2


def test_resending_after_a_lost_ack_is_harmless(till_ledger, fake_hq):
    sell(till_ledger, "MILK-1L")
    fake_hq.push({"events": [e.to_dict() for e in all_events(till_ledger.connection())]})
    # HQ already holds seq 1 (its answer got lost): it says "duplicate", the till records the ack.
    assert agent_for(till_ledger, fake_hq).push_pending() == 1
    assert len(fake_hq.events) == 1


def test_a_refusal_is_recorded_raised_and_deletes_nothing(till_ledger, fake_hq):
    sell(till_ledger, "MILK-1L")
    fake_hq.refuse = {"error": "quarantined", "message": "device quarantined by HQ", "expected_seq": None}
    agent = agent_for(till_ledger, fake_hq)
    with pytest.raises(HQRefused) as refused:
        agent.push_pending()
    assert refused.value.status == 409 and refused.value.code == "quarantined"
    state = read_sync_state(till_ledger.connection())
    assert state.acked_seq == 0 and "quarantined" in state.last_error
    status = agent.status()
    assert status["online"] and status["pending"] == 1 and "quarantined" in status["last_error"]


def test_a_gap_refusal_is_recorded_with_the_seq_hq_expects(till_ledger, fake_hq):
    sell(till_ledger, "MILK-1L")
    fake_hq.refuse = {"error": "seq_gap", "message": "expected seq 5, got 1", "expected_seq": 5}
    with pytest.raises(HQRefused) as refused:
        agent_for(till_ledger, fake_hq).push_pending()
    assert refused.value.code == "seq_gap" and refused.value.expected_seq == 5
    assert [e.seq for e in all_events(till_ledger.connection())] == [1]


def test_a_bad_token_is_a_clear_refusal(till_ledger, fake_hq):
    sell(till_ledger, "MILK-1L")
    agent = SyncAgent(till_ledger, SyncClient(fake_hq.url, "wrong", timeout=3))
    with pytest.raises(HQRefused, match="401"):
        agent.push_pending()


def test_a_server_error_or_outage_is_unavailable_not_a_refusal(till_ledger, fake_hq):
    sell(till_ledger, "MILK-1L")
    agent = agent_for(till_ledger, fake_hq)
    fake_hq.fail_with = 500
    with pytest.raises(HQUnavailable):
        agent.push_pending()
    fake_hq.fail_with = None
    fake_hq.stop()
    with pytest.raises(HQUnavailable):
        agent.push_pending()
    assert agent.status() | {"last_error": None} == {"online": False, "pending": 1,
                                                     "last_sync": None, "last_error": None}
    assert read_sync_state(till_ledger.connection()).last_error is None  # outages are not refusals


def test_pull_applies_pages_until_caught_up(till_ledger, fake_hq):
    fake_hq.add_changes(*[product_change(100 + i, {**MILK, "price_minor": 200 + i}) for i in range(12)])
    agent = agent_for(till_ledger, fake_hq, batch_size=5)
    assert agent.pull() == 12
    assert read_sync_state(till_ledger.connection()).pull_cursor == 111
    assert Catalog(till_ledger).lookup("MILK-1L").price.minor == 211


def test_sync_once_reports_offline_instead_of_raising(till_ledger, fake_hq):
    fake_hq.stop()
    status = agent_for(till_ledger, fake_hq).sync_once()
    assert status["online"] is False and "unreachable" in status["last_error"]


def test_the_agent_ships_a_sale_within_a_second_of_being_woken(till_ledger, fake_hq):
    agent = agent_for(till_ledger, fake_hq, long_poll_wait=5, push_interval=30)
    agent.start()
    try:
        assert wait_until(lambda: agent.status()["online"])
        time.sleep(0.2)  # the pusher is now idle for push_interval; only wake() can hurry it
        sell(till_ledger, "MILK-1L")
        started = time.monotonic()
        agent.wake()
        assert wait_until(lambda: fake_hq.acked_seq == 1, timeout=1.0)
        assert time.monotonic() - started < 1.0
        assert wait_until(lambda: agent.status()["pending"] == 0)
    finally:
        agent.stop()


def test_the_agent_pulls_a_price_change_while_long_polling(till_ledger, fake_hq):
    agent = agent_for(till_ledger, fake_hq, long_poll_wait=2)
    agent.start()
    try:
        time.sleep(0.3)
        fake_hq.add_changes(product_change(500, {**MILK, "price_minor": 149}))
        assert wait_until(lambda: Catalog(till_ledger).lookup("MILK-1L").price.minor == 149, 2.0)
    finally:
        agent.stop()


def test_an_outage_leaves_sales_pending_the_till_keeps_selling_and_they_go_when_hq_returns(till_ledger, fake_hq):
    agent = agent_for(till_ledger, fake_hq)
    fake_hq.stop()
    agent.start()
    try:
        for _ in range(3):
            sell(till_ledger, "MILK-1L")
            agent.wake()
        assert wait_until(lambda: agent.status()["online"] is False)
        time.sleep(0.3)
        status = agent.status()
        assert status["pending"] == 3 and status["last_sync"] is None
        assert fake_hq.events == []
        fake_hq.start()  # HQ is back on the same port
        assert wait_until(lambda: agent.status()["pending"] == 0, timeout=5)
        assert [e.seq for e in fake_hq.events] == [1, 2, 3]
        assert agent.status()["online"] and agent.status()["last_sync"] is not None
    finally:
        agent.stop()
