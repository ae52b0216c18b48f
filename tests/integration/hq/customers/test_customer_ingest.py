"""Customers and loyalty at ingest (merge rule 8): last writer wins by hlc across tills; points
are a counter applied exactly once; a balance below zero raises one exception."""

from shared.events import SaleCompleted, SaleLine, Tender
from shared.hlc import Timestamp
from shared.ids import new_id
from tests.integration.hq.customers.helpers import (
    customer_changes,
    get_json,
    post_points,
    save_customer,
)
from tests.integration.hq.helpers import enrol_till, exceptions, query, scalar


def customer_row(url, customer_id):
    return query(url, "SELECT name, phone, email, points_balance FROM customers WHERE id = %s",
                 (customer_id,))[0]


def test_the_later_save_wins_whichever_till_pushes_first(hq_server, till):
    other = enrol_till(hq_server, "S002")
    first = save_customer(till, "Ann Lee", "0712 345")
    cid = first.payload["customer_id"]
    other.clock.observe(Timestamp.decode(first.hlc))  # saved after it (even in the same ms)
    save_customer(other, "Ann Lee-Smith", "0712 999", "ann@example.com", customer_id=cid)

    assert other.push().status_code == 200  # the newer version arrives first
    assert till.push().status_code == 200  # the older one after it changes nothing

    assert customer_row(hq_server.database_url, cid) == ("Ann Lee-Smith", "0712 999",
                                                          "ann@example.com", 0)


def test_points_are_counted_once_however_often_a_till_resends(hq_server, till):
    cid = save_customer(till, "Bo Chan").payload["customer_id"]
    post_points(till, cid, 40, receipt_no="R1")
    post_points(till, cid, -15, receipt_no="R2")
    assert till.push().json()["applied"] == 3
    for _ in range(2):
        assert till.push().json()["duplicates"] == 3

    assert customer_row(hq_server.database_url, cid)[3] == 25
    assert scalar(hq_server.database_url, "SELECT count(*) FROM loyalty_postings") == 2
    assert exceptions(hq_server.database_url) == []


def test_points_posted_at_two_stores_add_up_in_any_order(hq_server, till):
    other = enrol_till(hq_server, "S002")
    cid = save_customer(till, "Cy Diaz").payload["customer_id"]
    assert till.push().status_code == 200
    post_points(other, cid, 7)
    post_points(till, cid, 5)
    assert till.push().status_code == 200 and other.push().status_code == 200

    assert customer_row(hq_server.database_url, cid)[3] == 12


def test_redeeming_more_than_the_balance_is_applied_and_raises_one_exception(hq_server, till):
    cid = save_customer(till, "Di Evans").payload["customer_id"]
    post_points(till, cid, 10)
    overdraw = post_points(till, cid, -30, receipt_no="S001-0001-000003")
    assert till.push().status_code == 200
    assert till.push().json()["duplicates"] == 3

    assert customer_row(hq_server.database_url, cid)[3] == -20  # applied, never clamped
    (kind, key, details, resolved), = exceptions(hq_server.database_url)
    assert (kind, key) == ("negative_loyalty", f"negative_loyalty:{overdraw.event_id}")
    assert details["balance_after"] == -20 and details["customer"] == "Di Evans"
    assert details["receipt_no"] == "S001-0001-000003" and resolved is None


def test_points_for_a_customer_hq_has_not_seen_yet_wait_for_its_details(hq_server, till):
    other = enrol_till(hq_server, "S002")
    saved = save_customer(till, "Ed Fox")  # not pushed yet
    cid = saved.payload["customer_id"]
    post_points(other, cid, 9)
    assert other.push().status_code == 200
    assert customer_changes(other) == []  # nothing to show tills without a name

    assert till.push().status_code == 200
    assert customer_row(hq_server.database_url, cid) == ("Ed Fox", "", "", 9)


def test_a_customer_made_at_one_store_reaches_the_tills_of_another_with_its_balance(hq_server,
                                                                                     till):
    other = enrol_till(hq_server, "S002")
    cid = save_customer(till, "Flo Grant", "+44 20 7946 0018").payload["customer_id"]
    post_points(till, cid, 30)
    assert till.push().status_code == 200

    (latest,) = [c for c in customer_changes(other) if c["points_balance"] == 30]
    assert (latest["customer_id"], latest["name"], latest["phone"]) == (cid, "Flo Grant",
                                                                        "+44 20 7946 0018")
    assert latest["counted_seq"] == {till.device_id: 2}  # till's own posting (seq 2) is counted


def test_a_sale_with_a_customer_is_in_its_history_and_a_training_sale_is_not(hq_server, till,
                                                                            hq_login):
    product = hq_server.seed.products[0]
    cid = save_customer(till, "Gus Hale").payload["customer_id"]
    for training in (False, True):
        line = SaleLine(1, str(product.id), product.sku, product.name, 2, product.price_minor,
                        product.price_minor * 2)
        sale = SaleCompleted(new_id(), till.store_id, f"R-{training}", "Ana", "EUR", [line],
                             line.line_total_minor, [Tender("card", line.line_total_minor)], 0,
                             1_700_000_000_000, training=training, customer_id=cid)
        till.record(SaleCompleted.TYPE, 2, sale.to_payload())
    assert till.push().status_code == 200

    reply = get_json(hq_server, f"/api/v1/customers/{cid}", hq_login("admin"))
    (sale,) = reply["recent_sales"]
    assert (sale["receipt_no"], sale["store"], sale["total_minor"]) == (
        "R-False", "S001", product.price_minor * 2)
