"""Real tills (SQLite ledger files) enrolled at a real HQ, and what to compare between them."""

from __future__ import annotations

import collections
from pathlib import Path

import psycopg
import requests

from hq_server.db.session import psycopg_conninfo
from shared.events import SaleCompleted
from shared.journal import JournalEvent
from shared.merge import stock_deltas_for_sale
from shared.wire import PushRequest, WireEvent
from till.bootstrap import Till, build_till
from till.ledger.journal import all_events
from till.sale import Basket
from till.sync import enrol, load_credential


def enrolled_till(data_dir: Path, hq_url: str, code: str, long_poll_wait: float = 2.0) -> Till:
    """Enrol through `hq_url` (a proxy in most tests) and catch up with the catalogue."""
    enrol(data_dir, hq_url, code, device_name=data_dir.name)
    till = build_till(data_dir, "none", cashier="Ana", long_poll_wait=long_poll_wait)
    assert till.agent is not None
    status = till.agent.sync_once()
    assert status["online"], status
    return till


def reopen(till: Till, long_poll_wait: float = 2.0) -> Till:
    """A crash as the till sees it: the process is gone, the ledger file is what is left."""
    till.close()
    return build_till(till.data_dir, "none", cashier="Ana", long_poll_wait=long_poll_wait)


def sell(till: Till, lines: list[tuple[str, int]]):  # noqa: ANN201
    basket = Basket(till.ledger.require_store().currency)
    for barcode, quantity in lines:
        basket.add(till.catalog.lookup(barcode), quantity)
    return till.sales.complete_sale(basket, basket.total, till.cashier)


def journal(till: Till) -> list[JournalEvent]:
    return all_events(till.ledger.connection())


def push_raw(url: str, till: Till, events: list[JournalEvent], timeout: float = 10) -> requests.Response:
    """Deliver `events` to HQ as the till would, without the till ever hearing the answer."""
    credential = load_credential(till.data_dir)
    body = PushRequest(device_id=credential.device_id,
                       events=[WireEvent.from_journal(e) for e in events]).model_dump(mode="json")
    return requests.post(f"{url}/api/v1/sync/push", json=body, timeout=timeout,
                         headers={"Authorization": f"Bearer {credential.token}"})


def device_id(till: Till) -> str:
    return load_credential(till.data_dir).device_id


def query(database_url: str, sql: str, params: tuple = ()) -> list[tuple]:
    with psycopg.connect(psycopg_conninfo(database_url)) as conn:
        return conn.execute(sql, params).fetchall()


def hq_chain(database_url: str, device: str) -> list[tuple[int, str]]:
    """(seq, hash) of every event HQ holds for `device`, in seq order."""
    return [(seq, h) for seq, h in query(
        database_url, "SELECT seq, hash FROM events WHERE device_id = %s ORDER BY seq", (device,))]


def till_chain(till: Till) -> list[tuple[int, str]]:
    return [(e.seq, e.hash) for e in journal(till)]


def on_hand(database_url: str) -> dict[tuple[str, str], int]:
    return {(str(p), str(s)): n for p, s, n in query(
        database_url, "SELECT product_id, store_id, on_hand FROM stock_on_hand")}


def sale_deltas(events: list[JournalEvent]) -> dict[tuple[str, str], int]:
    """Merge rule 2 over a journal: the stock each (product, store) lost to these sales."""
    total: dict[tuple[str, str], int] = collections.Counter()
    for event in events:
        if event.type == SaleCompleted.TYPE:
            for delta in stock_deltas_for_sale(SaleCompleted.from_payload(event.payload)):
                total[(delta.product_id, delta.store_id)] += delta.delta
    return total


def hq_prices(database_url: str) -> dict[str, int]:
    return dict(query(database_url, "SELECT sku, price_minor FROM products"))


def assert_holds_exactly(database_url: str, till: Till) -> None:
    """Every fact of the till at HQ exactly once: same seqs, same hashes, nothing else."""
    assert hq_chain(database_url, device_id(till)) == till_chain(till)
    sale_rows = query(database_url, "SELECT count(*), count(DISTINCT event_id) FROM sales "
                                    "WHERE device_id = %s", (device_id(till),))[0]
    assert sale_rows[0] == sale_rows[1] == sum(e.type == SaleCompleted.TYPE for e in journal(till))


def inventory(hq, method: str, path: str, body: dict | None = None) -> requests.Response:  # noqa: ANN001
    """The back office's inventory API (counts, transfers), signed in as the seeded admin."""
    return requests.request(method, f"{hq.url}/api/v1/inventory{path}", json=body,
                            headers=hq.admin_headers, timeout=30)


def ok(reply: requests.Response) -> dict:
    assert reply.status_code < 300, reply.text
    return reply.json()


def sale_movements(events: list[JournalEvent]) -> dict[tuple[str, str], list[tuple[int, str]]]:
    """Merge rules 1 and 2 over journals: (delta, hlc) of every sale movement per (product, store)."""
    moves: dict[tuple[str, str], list[tuple[int, str]]] = collections.defaultdict(list)
    for event in events:
        if event.type == SaleCompleted.TYPE:
            for delta in stock_deltas_for_sale(SaleCompleted.from_payload(event.payload)):
                moves[(delta.product_id, delta.store_id)].append((delta.delta, event.hlc))
    return moves
