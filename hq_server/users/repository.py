"""HQ user queries."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from hq_server.db.models import HqUser, PasswordResetToken, Store, UserStore


def by_email(session: Session, email: str) -> HqUser | None:
    return session.scalar(select(HqUser).where(HqUser.email == email.strip().lower()))


def for_update(session: Session, user_id: uuid.UUID) -> HqUser | None:
    return session.get(HqUser, user_id, with_for_update=True, populate_existing=True)


def store_ids(session: Session, user_id: uuid.UUID) -> list[uuid.UUID]:
    return list(session.scalars(select(UserStore.store_id).where(UserStore.user_id == user_id)))


def store_codes(session: Session, user_id: uuid.UUID) -> list[str]:
    query = select(Store.code).join(UserStore, UserStore.store_id == Store.id) \
        .where(UserStore.user_id == user_id).order_by(Store.code)
    return list(session.scalars(query))


def stores_by_code(session: Session, codes: Sequence[str]) -> dict[str, Store]:
    return {s.code: s for s in session.scalars(select(Store).where(Store.code.in_(codes)))}


def set_stores(session: Session, user_id: uuid.UUID, store_ids_: Sequence[uuid.UUID]) -> None:
    session.execute(delete(UserStore).where(UserStore.user_id == user_id))
    session.add_all(UserStore(user_id=user_id, store_id=s) for s in store_ids_)


def all_users(session: Session) -> Sequence[HqUser]:
    return session.scalars(select(HqUser).order_by(HqUser.email)).all()


def reset_token_for_update(session: Session, token_hash: str) -> PasswordResetToken | None:
    query = select(PasswordResetToken).where(PasswordResetToken.token_hash == token_hash) \
        .with_for_update()
    return session.scalar(query)
