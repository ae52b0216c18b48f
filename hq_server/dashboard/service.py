"""The stock grid the dashboard renders: products as rows, stores as columns, with filters."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from urllib.parse import urlencode

from sqlalchemy.orm import Session

from hq_server.auth.identity import StoreScope
from hq_server.catalog import repository as catalog
from hq_server.dashboard import repository
from hq_server.dashboard.repository import COUNT_CAP
from hq_server.db.models import Product, Store
from hq_server.purchasing.vendors import all_vendors
from shared.money import Money

PAGE_SIZE = 50
CHAIN_WIDE = StoreScope(all_stores=True)
LEVELS = {"": "Every level", "low": "Low or out", "out": "Out of stock"}


__all__ = ["COUNT_CAP", "LEVELS", "StockFilters", "stock_grid", "store_totals"]


@dataclass(frozen=True, slots=True)
class StockFilters:
    q: str = ""
    category: str = ""
    vendor: str = ""  # a vendor id, as the pick list sends it
    level: str = ""  # "", low (at or below the reorder point, or out), out (<= 0)

    def vendor_id(self) -> uuid.UUID | None:
        try:
            return uuid.UUID(self.vendor) if self.vendor else None
        except ValueError:
            return None

    def query(self, page: int) -> str:
        """The page's query string with these filters (empty ones left out)."""
        params = {"q": self.q, "category": self.category, "vendor": self.vendor, "level": self.level}
        return urlencode({**{k: v for k, v in params.items() if v}, "page": page})


@dataclass(frozen=True, slots=True)
class Cell:
    store: Store
    on_hand: int | None
    reorder_point: int
    level: str  # ok | low | out | none


@dataclass(frozen=True, slots=True)
class Row:
    product: Product
    price: str
    cells: list[Cell]
    vendors: list[str] = field(default_factory=list)  # purchasing's vendors, preferred first


@dataclass(frozen=True, slots=True)
class StoreTotal:
    store: Store
    units: int
    low: int
    out: int


@dataclass(frozen=True, slots=True)
class StockGrid:
    stores: list[Store]
    rows: list[Row]
    q: str
    page: int
    pages: int
    total: int  # COUNT_CAP + 1 means "more than COUNT_CAP"
    filters: StockFilters = field(default_factory=StockFilters)
    categories: list[str] = field(default_factory=list)
    vendors: list[tuple[str, str]] = field(default_factory=list)  # (id, name)


def level(on_hand: int | None, reorder_point: int) -> str:
    if on_hand is None:
        return "none"
    if on_hand <= 0:
        return "out"
    return "low" if on_hand <= reorder_point else "ok"


def stock_grid(session: Session, q: str = "", page: int = 1, scope: StoreScope = CHAIN_WIDE,
               filters: StockFilters | None = None) -> StockGrid:
    """One column per store the scope allows: a store manager never sees another store's stock.

    Filtering and paging happen in PostgreSQL (200,000 products); a cell is low at or below the
    store's reorder point (its replenishment level when set, else the product's default). The
    per-store totals come apart (store_totals), after the page."""
    filters = _clean(filters or StockFilters(q=q))
    stores = [s for s in catalog.stores(session) if scope.allows(s.id)]
    store_ids = [s.id for s in stores]
    conditions = repository.stock_conditions(filters.q, filters.category, filters.vendor_id(),
                                             filters.level, store_ids)
    products, total = repository.stock_products(session, conditions, limit=PAGE_SIZE,
                                                offset=(page - 1) * PAGE_SIZE)
    levels = repository.stock_levels(session, [p.id for p in products], store_ids)
    vendors = repository.vendor_names(session, [p.id for p in products])
    rows = [Row(p, Money(p.price_minor, p.currency).format(),
                [_cell(s, *levels.get((p.id, s.id), (None, p.reorder_point))) for s in stores],
                vendors.get(p.id) or ([p.vendor] if p.vendor else []))
            for p in products]
    choices = [(str(v.id), v.name) for v in all_vendors(session)]
    return StockGrid(stores, rows, filters.q, page, max(1, -(-total // PAGE_SIZE)), total,
                     filters, repository.categories(session), choices)


def store_totals(session: Session, scope: StoreScope, filters: StockFilters) -> list[StoreTotal]:
    """Per store the scope allows: units, low and out among the products the filters match.

    Loaded after the page (it reads every stock row: seconds with 200,000 products)."""
    filters = _clean(filters)
    stores = [s for s in catalog.stores(session) if scope.allows(s.id)]
    store_ids = [s.id for s in stores]
    conditions = repository.stock_conditions(filters.q, filters.category, filters.vendor_id(),
                                             filters.level, store_ids)
    totals = repository.stock_totals(session, store_ids, conditions)
    return [StoreTotal(s, *totals.get(s.id, (0, 0, 0))) for s in stores]


def _clean(filters: StockFilters) -> StockFilters:
    return StockFilters(filters.q.strip(), filters.category, filters.vendor,
                        filters.level if filters.level in LEVELS else "")


def _cell(store: Store, on_hand: int | None, reorder_point: int) -> Cell:
    return Cell(store, on_hand, reorder_point, level(on_hand, reorder_point))
