"""`make demo` without a display: HQ, the seeded chain, an enrolled till, a sale, a clean stop."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from hq_server.db.embedded import free_port

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def demo_dir():
    folder = Path(tempfile.mkdtemp(prefix="tillhq-demo-"))
    os.chmod(folder, 0o755)  # PostgreSQL runs as `postgres` when we are root
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.timeout(240)
def test_the_demo_sells_on_an_offscreen_till_and_hq_sees_it_then_stops_cleanly(demo_dir):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "DATABASE_URL")}
    env |= {"DEMO_DIR": str(demo_dir), "DEMO_PORT": str(free_port("127.0.0.1")),
            "DEMO_EXIT_AFTER_SALE": "1"}
    done = subprocess.run([sys.executable, "-m", "tools.demo"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=220)
    out = done.stdout
    assert done.returncode == 0, out + done.stderr
    assert "seeding the demo chain" in out
    assert "pushed to HQ" in out and "Receipt: S001-" in out
    on_hand = [line for line in out.splitlines() if "HQ on-hand at S001" in line]
    assert on_hand, out
    for line in on_hand:  # "... : 17 -> 15"
        before, after = (int(x) for x in line.rsplit(":", 1)[1].split("->"))
        assert after < before
    assert "stopped cleanly" in out
    assert not (demo_dir / "hq" / "pg" / "data" / "postmaster.pid").exists()
