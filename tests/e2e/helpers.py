"""Small helpers for end-to-end tests: a real till enrolled at a real HQ."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import requests

from till.bootstrap import Till, build_till
from till.sync import enrol


def enrolled_till(data_dir: Path, hq_url: str, code: str, printer_spec: str = "none") -> Till:
    enrol(data_dir, hq_url, code, device_name="e2e till")
    till = build_till(data_dir, printer_spec, cashier="Ana", long_poll_wait=2.0)
    assert till.agent is not None
    status = till.agent.sync_once()
    assert status["online"], status
    return till


def admin_headers(hq_url: str) -> dict[str, str]:
    """Signed in as the seeded admin (HQ's stock API answers only signed-in users)."""
    answer = requests.post(f"{hq_url}/api/v1/auth/login", timeout=10,
                           json={"email": "admin@example.com", "password": "tillhq-admin"})
    answer.raise_for_status()
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def hq_on_hand(hq_url: str, store: str) -> dict[str, int]:
    rows = requests.get(f"{hq_url}/api/v1/stock", params={"store": store, "limit": 1000}, timeout=5,
                        headers=admin_headers(hq_url))
    rows.raise_for_status()
    return {row["sku"]: row["on_hand"] for row in rows.json()}


def wait_until(condition: Callable[[], bool], timeout: float = 10.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.02)
