"""The composition root: `create_app(database_url)` wires engine, routers and realtime.

Settings: `jwt_secret` signs back-office access tokens (default: HQ_JWT_SECRET, which
`hq-server serve` sets for every worker; with neither, a random one for this process only, so
tokens do not survive a restart or work across workers), `mailer` sends password-reset mail
(default: SMTP from HQ_SMTP_* settings, see users.mailer), `clock_skew_limit_ms` is how far a till
clock may be off before it is flagged.

Nothing happens at import. The engine is made here (it connects lazily); the realtime listener
runs in the lifespan and stops with it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
from collections.abc import AsyncIterator

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from hq_server import fast_canonical
from hq_server.audit.endpoints import router as audit_router
from hq_server.auth.endpoints import router as auth_router
from hq_server.auth.tokens import JWT_SECRET_ENV
from hq_server.batches.alerts import raise_expiry_alerts_today
from hq_server.batches.endpoints import router as batches_router
from hq_server.catalog.endpoints import router as catalog_router
from hq_server.catalogue_admin.endpoints import router as catalogue_admin_router
from hq_server.catalogue_admin.prices import run_price_scheduler
from hq_server.changelog.service import CHANGES_CHANNEL
from hq_server.customers.endpoints import router as customers_router
from hq_server.dashboard.endpoints import STATIC_DIR
from hq_server.dashboard.endpoints import router as dashboard_router
from hq_server.db.session import POOL_TIMEOUT_S, make_engine, make_session_factory, psycopg_conninfo
from hq_server.devices.endpoints import admin_router as devices_admin_router
from hq_server.devices.endpoints import router as devices_router
from hq_server.errors import DomainError, domain_error_handler
from hq_server.exceptions.endpoints import router as exceptions_router
from hq_server.gift_cards.endpoints import router as gift_cards_router
from hq_server.inventory.endpoints import router as inventory_router
from hq_server.overrides.endpoints import router as overrides_router
from hq_server.periodic import every
from hq_server.purchasing.endpoints import router as purchasing_router
from hq_server.realtime.endpoints import router as realtime_router
from hq_server.realtime.hub import ChangeSignal, Hub
from hq_server.realtime.listener import PgListener
from hq_server.reports.endpoints import router as reports_router
from hq_server.shifts.endpoints import router as shifts_router
from hq_server.stock.endpoints import router as stock_router
from hq_server.stock.service import STOCK_CHANNEL
from hq_server.sync.endpoints import router as sync_router
from hq_server.sync.errors import SyncRefused, sync_refused_handler
from hq_server.sync.rules import CLOCK_SKEW_LIMIT_MS
from hq_server.sync.versions import min_from_env
from hq_server.users.endpoints import router as users_router
from hq_server.users.mailer import Mailer, mailer_from_env
from shared.wire import API_PREFIX

log = logging.getLogger(__name__)
EXPIRY_CHECK_S = 3600.0  # alerts are per day; hourly catches a new day (and a restart) soon enough


def create_app(database_url: str, *, jwt_secret: str | None = None, mailer: Mailer | None = None,
               clock_skew_limit_ms: int = CLOCK_SKEW_LIMIT_MS,
               min_till_version: str | None = None, pool_size: int = 10,
               pool_timeout: float = POOL_TIMEOUT_S) -> FastAPI:
    fast_canonical.install()  # the hash check of every pushed event, ~6x faster, same bytes

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        hub, signal = app.state.hub, app.state.change_signal
        listener = PgListener(psycopg_conninfo(database_url),
                              {STOCK_CHANNEL: hub.broadcast, CHANGES_CHANNEL: lambda _: signal.fire()},
                              on_connect=signal.fire)
        listener.start()
        try:
            # Start serving with LISTEN in place, so no change made after startup is missed.
            await asyncio.wait_for(listener.ready.wait(), timeout=10)
        except TimeoutError:
            log.warning("realtime listener not connected yet; live updates will start when it is")
        # Housekeeping (hq_server.periodic): scheduled prices reach tills when they start or end;
        # batches near their expiry date raise their alert (once each).
        factory = app.state.session_factory
        jobs = [asyncio.create_task(run_price_scheduler(factory)),
                asyncio.create_task(every(EXPIRY_CHECK_S, factory, raise_expiry_alerts_today,
                                          "raising expiry alerts"))]
        try:
            yield
        finally:
            for job in jobs:
                job.cancel()
            hub.close()
            await listener.stop()
            app.state.engine.dispose()

    app = FastAPI(title="TillHQ HQ", version="0.1.0", lifespan=lifespan, docs_url="/docs")
    engine = make_engine(database_url, pool_size=pool_size, max_overflow=2 * pool_size,
                         pool_timeout=pool_timeout)
    app.state.database_url = database_url
    app.state.engine = engine
    app.state.session_factory = make_session_factory(engine)
    app.state.hub = Hub()
    app.state.change_signal = ChangeSignal()
    app.state.jwt_secret = jwt_secret or os.environ.get(JWT_SECRET_ENV) or _process_secret()
    app.state.mailer = mailer or mailer_from_env()
    app.state.clock_skew_limit_ms = clock_skew_limit_ms
    # Tills below this version are refused with 426 (sync.versions); default HQ_MIN_TILL_VERSION.
    app.state.min_till_version = min_till_version or min_from_env()
    app.add_exception_handler(SyncRefused, sync_refused_handler)
    app.add_exception_handler(DomainError, domain_error_handler)
    app.add_exception_handler(PoolTimeout, busy_handler)
    app.add_exception_handler(DBAPIError, connection_lost_handler)
    # Busiest first: FastAPI tries routes in order, and trying all ~90 costs about 0.5 ms of CPU,
    # as much as a hot read's own query. No two routers' paths overlap, so order is only speed.
    for router in (sync_router, inventory_router, stock_router, purchasing_router,
                   catalogue_admin_router, reports_router, catalog_router, devices_router,
                   devices_admin_router, realtime_router, exceptions_router, auth_router,
                   users_router, audit_router, overrides_router, shifts_router, customers_router,
                   batches_router, gift_cards_router):
        app.include_router(router, prefix=API_PREFIX)
    app.include_router(dashboard_router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app


def _process_secret() -> str:
    log.warning("%s is not set: back-office tokens are signed with a secret for this process only",
                JWT_SECRET_ENV)
    return secrets.token_urlsafe(48)


async def busy_handler(request: Request, exc: Exception) -> JSONResponse:
    """Every database connection busy for POOL_TIMEOUT_S: shed the request in words (a till
    retries its push; a page can be reloaded) rather than queue without end or answer 500."""
    log.warning("no free database connection for %s %s", request.method, request.url.path)
    return JSONResponse({"detail": "HQ is busy right now; try again in a moment"}, status_code=503,
                        headers={"Retry-After": "2"})


async def connection_lost_handler(request: Request, exc: Exception) -> JSONResponse:
    """The database connection broke under the request (PostgreSQL restarted, or ended that
    backend). The pool has dropped its older connections, so a retry gets a fresh one. (A break
    during COMMIT leaves the outcome unknown, as with any lost connection; pushes are idempotent.)
    Any other database error stays a 500."""
    if not getattr(exc, "connection_invalidated", False):
        raise exc
    log.warning("database connection lost during %s %s: %s", request.method, request.url.path, exc)
    return JSONResponse({"detail": "HQ lost its database connection; try again in a moment"},
                        status_code=503, headers={"Retry-After": "2"})
