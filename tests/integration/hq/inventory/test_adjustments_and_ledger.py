"""Adjustments with reason codes, and the ledger that explains an on-hand number."""

from tests.integration.hq.helpers import query

from .helpers import api, ledger, ok, store_on_hand


def test_an_adjustment_moves_stock_and_is_audited_and_explained_in_the_ledger(hq_server, till):
    admin, brush = hq_server.admin_headers, hq_server.seed.product("BRU-PAD-L")
    sale = till.sell((brush, 3))
    assert till.push().status_code == 200

    answer = ok(api(hq_server, admin, "POST", "/adjustments",
                    {"store": "S001", "product": "BRU-PAD-L", "delta": -2, "reason": "damage",
                     "note": "dropped box"}))

    assert (answer["on_hand_before"], answer["on_hand"]) == (17, 15)
    assert store_on_hand(hq_server, admin, "BRU-PAD-L") == {"S001": 15, "S002": 20}
    book = ledger(hq_server, admin, "BRU-PAD-L")
    assert book["on_hand"] == book["explained_on_hand"] == 15 and book["balanced"]
    assert book["last_count"] is None
    opening, sold, damaged = book["movements"]
    assert (opening["reason"], opening["on_hand_before"], opening["on_hand_after"]) == ("opening", 0, 20)
    assert (sold["reason"], sold["delta"], sold["on_hand_after"]) == ("sale", -3, 17)
    assert sold["receipt_no"] == sale.payload["receipt_no"] and sold["cashier"] == "ann"
    assert sold["device_id"] == till.device_id and sold["device"] == "till-1"
    assert (damaged["reason"], damaged["delta"], damaged["on_hand_before"]) == ("damage", -2, 17)
    assert damaged["user"] == "admin@example.com" and damaged["note"] == "dropped box"
    assert damaged["reference"] == answer["reference"]
    newest = ok(api(hq_server, admin, "GET", "/ledger?product=BRU-PAD-L&store=S001&limit=1"))
    assert newest["earlier_movements_omitted"] and newest["movements"] == [damaged]
    (action, before, after), = query(hq_server.database_url,
                                     "SELECT action, before, after FROM audit_log "
                                     "WHERE action = 'stock.adjusted'")
    assert before == {"on_hand": 17} and after["on_hand"] == 15 and after["reason"] == "damage"


def test_adjustments_refuse_wrong_signs_unknown_reasons_and_zero_in_words(hq_server):
    admin = hq_server.admin_headers
    cases = [({"delta": 2, "reason": "theft"}, "theft must take stock away"),
             ({"delta": -1, "reason": "found"}, "found must add stock"),
             ({"delta": 1, "reason": "gift"}, "unknown reason 'gift'"),
             ({"delta": 0, "reason": "correction"}, "changes nothing"),
             ({"delta": 1, "reason": "found", "product": "NOPE"}, "no product 'NOPE'")]
    for body, words in cases:
        reply = api(hq_server, admin, "POST", "/adjustments",
                    {"store": "S001", "product": "BRU-PAD-L", **body})
        assert reply.status_code in (404, 422) and words in reply.json()["detail"], reply.text

    assert store_on_hand(hq_server, admin, "BRU-PAD-L")["S001"] == 20
    assert query(hq_server.database_url, "SELECT count(*) FROM stock_movements "
                                         "WHERE reason <> 'opening'") == [(0,)]
