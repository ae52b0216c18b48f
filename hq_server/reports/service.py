"""The reports: each a name, who may read it, its columns and how its rows are made.

`run` checks the role, builds the rows within the reader's store scope, then omits the cost
columns for a reader who may not see costs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy.orm import Session

from hq_server.auth.identity import COST_READERS, Actor
from hq_server.batches.report import expiring_batches
from hq_server.db.cost_wall import costs_lifted
from hq_server.errors import NotFound
from hq_server.inventory.repository import store_ref
from hq_server.reports import open_orders, sell_through
from hq_server.reports import repository as q
from hq_server.reports.shapes import Column, Report, Window, abc_classes, margin_bp
from hq_server.reports.valuation import fifo_stock

EVERYONE = ("admin", "owner", "buyer", "store_manager", "inventory", "viewer")
PEOPLE_READERS = ("admin", "owner", "buyer", "store_manager")  # figures per named cashier
SUPERVISORS = ("admin", "owner", "store_manager")  # as the override log and exceptions APIs


class NotAllowed(Exception):
    pass


class BadParams(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Params:
    window: Window
    period: str = "day"
    store: str | None = None
    by: str | None = None
    days: int = 30
    limit: int = 20
    method: str | None = None  # stock valuation: wac (the default) | fifo
    # A page running several reports for one request passes a dict here, so reports reading the
    # same rows (top movers and ABC: the sales per product) read them once (analytics_page).
    shared: dict[Any, Any] | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Spec:
    title: str
    roles: tuple[str, ...]
    build: Callable[[Session, Actor, Params], tuple[list[Column], list[dict[str, Any]]]]
    by: tuple[str, ...] = ()  # allowed values of `by`; the first is the default
    methods: tuple[str, ...] = ()  # allowed values of `method`; the first is the default
    notes: Callable[[Params, list[dict[str, Any]]], list[str]] | None = None


def _money(name: str, label: str, cost: bool = False) -> Column:
    return Column(name, label, cost=cost, money=True)


SALES_COLUMNS = [Column("transactions", "Transactions"), Column("units", "Units"),
                 _money("revenue_minor", "Revenue"), _money("average_basket_minor", "Average basket")]


def _sales(key: str):  # noqa: ANN202
    def build(session: Session, actor: Actor, p: Params):  # noqa: ANN202
        if key == "store":  # where the tills' takings are reconciled: the gift cards beside
            parts = q.store_sales(session, actor.scope, p.window, p.store, p.period)
            found, before = parts["sales"], parts["last_year"]
        else:
            found = q.sales_by(session, actor.scope, p.window, p.store, p.period, key)
            before = q.sales_by(session, actor.scope, p.window.year_before(), p.store, p.period, key)
        rows = [_sales_row(r, key) for r in found]
        # Year on year: the same days 52 weeks earlier (None where that period had no sales).
        last_year = {(r.period + timedelta(weeks=52), r.key, r.currency): int(r.revenue_minor)
                     for r in before}
        columns = [Column("period", "Period starting"), Column(key, key.capitalize()),
                   Column("currency", "Currency"), *SALES_COLUMNS,
                   _money("last_year_revenue_minor", "Revenue 52 weeks earlier")]
        if key == "store":
            rows = _beside(rows, parts["gift_cards"], ("gift_cards_sold_minor",))
            rows = _with_returns(rows, parts["returns"])
            columns += [_money("gift_cards_sold_minor", "Gift cards sold (liability)"),
                        Column("returns", "Returns"), _money("refunded_minor", "Refunded"),
                        _money("gift_cards_refunded_minor", "Gift card loads refunded"),
                        _money("net_revenue_minor", "Net revenue")]
        for row in rows:
            row["last_year_revenue_minor"] = last_year.get((row["period"], row[key], row["currency"]))
        return columns, rows

    return build


def _with_returns(rows: list[dict[str, Any]], returns: Any) -> list[dict[str, Any]]:
    """Sales rows with the period's returns beside them (and rows for days with returns only)."""
    rows = _beside(rows, returns, ("returns", "refunded_minor", "gift_cards_refunded_minor"))
    for row in rows:
        row["net_revenue_minor"] = row["revenue_minor"] - row["refunded_minor"]
    return rows


def _beside(rows: list[dict[str, Any]], extra: Any, names: tuple[str, ...]) -> list[dict[str, Any]]:
    """Store sales rows with `extra`'s figures `names` put beside them by period, store and
    currency (0 where it has none); a row of its own, with no sales, where only `extra` has one."""
    by_key = {(r["period"], r["store"], r["currency"]): r for r in rows}
    for found in extra:
        row = by_key.get((found.period, found.key, found.currency))
        if row is None:
            row = by_key[(found.period, found.key, found.currency)] = {
                "period": found.period, "store": found.key, "currency": found.currency,
                "transactions": 0, "units": 0, "revenue_minor": 0, "average_basket_minor": 0}
        for name in names:
            row[name] = int(getattr(found, name))
    for row in by_key.values():
        for name in names:
            row.setdefault(name, 0)
    return sorted(by_key.values(), key=lambda r: (r["period"], r["store"], r["currency"]))


def _sales_row(r: Any, key: str) -> dict[str, Any]:
    transactions, revenue = int(r.transactions), int(r.revenue_minor)
    return {"period": r.period, key: r.key, "currency": r.currency, "transactions": transactions,
            "units": int(r.units), "revenue_minor": revenue,
            "average_basket_minor": _per(revenue, transactions)}


def _per(total: int, count: int) -> int:
    return (2 * total + count) // (2 * count) if count else 0  # half up, in minor units


def _product_sales(session: Session, actor: Actor, p: Params) -> Any:
    if p.shared is None:
        return q.product_sales(session, actor.scope, p.window, p.store)
    key = ("product_sales", p.window, p.store)
    if key not in p.shared:
        p.shared[key] = q.product_sales(session, actor.scope, p.window, p.store)
    return p.shared[key]


def _top_movers(session: Session, actor: Actor, p: Params):  # noqa: ANN202
    sold = _product_sales(session, actor, p)
    before = q.units_by_product(session, actor.scope, p.window.before(), p.store)
    ranked = sorted(sold, key=lambda r: (-int(r.units), -int(r.revenue_minor), r.sku or ""))[:p.limit]
    rows = [{"sku": r.sku, "name": r.name, "category": r.category, "currency": r.currency,
             "units": int(r.units), "revenue_minor": int(r.revenue_minor),
             "units_previous": before.get(r.product_id, 0),
             "units_change": int(r.units) - before.get(r.product_id, 0)} for r in ranked]
    return [Column("sku", "SKU"), Column("name", "Product"), Column("category", "Category"),
            Column("currency", "Currency"), Column("units", "Units"), _money("revenue_minor", "Revenue"),
            Column("units_previous", "Units, period before"), Column("units_change", "Change")], rows


DEAD_STOCK_COLUMNS = [Column("sku", "SKU"), Column("name", "Product"), Column("category", "Category"),
                      Column("store", "Store"), Column("on_hand", "On hand"),
                      Column("last_sold_at", "Last sold"), Column("currency", "Currency"),
                      _money("unit_cost_minor", "Unit cost", cost=True),
                      _money("value_minor", "Value at cost", cost=True)]


def _dead_since(p: Params) -> datetime:
    return datetime.combine(p.window.end, time(), UTC) + timedelta(days=1) - timedelta(days=p.days)


def _dead_stock_row(r: Any) -> dict[str, Any]:
    return {"sku": r.sku, "name": r.name, "category": r.category, "store": r.store,
            "on_hand": int(r.on_hand), "last_sold_at": r.last_sold_at, "currency": r.currency,
            "unit_cost_minor": int(r.cost_minor), "value_minor": int(r.on_hand) * int(r.cost_minor)}


def _dead_stock(session: Session, actor: Actor, p: Params):  # noqa: ANN202
    return DEAD_STOCK_COLUMNS, [_dead_stock_row(r) for r in q.dead_stock(
        session, actor.scope, _dead_since(p), p.store, actor.sees_costs)]


def dead_stock_head(session: Session, actor: Actor, p: Params, head: int) -> tuple[Report, int]:
    """The dead-stock report's first `head` lines and how many it has in all, for a page that
    shows a few: a chain's thousands of dead lines are counted in SQL, not built one by one."""
    found = q.dead_stock_head(session, actor.scope, _dead_since(p), p.store, actor.sees_costs, head)
    total = int(found[0].total) if found else 0
    return _report("dead-stock", p, DEAD_STOCK_COLUMNS, [_dead_stock_row(r) for r in found], actor), total


def _abc(session: Session, actor: Actor, p: Params):  # noqa: ANN202
    rows: list[dict[str, Any]] = []
    sold = _product_sales(session, actor, p)
    for currency in sorted({r.currency for r in sold}):  # shares only make sense in one currency
        mine = [r for r in sold if r.currency == currency]
        total = sum(int(r.revenue_minor) for r in mine)
        running = 0
        for r, klass in zip(mine, abc_classes([int(r.revenue_minor) for r in mine]), strict=True):
            running += int(r.revenue_minor)
            rows.append({"class": klass, "sku": r.sku, "name": r.name, "category": r.category,
                         "currency": currency, "units": int(r.units),
                         "revenue_minor": int(r.revenue_minor),
                         "share_bp": _per(int(r.revenue_minor) * 10000, total),
                         "cumulative_share_bp": _per(running * 10000, total)})
    return [Column("class", "Class"), Column("sku", "SKU"), Column("name", "Product"),
            Column("category", "Category"), Column("currency", "Currency"), Column("units", "Units"),
            _money("revenue_minor", "Revenue"), Column("share_bp", "Share (bp)"),
            Column("cumulative_share_bp", "Cumulative share (bp)")], rows


def _gross_profit_rows(session: Session, actor: Actor, p: Params, key: str) -> Any:
    if p.shared is None:
        return q.gross_profit(session, actor.scope, p.window, p.store, key)
    memo = ("gross_profit", p.window, p.store)
    if memo not in p.shared:
        p.shared[memo] = q.gross_profit_by_category_and_store(session, actor.scope, p.window, p.store)
    return p.shared[memo][key]


def _gross_profit(session: Session, actor: Actor, p: Params):  # noqa: ANN202
    key = p.by or "category"
    rows = []
    for r in _gross_profit_rows(session, actor, p, key):
        revenue, cogs = int(r.revenue_minor), int(r.cogs_minor)
        rows.append({key: r.key, "currency": r.currency, "units": int(r.units),
                     "revenue_minor": revenue, "cogs_minor": cogs, "gross_profit_minor": revenue - cogs,
                     "margin_bp": margin_bp(revenue, revenue - cogs)})
    return [Column(key, key.capitalize()), Column("currency", "Currency"), Column("units", "Units"),
            _money("revenue_minor", "Revenue"), _money("cogs_minor", "Cost of goods", cost=True),
            _money("gross_profit_minor", "Gross profit", cost=True),
            Column("margin_bp", "Margin (bp)", cost=True)], rows


def _stock_on_hand(session: Session, actor: Actor, p: Params):  # noqa: ANN202
    key, fifo = p.by or "product", p.method == "fifo"
    if fifo:  # values are left out for readers without the cost right, but their units beyond
        # receipts come from the costed receipt layers: read with the wall lifted
        with costs_lifted(session, "FIFO valuation's units beyond receipts"):
            found = fifo_stock(session, actor.scope, p.store, key)
    else:
        found = q.stock_on_hand(session, actor.scope, p.store, key)
    rows = [_stock_row(dict(r._mapping), key) for r in found]
    head = {"product": [Column("sku", "SKU"), Column("name", "Product"),
                        Column("category", "Category"), Column("store", "Store")],
            "chain": []}.get(key, [Column(key, key.capitalize())])
    cost = [_money("unit_cost_minor", "Unit cost", cost=True)] if key == "product" else []
    if not fifo:
        return [*head, Column("currency", "Currency"), Column("on_hand", "On hand"), *cost,
                _money("value_minor", "Value at cost", cost=True)], rows
    return [*head, Column("currency", "Currency"), Column("on_hand", "On hand"),
            Column("beyond_receipts", "Units beyond receipts"), *cost,
            _money("value_minor", "Value, FIFO", cost=True),
            _money("wac_value_minor", "Value, weighted average", cost=True)], rows


def _stock_row(row: dict[str, Any], key: str) -> dict[str, Any]:
    for name in ("on_hand", "value_minor", "wac_value_minor", "beyond_receipts"):
        if name in row:
            row[name] = int(row[name] or 0)
    if key == "product":
        row["unit_cost_minor"] = int(row.pop("cost_minor"))
    elif key != "chain":
        row[key] = row.pop("key")
    return row


def _valuation_notes(p: Params, rows: list[dict[str, Any]]) -> list[str]:
    if p.method != "fifo":
        return ["Valued at weighted average cost: on hand x the product's current cost, which "
                "each goods receipt re-averages chain-wide."]
    notes = ["Valued FIFO: each store's on-hand is taken to be its most recently received units, "
             "at the unit costs of the purchase order lines they were received on."]
    beyond = sum(r["beyond_receipts"] for r in rows)
    if beyond:
        notes.append(f"{beyond} units on hand are beyond every known receipt at their store "
                     "(opening stock, transfers in, found or returned stock): they are valued at "
                     "the product's current cost (weighted average); see beyond_receipts.")
    return notes


def _movements(session: Session, actor: Actor, p: Params):  # noqa: ANN202
    rows = [{**r._mapping, "units_in": int(r.units_in), "units_out": int(r.units_out),
             "net": int(r.net)} for r in q.movements(session, actor.scope, p.window, p.store, p.period)]
    return [Column("period", "Period starting"), Column("store", "Store"), Column("reason", "Reason"),
            Column("units_in", "Units in"), Column("units_out", "Units out"), Column("net", "Net"),
            Column("movements", "Movements")], rows


def _overrides(session: Session, actor: Actor, p: Params):  # noqa: ANN202
    rows = [dict(r._mapping) for r in q.override_summary(session, actor.scope, p.window, p.store)]
    return [Column("store", "Store"), Column("action", "Action"), Column("approved_by", "Approved by"),
            Column("overrides", "Overrides"), Column("cashiers", "Cashiers asking"),
            Column("last_at", "Last")], rows


def _exceptions(session: Session, actor: Actor, p: Params):  # noqa: ANN202
    rows = [dict(r._mapping) for r in q.exception_counts(session, actor.scope, p.window, p.store)]
    return [Column("store", "Store"), Column("kind", "Kind"), Column("open", "Open"),
            Column("resolved", "Resolved"), Column("total", "Total")], rows


REPORTS: dict[str, Spec] = {
    "sales-by-store": Spec("Sales by store", EVERYONE, _sales("store")),
    "sales-by-category": Spec("Sales by category", EVERYONE, _sales("category")),
    "sales-by-cashier": Spec("Sales by cashier", PEOPLE_READERS, _sales("cashier")),
    "top-movers": Spec("Top movers", EVERYONE, _top_movers),
    "dead-stock": Spec("Dead stock", EVERYONE, _dead_stock),
    "abc": Spec("ABC classification by revenue", EVERYONE, _abc),
    "gross-profit": Spec("Gross profit", tuple(sorted(COST_READERS)), _gross_profit,
                         by=("category", "store")),
    "stock-on-hand": Spec("Stock on hand and valuation", EVERYONE, _stock_on_hand,
                          by=("product", "store", "category", "chain"), methods=("wac", "fifo"),
                          notes=_valuation_notes),
    "sell-through": Spec("Sell-through", EVERYONE, sell_through.build, by=sell_through.KEYS),
    "movements": Spec("Stock movements", EVERYONE, _movements),
    "open-pos": Spec("Open purchase orders", EVERYONE, open_orders.build),
    "overrides": Spec("Override log summary", SUPERVISORS, _overrides),
    "exceptions": Spec("Exceptions by kind and store", SUPERVISORS, _exceptions),
    "expiring-batches": Spec("Batches expiring soon", EVERYONE, expiring_batches),  # hq_server.batches
}


def readable(actor: Actor) -> list[str]:
    return [name for name, spec in REPORTS.items() if actor.role in spec.roles]


def run(session: Session, actor: Actor, name: str, params: Params) -> Report:
    spec = REPORTS.get(name)
    if spec is None:
        raise KeyError(name)
    if actor.role not in spec.roles:
        raise NotAllowed(f"your role ({actor.role}) may not read {spec.title.lower()}; "
                         f"needs {' or '.join(spec.roles)}")
    if params.store is not None:
        _require_store(session, actor, params.store)
    if params.by is not None and params.by not in spec.by:
        raise BadParams(f"by must be one of {', '.join(spec.by) or '(none)'} for {name}")
    if params.method is not None and params.method not in spec.methods:
        raise BadParams(f"method must be one of {', '.join(spec.methods) or '(none)'} for {name}")
    columns, rows = spec.build(session, actor, params)
    return _report(name, params, columns, rows, actor)


def _require_store(session: Session, actor: Actor, code: str) -> None:
    """404 in words for a store the caller may not see, as every other store-bound call answers
    (not 200 with no rows, which reads as "nothing sold there")."""
    try:
        found = store_ref(session, code)
    except NotFound:
        found = None
    if found is None or found.code != code or not actor.scope.allows(found.id):
        raise NotFound(f"no store {code!r}" if actor.scope.all_stores else f"no store {code!r} among your stores")


def _report(name: str, params: Params, columns: list[Column], rows: list[dict[str, Any]],
            actor: Actor) -> Report:
    spec = REPORTS[name]
    notes = spec.notes(params, rows) if spec.notes else []
    report = Report(name, spec.title, columns, rows, _echo(params, spec), notes)
    return report if actor.sees_costs else report.without_costs()


def _echo(p: Params, spec: Spec) -> dict[str, Any]:
    return {"from": p.window.start, "to": p.window.end, "period": p.period, "store": p.store,
            "by": p.by or (spec.by[0] if spec.by else None), "days": p.days, "limit": p.limit,
            "method": p.method or (spec.methods[0] if spec.methods else None)}


def today_utc() -> date:
    return datetime.now(UTC).date()
