"""Which codes at the sale's scan field are shaped like a gift card number (till.gift_cards.scans)."""

import pytest

from till.gift_cards.scans import card_shaped


@pytest.mark.parametrize(("text", "digits"), [
    ("6036000000000013", "6036000000000013"),
    (" 6036 0000 0000 0013 ", "6036000000000013"),  # as printed on the card
    ("6036-0000-0000-0013", "6036000000000013"),
    ("]C06036000000000013", "6036000000000013"),  # a credit note's CODE128, AIM identifier first
    ("6036000000000019", "6036000000000019"),  # the check digit is the card service's to judge
])
def test_sixteen_digits_are_card_shaped(text, digits):
    assert card_shaped(text) == digits


@pytest.mark.parametrize("text", ["", "4006381333931", "40063813339310", "60360000000000131",
                                  "603600000000001", "MILK-1L", "6036 0000 0000 001X"])
def test_gtins_skus_and_other_lengths_are_not(text):
    assert card_shaped(text) is None
