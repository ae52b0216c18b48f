from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.barcodes import gtin_check_digit, is_valid_gtin
from shared.gs1 import GS, Gs1Error, expand_upce, normalise, parse_element_string

TODAY = date(2025, 6, 1)


def with_check(body: str) -> str:
    return body + str(gtin_check_digit(body))


@pytest.mark.parametrize(("upce", "upca"), [
    ("04252614", "042100005264"),  # last digit 0-2: manufacturer keeps it
    ("01234565", "012345000065"),  # 5-9: item digit at the end
    ("01234531", "012300000451"),  # 3
    ("01234543", "012340000053"),  # 4
    ("425261", "042100005264"),    # six digits: number system 0, check computed
])
def test_upce_expands_to_upca_per_gs1_rules(upce, upca):
    assert expand_upce(upce) == upca


def test_upce_with_a_wrong_check_digit_or_number_system_is_refused():
    with pytest.raises(Gs1Error, match="wrong check digit"):
        expand_upce("04252615")
    with pytest.raises(Gs1Error, match="number system 2"):
        expand_upce("24252614")


@pytest.mark.parametrize(("raw", "symbology", "gtin"), [
    ("4006381333931", "ean13", "04006381333931"),
    ("036000291452", "upca", "00036000291452"),
    ("96385074", "ean8", "00000096385074"),
    ("10012345678902", "gtin14", "10012345678902"),
    ("]E004252614", "upce", "00042100005264"),
    ("]E496385074", "ean8", "00000096385074"),
    ("04252614", "upce", "00042100005264"),  # not a valid EAN-8, valid UPC-E
    ("4006381333931\r\n", "ean13", "04006381333931"),
])
def test_linear_codes_normalise_to_a_14_digit_gtin(raw, symbology, gtin):
    code = normalise(raw)
    assert (code.symbology, code.gtin) == (symbology, gtin)


def test_gs1_128_with_fnc1_separators_yields_gtin_batch_expiry_and_weight():
    code = normalise(f"]C1010950110153000310AB-12{GS}17251231" "3102001250", today=TODAY)
    assert code.symbology == "gs1-128"
    assert code.gtin == "09501101530003"
    assert code.gs1.batch == "AB-12"
    assert code.gs1.expiry == date(2025, 12, 31)
    assert code.gs1.net_weight_g == 12500  # 12.50 kg


@pytest.mark.parametrize("prefix", ["]d2", "]Q3", "]C1" + GS])
def test_datamatrix_and_qr_identifiers_parse_the_same_element_string(prefix):
    code = normalise(f"{prefix}010950110153000317260200{GS}10LOT7", today=TODAY)
    assert code.gtin == "09501101530003"
    assert code.gs1.expiry == date(2026, 2, 28)  # day 00: last day of the month
    assert code.gs1.batch == "LOT7"


def test_bracketed_human_readable_form_parses():
    data = parse_element_string("(01)09501101530003(3102)000450(10)X1", today=TODAY)
    assert (data.gtin, data.net_weight_g, data.batch) == ("09501101530003", 4500, "X1")


def test_expiry_years_follow_the_gs1_century_window():
    assert parse_element_string("17991231", today=TODAY).expiry == date(1999, 12, 31)
    assert parse_element_string("17740101", today=TODAY).expiry == date(2074, 1, 1)


@pytest.mark.parametrize(("raw", "message"), [
    ("", "empty"),
    ("4006381333932", "wrong check digit"),
    ("12345", "has 5 digits"),
    ("40063X1333931", "characters other than digits"),
    ("]A0HELLO", "not a GTIN or GS1"),
    ("]C10109501101530004", "wrong check digit"),
    ("]C1010950110153", "needs 14 characters"),
    ("]C10109501101530003171313" "01", "month 13"),
    ("]C10109501101530003172502" "30", "day 30 does not exist"),
    ("]C10109501101530004" "10X", "wrong check digit"),
    ("]C19901", "unsupported or malformed AI"),
    ("]C10109501101530003" + "10" + "X" * 21, "1–20 printable"),
    ("(01)09501101530003(99)X", "unsupported AI"),
    ("]C1" + "0109501101530003" * 2, "appears twice"),
])
def test_malformed_input_gets_a_clear_error(raw, message):
    with pytest.raises(Gs1Error, match=message):
        normalise(raw, today=TODAY)


@given(st.text(alphabet="0123456789", min_size=11, max_size=11))
def test_any_upca_body_round_trips(body):
    upca = with_check(body)
    assert normalise(upca).gtin == upca.zfill(14)


@given(st.sampled_from("01"), st.text(alphabet="0123456789", min_size=6, max_size=6))
def test_every_upce_expands_to_a_valid_upca_with_the_same_number_system(ns, digits):
    upca = expand_upce(ns + digits)
    assert is_valid_gtin(upca) and upca[0] == ns
    assert expand_upce(ns + digits + upca[-1]) == upca


@given(
    gtin_body=st.text(alphabet="0123456789", min_size=13, max_size=13),
    batch=st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=122), min_size=1,
                  max_size=20),
    expiry=st.dates(min_value=date(1976, 1, 1), max_value=date(2074, 12, 31)),
    weight=st.integers(min_value=0, max_value=999999),
)
def test_built_element_strings_parse_back(gtin_body, batch, expiry, weight):
    gtin = with_check(gtin_body)
    text = f"]C101{gtin}10{batch}{GS}17{expiry:%y%m%d}3102{weight:06d}"
    data = normalise(text, today=TODAY).gs1
    assert (data.gtin, data.batch, data.expiry, data.net_weight_g) == (gtin, batch, expiry, weight * 10)


@given(st.text(max_size=40))
def test_arbitrary_text_either_normalises_or_raises_gs1error(text):
    try:
        normalise(text, today=TODAY)
    except Gs1Error:
        pass
