"""Test-wide setup. Fixtures live in tests/fixtures/ by part: PostgreSQL + HQ, till, store devices."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

pytest_plugins = ["tests.fixtures.pg", "tests.fixtures.hq", "tests.fixtures.till", "tests.fixtures.devices"]
