"""Vendors, their products and what is owed to them.

GET /vendors[/{id}[/products]] every signed-in role (payment terms and costs only for cost
readers); POST/PATCH /vendors, PUT /vendors/{id}/products/{product_id} and POST
/vendors/{id}/payments admin and buyer; GET /vendor-balances and /vendors/{id}/ledger admin,
owner and buyer.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query

from hq_server.auth.identity import Actor
from hq_server.deps import DbSession, Offset
from hq_server.purchasing import ledger, vendors
from hq_server.purchasing.access import Buyer, LedgerReader, Reader, read_costs
from hq_server.purchasing.models import Vendor
from hq_server.purchasing.schemas import (
    BalanceOut,
    LedgerEntryOut,
    PaymentIn,
    VendorIn,
    VendorLedgerOut,
    VendorOut,
    VendorPatch,
    VendorProductIn,
    VendorProductOut,
)

router = APIRouter(tags=["purchasing"])
_COSTLESS = {"response_model_exclude_unset": True}


def vendor_out(vendor: Vendor, actor: Actor) -> VendorOut:
    return VendorOut(id=str(vendor.id), name=vendor.name, contact_email=vendor.contact_email,
                     contact_phone=vendor.contact_phone, currency=vendor.currency,
                     lead_time_days=vendor.lead_time_days, active=vendor.active,
                     **read_costs(actor, lambda: {"payment_terms_days": vendor.payment_terms_days}))


def _balance_out(balance: ledger.Balance) -> BalanceOut:
    return BalanceOut(vendor_id=str(balance.vendor_id), vendor_name=balance.vendor_name,
                      currency=balance.currency, balance_minor=balance.balance_minor)


@router.post("/vendors", response_model=VendorOut, status_code=201, **_COSTLESS)
def create_vendor(body: VendorIn, session: DbSession, user: Buyer) -> VendorOut:
    return vendor_out(vendors.create_vendor(session, user, **body.model_dump()), user)


@router.get("/vendors", response_model=list[VendorOut], **_COSTLESS)
def list_vendors(session: DbSession, user: Reader, active_only: bool = False) -> list[VendorOut]:
    return [vendor_out(v, user) for v in vendors.all_vendors(session, active_only=active_only)]


@router.get("/vendors/{vendor_id}", response_model=VendorOut, **_COSTLESS)
def get_vendor(vendor_id: uuid.UUID, session: DbSession, user: Reader) -> VendorOut:
    return vendor_out(vendors.get_vendor(session, vendor_id), user)


@router.patch("/vendors/{vendor_id}", response_model=VendorOut, **_COSTLESS)
def update_vendor(vendor_id: uuid.UUID, body: VendorPatch, session: DbSession, user: Buyer) -> VendorOut:
    changes = body.model_dump(exclude_unset=True)
    return vendor_out(vendors.update_vendor(session, user, vendor_id, changes), user)


@router.put("/vendors/{vendor_id}/products/{product_id}", response_model=VendorProductOut,
            **_COSTLESS)
def link_product(vendor_id: uuid.UUID,
                 product_id: Annotated[str, Path(description="product id or SKU")],
                 body: VendorProductIn, session: DbSession, user: Buyer) -> VendorProductOut:
    link = vendors.link_product(session, user, vendor_id, product_id, **body.model_dump())
    row = next(r for r in vendors.vendor_products(session, vendor_id)
               if r.VendorProduct.product_id == link.product_id)
    return _link_out(row, user)


@router.get("/vendors/{vendor_id}/products", response_model=list[VendorProductOut], **_COSTLESS)
def list_vendor_products(vendor_id: uuid.UUID, session: DbSession, user: Reader) -> list[VendorProductOut]:
    return [_link_out(r, user) for r in vendors.vendor_products(session, vendor_id)]


def _link_out(row, actor: Actor) -> VendorProductOut:  # noqa: ANN001 (a Row)
    link = row.VendorProduct
    return VendorProductOut(vendor_id=str(link.vendor_id), product_id=str(link.product_id),
                            sku=row.sku, name=row.name, vendor_sku=link.vendor_sku,
                            preferred=link.preferred,
                            **read_costs(actor, lambda: {"unit_cost_minor": link.unit_cost_minor}))


@router.post("/vendors/{vendor_id}/payments", response_model=BalanceOut, status_code=201)
def pay_vendor(vendor_id: uuid.UUID, body: PaymentIn, session: DbSession, user: Buyer) -> BalanceOut:
    return _balance_out(ledger.pay(session, user, vendor_id, body.amount_minor, body.reference))


@router.get("/vendor-balances", response_model=list[BalanceOut])
def vendor_balances(session: DbSession, _: LedgerReader) -> list[BalanceOut]:
    return [_balance_out(b) for b in ledger.balances(session)]


@router.get("/vendors/{vendor_id}/ledger", response_model=VendorLedgerOut)
def vendor_ledger(vendor_id: uuid.UUID, session: DbSession, _: LedgerReader,
                  limit: int = Query(200, ge=1, le=1000), offset: Offset = 0) -> VendorLedgerOut:
    balance = ledger.vendor_balance(session, vendor_id)
    rows = ledger.entries(session, vendor_id, limit=limit, offset=offset)
    return VendorLedgerOut(balance=_balance_out(balance), entries=[LedgerEntryOut(
        id=e.id, kind=e.kind, amount_minor=e.amount_minor, currency=e.currency,
        po_number=None if number is None else f"PO-{number}", reference=e.reference, at=e.at)
        for e, number in rows])
