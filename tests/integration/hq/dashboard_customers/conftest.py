"""The Customers pages and the product page's batches over real HTTP and PostgreSQL: one seeded HQ
for the package (signing in is argon2-slow on purpose), a cookie client per role, and a scripted
till in each of S001 and S002. Tests share the chain, so each works on customers of its own."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from hq_server.devices.service import create_enrolment_code
from shared.events import SaleCompleted, SaleLine, Tender
from shared.ids import new_id
from tests.fixtures.hq import signed_in_hq
from tests.integration.hq.batches.conftest import BatchHQ
from tests.integration.hq.dashboard_catalogue.conftest import Browsers
from tests.integration.hq.helpers import ScriptedTill, in_transaction

PEOPLE = {"owner": ("owner", ()), "inventory": ("inventory", ("S001",)), "viewer": ("viewer", ())}


@pytest.fixture(scope="package")
def hq(pg_cluster, _database_pool) -> Iterator[BatchHQ]:  # noqa: ANN001
    with signed_in_hq(pg_cluster.url_for(_database_pool.take()), PEOPLE, BatchHQ) as running:
        yield running


@pytest.fixture(scope="package")
def as_(hq: BatchHQ) -> Iterator[Browsers]:
    browsers = Browsers(hq)
    try:
        yield browsers
    finally:
        browsers.close()


def _till(hq: BatchHQ, store: str) -> ScriptedTill:
    code = in_transaction(hq.database_url, lambda s: create_enrolment_code(s, store))
    return ScriptedTill(hq.url, code, name=f"{store}-till")


@pytest.fixture(scope="package")
def s001(hq: BatchHQ) -> ScriptedTill:
    return _till(hq, "S001")


@pytest.fixture(scope="package")
def s002(hq: BatchHQ) -> ScriptedTill:
    return _till(hq, "S002")


def sell_to(till: ScriptedTill, customer_id: str, receipt_no: str, *lines: tuple[Any, int]) -> str:
    """A sale with the customer attached, as the till records it; its sale id."""
    sale_lines = [SaleLine(i, str(p.id), p.sku, p.name, qty, p.price_minor, p.price_minor * qty)
                  for i, (p, qty) in enumerate(lines, start=1)]
    total = sum(line.line_total_minor for line in sale_lines)
    sale = SaleCompleted(sale_id=new_id(), store_id=till.store_id, receipt_no=receipt_no,
                         cashier="ann", currency=till.currency, lines=sale_lines, total_minor=total,
                         tenders=[Tender("card", total)], change_minor=0,
                         completed_at_ms=int(time.time() * 1000), customer_id=customer_id)
    till.record(SaleCompleted.TYPE, SaleCompleted.SCHEMA_VERSION, sale.to_payload())
    return sale.sale_id


def pushed(till: ScriptedTill) -> None:
    reply = till.push()
    assert reply.status_code == 200, reply.text
