"""Report queries. Every one goes through `scope.apply` on its store column.

Sales come from `sales` + `sale_lines` (training sales are never written there); the cashier
from the sale event's payload (`events.payload->>'cashier'`); cost from products.cost_minor as
it is when the report runs (HQ keeps no cost history yet).

Revenue is goods only. A gift card sold or loaded at the till is a line of the sale (the
shared.gift_cards product id, untaxed, never stock), but its money is owed to the card holder (a
liability): it becomes revenue when the card pays for goods, and a sale paid by card is an
ordinary sale of goods (the tender is not a discount). Sales by store show the loads in their
own column, so goods revenue + gift cards sold = what the tills took.
"""

from __future__ import annotations

import uuid
from collections import namedtuple
from collections.abc import Sequence
from datetime import UTC, datetime, time, timedelta
from functools import cache
from typing import Any

from sqlalchemy import (
    BigInteger,
    Date,
    Row,
    and_,
    bindparam,
    cast,
    column,
    func,
    literal,
    or_,
    select,
    true,
    tuple_,
    union_all,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session

from hq_server.auth.identity import StoreScope
from hq_server.db.cost_wall import cost_or_zero
from hq_server.db.models import (
    ChainException,
    Device,
    Event,
    OverrideEntry,
    Product,
    Sale,
    SaleLine,
    StockMovement,
    StockOnHand,
    Store,
)
from hq_server.reports.shapes import Window
from shared.gift_cards import GIFT_CARD_PRODUCT_ID

NO_CATEGORY = "(no category)"
UNKNOWN_CASHIER = "(unknown)"


def bounds(window: Window) -> tuple[datetime, datetime]:
    start = datetime.combine(window.start, time(), UTC)
    return start, datetime.combine(window.end, time(), UTC) + timedelta(days=1)


def bucket(period: str, column: Any) -> Any:
    return cast(func.date_trunc(period, func.timezone("UTC", column)), Date)


CATEGORY = func.coalesce(func.nullif(Product.category, ""), NO_CATEGORY)
CASHIER = func.coalesce(func.nullif(Event.payload["cashier"].astext, ""), UNKNOWN_CASHIER)
GIFT_CARD_PRODUCT_UUID = uuid.UUID(GIFT_CARD_PRODUCT_ID)
GIFT_CARD_LOAD = SaleLine.product_id == GIFT_CARD_PRODUCT_UUID  # shared.gift_cards.is_gift_card_line
GOODS = SaleLine.product_id != GIFT_CARD_PRODUCT_UUID


def _lines(scope: StoreScope, window: Window, store_code: str | None, goods_only: bool = True) -> Any:
    """Sale lines in the window, with their sale, store and product (the product may be gone);
    goods only unless asked (gift card loads are not revenue: see the module's docstring)."""
    query = _sale_lines_between(*bounds(window), goods_only)
    if store_code:
        query = query.where(Store.code == store_code)
    return scope.apply(query, Sale.store_id)


# The hottest reports' statements are built once per variant (period, key, whether a store is
# named, whether the reader is held to some stores) with their values as bound parameters:
# building and cache-keying a statement anew was most of a report's CPU (SQLAlchemy's compiled
# cache still compiled nothing twice). psycopg then prepares the repeated SQL server-side.
_START, _END = bindparam("start"), bindparam("end")
_LAST_YEAR_START, _LAST_YEAR_END = bindparam("last_year_start"), bindparam("last_year_end")
_STORE_CODE = bindparam("store_code")
_SCOPE_IDS = bindparam("scope_ids", expanding=True)


def _args(scope: StoreScope, window: Window | None, store_code: str | None) -> dict[str, Any]:
    """The values of the bound parameters above for one call."""
    args: dict[str, Any] = {}
    if window is not None:
        args["start"], args["end"] = bounds(window)
    if store_code:
        args["store_code"] = store_code
    if not scope.all_stores:
        args["scope_ids"] = list(scope.store_ids)
    return args


def _narrowed(query: Any, store_column: Any, has_store: bool, scoped: bool) -> Any:
    """`query` held to the named store (Store.code) and the reader's stores (as scope.apply)."""
    if has_store:
        query = query.where(Store.code == _STORE_CODE)
    return query.where(store_column.in_(_SCOPE_IDS)) if scoped else query


def _lines_bound(has_store: bool, scoped: bool, goods_only: bool = True, year_before: bool = False) -> Any:
    """_lines with the window (or the one 52 weeks before), store and scope as bound parameters."""
    start, end = (_LAST_YEAR_START, _LAST_YEAR_END) if year_before else (_START, _END)
    return _narrowed(_sale_lines_between(start, end, goods_only), Sale.store_id, has_store, scoped)


def _sale_lines_between(start: Any, end: Any, goods_only: bool) -> Any:
    query = (select().select_from(SaleLine).join(Sale, Sale.id == SaleLine.sale_id)
             .join(Store, Store.id == Sale.store_id)
             .outerjoin(Product, Product.id == SaleLine.product_id)
             .where(Sale.sold_at >= start, Sale.sold_at < end))
    return query.where(GOODS) if goods_only else query


def sales_by(session: Session, scope: StoreScope, window: Window, store_code: str | None,
             period: str, key: str) -> Sequence[Row]:
    """Per period and key (store | category | cashier): transactions, units and revenue of goods
    (a sale of gift cards only is no transaction; see store_sales)."""
    query = _sales_by(period, key, bool(store_code), not scope.all_stores)
    return session.execute(query, _args(scope, window, store_code)).all()


@cache
def _sales_by(period: str, key: str, has_store: bool, scoped: bool, year_before: bool = False) -> Any:
    keys = {"store": Store.code, "category": CATEGORY, "cashier": CASHIER}
    label = keys[key].label("key")
    when = bucket(period, Sale.sold_at).label("period")
    query = _lines_bound(has_store, scoped, year_before=year_before).add_columns(
        when, label, Sale.currency,
        func.count(func.distinct(Sale.id)).label("transactions"),
        func.sum(SaleLine.quantity).label("units"),
        func.sum(SaleLine.line_total_minor).label("revenue_minor"))
    if key == "cashier":
        query = query.outerjoin(Event, Event.event_id == Sale.event_id)
    return query.group_by(when, label, Sale.currency).order_by(when, label, Sale.currency)


@cache
def _gift_cards_sold(period: str, has_store: bool, scoped: bool) -> Any:
    """Per period and store: the gift card loads sold. A part of its own, through the index on
    sale_lines.product_id (loads are few): FILTERed sums beside sales_by's aggregates made that
    one measurably slower (its count of distinct sales most)."""
    when = bucket(period, Sale.sold_at).label("period")
    query = _lines_bound(has_store, scoped, goods_only=False).where(GIFT_CARD_LOAD).add_columns(
        when, Store.code.label("key"), Sale.currency,
        func.sum(SaleLine.line_total_minor).label("gift_cards_sold_minor"))
    return query.group_by(when, Store.code, Sale.currency)


@cache
def _returns_by_store(period: str, has_store: bool, scoped: bool) -> Any:
    """Per period and store: returns of goods and the amount refunded for them, and the gift card
    loads taken back (from the ReturnCompleted events, at the till's completion time; the store is
    the returning till's). A returned load gives back money owed on a card, not revenue."""
    ms = func.nullif(Event.payload["completed_at_ms"].astext.cast(BigInteger), 0)
    at = func.coalesce(func.to_timestamp(ms / 1000.0), Event.received_at)
    when = bucket(period, at).label("period")
    currency = func.coalesce(func.nullif(Event.payload["currency"].astext, ""), Store.currency)
    split, total = RETURN_SPLIT, Event.payload["total_minor"].astext.cast(BigInteger)
    query = (select(when, Store.code.label("key"), currency.label("currency"),
                    func.count().filter(split.c.goods_lines > 0).label("returns"),
                    func.sum(total - split.c.loads_minor).label("refunded_minor"),
                    func.sum(split.c.loads_minor).label("gift_cards_refunded_minor"))
             .select_from(Event).join(Device, Device.id == Event.device_id)
             .join(Store, Store.id == Device.store_id).join(split, true())
             .where(Event.type == "ReturnCompleted", at >= _START, at < _END))
    query = _narrowed(query, Device.store_id, has_store, scoped)
    return query.group_by(when, Store.code, currency)


StoreSales = namedtuple("StoreSales", "period key currency transactions units revenue_minor")
GiftCardsSold = namedtuple("GiftCardsSold", "period key currency gift_cards_sold_minor")
StoreReturns = namedtuple("StoreReturns",
                          "period key currency returns refunded_minor gift_cards_refunded_minor")
PARTS = {"sales": StoreSales, "last_year": StoreSales, "gift_cards": GiftCardsSold,
         "returns": StoreReturns}


def store_sales(session: Session, scope: StoreScope, window: Window, store_code: str | None,
                period: str) -> dict[str, list[Any]]:
    """sales_by(key="store") for the window ("sales", in its order) and 52 weeks before it
    ("last_year"), gift_cards_sold ("gift_cards") and returns_by_store ("returns"), from one
    statement (UNION ALL of the four): one round trip, not four, each of which cost the server
    about a millisecond of CPU. Figures may come back as Decimal: callers int() them as before."""
    args = _args(scope, window, store_code)
    args["last_year_start"], args["last_year_end"] = bounds(window.year_before())
    found: dict[str, list[Any]] = {name: [] for name in PARTS}
    for part, *values in session.execute(_store_sales(period, bool(store_code), not scope.all_stores),
                                         args):
        make = PARTS[part]
        found[part].append(make(*values[:len(make._fields)]))
    return found


@cache
def _store_sales(period: str, has_store: bool, scoped: bool) -> Any:
    def part(name: str, query: Any, *figures: str) -> Any:
        found = query.subquery()
        values = [found.c[f] for f in figures] + [literal(0, BigInteger)] * (3 - len(figures))
        return select(literal(name).label("part"), found.c.period, found.c.key,
                      found.c.currency.label("currency"), *values)

    every = union_all(
        part("sales", _sales_by(period, "store", has_store, scoped),
             "transactions", "units", "revenue_minor"),
        part("last_year", _sales_by(period, "store", has_store, scoped, year_before=True),
             "transactions", "units", "revenue_minor"),
        part("gift_cards", _gift_cards_sold(period, has_store, scoped), "gift_cards_sold_minor"),
        part("returns", _returns_by_store(period, has_store, scoped),
             "returns", "refunded_minor", "gift_cards_refunded_minor")).subquery()
    return select(every).order_by(every.c.part, every.c.period, every.c.key, every.c.currency)


def _return_split() -> Any:
    """Per ReturnCompleted event (LATERAL): its gift card load lines' refund and its goods lines."""
    line = (func.jsonb_array_elements(Event.payload["lines"])
            .table_valued(column("value", JSONB)).alias("line"))
    is_load = line.c.value["product_id"].astext == GIFT_CARD_PRODUCT_ID
    refund = (line.c.value["line_total_minor"].astext.cast(BigInteger)
              + func.coalesce(line.c.value["tax_minor"].astext.cast(BigInteger), 0))
    return (select(func.coalesce(func.sum(refund).filter(is_load), 0).label("loads_minor"),
                   func.count().filter(~is_load).label("goods_lines"))
            .select_from(line).lateral("split"))


RETURN_SPLIT = _return_split()  # built once: it names no parameter, and building it is ~0.7 ms


def product_sales(session: Session, scope: StoreScope, window: Window,
                  store_code: str | None) -> Sequence[Row]:
    """Units, revenue and cost of goods per product sold in the window, highest revenue first."""
    query = _lines(scope, window, store_code).add_columns(
        SaleLine.product_id, func.max(Product.sku).label("sku"), func.max(Product.name).label("name"),
        func.max(CATEGORY).label("category"), Sale.currency,
        func.sum(SaleLine.quantity).label("units"),
        func.sum(SaleLine.line_total_minor).label("revenue_minor"))
    return session.execute(query.group_by(SaleLine.product_id, Sale.currency)
                           .order_by(func.sum(SaleLine.line_total_minor).desc(),
                                     SaleLine.product_id)).all()


def units_by_product(session: Session, scope: StoreScope, window: Window,
                     store_code: str | None) -> dict[Any, int]:
    query = _lines(scope, window, store_code).add_columns(
        SaleLine.product_id, func.sum(SaleLine.quantity)).group_by(SaleLine.product_id)
    return {p: int(n) for p, n in session.execute(query)}


def gross_profit(session: Session, scope: StoreScope, window: Window, store_code: str | None,
                 key: str) -> Sequence[Row]:
    """Revenue and cost of goods (quantity x today's products.cost_minor) per category or store."""
    label = (Store.code if key == "store" else CATEGORY).label("key")
    query = _lines(scope, window, store_code).add_columns(
        label, Sale.currency, func.sum(SaleLine.quantity).label("units"),
        func.sum(SaleLine.line_total_minor).label("revenue_minor"),
        func.sum(SaleLine.quantity * func.coalesce(Product.cost_minor, 0)).label("cogs_minor"))
    return session.execute(query.group_by(label, Sale.currency)
                           .order_by(func.sum(SaleLine.line_total_minor).desc(), label)).all()


def gross_profit_by_category_and_store(session: Session, scope: StoreScope, window: Window,
                                       store_code: str | None) -> dict[str, list[Row]]:
    """gross_profit by "category" and by "store" from one pass over the window's sale lines
    (GROUPING SETS): a page showing both reads the lines once, not twice."""
    by_store = func.grouping(Store.code).label("by_store")  # 0 in the store rows, 1 in the others
    key = func.coalesce(Store.code, CATEGORY).label("key")
    revenue = func.sum(SaleLine.line_total_minor)
    query = _lines(scope, window, store_code).add_columns(
        by_store, key, Sale.currency, func.sum(SaleLine.quantity).label("units"),
        revenue.label("revenue_minor"),
        func.sum(SaleLine.quantity * func.coalesce(Product.cost_minor, 0)).label("cogs_minor"))
    query = query.group_by(func.grouping_sets(tuple_(CATEGORY, Sale.currency),
                                              tuple_(Store.code, Sale.currency)))
    rows = session.execute(query.order_by(revenue.desc(), key)).all()
    return {"store": [r for r in rows if r.by_store == 0], "category": [r for r in rows if r.by_store]}


def dead_stock(session: Session, scope: StoreScope, since: datetime, store_code: str | None,
               by_value: bool) -> Sequence[Row]:
    """On hand > 0 at a store with no sale of it there since `since`; most valuable first, or
    (for readers who may not see costs, so the order does not betray them) most units first.

    The last sale per product and store is one grouped pass over the sale lines (a correlated
    lookup per stock row took minutes on a demo chain of 25,000 stock rows)."""
    last = scope.apply(select(SaleLine.product_id, Sale.store_id,
                              func.max(Sale.sold_at).label("at"))
                       .join(Sale, Sale.id == SaleLine.sale_id)
                       .group_by(SaleLine.product_id, Sale.store_id), Sale.store_id).subquery()
    query = (select(Product.sku, Product.name, CATEGORY.label("category"),
                    Store.code.label("store"), StockOnHand.on_hand, last.c.at.label("last_sold_at"),
                    cost_or_zero(session, Product.cost_minor), Product.currency)
             .select_from(StockOnHand).join(Product, Product.id == StockOnHand.product_id)
             .join(Store, Store.id == StockOnHand.store_id)
             .outerjoin(last, and_(last.c.product_id == StockOnHand.product_id,
                                   last.c.store_id == StockOnHand.store_id))
             .where(StockOnHand.on_hand > 0, or_(last.c.at.is_(None), last.c.at < since)))
    if store_code:
        query = query.where(Store.code == store_code)
    query = scope.apply(query, StockOnHand.store_id)
    first = StockOnHand.on_hand * Product.cost_minor if by_value else StockOnHand.on_hand
    return session.execute(query.order_by(first.desc(), Product.sku, Store.code)).all()


def dead_stock_head(session: Session, scope: StoreScope, since: datetime, store_code: str | None,
                    by_value: bool, head: int) -> Sequence[Row]:
    """dead_stock's first `head` rows, each with `total` (how many rows there are in all), for a
    page that shows a few. Only the sales since `since` are read to find the dead lines (an
    anti-join), and the last sale is looked up for the `head` rows alone: dead_stock's pass over
    every sale ever made was most of the Analytics page's time."""
    sold = (select(SaleLine.product_id, Sale.store_id).join(Sale, Sale.id == SaleLine.sale_id)
            .where(Sale.sold_at >= since, SaleLine.product_id == StockOnHand.product_id,
                   Sale.store_id == StockOnHand.store_id))
    first = StockOnHand.on_hand * Product.cost_minor if by_value else StockOnHand.on_hand
    query = (select(Product.sku, Product.name, CATEGORY.label("category"), Store.code.label("store"),
                    StockOnHand.product_id, StockOnHand.store_id, StockOnHand.on_hand,
                    cost_or_zero(session, Product.cost_minor), Product.currency,
                    func.count().over().label("total"))
             .select_from(StockOnHand).join(Product, Product.id == StockOnHand.product_id)
             .join(Store, Store.id == StockOnHand.store_id)
             .where(StockOnHand.on_hand > 0, ~sold.exists()))
    if store_code:
        query = query.where(Store.code == store_code)
    top = scope.apply(query, StockOnHand.store_id) \
        .order_by(first.desc(), Product.sku, Store.code).limit(head).subquery()
    last = (select(func.max(Sale.sold_at)).select_from(SaleLine).join(Sale, Sale.id == SaleLine.sale_id)
            .where(SaleLine.product_id == top.c.product_id, Sale.store_id == top.c.store_id)
            .scalar_subquery())
    value = top.c.on_hand * top.c.cost_minor if by_value else top.c.on_hand
    return session.execute(select(top, last.label("last_sold_at"))
                           .order_by(value.desc(), top.c.sku, top.c.store)).all()


def stock_on_hand(session: Session, scope: StoreScope, store_code: str | None,
                  key: str) -> Sequence[Row]:
    """Units and value at cost (on hand x products.cost_minor, the weighted average) per
    product+store, store, category or currency (key "chain")."""
    cost = cost_or_zero(session, Product.cost_minor)  # the API leaves it out for some readers
    value = func.sum(StockOnHand.on_hand * cost)
    if key == "product":
        columns = [Product.sku, Product.name, CATEGORY.label("category"), Store.code.label("store"),
                   cost]
    elif key == "chain":
        columns = []
    else:
        columns = [(Store.code if key == "store" else CATEGORY).label("key")]
    query = (select(*columns, Product.currency, func.sum(StockOnHand.on_hand).label("on_hand"),
                    value.label("value_minor"))
             .select_from(StockOnHand).join(Product, Product.id == StockOnHand.product_id)
             .join(Store, Store.id == StockOnHand.store_id).where(StockOnHand.on_hand != 0))
    if store_code:
        query = query.where(Store.code == store_code)
    query = scope.apply(query, StockOnHand.store_id)
    groups = [*columns, Product.currency]
    return session.execute(query.group_by(*groups).order_by(*groups)).all()


def movements(session: Session, scope: StoreScope, window: Window, store_code: str | None,
              period: str) -> Sequence[Row]:
    """Units in and out per period, store and reason (sale, receipt, adjustment, count, ...)."""
    start, end = bounds(window)
    when = bucket(period, StockMovement.created_at).label("period")
    query = (select(when, Store.code.label("store"), StockMovement.reason,
                    func.coalesce(func.sum(StockMovement.delta).filter(StockMovement.delta > 0), 0)
                    .label("units_in"),
                    func.coalesce(-func.sum(StockMovement.delta).filter(StockMovement.delta < 0), 0)
                    .label("units_out"),
                    func.sum(StockMovement.delta).label("net"), func.count().label("movements"))
             .select_from(StockMovement).join(Store, Store.id == StockMovement.store_id)
             .where(StockMovement.created_at >= start, StockMovement.created_at < end))
    if store_code:
        query = query.where(Store.code == store_code)
    query = scope.apply(query, StockMovement.store_id)
    groups = [when, Store.code, StockMovement.reason]
    return session.execute(query.group_by(*groups).order_by(*groups)).all()


def override_summary(session: Session, scope: StoreScope, window: Window,
                     store_code: str | None) -> Sequence[Row]:
    start, end = bounds(window)
    query = (select(Store.code.label("store"), OverrideEntry.action, OverrideEntry.approved_by,
                    func.count().label("overrides"),
                    func.count(func.distinct(OverrideEntry.requested_by)).label("cashiers"),
                    func.max(OverrideEntry.at).label("last_at"))
             .select_from(OverrideEntry).join(Store, Store.id == OverrideEntry.store_id)
             .where(OverrideEntry.at >= start, OverrideEntry.at < end))
    if store_code:
        query = query.where(Store.code == store_code)
    query = scope.apply(query, OverrideEntry.store_id)
    groups = [Store.code, OverrideEntry.action, OverrideEntry.approved_by]
    return session.execute(query.group_by(*groups).order_by(func.count().desc(), *groups)).all()


def exception_counts(session: Session, scope: StoreScope, window: Window | None,
                     store_code: str | None) -> Sequence[Row]:
    """Open, resolved and total per store and kind; chain-wide ones (no store) under ''."""
    query = _exception_counts(window is not None, bool(store_code), not scope.all_stores)
    return session.execute(query, _args(scope, window, store_code)).all()


@cache
def _exception_counts(has_window: bool, has_store: bool, scoped: bool) -> Any:
    store = func.coalesce(Store.code, "").label("store")
    is_open = ChainException.resolved_at.is_(None)
    query = (select(store, ChainException.kind,
                    func.count().filter(is_open).label("open"),
                    func.count().filter(~is_open).label("resolved"), func.count().label("total"))
             .select_from(ChainException).outerjoin(Store, Store.id == ChainException.store_id))
    if has_window:
        query = query.where(and_(ChainException.raised_at >= _START, ChainException.raised_at < _END))
    query = _narrowed(query, ChainException.store_id, has_store, scoped)
    return query.group_by(store, ChainException.kind).order_by(store, ChainException.kind)


def store_codes(session: Session, scope: StoreScope) -> list[str]:
    return list(session.scalars(scope.apply(select(Store.code), Store.id).order_by(Store.code)))

