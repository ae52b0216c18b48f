"""End to end over real tills (SQLite ledgers, the sync agent) and a real HQ: a card sold at one
store is known with its balance at another store's till after a pull; spent at both stores while
neither has heard of the other, both spendings are kept, HQ raises one exception, and every till
ends with HQ's balance, its own postings counted once."""

from hq_server.devices.service import create_enrolment_code
from shared.events import Tender
from shared.gift_cards import luhn_check_digit
from shared.money import Money
from tests.integration.hq.helpers import exceptions, in_transaction, query
from tests.integration.sync_proof.helpers import enrolled_till
from till.gift_cards import GiftCardService
from till.sale.overrides import OverrideService
from till.sale.tender import Payment

CARD = "603600000000001" + luhn_check_digit("603600000000001")


def cards(till):  # noqa: ANN001, ANN201
    return GiftCardService(till.ledger, OverrideService(till.ledger))


def pay_with_card(till, product, amount_minor: int):  # noqa: ANN001, ANN201
    basket = till.sales.new_basket()
    basket.add(till.catalog.lookup(product.sku), 20)
    payment = Payment(basket.total)
    tender = cards(till).redeem(payment, basket, CARD, Money(amount_minor, basket.currency))
    rest = Tender("card", basket.total.minor - tender.amount_minor)
    return till.sales.complete_sale_with_tenders(basket, [tender, rest], "Ana")


def test_a_card_sold_at_one_store_pays_at_another_and_both_tills_agree(hq_server, enrolment_code,
                                                                       tmp_path):
    camden = enrolled_till(tmp_path / "camden", hq_server.url, enrolment_code)
    code = in_transaction(hq_server.database_url, lambda s: create_enrolment_code(s, "S002"))
    brixton = enrolled_till(tmp_path / "brixton", hq_server.url, code)
    product = hq_server.seed.products[0]
    try:
        assert cards(brixton).card(CARD) is None
        basket = camden.sales.new_basket()
        cards(camden).add_load(basket, CARD, "50.00")
        camden.sales.complete_sale_with_tenders(basket, [Tender("card", 5000)], "Ana")
        camden.agent.sync_once()
        brixton.agent.sync_once()
        assert cards(brixton).card(CARD).balance_minor == 5000  # through the change log

        pay_with_card(camden, product, 4000)  # both offline: each knows €50.00
        pay_with_card(brixton, product, 4000)
        assert cards(camden).card(CARD).balance_minor == 1000
        assert cards(brixton).card(CARD).balance_minor == 1000

        for till in (camden, brixton, camden):
            till.agent.sync_once()
        assert query(hq_server.database_url, "SELECT balance_minor FROM gift_cards") == [(-3000,)]
        assert [k for k, *_ in exceptions(hq_server.database_url)] == ["negative_gift_card"]
        assert cards(camden).card(CARD).balance_minor == -3000  # counted once, not twice
        assert cards(brixton).card(CARD).balance_minor == -3000
    finally:
        camden.close()
        brixton.close()
