"""A return refunds the original tender: the card part back to the card, the rest in cash."""

from shared.events import Tender
from tests.fixtures.till import COFFEE
from till.returns import ReturnService
from till.sale import Basket, Catalog, SaleService
from till.sale.overrides import OverrideService
from till.staff import Session


def test_card_paid_sale_is_refunded_to_the_card_first(till_ledger):
    basket = Basket("EUR")
    basket.add(Catalog(till_ledger).lookup(COFFEE["sku"]), 2)
    sale = SaleService(till_ledger).complete_sale_with_tenders(
        basket, [Tender("cash", 1000), Tender("card", 1000, "CARD-0001")], "Ana")
    service = ReturnService(till_ledger, OverrideService(till_ledger))
    draft = service.find(sale.receipt_no.lower())
    draft.lines[0].quantity = 2
    done = service.complete(draft, "wrong_item", Session("Ana"))
    assert [(r.kind, r.amount_minor, r.reference) for r in done.refunds] == [
        ("card", 1000, "CARD-0001"), ("cash", 798, "")]
    assert service.find(sale.receipt_no).lines[0].line.refundable == 0
