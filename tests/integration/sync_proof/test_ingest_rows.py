"""The rows a push appends (events, sales, sale lines, stock movements: streamed with COPY) hold
exactly what the till sealed, however awkward its text: tabs, new lines, backslashes, COPY's
own null marker, quotes, accents."""

import time

from shared.events import SaleCompleted, SaleLine, Tender
from shared.ids import new_id
from shared.journal import JournalEvent
from tests.integration.hq.helpers import ScriptedTill, query

AWKWARD = 'tab\there, new\nline, back\\slash, \\N, "quoted", O\'Brien, café €5 😀'


def test_awkward_text_in_a_sale_reaches_hq_exactly_as_the_till_sealed_it(hq_server, enrolment_code):
    till = ScriptedTill(hq_server.url, enrolment_code)
    product = hq_server.seed.products[0]
    sale = SaleCompleted(
        sale_id=new_id(), store_id=till.store_id, receipt_no=f"R-{AWKWARD}", cashier=AWKWARD,
        currency=till.currency,
        lines=[SaleLine(1, str(product.id), product.sku, AWKWARD, 2, product.price_minor,
                        2 * product.price_minor)],
        total_minor=2 * product.price_minor, tenders=[Tender("card", 2 * product.price_minor)],
        change_minor=0, completed_at_ms=int(time.time() * 1000))
    event = till.record(SaleCompleted.TYPE, SaleCompleted.SCHEMA_VERSION, sale.to_payload())

    assert till.push().status_code == 200

    (payload, held_hash, receipt, quantity, delta), = query(hq_server.database_url, """
        SELECT e.payload, e.hash, s.receipt_no, l.quantity, m.delta FROM events e
        JOIN sales s ON s.event_id = e.event_id JOIN sale_lines l ON l.sale_id = s.id
        JOIN stock_movements m ON m.event_id = e.event_id""")
    assert payload == event.payload and payload["lines"][0]["name"] == AWKWARD
    assert receipt == f"R-{AWKWARD}"
    assert (quantity, delta) == (2, -2)
    stored = JournalEvent(**{**event.to_dict(), "payload": payload})
    assert stored.compute_hash() == held_hash == event.hash  # the chain still verifies from HQ's copy
