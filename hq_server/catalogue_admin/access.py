"""Who may do what to the catalogue: admin and buyer edit it; every signed-in user reads it."""

from __future__ import annotations

from typing import Annotated

from hq_server.auth.deps import require_role
from hq_server.auth.identity import Actor

EDITOR_ROLES = ("admin", "buyer")

Editor = Annotated[Actor, require_role(*EDITOR_ROLES)]
