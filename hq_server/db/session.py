"""Engine and the one place that opens, commits and rolls back HQ transactions."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session, sessionmaker

from hq_server.db import cost_wall

SessionFactory = sessionmaker[Session]


POOL_TIMEOUT_S = 10.0  # a request waits this long for a connection, then HQ answers 503 (app.py)


def make_engine(database_url: str, *, pool_size: int = 10, max_overflow: int = 20,
                pool_timeout: float = POOL_TIMEOUT_S) -> Engine:
    return create_engine(database_url, pool_size=pool_size, max_overflow=max_overflow,
                         pool_timeout=pool_timeout, pool_pre_ping=True)


def make_session_factory(engine: Engine) -> SessionFactory:
    factory = sessionmaker(engine, expire_on_commit=False)
    cost_wall.install(factory)  # the second wall around cost prices
    return factory


@contextmanager
def transaction(factory: SessionFactory) -> Iterator[Session]:
    """One unit of work: commit if the block returns, roll back if it raises."""
    with factory() as session, session.begin():
        yield session


def psycopg_conninfo(database_url: str) -> str:
    """A libpq URI for raw psycopg connections (LISTEN, COPY) from a SQLAlchemy URL."""
    from sqlalchemy.engine import make_url

    return make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)
