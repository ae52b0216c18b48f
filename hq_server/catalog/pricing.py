"""Store pricing settings: tax rates per class (chain-wide or per store), tax-inclusive prices and
cash rounding. Every change re-sends the affected stores' `store` change, carrying the store's
whole effective rate set, so a till replaces its table and never merges stale rates (rule 6).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hq_server.catalog import repository
from hq_server.catalog.models import TaxRate
from hq_server.changelog.service import ChangeRow, append_changes
from hq_server.db.models import Store
from shared.ids import uuid7
from shared.pricing import MAX_RATE_BP, MAX_ROUNDING_STEP

TAX_CLASS = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


class PricingSettingsError(ValueError):
    """A setting HQ refuses; the message says what is wrong and what is allowed."""


def effective_rates(session: Session, store_id: uuid.UUID) -> list[dict[str, Any]]:
    """The store's rates: its own rows over the chain's, by class name."""
    rows = session.scalars(select(TaxRate).where(
        (TaxRate.store_id.is_(None)) | (TaxRate.store_id == store_id))).all()
    by_class: dict[str, dict[str, Any]] = {}
    for row in sorted(rows, key=lambda r: r.store_id is not None):  # chain first, store on top
        by_class[row.tax_class] = {"tax_class": row.tax_class, "name": row.name,
                                   "rate_bp": row.rate_bp,
                                   "scope": "chain" if row.store_id is None else "store"}
    return [by_class[c] for c in sorted(by_class)]


def store_change(session: Session, store: Store) -> ChangeRow:
    rates = [{k: r[k] for k in ("tax_class", "name", "rate_bp")}
             for r in effective_rates(session, store.id)]
    return ChangeRow("store", str(store.id), {
        "store_id": str(store.id), "code": store.code, "name": store.name,
        "currency": store.currency, "prices_include_tax": store.prices_include_tax,
        "cash_rounding_minor": store.cash_rounding_minor, "tax_rates": rates})


def publish(session: Session, stores: Sequence[Store]) -> None:
    """Send the stores' settings to their tills (last in the transaction: it takes the lock)."""
    session.flush()
    append_changes(session, [store_change(session, s) for s in stores])


def set_store_pricing(session: Session, store: Store, *, prices_include_tax: bool | None = None,
                      cash_rounding_minor: int | None = None) -> Store:
    if cash_rounding_minor is not None:
        if not 1 <= cash_rounding_minor <= MAX_ROUNDING_STEP:
            raise PricingSettingsError(f"cash rounding is a step of 1 to {MAX_ROUNDING_STEP} minor "
                                       f"units (1 = none, 5 = 0.05), not {cash_rounding_minor}")
        store.cash_rounding_minor = cash_rounding_minor
    if prices_include_tax is not None:
        store.prices_include_tax = prices_include_tax
    publish(session, [store])
    return store


def _check_rate(tax_class: str, rate_bp: int) -> None:
    if not TAX_CLASS.match(tax_class):
        raise PricingSettingsError(f"tax class {tax_class!r}: use 1-40 lower-case letters, "
                                   "digits, '-' or '_' (e.g. standard, reduced)")
    if not 0 <= rate_bp <= MAX_RATE_BP:
        raise PricingSettingsError(f"tax rate is 0 to {MAX_RATE_BP} basis points "
                                   f"(2000 = 20 %), not {rate_bp}")


def _row(session: Session, tax_class: str, store: Store | None) -> TaxRate | None:
    where = TaxRate.store_id.is_(None) if store is None else TaxRate.store_id == store.id
    return session.scalar(select(TaxRate).where(TaxRate.tax_class == tax_class, where))


def _affected(session: Session, store: Store | None) -> list[Store]:
    return list(repository.stores(session)) if store is None else [store]


def set_tax_rate(session: Session, tax_class: str, rate_bp: int, name: str = "",
                 store: Store | None = None) -> TaxRate:
    """Set a class's rate for the chain (store None) or for one store, and tell the tills."""
    _check_rate(tax_class, rate_bp)
    row = _row(session, tax_class, store)
    if row is None:
        row = TaxRate(id=uuid7(), store_id=store.id if store else None, tax_class=tax_class)
        session.add(row)
    row.rate_bp, row.name, row.updated_at = rate_bp, name, datetime.now(UTC)
    publish(session, _affected(session, store))
    return row


def remove_tax_rate(session: Session, tax_class: str, store: Store | None = None) -> None:
    """Drop a chain rate or a store's own rate (the store then falls back to the chain's)."""
    row = _row(session, tax_class, store)
    if row is None:
        where = "the chain" if store is None else f"store {store.code}"
        raise LookupError(f"{where} has no rate of its own for tax class {tax_class!r}")
    session.delete(row)
    publish(session, _affected(session, store))
