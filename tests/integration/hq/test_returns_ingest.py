"""Returns at HQ: restocked lines come back on hand (rule 2); refunds are capped chain-wide (rule 5)."""

from shared.ids import new_id
from shared.override_events import Refund, ReturnCompleted, ReturnLine
from tests.integration.hq.helpers import enrol_till, exceptions, on_hand


def record_return(till, sale_event, product, quantity, *, reason="changed_mind", restock=True,
                  approved_by=""):
    sale = sale_event.payload
    line = next(ln for ln in sale["lines"] if ln["product_id"] == str(product.id))
    ret = ReturnCompleted(
        return_id=new_id(), store_id=sale["store_id"], original_sale_id=sale["sale_id"],
        original_receipt_no=sale["receipt_no"],
        lines=[ReturnLine(str(product.id), product.sku, product.name, quantity,
                          line["unit_price_minor"], line["unit_price_minor"] * quantity, reason,
                          restock, original_line_no=line["line_no"])],
        total_minor=line["unit_price_minor"] * quantity,
        refunds=[Refund("cash", line["unit_price_minor"] * quantity)],
        shift_id="", cashier="Ana", approved_by=approved_by, currency="EUR")
    return till.record(ReturnCompleted.TYPE, 1, ret.to_payload())


def test_a_restocked_return_puts_stock_back_and_a_damaged_one_does_not(hq_server, till):
    serum, store = hq_server.seed.products[2], hq_server.seed.store("S001")
    sale = till.sell((serum, 3))
    record_return(till, sale, serum, 1)
    record_return(till, sale, serum, 1, reason="damaged", restock=False)

    assert till.push().json()["applied"] == 3
    assert on_hand(hq_server.database_url, serum.id, store.id) == 20 - 3 + 1
    assert exceptions(hq_server.database_url) == []


def test_the_same_sale_refunded_at_two_stores_raises_one_over_refund_and_applies_both(
        hq_server, till):
    serum = hq_server.seed.products[2]
    sale = till.sell((serum, 1))
    assert till.push().status_code == 200
    other = enrol_till(hq_server)  # another till (offline when it took the return)
    record_return(till, sale, serum, 1)
    second = record_return(other, sale, serum, 1, approved_by="Sam")

    assert till.push().status_code == 200
    assert other.push().status_code == 200
    for _ in range(2):  # re-sent: still one exception
        assert other.push().json()["duplicates"] == 1

    (kind, key, details, resolved), = exceptions(hq_server.database_url, "over_refund")
    assert key.startswith(f"over_refund:{second.event_id}:")
    assert (details["sold"], details["returned_before"], details["returning"]) == (1, 1, 1)
    assert details["approved_by"] == "Sam" and resolved is None
    store = hq_server.seed.store("S001")
    assert on_hand(hq_server.database_url, serum.id, store.id) == 20 - 1 + 2  # both applied
