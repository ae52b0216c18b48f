"""How many pushes one HQ process applies at once (hq_server.sync.endpoints)."""

import pytest

from hq_server.sync.endpoints import PUSH_THREADS_ENV, push_threads


def test_the_number_of_pushes_applied_at_once_is_four_or_what_it_is_set_to(monkeypatch):
    monkeypatch.delenv(PUSH_THREADS_ENV, raising=False)
    assert push_threads() == 4
    monkeypatch.setenv(PUSH_THREADS_ENV, " 12 ")
    assert push_threads() == 12
    for bad in ("0", "-3", "many", "1.5", "999"):
        monkeypatch.setenv(PUSH_THREADS_ENV, bad)
        with pytest.raises(RuntimeError, match=f"HQ_PUSH_THREADS must be a number of threads from 1 to 256, not '{bad}'"):
            push_threads()
