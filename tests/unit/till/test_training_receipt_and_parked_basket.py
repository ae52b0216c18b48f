"""A training receipt says so at top and bottom; a parked basket comes back line for line."""

from dataclasses import replace
from datetime import datetime

from shared.money import Money
from shared.override_events import OverrideRecorded
from till.receipt import Receipt, render_escpos, render_text
from till.receipt.model import ReceiptLine, ReceiptTender
from till.sale import Basket, Product
from till.sale.parking import basket_from_json, basket_to_json


def receipt(training=False):
    eur = Money(119, "EUR")
    return Receipt("Shop", "S001", "S001-0001-000001", "Ana", datetime(2024, 1, 1, 9, 0),
                   [ReceiptLine(1, "Milk 1L", eur, eur)], eur, Money(500, "EUR"),
                   Money(381, "EUR"), (ReceiptTender("cash", Money(500, "EUR")),), training)


def test_a_training_receipt_says_training_at_the_top_and_the_bottom():
    lines = render_text(receipt(training=True)).splitlines()
    assert "TRAINING" in lines[0] and "TRAINING" in lines[-1]
    assert render_escpos(receipt(training=True)).count(b"TRAINING") == 2


def test_a_real_receipt_does_not_mention_training():
    assert "TRAINING" not in render_text(receipt())
    assert b"TRAINING" not in render_escpos(receipt())


def test_a_parked_basket_keeps_quantities_prices_overrides_and_approvals():
    basket = Basket("EUR")
    basket.add(Product("p-milk", "MILK-1L", "Milk 1L", Money(119, "EUR")), 2)
    line = basket.add(Product("p-bread", "BREAD", "Bread", Money(249, "EUR")))
    line.price_override = Money(199, "EUR")
    line.override = {"kind": "price_override", "original_unit_price_minor": 249}
    basket.sale_id = "sale-1"
    basket.overrides.append(OverrideRecorded("o-1", "store", "price_override", "Ana", "Sam",
                                             "249", "199", "label", "sale-1"))
    back = basket_from_json(basket_to_json(basket), "EUR")
    assert [(ln.product, ln.quantity, ln.price_override, ln.override) for ln in back.lines] == [
        (ln.product, ln.quantity, ln.price_override, ln.override) for ln in basket.lines]
    assert back.total == Money(2 * 119 + 199, "EUR") and back.sale_id == "sale-1"
    assert back.overrides == [replace(basket.overrides[0])]
