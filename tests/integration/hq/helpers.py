"""A scripted till for HQ tests: enrols, records hash-chained sales, pushes and pulls over HTTP."""

from __future__ import annotations

import time
from typing import Any

import httpx
import psycopg

from hq_server.db.session import psycopg_conninfo
from shared.events import SaleCompleted, SaleLine, Tender
from shared.hlc import HybridLogicalClock
from shared.ids import new_id
from shared.journal import GENESIS_HASH, JournalEvent, seal
from shared.wire import WireEvent


def query(database_url: str, sql: str, params: tuple = ()) -> list[tuple]:
    with psycopg.connect(psycopg_conninfo(database_url)) as conn:
        return conn.execute(sql, params).fetchall()


def scalar(database_url: str, sql: str, params: tuple = ()) -> Any:
    return query(database_url, sql, params)[0][0]


def on_hand(database_url: str, product_id, store_id) -> int:
    return scalar(database_url, "SELECT on_hand FROM stock_on_hand WHERE product_id=%s AND store_id=%s",
                  (product_id, store_id))


class ScriptedTill:
    def __init__(self, hq_url: str, code: str, name: str = "till-1") -> None:
        self.url = hq_url
        reply = httpx.post(f"{hq_url}/api/v1/enrol", json={"code": code, "device_name": name})
        reply.raise_for_status()
        body = reply.json()
        self.device_id, self.token = body["device_id"], body["token"]
        self.store_id, self.currency = body["store_id"], body["currency"]
        self.clock = HybridLogicalClock(self.device_id[-6:])
        self.journal: list[JournalEvent] = []
        self._receipts = 0

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def sell(self, *lines: tuple[Any, int], training: bool = False) -> JournalEvent:
        """Record a sale of (product, quantity) pairs as the next event of the journal."""
        self._receipts += 1
        sale_lines = [SaleLine(i, str(p.id), p.sku, p.name, qty, p.price_minor, p.price_minor * qty)
                      for i, (p, qty) in enumerate(lines, start=1)]
        total = sum(line.line_total_minor for line in sale_lines)
        sale = SaleCompleted(
            sale_id=new_id(), store_id=self.store_id, receipt_no=f"R{self._receipts:06d}",
            cashier="ann", currency=self.currency, lines=sale_lines, total_minor=total,
            tenders=[Tender("card", total)], change_minor=0,
            completed_at_ms=int(time.time() * 1000), training=training,
        )
        return self.record(SaleCompleted.TYPE, SaleCompleted.SCHEMA_VERSION, sale.to_payload())

    def record(self, type_: str, schema_version: int, payload: dict) -> JournalEvent:
        prev = self.journal[-1].hash if self.journal else GENESIS_HASH
        event = seal(event_id=new_id(), device_id=self.device_id, seq=len(self.journal) + 1,
                     hlc=self.clock.now().encode(), type=type_, schema_version=schema_version,
                     payload=payload, prev_hash=prev)
        self.journal.append(event)
        return event

    def push(self, events: list[JournalEvent] | None = None, *, device_id: str | None = None,
             token: str | None = None) -> httpx.Response:
        events = self.journal if events is None else events
        body = {"device_id": device_id or self.device_id,
                "events": [WireEvent.from_journal(e).model_dump() for e in events]}
        headers = {"Authorization": f"Bearer {token}"} if token else self.headers
        return httpx.post(f"{self.url}/api/v1/sync/push", json=body, headers=headers, timeout=30)

    def pull(self, cursor: int = 0, limit: int = 500, wait: float = 0) -> httpx.Response:
        return httpx.get(f"{self.url}/api/v1/sync/pull", headers=self.headers, timeout=wait + 10,
                         params={"cursor": cursor, "limit": limit, "wait": wait})


def in_transaction(database_url: str, work):  # noqa: ANN001, ANN201
    """Run `work(session)` in one HQ transaction, as a service call would."""
    from hq_server.db.session import make_engine, make_session_factory, transaction

    engine = make_engine(database_url, pool_size=1)
    try:
        with transaction(make_session_factory(engine)) as session:
            return work(session)
    finally:
        engine.dispose()


def enrol_till(hq_server, store: str = "S001", name: str = "till-2") -> ScriptedTill:  # noqa: ANN001
    from hq_server.devices.service import create_enrolment_code

    code = in_transaction(hq_server.database_url, lambda s: create_enrolment_code(s, store))
    return ScriptedTill(hq_server.url, code, name=name)


def adjust_stock(database_url: str, product_id, store_id, delta: int) -> None:  # noqa: ANN001
    from hq_server.stock.service import StockBatch

    def adjust(session) -> None:  # noqa: ANN001
        batch = StockBatch()
        batch.add(product_id, store_id, delta, "adjustment")
        batch.flush(session)

    in_transaction(database_url, adjust)


def exceptions(database_url: str, kind: str | None = None) -> list[tuple]:
    """(kind, dedupe_key, details, resolved_at) of every exception, oldest first."""
    where = "WHERE kind = %s" if kind else ""
    return query(database_url, f"SELECT kind, dedupe_key, details, resolved_at FROM exceptions {where} "
                               "ORDER BY raised_at, dedupe_key", (kind,) if kind else ())
