"""POST /sync/push and GET /sync/pull (shapes in shared.wire)."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request

from hq_server.db.session import transaction
from hq_server.devices.auth import CurrentDevice
from hq_server.sync import integrity, service
from hq_server.sync import pull as pulling
from hq_server.sync.errors import SyncRefused
from shared.wire import PullResponse, PushRequest, PushResponse, SyncError

router = APIRouter(prefix="/sync", tags=["sync"])
REFUSALS = {code: {"model": SyncError} for code in (401, 403, 409, 422)}


@router.post("/push", response_model=PushResponse, responses=REFUSALS)
def push(request: Request, body: PushRequest, device: CurrentDevice) -> PushResponse:
    """One transaction for the batch; on an integrity break, a second one for the quarantine.

    The second starts only after the first has rolled back (it releases the device row lock),
    so the quarantine and its exception are kept while the refused batch stores nothing.
    """
    state = request.app.state
    try:
        with transaction(state.session_factory) as session:
            return service.push(session, device, body, clock_skew_limit_ms=state.clock_skew_limit_ms)
    except SyncRefused as refusal:
        if integrity.breaks_integrity(refusal):
            with transaction(state.session_factory) as session:
                integrity.quarantine_for(session, device, refusal)
        raise


@router.get("/pull", response_model=PullResponse, responses=REFUSALS)
async def pull(request: Request, device: CurrentDevice,
               cursor: int = Query(0, ge=0), limit: int = Query(500, ge=1, le=2000),
               wait: float = Query(0, ge=0, le=30)) -> PullResponse:
    state = request.app.state
    return await pulling.pull(state.session_factory, state.change_signal, device,
                              cursor=cursor, limit=limit, wait=wait)
