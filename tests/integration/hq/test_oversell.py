"""Merge rule 4: oversell is surfaced, never clamped."""

from tests.integration.hq.helpers import adjust_stock, enrol_till, exceptions, on_hand, scalar


def test_two_tills_selling_the_last_unit_keep_both_sales_and_raise_one_oversell(hq_server, till):
    brush, store = hq_server.seed.product("BRU-PAD-L"), hq_server.seed.store("S001")
    adjust_stock(hq_server.database_url, brush.id, store.id, -19)  # one left
    other = enrol_till(hq_server)
    till.sell((brush, 1))
    second = other.sell((brush, 1))

    assert till.push().status_code == 200
    assert other.push().status_code == 200

    assert scalar(hq_server.database_url, "SELECT count(*) FROM sales") == 2
    assert on_hand(hq_server.database_url, brush.id, store.id) == -1
    (kind, key, details, resolved), = exceptions(hq_server.database_url)
    assert kind == "oversell" and resolved is None
    assert key == f"oversell:{second.event_id}:{brush.id}"
    assert details["on_hand_after"] == -1 and details["sku"] == "BRU-PAD-L"
    assert details["receipt_no"] == second.payload["receipt_no"]
    ids = scalar(hq_server.database_url, "SELECT array[store_id, device_id, product_id, event_id]::text[] "
                                         "FROM exceptions")
    assert ids == [str(store.id), other.device_id, str(brush.id), second.event_id]


def test_re_pushing_an_oversold_sale_changes_nothing(hq_server, till):
    brush, store = hq_server.seed.product("BRU-PAD-L"), hq_server.seed.store("S001")
    till.sell((brush, 21))
    assert till.push().status_code == 200

    for _ in range(2):
        assert till.push().json()["duplicates"] == 1

    assert on_hand(hq_server.database_url, brush.id, store.id) == -1
    assert len(exceptions(hq_server.database_url, "oversell")) == 1


def test_within_one_batch_only_the_sales_that_go_below_zero_are_oversells(hq_server, till):
    brush, store = hq_server.seed.product("BRU-PAD-L"), hq_server.seed.store("S001")
    till.sell((brush, 19))
    till.sell((brush, 1))  # takes it to 0: not an oversell
    third = till.sell((brush, 2))
    fourth = till.sell((brush, 1))

    assert till.push().json()["applied"] == 4

    assert on_hand(hq_server.database_url, brush.id, store.id) == -3
    oversells = exceptions(hq_server.database_url, "oversell")
    assert sorted((key, d["on_hand_after"]) for _, key, d, _ in oversells) == sorted([
        (f"oversell:{third.event_id}:{brush.id}", -2), (f"oversell:{fourth.event_id}:{brush.id}", -3)])


def test_a_sale_that_leaves_stock_at_zero_or_above_raises_nothing(hq_server, till):
    brush = hq_server.seed.product("BRU-PAD-L")
    till.sell((brush, 20))

    assert till.push().status_code == 200
    assert exceptions(hq_server.database_url) == []
