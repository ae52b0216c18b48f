"""Reading a payload without the frozen dataclass constructor (shared.event_checks._maker) gives
what the constructor gives: the same typed event, or the same refusal in the same words."""

from __future__ import annotations

import typing
from dataclasses import MISSING, fields
from typing import Any
from unittest.mock import patch

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared import event_checks
from shared.event_checks import EventPayloadError
from shared.events import EVENT_TYPES, parse_payload

ODD_VALUES = [None, "", "x", 0, 1, -1, True, 1.5, [], {}, [{}], [1], {"a": 1}, "[]"]


def skeleton(cls: type) -> dict[str, Any]:
    """A payload with every field of `cls`, each holding a value of its declared type."""
    hints = typing.get_type_hints(cls)
    nested = getattr(cls, "NESTED", {})
    payload: dict[str, Any] = {}
    for f in fields(cls):
        kind = hints[f.name]
        if f.name in nested:
            payload[f.name] = [skeleton(nested[f.name])]
        elif kind is bool:
            payload[f.name] = False
        elif kind is int:
            payload[f.name] = 1
        elif kind is str:
            payload[f.name] = "x"
        elif typing.get_origin(kind) is dict:
            payload[f.name] = {}
        elif typing.get_origin(kind) is list:
            payload[f.name] = []
        else:
            payload[f.name] = None
    return payload


def outcome(read) -> str:  # noqa: ANN001
    try:
        event = read()
    except EventPayloadError as error:
        return f"refused: {error}"
    nested = {name: [type(item) for item in getattr(event, name)]
              for name in getattr(type(event), "NESTED", {})}
    return f"{type(event).__name__} {event!r} {nested}"


def constructor_only(payload: Any) -> Any:
    raise event_checks._NotPlain  # every payload then goes through the dataclass constructor


def same_outcome(type_name: str, payload: Any) -> str:
    """What parse_payload says of `payload` (never an exception other than a refusal in words),
    checked against the constructor's reading."""
    version = EVENT_TYPES[type_name].SCHEMA_VERSION
    fast = outcome(lambda: parse_payload(type_name, version, payload))
    with patch.object(event_checks, "_maker", lambda cls: constructor_only):
        assert fast == outcome(lambda: parse_payload(type_name, version, payload))
    return fast


@pytest.mark.parametrize("type_name", sorted(EVENT_TYPES))
def test_every_event_type_reads_a_full_payload_and_one_with_only_its_required_fields(type_name):
    cls = EVENT_TYPES[type_name]
    full = skeleton(cls)
    required = {f.name: full[f.name] for f in fields(cls)
                if f.default is MISSING and f.default_factory is MISSING}
    for payload in (full, required):
        same_outcome(type_name, payload)


def test_a_real_sale_reads_typed_lines_tenders_and_taxes():
    from shared.events import SaleCompleted, SaleLine, SaleTax, Tender
    payload = {"sale_id": "s", "store_id": "st", "receipt_no": "1", "cashier": "c", "currency": "GBP",
               "lines": [{"line_no": 1, "product_id": "p", "sku": "K", "name": "n", "quantity": 2,
                          "unit_price_minor": 150, "line_total_minor": 300, "tax_class": "std",
                          "tax_rate_bp": 2000, "tax_minor": 50}],
               "total_minor": 300, "tenders": [{"kind": "cash", "amount_minor": 500}],
               "change_minor": 200, "completed_at_ms": 1, "taxes": [
                   {"tax_class": "std", "rate_bp": 2000, "net_minor": 250, "tax_minor": 50,
                    "gross_minor": 300}]}
    sale = parse_payload("SaleCompleted", 2, payload)
    assert sale == SaleCompleted(**{**payload, "lines": [SaleLine(**payload["lines"][0])],
                                    "tenders": [Tender("cash", 500)],
                                    "taxes": [SaleTax(**payload["taxes"][0])]})
    assert (type(sale.lines[0]), type(sale.tenders[0]), type(sale.taxes[0])) == (SaleLine, Tender, SaleTax)
    assert event_checks._maker(SaleCompleted)(payload) == sale  # read without the constructor
    assert sale.line_overrides == [] and sale.extra == {} and sale.line_overrides is not payload.get("line_overrides")
    with pytest.raises(AttributeError):
        sale.lines[0].quantity = 3  # still frozen


@settings(max_examples=400, deadline=None)
@given(type_name=st.sampled_from(sorted(EVENT_TYPES)), data=st.data())
def test_a_damaged_payload_is_read_or_refused_exactly_as_the_constructor_does(type_name, data):
    cls = EVENT_TYPES[type_name]
    payload = skeleton(cls)
    nested = getattr(cls, "NESTED", {})
    for _ in range(data.draw(st.integers(1, 3))):
        target = payload
        if nested and data.draw(st.booleans()):
            name = data.draw(st.sampled_from(sorted(nested)))
            if isinstance(payload.get(name), list) and payload[name] and isinstance(payload[name][0], dict):
                target = payload[name][0]
        action = data.draw(st.sampled_from(["drop", "add", "replace"]))
        keys = sorted(target)
        if action == "drop" and keys:
            del target[data.draw(st.sampled_from(keys))]
        elif action == "add":
            target[data.draw(st.sampled_from(["zz", "lines", "extra", "o", "d"]))] = data.draw(
                st.sampled_from(ODD_VALUES))
        elif keys:
            target[data.draw(st.sampled_from(keys))] = data.draw(st.sampled_from(ODD_VALUES))
    same_outcome(type_name, payload)


@pytest.mark.parametrize("payload", [[], [1, 2], "text", None, 7])
def test_a_payload_that_is_not_an_object_is_refused_in_words(payload):
    said = same_outcome("SaleCompleted", payload)
    assert said.startswith("refused: malformed SaleCompleted payload")
