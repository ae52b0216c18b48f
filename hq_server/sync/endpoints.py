"""POST /sync/push and GET /sync/pull (shapes in shared.wire)."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request

from hq_server.deps import DbSession
from hq_server.devices.auth import CurrentDevice
from hq_server.sync import pull as pulling
from hq_server.sync import service
from shared.wire import PullResponse, PushRequest, PushResponse, SyncError

router = APIRouter(prefix="/sync", tags=["sync"])
REFUSALS = {code: {"model": SyncError} for code in (401, 403, 409, 422)}


@router.post("/push", response_model=PushResponse, responses=REFUSALS)
def push(body: PushRequest, device: CurrentDevice, session: DbSession) -> PushResponse:
    return service.push(session, device, body)


@router.get("/pull", response_model=PullResponse, responses=REFUSALS)
async def pull(request: Request, device: CurrentDevice,
               cursor: int = Query(0, ge=0), limit: int = Query(500, ge=1, le=2000),
               wait: float = Query(0, ge=0, le=30)) -> PullResponse:
    state = request.app.state
    return await pulling.pull(state.session_factory, state.change_signal, device,
                              cursor=cursor, limit=limit, wait=wait)
