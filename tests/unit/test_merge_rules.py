"""Merge rules as pure functions (shared.merge)."""

from hypothesis import given
from hypothesis import strategies as st

from shared.merge import (
    LIVE_TAIL_EVENTS,
    clock_offset_ms,
    is_clock_skewed,
    is_oversold,
    on_hand,
    on_hand_after_each,
    oversold_movements,
)

MINUTE = 60_000
deltas = st.lists(st.integers(-50, 50), max_size=30)


@given(st.integers(-100, 100), deltas)
def test_the_level_after_the_last_movement_is_the_opening_plus_the_sum(before, moves):
    levels = on_hand_after_each(before, moves)

    assert len(levels) == len(moves)
    assert (levels[-1] if levels else before) == before + on_hand(moves)


def test_selling_the_last_unit_is_not_an_oversell_but_the_next_one_is():
    assert oversold_movements(1, [-1, -1]) == [1]


def test_every_sale_that_leaves_stock_negative_is_an_oversell():
    assert oversold_movements(0, [-1, -2, 5, -1]) == [0, 1]


def test_stock_coming_in_is_never_an_oversell_even_while_on_hand_stays_negative():
    assert oversold_movements(-10, [3, 2]) == []


@given(st.integers(-100, 100), deltas)
def test_oversells_are_exactly_the_outgoing_movements_that_end_below_zero(before, moves):
    levels = on_hand_after_each(before, moves)

    for i in oversold_movements(before, moves):
        assert moves[i] < 0 and is_oversold(levels[i])
    assert len(oversold_movements(before, moves)) == sum(
        1 for d, level in zip(moves, levels, strict=True) if d < 0 and level < 0)


def test_the_clock_offset_comes_from_the_newest_event_of_a_live_push():
    assert clock_offset_ms([1_000, 9_000, 5_000], received_ms=10_000) == -1_000


def test_a_backlog_or_an_empty_push_says_nothing_about_the_clock():
    assert clock_offset_ms([], received_ms=10_000) is None
    assert clock_offset_ms(list(range(LIVE_TAIL_EVENTS + 1)), received_ms=10_000) is None


def test_a_clock_ahead_of_hq_beyond_the_limit_is_flagged_at_once():
    assert is_clock_skewed(6 * MINUTE, 5 * MINUTE)
    assert not is_clock_skewed(4 * MINUTE, 5 * MINUTE)
    assert not is_clock_skewed(None, 5 * MINUTE)


def test_a_clock_behind_hq_is_flagged_only_when_two_measurements_in_a_row_agree():
    assert not is_clock_skewed(-6 * MINUTE, 5 * MINUTE)
    assert not is_clock_skewed(-6 * MINUTE, 5 * MINUTE, previous_offset_ms=-1_000)
    assert is_clock_skewed(-6 * MINUTE, 5 * MINUTE, previous_offset_ms=-7 * MINUTE)


def test_returns_within_what_was_sold_are_not_over_refunds():
    from shared.merge import over_refunds

    assert over_refunds({1: 3, 2: 1}, {1: 1}, {1: 2, 2: 1}) == []


def test_a_return_beyond_what_remains_refundable_names_the_line_and_the_excess():
    from shared.merge import over_refunds

    (over,) = over_refunds({1: 2, 2: 1}, {1: 2}, {1: 1, 2: 1})
    assert (over.line_no, over.sold, over.returned_before, over.returning, over.excess) == (1, 2, 2, 1, 1)
    (unknown,) = over_refunds({1: 2}, {}, {5: 1})  # a line the sale never had
    assert unknown.excess == 1
