"""Merge rule 9, clocks: HQ measures each till's clock against its own and flags one far off."""

import time

from shared.hlc import HybridLogicalClock
from tests.integration.hq.helpers import exceptions, scalar

MINUTE_MS = 60_000


def set_clock(till, offset_ms: int) -> None:  # noqa: ANN001
    till.clock = HybridLogicalClock(till.device_id[-6:],
                                    wall_clock=lambda: time.time_ns() // 1_000_000 + offset_ms)


def offset_of(hq_server, till) -> int | None:  # noqa: ANN001
    return scalar(hq_server.database_url, "SELECT clock_offset_ms FROM devices WHERE id = %s",
                  (till.device_id,))


def test_a_till_with_a_good_clock_is_measured_close_to_zero_and_not_flagged(hq_server, till):
    till.sell((hq_server.seed.products[0], 1))

    assert till.push().status_code == 200

    assert abs(offset_of(hq_server, till)) < 5_000
    assert scalar(hq_server.database_url, "SELECT last_received_at IS NOT NULL FROM devices")
    assert exceptions(hq_server.database_url) == []


def test_a_till_clock_ten_minutes_ahead_is_flagged_once_a_day_but_its_sales_are_kept(hq_server, till):
    set_clock(till, 10 * MINUTE_MS)
    till.sell((hq_server.seed.products[0], 1))
    assert till.push().status_code == 200
    till.sell((hq_server.seed.products[0], 1))
    assert till.push().status_code == 200

    assert abs(offset_of(hq_server, till) - 10 * MINUTE_MS) < 5_000
    assert scalar(hq_server.database_url, "SELECT count(*) FROM sales") == 2
    (kind, key, details, _), = exceptions(hq_server.database_url)
    assert kind == "clock_skew" and key.startswith(f"clock_skew:{till.device_id}:")
    assert abs(details["offset_ms"] - 10 * MINUTE_MS) < 5_000


def test_a_clock_behind_is_flagged_when_two_pushes_in_a_row_say_so(hq_server, till):
    set_clock(till, -10 * MINUTE_MS)
    till.sell((hq_server.seed.products[0], 1))
    assert till.push().status_code == 200
    assert exceptions(hq_server.database_url) == []  # could have been a short backlog

    till.sell((hq_server.seed.products[0], 1))
    assert till.push().status_code == 200

    assert [e[0] for e in exceptions(hq_server.database_url)] == ["clock_skew"]
    assert offset_of(hq_server, till) < -9 * MINUTE_MS


def test_a_backlog_pushed_after_an_outage_is_not_taken_for_a_slow_clock(hq_server, till):
    set_clock(till, -60 * MINUTE_MS)  # events stamped an hour ago, as if queued offline
    for _ in range(8):
        till.sell((hq_server.seed.products[0], 1))

    assert till.push().json()["applied"] == 8

    assert offset_of(hq_server, till) is None
    assert exceptions(hq_server.database_url) == []
