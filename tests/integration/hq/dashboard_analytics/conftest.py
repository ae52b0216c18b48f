"""The reports package's week of sales (tests.integration.hq.reports.conftest), an HQ of its own."""

from tests.integration.hq.reports.conftest import shop  # noqa: F401
