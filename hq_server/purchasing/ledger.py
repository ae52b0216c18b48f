"""What HQ owes each vendor: an append-only ledger (receipts +, payments -), balance = sum.

A payment locks the vendor row, so two payments at once cannot both fit under one balance.
Paying more than is owed is refused: a prepayment would need its own kind of entry.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session

from hq_server.audit.service import record
from hq_server.auth.identity import Actor
from hq_server.purchasing.errors import IllegalTransition
from hq_server.purchasing.models import PurchaseOrder, SupplierLedgerEntry, Vendor
from hq_server.purchasing.vendors import get_vendor


@dataclass(frozen=True, slots=True)
class Balance:
    vendor_id: uuid.UUID
    vendor_name: str
    currency: str
    balance_minor: int


def accrue(session: Session, actor: Actor, order: PurchaseOrder, amount_minor: int) -> None:
    """Owe the vendor for goods just received on `order` (audited with the receipt)."""
    session.add(SupplierLedgerEntry(vendor_id=order.vendor_id, kind="receipt", amount_minor=amount_minor,
                                    currency=order.currency, po_id=order.id,
                                    reference=f"PO-{order.number}", created_by=actor.user_id))
    session.flush()


def balance_of(session: Session, vendor_id: uuid.UUID) -> int:
    query = select(func.coalesce(func.sum(SupplierLedgerEntry.amount_minor), 0)) \
        .where(SupplierLedgerEntry.vendor_id == vendor_id)
    return int(session.scalar(query))


def pay(session: Session, actor: Actor, vendor_id: uuid.UUID, amount_minor: int,
        reference: str) -> Balance:
    vendor = get_vendor(session, vendor_id, for_update=True)
    owed = balance_of(session, vendor.id)
    if amount_minor > owed:
        raise IllegalTransition(f"paying {amount_minor} would exceed the {owed} owed to {vendor.name} "
                                f"(minor units of {vendor.currency}); pay at most {owed}")
    entry = SupplierLedgerEntry(vendor_id=vendor.id, kind="payment", amount_minor=-amount_minor,
                                currency=vendor.currency, reference=reference, created_by=actor.user_id)
    session.add(entry)
    session.flush()
    record(session, actor, "vendor.paid", "vendor", vendor.id, {"balance_minor": owed},
           {"balance_minor": owed - amount_minor, "amount_minor": amount_minor,
            "reference": reference, "ledger_entry": entry.id})
    return Balance(vendor.id, vendor.name, vendor.currency, owed - amount_minor)


def balances(session: Session) -> list[Balance]:
    query = (select(Vendor.id, Vendor.name, Vendor.currency,
                    func.coalesce(func.sum(SupplierLedgerEntry.amount_minor), 0))
             .outerjoin(SupplierLedgerEntry, SupplierLedgerEntry.vendor_id == Vendor.id)
             .group_by(Vendor.id).order_by(Vendor.name))
    return [Balance(i, n, c, int(b)) for i, n, c, b in session.execute(query)]


def vendor_balance(session: Session, vendor_id: uuid.UUID) -> Balance:
    vendor = get_vendor(session, vendor_id)
    return Balance(vendor.id, vendor.name, vendor.currency, balance_of(session, vendor.id))


def entries(session: Session, vendor_id: uuid.UUID, *, limit: int, offset: int) -> Sequence[Row]:
    query = (select(SupplierLedgerEntry, PurchaseOrder.number)
             .outerjoin(PurchaseOrder, PurchaseOrder.id == SupplierLedgerEntry.po_id)
             .where(SupplierLedgerEntry.vendor_id == vendor_id)
             .order_by(SupplierLedgerEntry.id.desc()).limit(limit).offset(offset))
    return session.execute(query).all()
