"""Expiry: the batches with stock that expire soon, as a report and as exceptions.

`raise_expiry_alerts(session, today)` puts one "expiry" exception on the worklist per batch
with stock inside its store's alert window (dedupe key `expiry:<batch id>`): running it again,
from the CLI (`hq-server expiry-alerts`) or a periodic task, raises nothing twice.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session

from hq_server.auth.identity import StoreScope
from hq_server.batches.allocation import settle
from hq_server.batches.models import DEFAULT_ALERT_DAYS, ExpiryAlertWindow, ProductBatch
from hq_server.db.models import Product, Store
from hq_server.exceptions.service import Raised, raise_exception


def _held(today: date):  # noqa: ANN202
    return (select(ProductBatch.id, ProductBatch.product_id, ProductBatch.store_id, Store.code.label("store"),
                   Product.sku, Product.name, ProductBatch.code.label("batch"), ProductBatch.expires_on,
                   (ProductBatch.expires_on - today).label("days_left"), ProductBatch.quantity)
            .join(Store, Store.id == ProductBatch.store_id)
            .join(Product, Product.id == ProductBatch.product_id)
            .where(ProductBatch.quantity > 0)
            .order_by(ProductBatch.expires_on, Store.code, Product.sku, ProductBatch.code))


def expiring(session: Session, scope: StoreScope, today: date, days: int,
             store_code: str | None = None) -> list[Row]:
    """Batches with stock expiring on or before today + `days` (already expired ones included)."""
    settle(session)
    query = _held(today).where(ProductBatch.expires_on <= today + timedelta(days=days))
    if store_code:
        query = query.where(Store.code == store_code)
    return list(session.execute(scope.apply(query, ProductBatch.store_id)))


def raise_expiry_alerts_today(session: Session) -> int:
    """HQ's hourly housekeeping (app lifespan): today's alerts, in UTC days like the reports."""
    return raise_expiry_alerts(session, datetime.now(UTC).date())


def raise_expiry_alerts(session: Session, today: date) -> int:
    """One exception per batch with stock inside its store's alert window; returns how many
    were new."""
    settle(session)
    window = func.coalesce(ExpiryAlertWindow.days, DEFAULT_ALERT_DAYS)
    query = (_held(today).outerjoin(ExpiryAlertWindow, ExpiryAlertWindow.store_id == ProductBatch.store_id)
             .where(ProductBatch.expires_on - today <= window))
    raised = 0
    for row in session.execute(query):
        raised += raise_exception(session, Raised(
            "expiry", f"expiry:{row.id}", _details(row), store_id=row.store_id, product_id=row.product_id))
    return raised


def _details(row: Row) -> dict[str, Any]:
    return {"sku": row.sku, "batch": row.batch, "expires_on": row.expires_on.isoformat(),
            "days_left": row.days_left, "quantity": row.quantity}
