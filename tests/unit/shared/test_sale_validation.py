"""Sale lines, tenders and tax rows are checked in one expression first; whatever it turns away
is judged by the field-by-field checks, so the same payloads pass and errors name the same field."""

import enum

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.event_checks import EventPayloadError, require_int
from shared.events import SaleLine, SaleTax, Tender


def line_error(line: SaleLine) -> str | None:
    """The rules as written before the one-expression check (the reference)."""
    try:
        require_int("line_no", line.line_no, minimum=1)
        require_int("quantity", line.quantity, minimum=1)
        require_int("unit_price_minor", line.unit_price_minor, minimum=0)
        require_int("line_total_minor", line.line_total_minor)
        require_int("tax_rate_bp", line.tax_rate_bp, minimum=0)
        require_int("tax_minor", line.tax_minor, minimum=0)
        if line.line_total_minor != line.unit_price_minor * line.quantity:
            raise EventPayloadError(f"line {line.line_no}: total is not price x quantity")
    except EventPayloadError as error:
        return str(error)
    return None


class Small(enum.IntEnum):
    ONE = 1


values = st.integers(-3, 5) | st.booleans() | st.none() | st.text(max_size=2) \
    | st.just(Small.ONE) | st.integers(min_value=2**64)


def outcome(check) -> str | None:  # noqa: ANN001
    try:
        check()
    except EventPayloadError as error:
        return str(error)
    return None


@settings(max_examples=500, deadline=None)
@given(values, values, values, values, values, values)
def test_a_line_passes_or_fails_exactly_as_the_field_by_field_rules_say(no, qty, price, total,
                                                                         rate, tax):
    line = SaleLine(no, "p", "SKU", "Milk", qty, price, total, "std", rate, tax)
    assert outcome(line.validate) == line_error(line)


def test_a_line_names_its_first_bad_field():
    with pytest.raises(EventPayloadError, match="quantity must be an integer, got True"):
        SaleLine(1, "p", "SKU", "Milk", True, 100, 100).validate()
    with pytest.raises(EventPayloadError, match="line 2: total is not price x quantity"):
        SaleLine(2, "p", "SKU", "Milk", 2, 100, 100).validate()


def test_a_tender_and_a_tax_row_still_refuse_what_they_refused():
    Tender("cash", 0).validate()
    with pytest.raises(EventPayloadError, match="tender amount must be >= 0"):
        Tender("cash", -1).validate()
    with pytest.raises(EventPayloadError, match="tender kind is required"):
        Tender("", 5).validate()
    SaleTax("std", 2000, 100, 20, 120).validate()
    with pytest.raises(EventPayloadError, match="net \\+ tax is not gross"):
        SaleTax("std", 2000, 100, 20, 121).validate()
    with pytest.raises(EventPayloadError, match="tax rate_bp must be an integer"):
        SaleTax("std", True, 100, 20, 120).validate()
