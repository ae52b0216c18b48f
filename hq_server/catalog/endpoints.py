"""Catalogue API for the back office: stores, and each store's pricing settings.

Reading a store's pricing needs sight of that store; changing rates, tax-inclusive prices or cash
rounding is for admins (it changes what every till charges), and is audited.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException
from fastapi.responses import Response

from hq_server.audit.service import record
from hq_server.auth.deps import CurrentUser, require_role
from hq_server.auth.identity import Actor
from hq_server.catalog import pricing, repository
from hq_server.catalog.schemas import (
    StoreOut,
    StorePricingIn,
    StorePricingOut,
    TaxRateIn,
    TaxRateOut,
)
from hq_server.db.models import Store
from hq_server.deps import DbSession
from hq_server.json_response import json_response
from hq_server.one_hop import one_hop

router = APIRouter(tags=["catalog"])
PricingAdmin = Annotated[Actor, require_role("admin")]  # owner reads everything, writes nothing


@router.get("/health")
def health() -> dict[str, str]:
    """Liveness for load balancers and scripts: answers without signing in, tells nothing else."""
    return {"status": "ok"}


@router.get("/stores", response_model=list[StoreOut])
@one_hop
def list_stores(session: DbSession, user: CurrentUser) -> Response:
    # A hot read: JSON built here (hq_server.json_response), the StoreOut fields.
    return json_response([{"id": str(i), "code": code, "name": name, "currency": currency}
                          for i, code, name, currency in repository.store_list(session)
                          if user.scope.allows(i)])


def _store(session: DbSession, user: Actor, code: str) -> Store:
    store = repository.store_by_code(session, code)
    if store is None or not user.scope.allows(store.id):
        raise HTTPException(404, f"no store with code {code!r}")
    return store


def _pricing_out(session: DbSession, store: Store) -> StorePricingOut:
    return StorePricingOut(store=store.code, currency=store.currency,
                           prices_include_tax=store.prices_include_tax,
                           cash_rounding_minor=store.cash_rounding_minor,
                           tax_rates=[TaxRateOut(**r) for r in pricing.effective_rates(session, store.id)])


@router.get("/stores/{store_code}/pricing", response_model=StorePricingOut)
def store_pricing(store_code: str, session: DbSession, user: CurrentUser) -> StorePricingOut:
    return _pricing_out(session, _store(session, user, store_code))


@router.put("/stores/{store_code}/pricing", response_model=StorePricingOut)
def change_store_pricing(store_code: str, body: StorePricingIn, session: DbSession,
                         user: PricingAdmin) -> StorePricingOut:
    store = _store(session, user, store_code)
    before = _pricing_out(session, store).model_dump()
    try:
        pricing.set_store_pricing(session, store, prices_include_tax=body.prices_include_tax,
                                  cash_rounding_minor=body.cash_rounding_minor)
    except pricing.PricingSettingsError as error:
        raise HTTPException(422, str(error)) from None
    after = _pricing_out(session, store)
    record(session, user, "store.pricing_changed", "store", store.id, before, after.model_dump())
    return after


@router.put("/tax-rates/{tax_class}", response_model=TaxRateOut)
def set_tax_rate(tax_class: str, body: TaxRateIn, session: DbSession,
                 user: PricingAdmin) -> TaxRateOut:
    """A class's rate for the whole chain, or (with `store`) for one store only."""
    store = _store(session, user, body.store) if body.store else None
    try:
        row = pricing.set_tax_rate(session, tax_class, body.rate_bp, body.name, store)
    except pricing.PricingSettingsError as error:
        raise HTTPException(422, str(error)) from None
    out = TaxRateOut(tax_class=row.tax_class, name=row.name, rate_bp=row.rate_bp,
                     scope="chain" if store is None else "store")
    after: dict[str, Any] = {**out.model_dump(), "store": body.store}
    record(session, user, "tax_rate.set", "tax_rate", row.id, None, after)
    return out


@router.delete("/tax-rates/{tax_class}", status_code=204)
def remove_tax_rate(tax_class: str, session: DbSession, user: PricingAdmin,
                    store: str | None = None) -> None:
    target = _store(session, user, store) if store else None
    try:
        pricing.remove_tax_rate(session, tax_class, target)
    except LookupError as error:
        raise HTTPException(404, str(error)) from None
    record(session, user, "tax_rate.removed", "tax_rate", None,
           {"tax_class": tax_class, "store": store}, None)
