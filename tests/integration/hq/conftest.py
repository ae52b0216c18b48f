import pytest

from tests.integration.hq.helpers import ScriptedTill


@pytest.fixture
def till(hq_server, enrolment_code) -> ScriptedTill:
    """A till enrolled into S001 of the running HQ."""
    return ScriptedTill(hq_server.url, enrolment_code)
