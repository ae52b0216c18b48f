"""An exchange reaches HQ as the two facts the till committed together — the return (goods back,
restocked or not per reason) and the new sale (goods out) — linked by the exchange id on the
sale's "exchange" tender and the return's "exchange" refund. HQ applies both, as it always does."""

from shared.events import SaleCompleted, SaleLine, Tender
from shared.ids import new_id
from shared.override_events import Refund, ReturnCompleted, ReturnLine
from tests.integration.hq.helpers import exceptions, on_hand, query


def exchange_pair(till, original, back, back_qty, new, reason):
    """The events as till.sale.exchange.ExchangeService writes them: the new goods cost more,
    so the returned value pays part and the customer pays the rest in cash."""
    sold = original.payload
    line = next(ln for ln in sold["lines"] if ln["product_id"] == str(back.id))
    returned = line["unit_price_minor"] * back_qty
    exchange_id = new_id()
    sale = SaleCompleted(
        sale_id=new_id(), store_id=till.store_id, receipt_no="R900001", cashier="ann",
        currency=till.currency, lines=[SaleLine(1, str(new.id), new.sku, new.name, 1,
                                                new.price_minor, new.price_minor)],
        total_minor=new.price_minor, change_minor=0, completed_at_ms=1,
        tenders=[Tender("exchange", returned, exchange_id),
                 Tender("cash", new.price_minor - returned)])
    ret = ReturnCompleted(
        return_id=new_id(), store_id=till.store_id, original_sale_id=sold["sale_id"],
        original_receipt_no=sold["receipt_no"],
        lines=[ReturnLine(str(back.id), back.sku, back.name, back_qty, line["unit_price_minor"],
                          returned, reason, reason not in ("damaged", "faulty"),
                          original_line_no=line["line_no"])],
        total_minor=returned, refunds=[Refund("exchange", returned, exchange_id)],
        shift_id="", cashier="ann", currency=till.currency)
    # one till transaction: the sale's event, then the return's
    till.record(SaleCompleted.TYPE, SaleCompleted.SCHEMA_VERSION, sale.to_payload())
    till.record(ReturnCompleted.TYPE, ReturnCompleted.SCHEMA_VERSION, ret.to_payload())
    return exchange_id


def test_hq_applies_both_halves_of_an_exchange(hq_server, till):
    store = hq_server.seed.store("S001")
    by_price = sorted(hq_server.seed.products, key=lambda p: p.price_minor)
    cheap, dear = by_price[0], by_price[-1]
    assert cheap.price_minor < dear.price_minor  # the customer pays the difference in cash
    original = till.sell((cheap, 2))
    exchange_pair(till, original, cheap, 1, dear, "wrong_item")
    damaged = till.sell((cheap, 1))
    exchange_pair(till, damaged, cheap, 1, dear, "damaged")

    reply = till.push()
    assert reply.status_code == 200 and reply.json()["applied"] == 6
    url = hq_server.database_url
    assert on_hand(url, cheap.id, store.id) == 20 - 3 + 1  # the damaged one stays off the shelf
    assert on_hand(url, dear.id, store.id) == 20 - 2
    assert exceptions(url) == []
    assert query(url, "SELECT count(*) FROM events WHERE type IN ('SaleCompleted', "
                      "'ReturnCompleted')") == [(6,)]
