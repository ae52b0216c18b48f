"""Ids on the ingest path (hq_server.sync.ids): canonical text, checked once per batch."""

import uuid

from hq_server.sync.ids import CanonicalMemo, canonical


def test_canonical_text_is_kept_and_anything_else_is_made_canonical_or_refused():
    value = str(uuid.uuid4())
    assert canonical(value) == value
    assert canonical(value.upper()) == value
    assert canonical("{" + value + "}") == value
    for bad in ("", "not-a-uuid", value[:-1], 12, None, [value], {"id": value}):
        assert canonical(bad) is None


def test_the_memo_answers_as_canonical_does_for_repeats_and_odd_values_alike():
    memo, value = CanonicalMemo(), str(uuid.uuid4())
    for candidate in (value, value, value.upper(), value.upper(), "nope", "nope", [value], None, 7):
        assert memo(candidate) == canonical(candidate)
    assert memo._seen == {value}  # only canonical text is remembered
