import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.barcodes import BarcodeError, is_valid_gtin, make_ean13, validate_gtin


def test_known_ean13_and_upc_codes_validate():
    assert is_valid_gtin("4006381333931")
    assert is_valid_gtin("036000291452")  # UPC-A
    assert is_valid_gtin("96385074")  # EAN-8
    assert not is_valid_gtin("4006381333932")


@given(st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_made_ean13_codes_validate_and_any_single_digit_change_is_caught(body):
    code = make_ean13(body)
    assert is_valid_gtin(code)
    for i in range(13):
        for d in "0123456789":
            if d != code[i]:
                assert not is_valid_gtin(code[:i] + d + code[i + 1:])
                break


def test_validation_explains_what_is_wrong():
    with pytest.raises(BarcodeError, match="characters other than digits"):
        validate_gtin("40063X1333931")
    with pytest.raises(BarcodeError, match="has 5 digits"):
        validate_gtin("12345")
    with pytest.raises(BarcodeError, match="wrong check digit"):
        validate_gtin("4006381333932")
