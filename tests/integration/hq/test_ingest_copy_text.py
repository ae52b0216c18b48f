"""Ingest writes events, sales and sale lines as COPY text it escapes itself (sync.bulk.copy_text):
whatever free text a till sends comes back from PostgreSQL exactly as sent."""

from __future__ import annotations

import dataclasses

import pytest

from hq_server.sync.bulk import copy_json, copy_text
from shared.events import SaleCompleted, SaleLine, Tender
from shared.ids import new_id
from tests.integration.hq.helpers import ScriptedTill, query, scalar

AWKWARD = "tab\there, new\nline, cr\r, back\\slash \\N \\. \"quoted\" ünï \u2028 \xa0 \U0001f9fe"


def _sale(till: ScriptedTill, product, *, receipt_no: str, name: str, extra: dict) -> dict:  # noqa: ANN001
    line = SaleLine(1, str(product.id), product.sku, name, 2, product.price_minor, 2 * product.price_minor)
    sale = SaleCompleted(
        sale_id=new_id(), store_id=till.store_id, receipt_no=receipt_no, cashier=AWKWARD,
        currency=till.currency, lines=[line], total_minor=line.line_total_minor,
        tenders=[Tender("card", line.line_total_minor, AWKWARD)], change_minor=0,
        completed_at_ms=1_796_400_000_123, extra=extra)
    return sale.to_payload()


def test_free_text_with_copy_special_characters_is_stored_exactly_as_sent(hq_server, till):
    product = hq_server.seed.products[0]
    payload = _sale(till, product, receipt_no=f"R-{AWKWARD}", name=AWKWARD,
                    extra={AWKWARD: [AWKWARD, 1, None, True, {"x\\y": "a\tb"}]})
    event = till.record(SaleCompleted.TYPE, SaleCompleted.SCHEMA_VERSION, payload)

    reply = till.push()

    assert reply.status_code == 200, reply.text
    (stored_payload, hlc, prev_hash, hash_), = query(
        hq_server.database_url, "SELECT payload, hlc, prev_hash, hash FROM events")
    assert stored_payload == payload
    assert (hlc, prev_hash, hash_) == (event.hlc, event.prev_hash, event.hash)
    (receipt_no, currency, total, line_count, sold_at), = query(
        hq_server.database_url, "SELECT receipt_no, currency, total_minor, line_count, "
                                "extract(epoch FROM sold_at) * 1000 FROM sales")
    assert (receipt_no, currency) == (f"R-{AWKWARD}", till.currency)
    assert (total, line_count, int(sold_at)) == (2 * product.price_minor, 1, 1_796_400_000_123)
    assert query(hq_server.database_url,
                 "SELECT line_no, product_id::text, quantity, unit_price_minor, line_total_minor "
                 "FROM sale_lines") == [(1, str(product.id), 2, product.price_minor,
                                         2 * product.price_minor)]


def test_a_batch_of_many_sales_keeps_every_row_in_order(hq_server, till):
    products = hq_server.seed.products
    for i in range(30):
        till.sell((products[i % len(products)], 1), (products[(i + 1) % len(products)], 2))

    assert till.push().json() == {"acked_seq": 30, "applied": 30, "duplicates": 0}

    assert scalar(hq_server.database_url, "SELECT count(*) FROM sale_lines") == 60
    assert [r[0] for r in query(hq_server.database_url, "SELECT seq FROM events ORDER BY seq")] \
        == list(range(1, 31))
    receipts = query(hq_server.database_url,
                     "SELECT s.receipt_no, e.seq FROM sales s JOIN events e USING (event_id) ORDER BY e.seq")
    assert receipts == [(f"R{i:06d}", i) for i in range(1, 31)]


def test_a_receipt_holding_nul_is_refused_and_the_batch_stores_nothing(hq_server, till):
    product = hq_server.seed.products[0]
    till.sell((product, 1))
    till.record(SaleCompleted.TYPE, SaleCompleted.SCHEMA_VERSION,
                _sale(till, product, receipt_no="R\x00", name="x", extra={}))

    reply = till.push()

    assert reply.status_code >= 400
    assert scalar(hq_server.database_url, "SELECT count(*) FROM events") == 0
    assert scalar(hq_server.database_url, "SELECT count(*) FROM sales") == 0


@pytest.mark.parametrize(("value", "written"), [
    ("plain", "plain"), ("a\tb\nc\rd\\e", "a\\tb\\nc\\rd\\\\e"), ("ünï \u2028", "ünï \u2028"),
    (None, "\\N"), (7, "7"), (True, "t"),
])
def test_copy_text_escapes_what_copy_reads_as_syntax(value, written):
    assert copy_text(value) == written


def test_copy_json_doubles_backslashes_and_writes_big_integers():
    assert copy_json({"a": "x\\y\n"}) == '{"a":"x\\\\\\\\y\\\\n"}'
    assert copy_json({"n": 10**30}) == '{"n":1000000000000000000000000000000}'


def test_a_later_event_refused_by_its_checks_is_named_before_text_that_cannot_be_stored(hq_server, till):
    product = hq_server.seed.products[0]
    till.record(SaleCompleted.TYPE, SaleCompleted.SCHEMA_VERSION,
                _sale(till, product, receipt_no="R\x00", name="x", extra={}))
    tampered = till.sell((product, 1))
    till.journal[-1] = dataclasses.replace(tampered, hash="f" * 64)

    reply = till.push()

    assert reply.status_code == 422 and reply.json()["error"] == "bad_hash", reply.text
    assert scalar(hq_server.database_url, "SELECT count(*) FROM events") == 0


def test_a_pushed_sale_moves_stock_once_per_product_with_its_event_and_clock(hq_server, till):
    """The till movements go in as COPY text lines too (stock.service._till_movement_lines)."""
    shampoo, brush = hq_server.seed.products[0], hq_server.seed.products[3]
    first = till.sell((shampoo, 2), (brush, 1), (shampoo, 1))
    second = till.sell((brush, 4))

    assert till.push().status_code == 200

    store = hq_server.seed.store("S001").id
    assert sorted(query(hq_server.database_url, """
        SELECT product_id::text, store_id::text, delta, reason, event_id::text, hlc, reference,
               user_id, unit_cost_minor FROM stock_movements WHERE reason = 'sale'""")) == sorted([
        (str(shampoo.id), str(store), -3, "sale", first.event_id, first.hlc, None, None, None),
        (str(brush.id), str(store), -1, "sale", first.event_id, first.hlc, None, None, None),
        (str(brush.id), str(store), -4, "sale", second.event_id, second.hlc, None, None, None)])
