"""The second wall around cost prices: PostgreSQL itself refuses them to roles without the right.

The first wall is the API (`Actor.sees_costs`: cost fields are left out of answers). This one is
for the day that check is forgotten. A signed-in user who may not see costs runs their whole
request as the NOLOGIN role `tillhq_no_costs` (`SET LOCAL ROLE`, so it ends with the
transaction and never leaks to the next user of a pooled connection). Migration 0015 gives that
role what the app's own login has, minus the cost columns (column-level grants) and minus the
cost tables (no grant at all), so a query that names a cost column fails with "permission
denied" instead of answering.

Costs are columns, not rows, so the wall is column privileges rather than row-level policies:
a policy can hide a row but not a column of it.

Work that must touch costs on behalf of such a user (receiving re-averages the cost price and
accrues what is owed to the vendor) lifts the wall explicitly, for that call only:

    with costs_lifted(session, "receiving re-averages cost prices"):
        receive(...)

Not a defence against SQL injection: `SET ROLE` is checked against the login, so injected SQL
could lift it too. It catches mistakes, the API catches the rest.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

from sqlalchemy import BigInteger, Connection, event, inspect, literal, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction, defer, sessionmaker

log = logging.getLogger(__name__)

NO_COSTS_ROLE = "tillhq_no_costs"
# Whole tables a role without the cost right may not read at all.
COST_TABLES = frozenset({"supplier_ledger"})
# Cost columns of tables it otherwise uses. stock_movements.unit_cost_minor arrives in 0016; 0015
# grants that table column by column, so a column added later stays hidden until granted.
COST_COLUMNS: dict[str, frozenset[str]] = {
    "products": frozenset({"cost_minor"}),
    "vendor_products": frozenset({"unit_cost_minor"}),
    "purchase_order_lines": frozenset({"unit_cost_minor"}),
    "vendors": frozenset({"payment_terms_days"}),  # supplier terms
    "stock_movements": frozenset({"unit_cost_minor"}),
}

RAISE_WALL = f"SET LOCAL ROLE {NO_COSTS_ROLE}"  # until the transaction ends
_WALLED = "cost_wall"  # Session.info key: this session's transactions run behind the wall
_LIFTED = "cost_wall_lifted"  # inside a costs_lifted block (an inner one is a no-op)


def raise_wall(session: Session) -> None:
    """From now on, this session's transactions may not read or write cost data."""
    session.info[_WALLED] = True
    session.info[_LIFTED] = False
    session.execute(text(RAISE_WALL))


def is_walled(session: Session) -> bool:
    return bool(session.info.get(_WALLED)) and not session.info.get(_LIFTED)


@contextmanager
def costs_lifted(session: Session, reason: str) -> Iterator[Session]:
    """Run the block with the app's full rights; a no-op for sessions without a wall."""
    if not is_walled(session):
        yield session
        return
    log.info("cost wall lifted: %s", reason)
    session.execute(text("SET LOCAL ROLE NONE"))
    session.info[_LIFTED] = True
    try:
        yield session
    except BaseException:
        session.info[_LIFTED] = False
        # The error may have aborted the transaction, which then refuses any statement; it is
        # rolled back (to a savepoint or whole), and that takes the lift with it.
        with suppress(SQLAlchemyError):
            session.execute(text(RAISE_WALL))
        raise
    session.info[_LIFTED] = False
    session.execute(text(RAISE_WALL))


def cost_or_zero(session: Session, column: Any) -> Any:
    """`column`, or 0 under its name where the session is walled: for a figure the API drops for
    roles without the cost right anyway (identity.Actor.sees_costs), so it is not even read."""
    return literal(0, BigInteger).label(column.key) if is_walled(session) else column


def install(factory: sessionmaker[Session]) -> None:
    """Make the factory's sessions keep their wall across transactions and load whole rows
    without the cost columns while walled."""
    event.listen(factory, "after_begin", _rewall)
    event.listen(factory, "do_orm_execute", _defer_costs)


def _rewall(session: Session, transaction: SessionTransaction, connection: Connection) -> None:
    """A walled session that commits and goes on starts its next transaction walled too."""
    if is_walled(session):
        connection.execute(text(RAISE_WALL))


def _defer_costs(state: ORMExecuteState) -> None:
    """`select(Product)` behind the wall leaves cost_minor unloaded (it would be refused); reading
    the attribute later loads it, and PostgreSQL refuses that. A query that names a cost column
    itself is not touched: PostgreSQL refuses it."""
    if not state.is_select or state.is_column_load or not is_walled(state.session):
        return
    options = [defer(getattr(entity, column)) for entity, columns in _whole_rows(state.statement)
               for column in sorted(columns)]
    if options:
        state.statement = state.statement.options(*options)


def _whole_rows(statement: Any) -> Iterator[tuple[Any, frozenset[str]]]:
    """(entity, its cost columns) for each mapped class (or alias) the statement loads whole."""
    for description in getattr(statement, "column_descriptions", ()):
        info = inspect(description["expr"], raiseerr=False)
        mapper = getattr(info, "mapper", None)
        if info is None or mapper is None or not (info is mapper or getattr(info, "is_aliased_class", False)):
            continue
        columns = COST_COLUMNS.get(getattr(mapper.local_table, "name", ""), frozenset())
        if columns:
            yield description["expr"], columns
