"""Vendors and the products they supply. Every write is audited; services never commit."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Row, select, update
from sqlalchemy.orm import Session

from hq_server.audit.service import record
from hq_server.auth.identity import Actor
from hq_server.db.models import Product
from hq_server.inventory.repository import find_products
from hq_server.purchasing.errors import Invalid, NotFound
from hq_server.purchasing.models import Vendor, VendorProduct
from shared.ids import uuid7
from shared.money import exponent

_FIELDS = ("name", "contact_email", "contact_phone", "currency", "payment_terms_days",
           "lead_time_days", "active")
_CLEARABLE = ("contact_email", "contact_phone")


def vendor_state(vendor: Vendor) -> dict[str, Any]:
    return {name: getattr(vendor, name) for name in _FIELDS}


def get_vendor(session: Session, vendor_id: uuid.UUID, *, for_update: bool = False) -> Vendor:
    query = select(Vendor).where(Vendor.id == vendor_id)
    vendor = session.scalar(query.with_for_update() if for_update else query)
    if vendor is None:
        raise NotFound(f"no vendor {vendor_id}")
    return vendor


def all_vendors(session: Session, *, active_only: bool = False) -> Sequence[Vendor]:
    query = select(Vendor).order_by(Vendor.name)
    return session.scalars(query.where(Vendor.active) if active_only else query).all()


def _refuse_duplicate_name(session: Session, name: str, vendor_id: uuid.UUID | None = None) -> None:
    clash = session.scalar(select(Vendor.id).where(Vendor.name == name))
    if clash is not None and clash != vendor_id:
        raise Invalid(f"a vendor named {name!r} already exists")


def create_vendor(session: Session, actor: Actor, **fields: Any) -> Vendor:
    try:
        exponent(fields["currency"])
    except (KeyError, ValueError):
        raise Invalid(f"unknown currency {fields.get('currency')!r}") from None
    _refuse_duplicate_name(session, fields["name"])
    vendor = Vendor(id=uuid7(), **fields)
    session.add(vendor)
    session.flush()
    record(session, actor, "vendor.created", "vendor", vendor.id, None, vendor_state(vendor))
    return vendor


def update_vendor(session: Session, actor: Actor, vendor_id: uuid.UUID, changes: dict[str, Any]) -> Vendor:
    if cleared := sorted(k for k, v in changes.items() if v is None and k not in _CLEARABLE):
        raise Invalid(f"{', '.join(cleared)} cannot be empty; leave a field out to keep it")
    vendor = get_vendor(session, vendor_id, for_update=True)
    if "name" in changes:
        _refuse_duplicate_name(session, changes["name"], vendor.id)
    before = vendor_state(vendor)
    for name, value in changes.items():
        setattr(vendor, name, value)
    vendor.updated_at = datetime.now(UTC)
    session.flush()
    record(session, actor, "vendor.updated", "vendor", vendor.id, before, vendor_state(vendor))
    return vendor


# A product named by its id or its SKU, as the inventory calls take it.
ProductRef = str | uuid.UUID


def products_by_ref(session: Session, refs: Sequence[ProductRef]) -> dict[ProductRef, Product]:
    """Products by id or SKU (the inventory resolver, one query), keyed by the reference given;
    misses are left out for the caller to refuse in its own words."""
    found = find_products(session, [str(r) for r in refs])
    return {r: found[str(r)] for r in refs if str(r) in found}


def link_product(session: Session, actor: Actor, vendor_id: uuid.UUID, product_ref: ProductRef, *,
                 vendor_sku: str, unit_cost_minor: int, preferred: bool) -> VendorProduct:
    """Create or change the vendor's offer for a product. Preferring it un-prefers the others."""
    vendor = get_vendor(session, vendor_id)
    named = products_by_ref(session, [product_ref]).get(product_ref)
    if named is None:
        raise NotFound(f"no product {product_ref}")
    product_id = named.id
    # The product row lock serialises changes of its preferred vendor (one preferred at most).
    product = session.get_one(Product, product_id, with_for_update=True)
    if product.currency != vendor.currency:
        raise Invalid(f"{product.sku} is priced in {product.currency}, vendor {vendor.name} "
                      f"sells in {vendor.currency}")
    link = session.get(VendorProduct, (vendor_id, product_id), with_for_update=True)
    before = None if link is None else _link_state(link)
    if preferred:
        session.execute(update(VendorProduct).where(VendorProduct.product_id == product_id,
                                                    VendorProduct.vendor_id != vendor_id,
                                                    VendorProduct.preferred).values(preferred=False))
    if link is None:
        link = VendorProduct(vendor_id=vendor_id, product_id=product_id)
        session.add(link)
    link.vendor_sku, link.unit_cost_minor, link.preferred = vendor_sku, unit_cost_minor, preferred
    link.updated_at = datetime.now(UTC)
    session.flush()
    record(session, actor, "vendor_product.linked", "vendor_product", f"{vendor_id}:{product_id}",
           before, _link_state(link))
    return link


def _link_state(link: VendorProduct) -> dict[str, Any]:
    return {"vendor_sku": link.vendor_sku, "unit_cost_minor": link.unit_cost_minor,
            "preferred": link.preferred}


def vendor_products(session: Session, vendor_id: uuid.UUID) -> Sequence[Row]:
    get_vendor(session, vendor_id)
    query = (select(VendorProduct, Product.sku, Product.name)
             .join(Product, Product.id == VendorProduct.product_id)
             .where(VendorProduct.vendor_id == vendor_id).order_by(Product.sku))
    return session.execute(query).all()


def vendor_costs(session: Session, vendor_id: uuid.UUID,
                 product_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, int]:
    query = select(VendorProduct.product_id, VendorProduct.unit_cost_minor).where(
        VendorProduct.vendor_id == vendor_id, VendorProduct.product_id.in_(product_ids))
    return dict(session.execute(query).all())
