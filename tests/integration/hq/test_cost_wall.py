"""The second wall around cost prices: PostgreSQL refuses cost data to roles without the right.

The API leaves costs out for inventory staff and viewers (test_permission_matrix.py); these
tests take the API's check away and show PostgreSQL refusing anyway. Test-only routes run inside
a real request of a signed-in user (same dependencies, same session as any endpoint) and report
what PostgreSQL answered: a raw SELECT of a cost column, a repository function that reads costs
(as an endpoint that forgot its role check would call it), an ORM row's cost attribute. Cost
readers get the costs on the same routes; the work that needs costs for a no-cost user
(receiving, till ingest) still gets them.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any

import psycopg
import pytest
from alembic import command
from fastapi import APIRouter
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from hq_server.auth.deps import CurrentUser
from hq_server.db.cost_wall import (
    COST_COLUMNS,
    COST_TABLES,
    NO_COSTS_ROLE,
    costs_lifted,
    raise_wall,
)
from hq_server.db.migrate import alembic_config
from hq_server.db.models import Product
from hq_server.db.session import make_engine, make_session_factory, transaction
from hq_server.deps import DbSession
from hq_server.purchasing import ledger, vendors
from tests.fixtures.hq import signed_in_hq
from tests.integration.hq.helpers import enrol_till, query, scalar

INSUFFICIENT_PRIVILEGE = "42501"
NO_COSTS = ("inventory", "viewer")
READERS = ("admin", "buyer")


def _answer(session: Session, work: Callable[[], Any]) -> dict[str, Any]:
    """What `work` read, or PostgreSQL's refusal (SQLSTATE and message), in a savepoint so the
    request goes on either way."""
    try:
        with session.begin_nested():
            return {"value": work()}
    except DBAPIError as error:
        original = error.orig
        assert isinstance(original, psycopg.Error), "refused by PostgreSQL, not by Python"
        return {"sqlstate": original.sqlstate, "message": str(original).splitlines()[0]}


def _probes() -> APIRouter:
    router = APIRouter(prefix="/api/v1/test-only", include_in_schema=False)

    @router.get("/role")
    def role(session: DbSession, user: CurrentUser) -> dict[str, Any]:
        return {"current_user": session.scalar(text("SELECT current_user")), "sees_costs": user.sees_costs}

    @router.get("/raw-cost")
    def raw_cost(session: DbSession, user: CurrentUser) -> dict[str, Any]:
        return _answer(session, lambda: session.scalar(text("SELECT max(cost_minor) FROM products")))

    @router.get("/buggy-vendor-costs/{vendor_id}")
    def buggy_vendor_costs(vendor_id: uuid.UUID, session: DbSession, user: CurrentUser) -> dict[str, Any]:
        """A real repository function, called without the role check an endpoint should make."""
        ids = list(session.scalars(select(Product.id)))
        return _answer(session, lambda: {str(k): v for k, v in vendors.vendor_costs(session, vendor_id, ids).items()})

    @router.get("/buggy-balance/{vendor_id}")
    def buggy_balance(vendor_id: uuid.UUID, session: DbSession, user: CurrentUser) -> dict[str, Any]:
        return _answer(session, lambda: ledger.balance_of(session, vendor_id))

    @router.get("/orm-product/{sku}")
    def orm_product(sku: str, session: DbSession, user: CurrentUser) -> dict[str, Any]:
        """A whole row loads without its cost; reading the cost attribute then is refused."""
        product = session.scalars(select(Product).where(Product.sku == sku)).one()
        return {"name": product.name, "cost": _answer(session, lambda: product.cost_minor)}

    @router.get("/lifted-cost/{sku}")
    def lifted_cost(sku: str, session: DbSession, user: CurrentUser) -> dict[str, Any]:
        with costs_lifted(session, "test: a named, deliberate read of a cost"):
            cost = session.scalar(select(Product.cost_minor).where(Product.sku == sku))
        after = _answer(session, lambda: session.scalar(text("SELECT max(cost_minor) FROM products")))
        return {"cost": cost, "after": after}

    return router


@pytest.fixture(scope="module")
def hq(pg_cluster, _database_pool):  # noqa: ANN001, ANN201
    people = {"viewer": ("viewer", ()), "inventory": ("inventory", ("S001",)), "owner": ("owner", ())}
    with signed_in_hq(pg_cluster.url_for(_database_pool.take()), people,
                      prepare=lambda running: running.app.include_router(_probes())) as running:
        yield running


@pytest.fixture(scope="module")
def vendor(hq) -> dict[str, Any]:  # noqa: ANN001
    """A vendor supplying the first product at 450, on 45 days' terms."""
    product = hq.seed.products[0]
    made = hq.ok("admin", "POST", "/vendors", {"name": "Wall Supplies", "payment_terms_days": 45})
    hq.ok("admin", "PUT", f"/vendors/{made['id']}/products/{product.id}",
          {"unit_cost_minor": 450, "vendor_sku": "W-1", "preferred": True})
    return made


def _cost(hq, product) -> int:  # noqa: ANN001
    return scalar(hq.database_url, "SELECT cost_minor FROM products WHERE id = %s", (product.id,))


def _refused(answer: dict[str, Any]) -> bool:
    return answer.get("sqlstate") == INSUFFICIENT_PRIVILEGE and "permission denied" in answer["message"]


@pytest.mark.parametrize("who", NO_COSTS)
def test_a_no_cost_request_runs_as_the_no_costs_role(hq, who: str) -> None:  # noqa: ANN001
    assert hq.ok(who, "GET", "/test-only/role") == {"current_user": NO_COSTS_ROLE, "sees_costs": False}


@pytest.mark.parametrize("who", READERS)
def test_a_cost_reader_runs_as_the_apps_own_login(hq, who: str) -> None:  # noqa: ANN001
    assert hq.ok(who, "GET", "/test-only/role") == {"current_user": "tillhq", "sees_costs": True}


@pytest.mark.parametrize("who", NO_COSTS)
def test_a_raw_query_for_a_cost_column_is_refused_by_postgresql(hq, who: str) -> None:  # noqa: ANN001
    answer = hq.ok(who, "GET", "/test-only/raw-cost")
    assert _refused(answer), answer
    assert "products" in answer["message"]


def test_a_cost_reader_gets_the_same_raw_query_answered(hq) -> None:  # noqa: ANN001
    expected = scalar(hq.database_url, "SELECT max(cost_minor) FROM products")
    assert hq.ok("buyer", "GET", "/test-only/raw-cost") == {"value": expected}


@pytest.mark.parametrize("who", NO_COSTS)
def test_repository_code_reading_costs_without_a_role_check_is_refused(hq, vendor, who: str) -> None:  # noqa: ANN001
    costs = hq.ok(who, "GET", f"/test-only/buggy-vendor-costs/{vendor['id']}")
    owed = hq.ok(who, "GET", f"/test-only/buggy-balance/{vendor['id']}")
    assert _refused(costs) and "vendor_products" in costs["message"], costs
    assert _refused(owed) and "supplier_ledger" in owed["message"], owed


def test_the_same_repository_code_answers_a_cost_reader(hq, vendor) -> None:  # noqa: ANN001
    costs = hq.ok("buyer", "GET", f"/test-only/buggy-vendor-costs/{vendor['id']}")
    assert costs == {"value": {str(hq.seed.products[0].id): 450}}
    assert hq.ok("buyer", "GET", f"/test-only/buggy-balance/{vendor['id']}") == {"value": 0}


@pytest.mark.parametrize("who", NO_COSTS)
def test_a_whole_orm_row_loads_without_its_cost_and_the_cost_is_refused(hq, who: str) -> None:  # noqa: ANN001
    product = hq.seed.products[0]
    answer = hq.ok(who, "GET", f"/test-only/orm-product/{product.sku}")
    assert answer["name"] == product.name
    assert _refused(answer["cost"]), answer


def test_a_cost_reader_reads_the_orm_rows_cost(hq) -> None:  # noqa: ANN001
    product = hq.seed.products[0]
    answer = hq.ok("admin", "GET", f"/test-only/orm-product/{product.sku}")
    assert answer["cost"] == {"value": _cost(hq, product)}


def test_a_lift_reads_the_cost_and_the_wall_stands_again_after_it(hq) -> None:  # noqa: ANN001
    product = hq.seed.products[1]
    answer = hq.ok("inventory", "GET", f"/test-only/lifted-cost/{product.sku}")
    assert answer["cost"] == _cost(hq, product)
    assert _refused(answer["after"]), answer


@pytest.mark.parametrize("who", NO_COSTS)
def test_the_api_still_leaves_costs_out_and_answers(hq, vendor, who: str) -> None:  # noqa: ANN001
    shown = hq.ok(who, "GET", f"/vendors/{vendor['id']}")
    links = hq.ok(who, "GET", f"/vendors/{vendor['id']}/products")
    assert shown["name"] == "Wall Supplies" and "payment_terms_days" not in shown
    assert links and all("unit_cost_minor" not in link for link in links)
    assert hq.ok("buyer", "GET", f"/vendors/{vendor['id']}")["payment_terms_days"] == 45


@pytest.mark.parametrize(("who", "with_cost"), [("inventory", False), ("viewer", False), ("buyer", True)])
def test_the_catalogue_export_streams_on_its_own_connection_behind_the_wall(hq, who: str,  # noqa: ANN001
                                                                              with_cost: bool) -> None:
    reply = hq.call(who, "GET", "/catalogue/products.csv")
    assert reply.status_code == 200, reply.text
    header, *rows = reply.text.splitlines()
    assert ("cost" in header.split(",")) is with_cost
    assert len(rows) >= len(hq.seed.products)


def test_inventory_staff_receiving_still_re_averages_the_cost_and_accrues_the_debt(hq, vendor) -> None:  # noqa: ANN001
    product = hq.seed.products[0]
    held = scalar(hq.database_url, "SELECT coalesce(sum(on_hand), 0) FROM stock_on_hand WHERE product_id = %s",
                  (product.id,))
    before = scalar(hq.database_url, "SELECT cost_minor FROM products WHERE id = %s", (product.id,))
    order = hq.ok("buyer", "POST", "/purchase-orders", {
        "store_code": "S001", "vendor_id": vendor["id"],
        "lines": [{"product_id": str(product.id), "quantity": 10, "unit_cost_minor": 2000}]})
    for step in ("approve", "send"):
        hq.ok("buyer", "POST", f"/purchase-orders/{order['id']}/{step}")

    receipt = hq.ok("inventory", "POST", f"/purchase-orders/{order['id']}/receipts",
                    {"lines": [{"line_no": 1, "quantity": 10}]})

    assert receipt["lines"][0]["received_now"] == 10
    assert "accrued_minor" not in receipt and "unit_cost_minor" not in receipt["order"]["lines"][0]
    after = scalar(hq.database_url, "SELECT cost_minor FROM products WHERE id = %s", (product.id,))
    assert after == (int(held) * before + 10 * 2000 + (int(held) + 10) // 2) // (int(held) + 10)
    assert after != before
    assert scalar(hq.database_url, "SELECT sum(amount_minor) FROM supplier_ledger WHERE vendor_id = %s",
                  (uuid.UUID(vendor["id"]),)) == 10 * 2000
    assert scalar(hq.database_url, "SELECT unit_cost_minor FROM stock_movements WHERE reason = 'receipt' "
                  "AND reference = %s", (order["number"],)) == 2000


def test_till_ingest_still_feeds_the_cost_of_goods_sold(hq) -> None:  # noqa: ANN001
    product = hq.seed.products[2]
    till = enrol_till(hq, "S002", name="till-wall")
    till.sell((product, 3))
    assert till.push().status_code == 200

    report = hq.ok("owner", "GET", "/reports/gross-profit", params={"by": "store"})
    s002 = next(row for row in report["rows"] if row["store"] == "S002")
    assert s002["cogs_minor"] == 3 * _cost(hq, product)
    assert "cogs_minor" not in str(hq.ok("viewer", "GET", "/reports/stock-on-hand"))


def test_the_grants_hide_exactly_the_declared_cost_columns(hq_database_url: str) -> None:
    columns = query(hq_database_url, """
        SELECT c.table_name, c.column_name,
               has_column_privilege(%s, format('%%I', c.table_name), c.column_name, 'SELECT')
        FROM information_schema.columns c JOIN pg_tables t
          ON t.schemaname = c.table_schema AND t.tablename = c.table_name
        WHERE c.table_schema = 'public'""", (NO_COSTS_ROLE,))
    wrong = [(table, column, readable) for table, column, readable in columns
             if readable == (table in COST_TABLES or column in COST_COLUMNS.get(table, ()))]
    assert wrong == []
    # A new column that smells of cost must be declared (and hidden) on purpose.
    costly = {(table, column) for table, column, _ in columns if re.search("cost", column)}
    assert costly <= {(t, c) for t, cs in COST_COLUMNS.items() for c in cs}


def test_a_wall_ends_with_its_transaction_and_never_reaches_the_next_user(hq_database_url: str) -> None:
    engine = make_engine(hq_database_url, pool_size=1, max_overflow=0)
    factory = make_session_factory(engine)
    try:
        with factory() as session:
            raise_wall(session)
            assert session.scalar(text("SELECT current_user")) == NO_COSTS_ROLE
            session.commit()  # a walled session that goes on stays walled
            assert session.scalar(text("SELECT current_user")) == NO_COSTS_ROLE
            session.commit()
        with transaction(factory) as session:  # the same pooled connection, the next request
            assert session.scalar(text("SELECT current_user")) == "tillhq"
            assert session.scalar(text("SELECT count(cost_minor) FROM products")) >= 0
    finally:
        engine.dispose()


def test_a_lift_that_fails_inside_a_savepoint_leaves_the_wall_standing(hq_database_url: str) -> None:
    engine = make_engine(hq_database_url, pool_size=1)
    try:
        with transaction(make_session_factory(engine)) as session:
            raise_wall(session)
            with pytest.raises(DBAPIError), session.begin_nested(), \
                    costs_lifted(session, "test: a lifted read that fails"):
                session.execute(text("SELECT 1 / 0"))
            assert session.scalar(text("SELECT current_user")) == NO_COSTS_ROLE
    finally:
        engine.dispose()


def test_migration_0015_goes_down_and_up_again(hq_database_url: str) -> None:
    config = alembic_config(hq_database_url)
    grants = ("SELECT count(*) FROM information_schema.column_privileges "
              "WHERE grantee = %s AND table_catalog = current_database()")

    command.downgrade(config, "0014")
    assert scalar(hq_database_url, grants, (NO_COSTS_ROLE,)) == 0
    command.upgrade(config, "head")
    assert scalar(hq_database_url, grants, (NO_COSTS_ROLE,)) > 0
    assert not scalar(hq_database_url, "SELECT has_column_privilege(%s, 'products', 'cost_minor', 'SELECT')",
                      (NO_COSTS_ROLE,))


def test_an_app_login_that_is_not_a_superuser_migrates_and_is_walled(pg_cluster) -> None:  # noqa: ANN001
    """The usual production set-up: HQ's own login (CREATEROLE, owner of its database) runs the
    migrations, so it is made a member of the no-costs role and can wall its requests."""
    login, database, password = f"app_{uuid.uuid4().hex[:8]}", f"w_{uuid.uuid4().hex[:8]}", "app-password"
    with psycopg.connect(pg_cluster.conninfo(), autocommit=True) as admin:
        admin.execute(f"CREATE ROLE {login} LOGIN CREATEROLE PASSWORD '{password}'")
        admin.execute(f"CREATE DATABASE {database} OWNER {login}")
    url = pg_cluster.url_for(database).replace(f"tillhq:{pg_cluster.password}@", f"{login}:{password}@")
    try:
        command.upgrade(alembic_config(url), "head")
        engine = make_engine(url, pool_size=1)
        try:
            with transaction(make_session_factory(engine)) as session:
                session.execute(text("INSERT INTO products (id, sku, name, price_minor, cost_minor, currency) "
                                     "VALUES (gen_random_uuid(), 'W-1', 'Walled', 200, 120, 'EUR')"))
                raise_wall(session)
                assert session.scalar(text("SELECT name FROM products")) == "Walled"
                refused = _answer(session, lambda: session.scalar(text("SELECT cost_minor FROM products")))
                assert refused["sqlstate"] == INSUFFICIENT_PRIVILEGE
                with costs_lifted(session, "test: the login's own rights"):
                    assert session.scalar(text("SELECT cost_minor FROM products")) == 120
        finally:
            engine.dispose()
    finally:
        with psycopg.connect(pg_cluster.conninfo(), autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
            admin.execute(f"DROP ROLE IF EXISTS {login}")
