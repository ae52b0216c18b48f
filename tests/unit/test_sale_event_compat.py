"""SaleCompleted grows by optional fields only: old schema-1 payloads still parse."""

from dataclasses import replace

from shared.events import SaleCompleted, SaleLine, Tender, parse_payload

SALE = SaleCompleted(sale_id="s1", store_id="st", receipt_no="S001-0001-000001", cashier="Ana",
                     currency="EUR", lines=[SaleLine(1, "p", "SKU", "Milk", 2, 119, 238)],
                     total_minor=238, tenders=[Tender("cash", 500)], change_minor=262,
                     completed_at_ms=1)


def test_a_payload_from_before_cashier_id_still_parses_with_an_empty_one():
    payload = SALE.to_payload()
    del payload["cashier_id"]
    assert parse_payload("SaleCompleted", 1, payload).cashier_id == ""


def test_the_cashier_id_travels_in_the_payload():
    payload = replace(SALE, cashier_id="u-ana").to_payload()
    assert SaleCompleted.from_payload(payload).cashier_id == "u-ana"
