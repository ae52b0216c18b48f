"""End to end over real tills (SQLite ledgers, the sync agent) and a real HQ: a customer made at
one store earns points there, is found with its balance at another store's till, and points
spent there add up everywhere once both tills have synced (merge rule 8)."""

from hq_server.devices.service import create_enrolment_code
from shared.events import Tender
from tests.integration.hq.helpers import in_transaction, query
from tests.integration.sync_proof.helpers import enrolled_till
from till.customers import CustomerService


def test_a_customer_made_at_one_store_is_found_and_spent_at_another(hq_server, enrolment_code,
                                                                   tmp_path):
    camden = enrolled_till(tmp_path / "camden", hq_server.url, enrolment_code)
    code = in_transaction(hq_server.database_url, lambda s: create_enrolment_code(s, "S002"))
    brixton = enrolled_till(tmp_path / "brixton", hq_server.url, code)
    try:
        ann = CustomerService(camden.ledger).create("Ann Lee", "0712 345 678", saved_by="Ana")
        basket = camden.sales.new_basket()
        product = hq_server.seed.products[0]
        basket.add(camden.catalog.lookup(product.sku), 3)
        sale = camden.sales.complete_sale_with_tenders(
            basket, [Tender("card", basket.total.minor)], "Ana", customer_id=ann.customer_id)
        earned = sale.points_earned
        assert earned > 0
        camden.agent.sync_once()

        brixton.agent.sync_once()
        there = CustomerService(brixton.ledger)
        (found,) = there.search("0712 345")
        assert (found.name, found.points) == ("Ann Lee", earned)
        basket = brixton.sales.new_basket()  # Ann pays part of a sale at Brixton with points
        basket.add(brixton.catalog.lookup(product.sku))
        spend = min(earned, basket.total.minor - 100)
        assert spend > 0
        there_sale = brixton.sales.complete_sale_with_tenders(
            basket, [Tender("points", spend), Tender("card", basket.total.minor - spend)], "Ana",
            customer_id=found.customer_id)
        balance = earned - spend + there_sale.points_earned
        assert there.get(found.customer_id).points == balance  # at once, offline

        brixton.agent.sync_once()
        camden.agent.sync_once()
        brixton.agent.sync_once()
        assert there.get(found.customer_id).points == balance  # counted once, not twice
        assert CustomerService(camden.ledger).get(ann.customer_id).points == balance
        assert query(hq_server.database_url, "SELECT points_balance FROM customers") == [
            (balance,)]
        history = query(hq_server.database_url,
                        "SELECT receipt_no FROM customer_sales ORDER BY sold_at")
        assert history == [(sale.receipt_no,), (there_sale.receipt_no,)]
    finally:
        camden.close()
        brixton.close()
