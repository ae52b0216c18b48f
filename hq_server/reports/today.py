"""Today's figures per store and chain-wide: sales, transactions, average basket, top items and
which tills are online. A day is the UTC day (stores keep no time zone yet); a till is online
when HQ heard from it (any authenticated sync request) in the last ONLINE_WITHIN.

Sales are goods: gift cards sold (a liability until spent, see hq_server.reports.repository)
are counted apart, and a sale of gift cards only is no transaction.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, aliased

from hq_server.auth.identity import StoreScope
from hq_server.catalog import repository as catalog
from hq_server.db.models import Device, Product, Sale, SaleLine, Store
from hq_server.reports.repository import GIFT_CARD_LOAD, GIFT_CARD_PRODUCT_UUID, GOODS

ONLINE_WITHIN = timedelta(minutes=2)
TOP_ITEMS = 5


@dataclass(frozen=True, slots=True)
class Item:
    name: str
    sku: str
    units: int
    revenue_minor: int


@dataclass
class Figures:
    """One store's day, or the chain's (store None). Sums are per currency of the stores."""

    store: Store | None
    currency: str
    sales_minor: int = 0  # goods
    gift_cards_sold_minor: int = 0
    transactions: int = 0
    units: int = 0
    tills_online: int = 0
    tills_offline: int = 0
    top: list[Item] = field(default_factory=list)

    @property
    def average_basket_minor(self) -> int:
        if not self.transactions:
            return 0
        return (2 * self.sales_minor + self.transactions) // (2 * self.transactions)


@dataclass(frozen=True, slots=True)
class Today:
    day: datetime
    stores: list[Figures]
    chain: list[Figures]  # one per currency, for users who see more than one store
    as_of: datetime


def today(session: Session, scope: StoreScope, now: datetime | None = None) -> Today:
    now = now or datetime.now(UTC)
    start = datetime.combine(now.date(), time(), UTC)
    stores = [s for s in catalog.stores(session) if scope.allows(s.id)]
    by_store = {s.id: Figures(s, s.currency) for s in stores}
    for store_id, count, total in session.execute(
            scope.apply(select(Sale.store_id, func.count(), func.sum(Sale.total_minor))
                        .where(Sale.sold_at >= start).group_by(Sale.store_id), Sale.store_id)):
        if store_id in by_store:
            by_store[store_id].transactions, by_store[store_id].sales_minor = int(count), int(total)
    for store_id, loads, cards_only in _gift_cards_sold(session, scope, start):
        if store_id in by_store:  # a sale's total holds its loads (untaxed, so at face value)
            by_store[store_id].sales_minor -= loads
            by_store[store_id].gift_cards_sold_minor = loads
            by_store[store_id].transactions -= cards_only
    items = _items(session, scope, start)
    for store_id, figures in by_store.items():
        mine = [(item, s) for item, s in items if s == store_id]
        figures.units = sum(i.units for i, _ in mine)
        figures.top = _top(i for i, _ in mine)
    _tills(session, scope, now, by_store)
    chain = _chain(list(by_store.values()), items) if len(stores) > 1 else []
    return Today(start, list(by_store.values()), chain, now)


def _items(session: Session, scope: StoreScope, start: datetime) -> list[tuple[Item, uuid.UUID]]:
    query = (select(Sale.store_id, SaleLine.product_id,
                    func.coalesce(func.max(Product.name), "(unknown product)"),
                    func.coalesce(func.max(Product.sku), ""), func.sum(SaleLine.quantity),
                    func.sum(SaleLine.line_total_minor))
             .select_from(SaleLine).join(Sale, Sale.id == SaleLine.sale_id)
             .outerjoin(Product, Product.id == SaleLine.product_id)
             .where(Sale.sold_at >= start, GOODS).group_by(Sale.store_id, SaleLine.product_id))
    return [(Item(name, sku, int(units), int(revenue)), store_id)
            for store_id, _, name, sku, units, revenue in session.execute(scope.apply(query, Sale.store_id))]


def _gift_cards_sold(session: Session, scope: StoreScope, start: datetime) -> list[tuple[uuid.UUID, int, int]]:
    """Per store: the gift card loads sold, and how many sales held nothing else. Read from the
    load lines alone (indexed by product id, and few), so the sales figures' reads stay as they were."""
    line = aliased(SaleLine)  # another line of the same sale
    goods = exists().where(line.sale_id == Sale.id, line.product_id != GIFT_CARD_PRODUCT_UUID)
    query = (select(Sale.store_id, func.sum(SaleLine.line_total_minor),
                    func.count(func.distinct(Sale.id)).filter(~goods))
             .select_from(SaleLine).join(Sale, Sale.id == SaleLine.sale_id)
             .where(Sale.sold_at >= start, GIFT_CARD_LOAD).group_by(Sale.store_id))
    return [(store_id, int(loads), int(cards_only))
            for store_id, loads, cards_only in session.execute(scope.apply(query, Sale.store_id))]


def _top(items) -> list[Item]:  # noqa: ANN001
    return sorted(items, key=lambda i: (-i.units, -i.revenue_minor, i.sku))[:TOP_ITEMS]


def _tills(session: Session, scope: StoreScope, now: datetime, by_store: dict) -> None:  # noqa: ANN001
    online = Device.last_seen_at >= now - ONLINE_WITHIN
    query = (select(Device.store_id, func.count().filter(online), func.count().filter(~online | Device.last_seen_at.is_(None)))
             .where(Device.revoked_at.is_(None)).group_by(Device.store_id))
    for store_id, up, down in session.execute(scope.apply(query, Device.store_id)):
        if store_id in by_store:
            by_store[store_id].tills_online, by_store[store_id].tills_offline = int(up), int(down)


def _chain(stores: list[Figures], items: list[tuple[Item, uuid.UUID]]) -> list[Figures]:
    chain: dict[str, Figures] = {}
    currency_of = {f.store.id: f.currency for f in stores if f.store is not None}
    for f in stores:
        total = chain.setdefault(f.currency, Figures(None, f.currency))
        total.sales_minor += f.sales_minor
        total.gift_cards_sold_minor += f.gift_cards_sold_minor
        total.transactions += f.transactions
        total.units += f.units
        total.tills_online += f.tills_online
        total.tills_offline += f.tills_offline
    merged: dict[tuple[str, str], Item] = {}
    for item, store_id in items:
        key = (currency_of.get(store_id, ""), item.sku or item.name)
        old = merged.get(key)
        merged[key] = item if old is None else Item(item.name, item.sku, old.units + item.units,
                                                    old.revenue_minor + item.revenue_minor)
    for (currency, _), item in merged.items():
        if currency in chain:
            chain[currency].top.append(item)
    for total in chain.values():
        total.top = _top(total.top)
    return [chain[c] for c in sorted(chain)]
