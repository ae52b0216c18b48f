"""Merge rules 3 (a count absorbs what came before it) and 7 (transfers are two facts)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from shared.merge import (
    Movement,
    count_posting,
    count_variance,
    in_transit,
    is_absorbed_by_count,
    on_hand_after_count,
    transfer_variance,
)


def hlc(wall: int, logical: int = 0, node: str = "till") -> str:
    return f"{wall:015d}.{logical:06d}.{node}"


COUNT_HLC = hlc(1_700_000_000_500, node="hq")


movements = st.lists(st.builds(Movement, st.integers(-50, 50),
                               st.builds(hlc, st.integers(1_700_000_000_000, 1_700_000_001_000),
                                         st.integers(0, 3), st.sampled_from(["a", "b", "hq"]))),
                     max_size=30)


def test_a_sale_made_before_the_count_changes_the_variance_not_the_stock():
    sale_before = Movement(-2, hlc(1_700_000_000_400))
    sale_after = Movement(-1, hlc(1_700_000_000_600))

    outcome = on_hand_after_count(8, COUNT_HLC, [sale_before, sale_after], opening=10)

    assert outcome.on_hand == 7  # counted 8, then one sold after the count
    assert outcome.book == 8 and outcome.variance == 0  # the 2 "missing" were the offline sale


def test_a_movement_without_an_hlc_is_older_than_any_count_and_none_is_absorbed_without_one():
    assert is_absorbed_by_count(COUNT_HLC, None)
    assert is_absorbed_by_count(COUNT_HLC, COUNT_HLC)
    assert not is_absorbed_by_count(COUNT_HLC, hlc(1_700_000_000_500, 1))
    assert not is_absorbed_by_count(None, hlc(1))


def _hq_bookkeeping(opening: int, counted: int, arrivals: list[Movement], post_at: int) -> tuple[int, int]:
    """What HQ does incrementally: movements arrive one by one; the count is posted after
    `post_at` of them; later ones stamped before the count are absorbed. -> (on_hand, variance)."""
    on_hand, held, book, absorbed = opening, [], None, 0
    for i, move in enumerate(arrivals + [None]):
        if i == post_at:
            ahead = sum(m.delta for m in held if not is_absorbed_by_count(COUNT_HLC, m.hlc))
            delta, book = count_posting(on_hand, counted, ahead)
            on_hand += delta
        if move is None:
            break
        held.append(move)
        if book is not None and is_absorbed_by_count(COUNT_HLC, move.hlc):
            absorbed += move.delta
        else:
            on_hand += move.delta
    return on_hand, count_variance(counted, book, absorbed)


@given(movements, st.integers(0, 100), st.integers(0, 100), st.randoms(use_true_random=False), st.data())
def test_delivery_order_and_posting_moment_never_change_stock_or_variance(moves, opening, counted,
                                                                           rng, data):
    expected = on_hand_after_count(counted, COUNT_HLC, moves, opening=opening)
    arrivals = list(moves)
    rng.shuffle(arrivals)
    post_at = data.draw(st.integers(0, len(arrivals)))

    assert _hq_bookkeeping(opening, counted, arrivals, post_at) == (expected.on_hand, expected.variance)


@given(movements, st.integers(0, 100))
def test_on_hand_is_counted_plus_what_came_after(moves, counted):
    outcome = on_hand_after_count(counted, COUNT_HLC, moves)
    after = [m.delta for m in moves if m.hlc > COUNT_HLC]
    assert outcome.on_hand == counted + sum(after)
    assert outcome.variance == counted - outcome.book


quantities = st.dictionaries(st.sampled_from(["p1", "p2", "p3", "p4"]), st.integers(1, 40), min_size=1)


def test_a_short_delivery_is_a_negative_variance_on_that_line_only():
    assert transfer_variance({"p1": 5, "p2": 3}, {"p1": 4, "p2": 3}) == {"p1": -1}


def test_stock_is_in_transit_between_ship_and_receive_and_not_after():
    assert in_transit({"p1": 5}, None) == {"p1": 5}
    assert in_transit({"p1": 5}, {"p1": 4}) == {}


@given(quantities, quantities, st.integers(0, 30), st.randoms(use_true_random=False))
def test_transfer_conserves_units_whatever_order_its_facts_are_applied(shipped, received, source_start,
                                                                        rng):
    facts = [("ship", shipped), ("receive", received)]
    rng.shuffle(facts)  # the receiving store's movement may be applied before the shipping one
    source: dict[str, int] = {}
    destination: dict[str, int] = {}
    for kind, lines in facts:
        target, sign = (source, -1) if kind == "ship" else (destination, 1)
        for product, quantity in lines.items():
            target[product] = target.get(product, 0) + sign * quantity
    variance = transfer_variance(shipped, received)
    for product in set(shipped) | set(received):
        left, arrived = source.get(product, 0), destination.get(product, 0)
        assert left == -shipped.get(product, 0) and arrived == received.get(product, 0)
        assert left + arrived == variance.get(product, 0)  # units are conserved, or explained
