"""SaleCompleted schema 2: per-line tax, the breakdown and cash rounding must agree to the cent."""

from dataclasses import replace

import pytest

from shared.events import EventPayloadError, SaleCompleted, SaleLine, SaleTax, Tender, parse_payload

# An exclusive store: 2 x 1.19 + 20 % = 2.38 + 0.48; a book 12.99 + 5.5 % = 0.71. 16.56, cash 16.55.
LINES = [SaleLine(1, "p", "MILK", "Milk", 2, 119, 238, "standard", 2000, 48),
         SaleLine(2, "b", "BOOK", "Book", 1, 1299, 1299, "reduced", 550, 71)]
TAXES = [SaleTax("standard", 2000, 238, 48, 286, "VAT"), SaleTax("reduced", 550, 1299, 71, 1370)]
SALE = SaleCompleted("s1", "st", "S001-0001-000001", "Ana", "EUR", LINES, 1656,
                     [Tender("cash", 2000)], 345, 1, prices_include_tax=False, taxes=TAXES,
                     rounding_minor=-1)


def test_a_consistent_sale_round_trips_through_its_payload():
    assert parse_payload("SaleCompleted", 2, SALE.to_payload()) == SALE


@pytest.mark.parametrize(("change", "words"), [
    ({"total_minor": 1655}, "not the sum of its lines"),
    ({"taxes": [TAXES[0]]}, "missing from the breakdown"),
    ({"taxes": [replace(TAXES[0], tax_minor=47, gross_minor=285), TAXES[1]]}, "not the sum"),
    ({"taxes": [replace(TAXES[0], rate_bp=1900), TAXES[1]]}, "not the sum"),
    ({"taxes": [replace(TAXES[0], net_minor=237), TAXES[1]]}, "net \\+ tax is not gross"),
    ({"rounding_minor": 0}, "tenders minus change"),
    ({"tenders": [Tender("card", 1655)], "change_minor": 0}, "no cash tender"),
    ({"taxes": []}, "no tax breakdown"),
])
def test_a_sale_whose_figures_disagree_is_refused_in_words(change, words):
    with pytest.raises(EventPayloadError, match=words):
        replace(SALE, **change).validate()


def test_two_rates_for_one_class_in_one_sale_are_refused():
    lines = [LINES[0], replace(LINES[1], tax_class="standard")]
    with pytest.raises(EventPayloadError, match="two rates"):
        replace(SALE, lines=lines).validate()
