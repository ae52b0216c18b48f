"""The canonical encoder HQ hashes with writes exactly the bytes json.dumps wrote: every hash a
till ever made (with the old encoder) still verifies, and till and HQ keep agreeing."""

import hashlib
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hq_server import fast_canonical
from shared import canonical
from shared.canonical import CanonicalError, canonical_bytes
from shared.events import SaleCompleted, SaleLine, Tender
from shared.journal import GENESIS_HASH, ChainError, JournalEvent, verify_hash


@pytest.fixture(autouse=True, params=["standard", "orjson"])
def encoder(request):
    """Every test twice: with shared/'s own encoder, and with the one HQ installs."""
    canonical.install_fast_encoder(fast_canonical.encode if request.param == "orjson" else None)
    yield request.param
    canonical.install_fast_encoder(None)


def reference(value) -> bytes:  # the definition: what every till and HQ used before
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


texts = st.text(st.characters(codec="utf-8"))  # any code point but lone surrogates
scalars = st.none() | st.booleans() | st.integers() | st.integers(min_value=2**63) \
    | st.integers(max_value=-(2**63)) | texts
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=6) | st.dictionaries(texts, inner, max_size=6)
    | st.tuples(inner, inner),
    max_leaves=40)


@settings(max_examples=600, deadline=None)
@given(json_values)
def test_the_bytes_are_those_of_json_dumps_for_any_json_value(value):
    assert canonical_bytes(value) == reference(value)
    assert canonical_bytes(value, plain=True) == reference(value)


@settings(deadline=None)
@given(st.dictionaries(texts, scalars, min_size=2, max_size=8))
def test_key_order_of_the_input_does_not_change_the_bytes(mapping):
    backwards = dict(reversed(list(mapping.items())))
    assert canonical_bytes(backwards) == canonical_bytes(mapping) == reference(mapping)


def test_control_characters_quotes_and_non_ascii_are_written_as_json_dumps_writes_them():
    value = {"é": "a\x00b\x1f\x7f\u2028\"\\/😀\n\t\r\b\f", "Z": [True, False, None, -0, 10**30]}
    assert canonical_bytes(value) == reference(value)
    assert canonical_bytes(value).startswith(b'{"Z":[true,false,null,0,1000000000000000000000000000000]')


def test_floats_and_odd_types_are_still_refused_by_name():
    with pytest.raises(CanonicalError, match=r"float at \.lines\[1\]"):
        canonical_bytes({"lines": [1, 2.5]})
    with pytest.raises(CanonicalError, match="non-string key 1"):
        canonical_bytes({1: "a"})
    with pytest.raises(CanonicalError, match="unsupported set"):
        canonical_bytes({"a": {1}})


def test_a_lone_surrogate_is_refused_as_before():
    with pytest.raises(UnicodeEncodeError):
        canonical_bytes({"name": "\ud800"})


sale_lines = st.builds(
    lambda no, qty, price, name: SaleLine(no, "0190a0b2-0000-7000-8000-000000000001", "SKU-1",
                                          name, qty, price, qty * price),
    st.integers(1, 99), st.integers(1, 10**6), st.integers(0, 10**9), texts)


@settings(max_examples=200, deadline=None)
@given(st.lists(sale_lines, min_size=1, max_size=6), texts, st.integers(0, 2**62))
def test_a_hash_sealed_with_the_old_encoder_verifies_with_this_one(lines, cashier, completed_at):
    """Old tills' events: hashed with json.dumps, checked at HQ with canonical_bytes."""
    total = sum(line.line_total_minor for line in lines)
    sale = SaleCompleted(sale_id="s", store_id="st", receipt_no="R1", cashier=cashier,
                         currency="EUR", lines=lines, total_minor=total,
                         tenders=[Tender("card", total)], change_minor=0,
                         completed_at_ms=completed_at)
    draft = JournalEvent("e1", "d1", 1, "0000000000001-0000-abc", SaleCompleted.TYPE, 2,
                         sale.to_payload(), GENESIS_HASH)
    old_hash = hashlib.sha256(reference(draft.hashed_part())).hexdigest()
    event = JournalEvent(**{**draft.hashed_part(), "hash": old_hash})
    verify_hash(event)
    verify_hash(event, plain=True)
    assert event.compute_hash() == old_hash


def test_a_tampered_payload_still_fails_its_hash():
    draft = JournalEvent("e1", "d1", 1, "h", "SaleCompleted", 2, {"total_minor": 100}, GENESIS_HASH)
    sealed = JournalEvent(**{**draft.hashed_part(), "hash": draft.compute_hash()})
    tampered = JournalEvent(**{**sealed.hashed_part(), "payload": {"total_minor": 101},
                               "hash": sealed.hash})
    with pytest.raises(ChainError, match="hash does not match"):
        verify_hash(tampered, plain=True)
