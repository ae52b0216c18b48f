import uuid

from hypothesis import given
from hypothesis import strategies as st

from shared.hlc import HybridLogicalClock, Timestamp
from shared.ids import uuid7, uuid7_time_ms


def test_uuid7_has_version_7_and_the_rfc_variant():
    u = uuid7()
    assert u.version == 7
    assert u.variant == uuid.RFC_4122


def test_uuid7_ids_from_one_process_strictly_increase_even_within_a_millisecond():
    ids = [uuid7(now_ms=1_700_000_000_000) for _ in range(5000)]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)


def test_uuid7_carries_its_creation_time():
    u = uuid7(now_ms=1_800_000_000_123)
    assert uuid7_time_ms(u) >= 1_800_000_000_123


@given(st.lists(st.one_of(
    st.tuples(st.just("tick"), st.integers(min_value=0, max_value=10**6)),
    st.tuples(st.just("recv"), st.integers(min_value=0, max_value=10**6), st.integers(0, 50)),
), min_size=1, max_size=60))
def test_hlc_never_goes_backwards_whatever_the_wall_clock_and_remote_clocks_do(steps):
    wall = {"now": 0}
    clock = HybridLogicalClock("till-a", wall_clock=lambda: wall["now"])
    last = clock.last
    for step in steps:
        wall["now"] = step[1]  # wall clock jumps back and forth
        if step[0] == "tick":
            ts = clock.now()
        else:
            remote = Timestamp(step[1] + 7, step[2], "hq")
            ts = clock.observe(remote)
            assert (ts.wall_ms, ts.logical) > (remote.wall_ms, remote.logical)
        assert (ts.wall_ms, ts.logical) > (last.wall_ms, last.logical)
        assert ts.encode() > last.encode() or last.wall_ms == 0
        last = ts


def test_hlc_encoding_sorts_like_the_clock_and_round_trips():
    a, b = Timestamp(5, 999, "x"), Timestamp(6, 0, "x")
    assert a.encode() < b.encode()
    assert Timestamp.decode(a.encode()) == a


def test_hlc_restored_from_the_ledger_continues_after_the_last_value():
    clock = HybridLogicalClock("t", wall_clock=lambda: 10)
    clock.restore(Timestamp(1000, 4, "t"))
    assert (clock.now().wall_ms, clock.last.logical) == (1000, 5)
