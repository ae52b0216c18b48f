"""Engine and the one place that opens, commits and rolls back HQ transactions."""

from __future__ import annotations

import select
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry

from hq_server.db import cost_wall

SessionFactory = sessionmaker[Session]


POOL_TIMEOUT_S = 10.0  # a request waits this long for a connection, then HQ answers 503 (app.py)
# A pooled connection idle longer than this is pinged (one round trip) before it is handed out;
# one in steady use is not: pool_pre_ping's round trip on every checkout was a fixed cost of
# every request. A backend that ended meanwhile (restart, pg_terminate_backend) has closed its
# socket, and that is seen without a round trip.
IDLE_PING_S = 10.0
_IDLE_SINCE = "idle_since"  # connection record info: time.monotonic() of its last check-in


def make_engine(database_url: str, *, pool_size: int = 10, max_overflow: int = 20,
                pool_timeout: float = POOL_TIMEOUT_S) -> Engine:
    engine = create_engine(database_url, pool_size=pool_size, max_overflow=max_overflow,
                           pool_timeout=pool_timeout)
    event.listen(engine, "checkin", _note_idle)
    event.listen(engine, "checkout", _refuse_dead)
    return engine


def _note_idle(dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
    record.info[_IDLE_SINCE] = time.monotonic()


def _refuse_dead(dbapi_connection: Any, record: ConnectionPoolEntry, proxy: Any) -> None:
    """DisconnectionError (the pool then opens a fresh connection) for a connection the server
    has ended, or one long idle that does not answer a ping."""
    idle_since = record.info.pop(_IDLE_SINCE, None)
    if idle_since is None:
        return  # fresh from connect()
    try:
        # Idle between transactions, a live backend sends nothing (pooled connections never
        # LISTEN): anything to read is its goodbye (FATAL, then EOF).
        if dbapi_connection.closed or _has_input(dbapi_connection.pgconn.socket):
            raise DisconnectionError("the server ended this pooled connection")
        if time.monotonic() - idle_since > IDLE_PING_S:
            dbapi_connection.execute(";")
    except psycopg.Error as error:
        raise DisconnectionError(f"a pooled connection is gone: {error}") from error


def _has_input(fd: int) -> bool:
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLHUP | select.POLLERR)
    return bool(poller.poll(0))


def make_session_factory(engine: Engine) -> SessionFactory:
    factory = sessionmaker(engine, expire_on_commit=False)
    cost_wall.install(factory)  # the second wall around cost prices
    return factory


@contextmanager
def transaction(factory: SessionFactory) -> Iterator[Session]:
    """One unit of work: commit if the block returns, roll back if it raises."""
    with factory() as session, session.begin():
        yield session


def driver(session: Session) -> psycopg.Connection:
    """The psycopg connection under `session`, in its transaction, for hot statements whose
    SQLAlchemy handling costs more CPU than the statement. Pending ORM writes are flushed first,
    as `session.execute` would, so a statement here sees them."""
    if session.new or session.dirty or session.deleted:
        session.flush()
    return session.connection().connection.driver_connection  # type: ignore[return-value]


def psycopg_conninfo(database_url: str) -> str:
    """A libpq URI for raw psycopg connections (LISTEN, COPY) from a SQLAlchemy URL."""
    from sqlalchemy.engine import make_url

    return make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)
