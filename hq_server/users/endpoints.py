"""GET /users, POST /users, POST /users/{id}/deactivate (admin)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, HTTPException

from hq_server.auth.deps import require_role
from hq_server.auth.identity import Actor
from hq_server.db.models import HqUser
from hq_server.deps import DbSession
from hq_server.users import repository, service
from hq_server.users.schemas import NewUser, UserOut

router = APIRouter(prefix="/users", tags=["users"])

Admin = Annotated[Actor, require_role("admin")]


def _out(session: DbSession, user: HqUser) -> UserOut:
    return UserOut(id=str(user.id), email=user.email, name=user.name, role=user.role,
                   active=user.active, stores=repository.store_codes(session, user.id),
                   created_at=user.created_at)


@router.get("", response_model=list[UserOut])
def list_users(session: DbSession, _: Admin) -> list[UserOut]:
    return [_out(session, u) for u in repository.all_users(session)]


@router.post("", response_model=UserOut, status_code=201)
def create_user(body: NewUser, session: DbSession, admin: Admin) -> UserOut:
    try:
        user = service.create_user(session, admin, email=body.email, name=body.name,
                                   role=body.role, password=body.password, store_codes=body.stores)
    except service.UserError as error:
        raise HTTPException(422, str(error)) from None
    except LookupError as error:
        raise HTTPException(404, str(error)) from None
    session.refresh(user)
    return _out(session, user)


@router.post("/{user_id}/deactivate", response_model=UserOut)
def deactivate(user_id: uuid.UUID, session: DbSession, admin: Admin) -> UserOut:
    try:
        return _out(session, service.deactivate_user(session, admin, user_id))
    except LookupError as error:
        raise HTTPException(404, str(error)) from None
