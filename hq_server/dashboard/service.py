"""The stock grid the dashboard renders: products as rows, stores as columns."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from hq_server.auth.identity import StoreScope
from hq_server.catalog import repository as catalog
from hq_server.db.models import Product, Store
from hq_server.stock import repository as stock
from shared.money import Money

PAGE_SIZE = 50
CHAIN_WIDE = StoreScope(all_stores=True)


@dataclass(frozen=True, slots=True)
class Cell:
    store: Store
    on_hand: int | None
    level: str  # ok | low | out | none


@dataclass(frozen=True, slots=True)
class Row:
    product: Product
    price: str
    cells: list[Cell]


@dataclass(frozen=True, slots=True)
class StoreTotal:
    store: Store
    units: int
    low: int
    out: int


@dataclass(frozen=True, slots=True)
class StockGrid:
    stores: list[StoreTotal]
    rows: list[Row]
    q: str
    page: int
    pages: int
    total: int


def level(on_hand: int | None, reorder_point: int) -> str:
    if on_hand is None:
        return "none"
    if on_hand <= 0:
        return "out"
    return "low" if on_hand <= reorder_point else "ok"


def stock_grid(session: Session, q: str = "", page: int = 1,
               scope: StoreScope = CHAIN_WIDE) -> StockGrid:
    """One column per store the scope allows: a store manager never sees another store's stock."""
    stores = [s for s in catalog.stores(session) if scope.allows(s.id)]
    products, total = stock.search_products(session, q.strip(), limit=PAGE_SIZE,
                                            offset=(page - 1) * PAGE_SIZE)
    on_hand = stock.on_hand_for(session, [p.id for p in products])
    rows = [
        Row(p, Money(p.price_minor, p.currency).format(), [
            Cell(s, on_hand.get((p.id, s.id)), level(on_hand.get((p.id, s.id)), p.reorder_point))
            for s in stores
        ])
        for p in products
    ]
    totals = stock.store_totals(session)
    store_totals = [StoreTotal(s, *totals.get(s.id, (0, 0, 0))) for s in stores]
    pages = max(1, -(-total // PAGE_SIZE))
    return StockGrid(store_totals, rows, q, page, pages, total)
