"""How the variant picker describes a variant: its attributes and stock, from HQ's data."""

from till.ui.variant_presenter import attributes_text, stock_text


def test_attributes_read_as_words_in_hqs_order_without_till_control_keys():
    assert attributes_text({"size": "M", "colour": "Red"}) == "Size M · Colour Red"
    assert attributes_text({"colour": "Navy", "sleeve_length": "Long"}) == \
        "Colour Navy · Sleeve length Long"
    assert attributes_text({"size": "XL", "quick_key": "1/3", "fit": " "}) == "Size XL"
    assert attributes_text({}) == ""


def test_stock_says_how_many_none_or_nothing_when_unknown():
    assert [stock_text(n) for n in (5, 1, 0, -2, None)] == [
        "5 in stock", "1 in stock", "out of stock", "out of stock", ""]


def test_quick_key_pages_are_in_name_order_with_keys_by_position():
    from shared.money import Money
    from till.sale import Product
    from till.sale.catalog import QuickKey
    from till.ui.quick_keys_presenter import pages_of

    def key(page, position, name):
        return QuickKey(page, position, Product(f"p-{name}", name, name, Money(100, "EUR")))

    pages = pages_of([key("fruit", 2, "Pear"), key("Bakery", 10, "Rye"), key("Bakery", 2, "Bun"),
                      key("fruit", 1, "Apple")])
    assert {page: [k.product.name for k in keys] for page, keys in pages.items()} == {
        "Bakery": ["Bun", "Rye"], "fruit": ["Apple", "Pear"]}
    assert list(pages) == ["Bakery", "fruit"]
