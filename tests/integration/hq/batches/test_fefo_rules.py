"""The allocation rules as pure functions (hq_server.batches.fefo): no database needed."""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, date, datetime

from hq_server.batches.fefo import Lot, Move, Plan, Shelf, allocate

P, S1, S2 = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
NOW = datetime(2026, 1, 1, tzinfo=UTC)
_ids = itertools.count(1)


def lot(code: str, expires: date, quantity: int) -> Lot:
    return Lot(uuid.uuid4(), code, expires, NOW, quantity)


def move(delta: int, reason: str, store: uuid.UUID = S1, event: uuid.UUID | None = None,
         reference: str | None = None) -> Move:
    return Move(next(_ids), P, store, delta, reason, event, reference)


def state(shelf: Shelf) -> tuple[list[tuple[str, int]], int]:
    return sorted((lot.code, lot.quantity) for lot in shelf.lots.values()), shelf.unbatched


def test_each_movement_is_split_into_parts_that_add_up_to_its_delta():
    a, b = lot("A", date(2026, 2, 1), 3), lot("B", date(2026, 1, 15), 2)
    shelf = Shelf({"A": a, "B": b}, unbatched=1)
    moves = [move(-4, "sale"), move(-3, "sale"), move(2, "return")]

    parts = allocate(moves, Plan({(P, S1): shelf}), NOW, uuid.uuid4)

    assert parts[moves[0].id] == [(b.id, -2), (a.id, -2)]  # B expires first
    assert parts[moves[1].id] == [(a.id, -1), (None, -2)]  # then unbatched, below zero
    assert parts[moves[2].id] == [(None, 2)]  # a return is of no known batch
    assert all(sum(q for _, q in parts[m.id]) == m.delta for m in moves)
    assert state(shelf) == ([("A", 0), ("B", 0)], 1)


def test_a_count_settles_a_negative_remainder_against_the_batches():
    shelf = Shelf({"C": lot("C", date(2026, 3, 1), 10)}, unbatched=-7)
    count = move(0, "count")

    parts = allocate([count], Plan({(P, S1): shelf}), NOW, uuid.uuid4)

    assert state(shelf) == ([("C", 3)], 0)
    assert sum(q for _, q in parts[count.id]) == 0


def test_a_sale_absorbed_by_a_count_gives_back_exactly_what_it_took():
    a, b = lot("A", date(2026, 1, 10), 1), lot("B", date(2026, 5, 1), 5)
    shelf, event = Shelf({"A": a, "B": b}), uuid.uuid4()
    sale, twin = move(-3, "sale", event=event), move(3, "count_absorbed", event=event)

    allocate([sale, twin], Plan({(P, S1): shelf}), NOW, uuid.uuid4)

    assert state(shelf) == ([("A", 1), ("B", 5)], 0)


def test_a_transfer_arrives_in_the_batches_it_left_and_extra_units_are_unbatched():
    source = Shelf({"A": lot("A", date(2026, 1, 10), 2), "B": lot("B", date(2026, 6, 1), 9)})
    plan = Plan({(P, S1): source})
    out, arrive = move(-5, "transfer_out", reference="T-1"), move(6, "transfer_in", S2, reference="T-1")

    allocate([out, arrive], plan, NOW, uuid.uuid4)

    assert state(source) == ([("A", 0), ("B", 6)], 0)
    destination = plan.shelves[(P, S2)]
    assert state(destination) == ([("A", 2), ("B", 3)], 1)
    assert destination.lots["A"].expires_on == date(2026, 1, 10)


def test_a_receipt_into_a_known_code_with_another_expiry_stays_unbatched():
    shelf = Shelf({"A": lot("A", date(2026, 1, 10), 2)})
    receipt = move(4, "receipt")

    allocate([receipt], Plan({(P, S1): shelf}, labels={receipt.id: ("A", date(2027, 1, 1))}), NOW, uuid.uuid4)

    assert state(shelf) == ([("A", 2)], 4)
