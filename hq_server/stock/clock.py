"""HQ's own hybrid logical clock, stamping the movements HQ makes (adjustments, transfers, counts).

One per worker process, made on first use (not at import, and not inherited across a fork);
the node name keeps two workers' equal stamps distinct. Counts compare these stamps with tills'
(merge rule 3).
"""

from __future__ import annotations

import os

from shared.hlc import HybridLogicalClock

_clocks: dict[int, HybridLogicalClock] = {}


def hq_now() -> str:
    """A fresh HQ hlc, encoded as movements and counts store it."""
    pid = os.getpid()
    clock = _clocks.get(pid) or _clocks.setdefault(pid, HybridLogicalClock(f"hq-{pid}"))
    return clock.now().encode()
