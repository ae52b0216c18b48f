"""Customer queries and writes, and the customer's entry in the change log tills pull."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import Row, func, or_, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from hq_server.auth.identity import StoreScope
from hq_server.changelog.service import LOCK_SQL, ChangeRow, append_changes
from hq_server.customers.models import Customer, CustomerSale, LoyaltyPosting
from hq_server.db.models import ChainException, Product, Sale, SaleLine, Store
from shared.customer_events import phone_digits
from shared.merge import CustomerVersion

CHANGE_KIND = "customer"


def name_key(name: str) -> str:
    """What name search matches: case-folded, single-spaced."""
    return " ".join(name.casefold().split())


def _like_prefix(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def lock_customer_writers(session: Session) -> None:
    """Every customer write starts here (see customers.ingest for why); held until commit."""
    session.execute(text(LOCK_SQL))


def lock_or_create(session: Session, customer_id: uuid.UUID, *,
                   home_store_id: uuid.UUID | None) -> Customer:
    """The customer row, locked; a placeholder (hlc "") when HQ has not heard of it yet."""
    session.execute(insert(Customer).values(id=customer_id, home_store_id=home_store_id)
                    .on_conflict_do_nothing(index_elements=[Customer.id]))
    row = session.scalar(select(Customer).where(Customer.id == customer_id)
                         .with_for_update().execution_options(populate_existing=True))
    assert row is not None
    return row


def set_details(row: Customer, version: CustomerVersion, *, saved_by: str) -> None:
    row.name, row.phone, row.email, row.hlc = version.name, version.phone, version.email, version.hlc
    row.name_key, row.phone_key = name_key(version.name), phone_digits(version.phone)
    row.saved_by, row.updated_at = saved_by, datetime.now(UTC)


def insert_posting(session: Session, values: dict) -> None:
    session.execute(insert(LoyaltyPosting).values(values))


def change_row(session: Session, row: Customer) -> ChangeRow:
    """The customer as tills hold it: details, balance, and for each till the last of its own
    postings the balance counts (so a till adds only its postings HQ has not counted yet)."""
    counted = session.execute(
        select(LoyaltyPosting.device_id, func.max(LoyaltyPosting.seq))
        .where(LoyaltyPosting.customer_id == row.id, LoyaltyPosting.device_id.is_not(None))
        .group_by(LoyaltyPosting.device_id)).all()
    return ChangeRow(CHANGE_KIND, str(row.id), {
        "customer_id": str(row.id), "name": row.name, "phone": row.phone, "email": row.email,
        "hlc": row.hlc, "points_balance": row.points_balance,
        "counted_seq": {str(device): seq for device, seq in counted}})


def publish(session: Session, rows: Sequence[Customer]) -> None:
    """Chain-wide: a customer made at one store is found at every till."""
    append_changes(session, [change_row(session, row) for row in rows])


def search(session: Session, query: str, limit: int, offset: int = 0) -> Sequence[Customer]:
    """By phone when the query is a number, by email when it holds an @, else by name: the
    name's start or any word's start. A blank query lists every customer by name."""
    query = query.replace("\x00", "").strip()  # PostgreSQL text cannot hold NUL; no name has it
    digits = phone_digits(query)
    stmt = select(Customer).where(Customer.hlc != "")
    if not query:
        stmt = stmt.order_by(Customer.name_key)
    elif "@" in query:  # few customers give an email; an unindexed prefix scan is enough
        stmt = stmt.where(func.lower(Customer.email).like(_like_prefix(query.lower())))
        stmt = stmt.order_by(func.lower(Customer.email))
    elif digits and not any(ch.isalpha() for ch in query):
        stmt = stmt.where(Customer.phone_key.like(_like_prefix(digits))).order_by(Customer.phone_key)
    else:
        key = name_key(query)
        stmt = stmt.where(or_(Customer.name_key.like(_like_prefix(key)),
                              Customer.name_key.like("% " + _like_prefix(key))))
        stmt = stmt.order_by(Customer.name_key)
    return session.scalars(stmt.order_by(Customer.id).limit(limit).offset(offset)).all()


def get(session: Session, customer_id: uuid.UUID) -> Customer | None:
    row = session.get(Customer, customer_id)
    return row if row is not None and row.hlc else None


def recent_sales(session: Session, customer_id: uuid.UUID, scope: StoreScope,
                 limit: int) -> Sequence[tuple[CustomerSale, str]]:
    stmt = (select(CustomerSale, Store.code).join(Store, Store.id == CustomerSale.store_id)
            .where(CustomerSale.customer_id == customer_id)
            .order_by(CustomerSale.sold_at.desc()).limit(limit))
    return session.execute(scope.apply(stmt, CustomerSale.store_id)).all()  # type: ignore[return-value]


def recent_postings(session: Session, customer_id: uuid.UUID, scope: StoreScope,
                    limit: int) -> Sequence[tuple[LoyaltyPosting, str]]:
    stmt = (select(LoyaltyPosting, Store.code).join(Store, Store.id == LoyaltyPosting.store_id)
            .where(LoyaltyPosting.customer_id == customer_id)
            .order_by(LoyaltyPosting.at.desc(), LoyaltyPosting.hlc.desc()).limit(limit))
    return session.execute(scope.apply(stmt, LoyaltyPosting.store_id)).all()  # type: ignore[return-value]


def store_by_code(session: Session, code: str) -> Store | None:
    return session.scalar(select(Store).where(Store.code == code))


def store_code(session: Session, store_id: uuid.UUID | None) -> str | None:
    return None if store_id is None else session.scalar(
        select(Store.code).where(Store.id == store_id))


def purchase(session: Session, customer_id: uuid.UUID, sale_id: uuid.UUID,
             scope: StoreScope) -> Row | None:
    """One of the customer's sales in the reader's stores, with its store and till."""
    stmt = (select(CustomerSale, Store.code.label("store"), Sale.device_id)
            .join(Store, Store.id == CustomerSale.store_id)
            .outerjoin(Sale, Sale.id == CustomerSale.sale_id)
            .where(CustomerSale.customer_id == customer_id, CustomerSale.sale_id == sale_id))
    return session.execute(scope.apply(stmt, CustomerSale.store_id)).first()


def purchase_lines(session: Session, sale_id: uuid.UUID) -> Sequence[Row]:
    """A sale's lines with the product's SKU and name (None for a product HQ no longer has)."""
    stmt = (select(SaleLine, Product.sku, Product.name)
            .outerjoin(Product, Product.id == SaleLine.product_id)
            .where(SaleLine.sale_id == sale_id).order_by(SaleLine.line_no))
    return session.execute(stmt).all()


def negative_loyalty(session: Session, customer_id: uuid.UUID, scope: StoreScope,
                     limit: int) -> Sequence[Row]:
    """The customer's negative-loyalty exceptions in the reader's stores, newest first."""
    stmt = (select(ChainException, Store.code.label("store"))
            .outerjoin(Store, Store.id == ChainException.store_id)
            .where(ChainException.kind == "negative_loyalty",
                   ChainException.details["customer_id"].astext == str(customer_id))
            .order_by(ChainException.raised_at.desc()).limit(limit))
    return session.execute(scope.apply(stmt, ChainException.store_id)).all()
