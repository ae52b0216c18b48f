"""POST /enrol: a till trades a one-time code for its own device token."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException

from hq_server.deps import DbSession
from hq_server.devices import service
from shared.wire import EnrolRequest, EnrolResponse

router = APIRouter(tags=["devices"])


@router.post("/enrol", response_model=EnrolResponse)
def enrol(body: EnrolRequest, session: DbSession) -> EnrolResponse:
    try:
        return service.enrol(session, body)
    except service.EnrolmentRefused as refusal:
        raise HTTPException(status_code=403, detail=str(refusal)) from None
