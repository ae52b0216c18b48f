"""Store price lists and scheduled price changes.

A price entry is a price for one product from a start until an (optional) end, for one store or
chain-wide. The price a till charges at time t: the latest-starting entry of its store running
at t, else the latest-starting chain-wide entry running at t, else the product's base price
(the CSV's price column, which entries never change).

Tills learn of an entry when it starts and when it ends: at write time when that moment has
already come, otherwise when `apply_scheduled_prices` runs (every minute in the app's lifespan,
or `hq-server apply-scheduled-prices` / POST /catalogue/prices/apply-scheduled from cron).
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import or_, select, text
from sqlalchemy.orm import Session

from hq_server.audit.service import record
from hq_server.auth.identity import Actor
from hq_server.catalogue_admin.models import PriceEntry
from hq_server.catalogue_admin.publish import CHAIN_PRICE, EFFECTIVE_ENTRY, publish_products
from hq_server.db.models import Product, Store
from hq_server.db.session import SessionFactory
from hq_server.periodic import every
from shared.ids import uuid7

log = logging.getLogger(__name__)
SCHEDULER_INTERVAL_S = 60.0


class PriceError(ValueError):
    """A price entry that cannot be made; the message says why."""


@dataclass(frozen=True, slots=True)
class StorePrice:
    store_code: str
    price_minor: int
    source: str  # store | chain_schedule | base


def entry_dict(entry: PriceEntry, sku: str, store_code: str | None) -> dict:
    return {"id": str(entry.id), "sku": sku, "store": store_code, "price_minor": entry.price_minor,
            "starts_at": entry.starts_at.isoformat(),
            "ends_at": entry.ends_at.isoformat() if entry.ends_at else None}


def add_price(session: Session, actor: Actor | None, *, product: Product, store: Store | None,
              price_minor: int, starts_at: datetime | None = None,
              ends_at: datetime | None = None, now: datetime | None = None) -> PriceEntry:
    now = now or datetime.now(UTC)
    starts_at = starts_at or now
    if price_minor < 0:
        raise PriceError("a price must not be negative")
    if ends_at is not None and ends_at <= starts_at:
        raise PriceError("ends_at must be after starts_at")
    if ends_at is not None and ends_at <= now:
        raise PriceError("ends_at is in the past: this price would never apply")
    if store is not None and store.currency != product.currency:
        raise PriceError(f"{store.code} sells in {store.currency}; {product.sku} is priced in "
                         f"{product.currency}")
    entry = PriceEntry(id=uuid7(), product_id=product.id, store_id=store.id if store else None,
                       price_minor=price_minor, starts_at=starts_at, ends_at=ends_at,
                       start_published=starts_at <= now, end_published=False,
                       created_by=actor.user_id if actor else None)
    session.add(entry)
    session.flush()
    record(session, actor, "price.scheduled", "price_entry", entry.id, None,
           entry_dict(entry, product.sku, store.code if store else None))
    if entry.start_published:
        publish_products(session, [product.id], now)
    return entry


def end_price(session: Session, actor: Actor | None, entry: PriceEntry, sku: str,
              store_code: str | None, now: datetime | None = None) -> None:
    """Stop a running entry now (tills return to the price beneath), or cancel one not started."""
    now = now or datetime.now(UTC)
    if entry.ends_at is not None and entry.ends_at <= now:
        raise PriceError("this price has already ended")
    before = entry_dict(entry, sku, store_code)
    if entry.starts_at > now:  # never reached a till: nothing to take back
        session.delete(entry)
        session.flush()
        record(session, actor, "price.cancelled", "price_entry", before["id"], before, None)
        return
    entry.ends_at, entry.start_published, entry.end_published = now, True, True
    session.flush()
    record(session, actor, "price.ended", "price_entry", entry.id, before,
           entry_dict(entry, sku, store_code))
    publish_products(session, [entry.product_id], now)


def apply_scheduled_prices(session: Session, now: datetime | None = None) -> int:
    """Publish the products whose entries started or ended by `now` since the last run.

    SKIP LOCKED lets several HQ workers run this at once without publishing twice.
    """
    now = now or datetime.now(UTC)
    due = session.scalars(
        select(PriceEntry).where(or_(
            ~PriceEntry.start_published & (PriceEntry.starts_at <= now),
            ~PriceEntry.end_published & (PriceEntry.ends_at <= now)))
        .with_for_update(skip_locked=True)).all()
    if not due:
        return 0
    for entry in due:
        entry.start_published = entry.start_published or entry.starts_at <= now
        entry.end_published = entry.end_published or (entry.ends_at is not None and entry.ends_at <= now)
    session.flush()
    record(session, None, "prices.scheduled_applied", "price_entry", None, None,
           {"entries": [str(e.id) for e in due], "at": now.isoformat()})
    publish_products(session, sorted({e.product_id for e in due}), now)
    return len(due)


def effective_prices(session: Session, product_id: uuid.UUID, at: datetime) -> list[StorePrice]:
    rows = session.execute(text(f"""
        SELECT st.code, {EFFECTIVE_ENTRY.format(store='st.id')} AS own,
               {EFFECTIVE_ENTRY.format(store='NULL::uuid')} AS chain, p.price_minor
        FROM products p CROSS JOIN stores st WHERE p.id = :id ORDER BY st.code"""),
        {"id": product_id, "at": at}).all()
    return [StorePrice(code, own, "store") if own is not None else
            StorePrice(code, chain, "chain_schedule") if chain is not None else
            StorePrice(code, base, "base") for code, own, chain, base in rows]


def chain_price(session: Session, product_id: uuid.UUID, at: datetime) -> int:
    return int(session.scalar(text(f"SELECT {CHAIN_PRICE} FROM products p WHERE p.id = :id"),
                              {"id": product_id, "at": at}))


def price_list(session: Session, store_id: uuid.UUID | None, at: datetime) -> list[tuple]:
    """Entries of a store (or chain-wide ones) running at `at` or starting later."""
    query = (select(PriceEntry, Product.sku).join(Product, Product.id == PriceEntry.product_id)
             .where(PriceEntry.store_id.is_(None) if store_id is None
                    else PriceEntry.store_id == store_id)
             .where(or_(PriceEntry.ends_at.is_(None), PriceEntry.ends_at > at))
             .order_by(Product.sku, PriceEntry.starts_at))
    return [tuple(row) for row in session.execute(query)]


async def run_price_scheduler(factory: SessionFactory, interval: float = SCHEDULER_INTERVAL_S) -> None:
    """The lifespan task: apply due scheduled prices every `interval` seconds until cancelled."""
    await every(interval, factory, apply_scheduled_prices, "applying scheduled prices")
