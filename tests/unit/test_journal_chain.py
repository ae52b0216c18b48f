import pytest

from shared.canonical import CanonicalError, canonical_bytes
from shared.events import EventPayloadError, SaleCompleted, SaleLine, Tender, parse_payload
from shared.journal import GENESIS_HASH, ChainError, seal, verify_chain, verify_link
from shared.merge import on_hand, stock_deltas_for_sale


def make_sale(qty=2, training=False):
    line = SaleLine(1, "p1", "SKU1", "Shampoo", qty, 450, 450 * qty)
    return SaleCompleted(
        sale_id="s1", store_id="store1", receipt_no="S001-0001-000001", cashier="ann",
        currency="EUR", lines=[line], total_minor=450 * qty,
        tenders=[Tender("cash", 1000)], change_minor=1000 - 450 * qty,
        completed_at_ms=1, training=training,
    )


def chain(n, device="dev1"):
    events, prev = [], GENESIS_HASH
    for seq in range(1, n + 1):
        ev = seal(event_id=f"e{seq}", device_id=device, seq=seq, hlc=f"{seq:015d}.000000.t",
                  type="SaleCompleted", schema_version=1, payload=make_sale().to_payload(),
                  prev_hash=prev)
        events.append(ev)
        prev = ev.hash
    return events


def test_canonical_encoding_is_key_order_independent_and_refuses_floats():
    assert canonical_bytes({"b": 1, "a": "é"}) == canonical_bytes({"a": "é", "b": 1})
    assert canonical_bytes({"a": "é"}) == '{"a":"é"}'.encode()
    with pytest.raises(CanonicalError, match="float at .price"):
        canonical_bytes({"price": 1.5})


def test_a_sealed_chain_verifies():
    verify_chain(chain(5), device_id="dev1")


def test_tampering_with_a_payload_breaks_the_hash():
    events = chain(3)
    bad = events[1].__class__(**{**events[1].to_dict(), "payload": {"x": 1}})
    with pytest.raises(ChainError) as err:
        verify_chain([events[0], bad, events[2]], device_id="dev1")
    assert err.value.code == "bad_hash"


def test_a_skipped_seq_reports_the_expected_one():
    events = chain(3)
    with pytest.raises(ChainError) as err:
        verify_chain([events[0], events[2]], device_id="dev1")
    assert err.value.code == "seq_gap" and err.value.expected_seq == 2


def test_an_event_of_another_device_is_refused():
    with pytest.raises(ChainError) as err:
        verify_link(chain(1, "dev2")[0], device_id="dev1", last_seq=0, last_hash=GENESIS_HASH)
    assert err.value.code == "wrong_device"


def test_a_resealed_event_with_a_wrong_prev_hash_breaks_the_chain():
    first = chain(1)[0]
    forged = seal(**{**first.hashed_part(), "seq": 2, "prev_hash": "f" * 64})
    with pytest.raises(ChainError) as err:
        verify_link(forged, device_id="dev1", last_seq=1, last_hash=first.hash)
    assert err.value.code == "broken_chain"


def test_sale_payload_round_trips_and_is_validated():
    sale = make_sale()
    assert parse_payload("SaleCompleted", 1, sale.to_payload()) == sale
    bad = sale.to_payload() | {"total_minor": 1}
    with pytest.raises(EventPayloadError, match="sum of its lines"):
        parse_payload("SaleCompleted", 1, bad)
    with pytest.raises(EventPayloadError, match="schema version 9"):
        parse_payload("SaleCompleted", 9, sale.to_payload())
    with pytest.raises(EventPayloadError, match="unknown event type"):
        parse_payload("Nope", 1, {})


def test_a_negative_quantity_line_is_refused():
    with pytest.raises(EventPayloadError, match="quantity"):
        make_sale(qty=-1).validate()


def test_a_sale_moves_stock_out_once_per_product_and_training_moves_nothing():
    sale = make_sale(qty=3)
    deltas = stock_deltas_for_sale(sale)
    assert [(d.product_id, d.delta) for d in deltas] == [("p1", -3)]
    assert stock_deltas_for_sale(make_sale(training=True)) == []
    assert on_hand([10, -3, 5, -12]) == 0
