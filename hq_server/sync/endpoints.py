"""POST /sync/push, GET /sync/pull and POST /sync/credential (shapes in shared.wire).

Every sync request carries the till's version (refused with 426 below HQ's minimum:
sync.versions) and its backlog (stored on the device row). An answer to a till that a person
asked to rotate its credential carries shared.wire.ROTATE_HEADER.
"""

from __future__ import annotations

import functools
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import ValidationError

from hq_server.db.session import transaction
from hq_server.devices.auth import CurrentDevice, bearer_token, refused, report_of
from hq_server.devices.service import (
    DeviceIdentity,
    DeviceRefused,
    TillReport,
    authenticate_for_push,
    rotate_credential,
)
from hq_server.one_hop import in_one_hop
from hq_server.sync import integrity, service
from hq_server.sync import pull as pulling
from hq_server.sync.errors import SyncRefused
from hq_server.sync.versions import require_supported_till
from shared.wire import (
    ROTATE_HEADER,
    CredentialRotated,
    PullResponse,
    PushRequest,
    PushResponse,
    SyncError,
)

router = APIRouter(prefix="/sync", tags=["sync"], dependencies=[Depends(require_supported_till)])
REFUSALS = {code: {"model": SyncError} for code in (401, 403, 409, 422, 426)}
PUSH_BODY = {"requestBody": {"required": True, "content": {"application/json": {
    "schema": PushRequest.model_json_schema()}}}}  # self-contained: its $defs travel with it


# Pushes applied at once in one HQ process; more wait their turn. On two cores, more at once
# only queued on the GIL and the stock row locks: with 20 tills pushing, 4 a process gave the
# same events/s or more than 32 and a p99 push of 0.7-1.0 s instead of 1.3-1.7 s.
PUSH_THREADS_ENV = "HQ_PUSH_THREADS"


def push_threads() -> int:
    """4, or what HQ_PUSH_THREADS says (for a bigger machine); refused in words at startup."""
    text = os.environ.get(PUSH_THREADS_ENV, "").strip() or "4"
    if not text.isdigit() or not 1 <= int(text) <= 256:
        raise RuntimeError(f"{PUSH_THREADS_ENV} must be a number of threads from 1 to 256, not {text!r}")
    return int(text)


PUSH_THREADS = push_threads()


@functools.cache
def _pushers() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(PUSH_THREADS, thread_name_prefix="push")


@router.post("/push", response_model=PushResponse, responses=REFUSALS, openapi_extra=PUSH_BODY)
async def push(request: Request) -> Response:
    """One transaction for authentication and the batch; on an integrity break, a second one
    for the quarantine.

    The body is parsed once (shared.wire.PushRequest.from_body: any float is refused while
    parsing, so the hash check need not walk each payload again). The second transaction
    starts only after the first has rolled back (it releases the device row lock), so the
    quarantine and its exception are kept while the refused batch stores nothing.
    """
    # The headers are read on the event loop; parsing, authentication, the batch and the commit
    # run in one worker-thread hop, and the answer is written here (as a sync endpoint it cost a
    # second hop for FastAPI to check its own return value against the response model).
    token, report = bearer_token(request), report_of(request)  # 401 before the body is read
    body = await request.body()
    answer, device = await in_one_hop(_push, request.app.state, body, token, report, pool=_pushers())
    response = Response(answer.model_dump_json(), media_type="application/json")
    _ask_to_rotate(response, device)
    return response


def _push(state: Any, body: bytes, token: str,
          report: TillReport) -> tuple[PushResponse, DeviceIdentity | None]:
    """`push` in the worker thread: the parsed batch's answer, and the device it came from."""
    batch = _parse(body)
    device: DeviceIdentity | None = None
    try:
        with transaction(state.session_factory) as session:
            row = authenticate_for_push(session, token)
            device = row.identity
            answer = service.push(session, row, batch, report=report,
                                  clock_skew_limit_ms=state.clock_skew_limit_ms)
    except DeviceRefused as refusal:
        raise refused(refusal) from None
    except SyncRefused as refusal:
        if device is not None and integrity.breaks_integrity(refusal):
            with transaction(state.session_factory) as session:
                integrity.quarantine_for(session, device, refusal)
        raise
    return answer, device


@router.get("/pull", response_model=PullResponse, responses=REFUSALS)
async def pull(request: Request, response: Response, device: CurrentDevice,
               cursor: int = Query(0, ge=0, le=2**63 - 1), limit: int = Query(500, ge=1, le=2000),
               wait: float = Query(0, ge=0, le=30)) -> PullResponse:
    state = request.app.state
    _ask_to_rotate(response, device)
    return await pulling.pull(state.session_factory, state.change_signal, device,
                              cursor=cursor, limit=limit, wait=wait)


@router.post("/credential", response_model=CredentialRotated, responses=REFUSALS)
def rotate(request: Request, device: CurrentDevice) -> CredentialRotated:
    """A new token for the calling till; the one it called with works until the new one is used."""
    with transaction(request.app.state.session_factory) as session:
        token = rotate_credential(session, device)
    return CredentialRotated(device_id=str(device.id), token=token)


@router.post("/credential/confirm", status_code=204, responses=REFUSALS)
def confirm_credential(device: CurrentDevice) -> Response:
    """Called with the new token: authenticating with it made it the only one that works."""
    return Response(status_code=204)


def _parse(body: bytes) -> PushRequest:
    try:
        return PushRequest.from_body(body)
    except ValidationError as error:  # a ValueError too: caught first
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise SyncRefused(422, "bad_payload", f"malformed push request at {where or 'body'}: "
                                              f"{first['msg']}") from None
    except ValueError as error:  # not JSON, or a number that is not an integer
        raise SyncRefused(422, "bad_payload", f"malformed push request: {error}") from None


def _ask_to_rotate(response: Response, device: DeviceIdentity | None) -> None:
    if device is not None and device.rotation_requested:
        response.headers[ROTATE_HEADER] = "required"
