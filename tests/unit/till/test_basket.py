import pytest

from shared.money import Money
from till.sale import Basket, InvalidQuantity, Product, SaleError

MILK = Product("p-milk", "MILK-1L", "Milk 1L", Money(119, "EUR"))
BREAD = Product("p-bread", "BREAD", "White bread", Money(249, "EUR"))


def test_scanning_the_same_product_twice_makes_one_line_with_quantity_two():
    basket = Basket("EUR")
    basket.add(MILK)
    basket.add(BREAD)
    basket.add(MILK)
    assert [(ln.product.sku, ln.quantity) for ln in basket.lines] == [("MILK-1L", 2), ("BREAD", 1)]


def test_the_total_is_the_sum_of_price_times_quantity_in_minor_units():
    basket = Basket("EUR")
    basket.add(MILK, 3)
    basket.add(BREAD)
    assert basket.total == Money(3 * 119 + 249, "EUR")
    assert basket.line(1).total == Money(357, "EUR")
    assert basket.item_count == 4


def test_an_empty_basket_totals_zero():
    assert Basket("EUR").total == Money(0, "EUR")


def test_changing_the_quantity_of_a_line_changes_the_total():
    basket = Basket("EUR")
    basket.add(MILK)
    basket.set_quantity(1, 5)
    assert basket.total == Money(595, "EUR")


@pytest.mark.parametrize("quantity", [0, -1, 10_000, "2", 1.5, True])
def test_a_zero_negative_huge_or_non_integer_quantity_is_refused_and_changes_nothing(quantity):
    basket = Basket("EUR")
    basket.add(MILK, 2)
    with pytest.raises(InvalidQuantity):
        basket.set_quantity(1, quantity)
    with pytest.raises(InvalidQuantity):
        basket.add(BREAD, quantity)
    assert [(ln.product.sku, ln.quantity) for ln in basket.lines] == [("MILK-1L", 2)]


def test_removing_a_line_renumbers_the_rest():
    basket = Basket("EUR")
    basket.add(MILK)
    basket.add(BREAD)
    basket.remove_line(1)
    assert basket.line(1).product is BREAD
    with pytest.raises(InvalidQuantity, match="no line 2"):
        basket.remove_line(2)


def test_a_product_priced_in_another_currency_is_refused():
    with pytest.raises(SaleError, match="GBP"):
        Basket("EUR").add(Product("p-x", "X", "Tea", Money(100, "GBP")))
