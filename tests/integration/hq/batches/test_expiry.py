"""Expiry: the expiring-batches report (JSON, CSV, within the reader's stores) and one expiry
exception per batch inside its store's alert window, however often the alerts run."""

from __future__ import annotations

import asyncio
import contextlib
import csv
import io

from hq_server.app import EXPIRY_CHECK_S
from hq_server.batches.alerts import raise_expiry_alerts, raise_expiry_alerts_today
from hq_server.cli import main
from hq_server.db.session import make_engine, make_session_factory
from hq_server.periodic import every
from tests.integration.hq.helpers import query

from .helpers import days_from_today


def test_the_report_lists_batches_expiring_within_n_days_in_the_readers_stores(hq):
    sku = "SKN-HYA-50"
    hq.track(sku)
    order = hq.sent_order(sku, 6)
    hq.receive(order, 2, "SOON-R", days_from_today(3))
    hq.receive(order, 4, "LATER-R", days_from_today(60))

    report = hq.ok("inventory", "GET", "/reports/expiring-batches?days=7")
    mine = [r for r in report["rows"] if r["sku"] == sku]
    assert mine == [{"store": "S001", "sku": sku, "name": "Hyaluronic Day Cream 50ml", "batch": "SOON-R",
                     "expires_on": days_from_today(3).isoformat(), "days_left": 3, "quantity": 2}]
    assert "expiring-batches" in [r["name"] for r in hq.ok("viewer", "GET", "/reports")["reports"]]

    wider = hq.ok("viewer", "GET", "/reports/expiring-batches?days=90")
    assert [r["batch"] for r in wider["rows"] if r["sku"] == sku] == ["SOON-R", "LATER-R"]
    other_store = hq.ok("manager_s002", "GET", "/reports/expiring-batches?days=90")
    assert [r for r in other_store["rows"] if r["store"] != "S002"] == []
    assert [r for r in other_store["rows"] if r["sku"] == sku] == []

    reply = hq.call("admin", "GET", "/reports/expiring-batches.csv?days=7&store=S001")
    assert reply.status_code == 200 and reply.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(reply.text)))
    assert rows[0] == ["store", "sku", "name", "batch", "expires_on", "days_left", "quantity"]
    assert ["S001", sku, "Hyaluronic Day Cream 50ml", "SOON-R", days_from_today(3).isoformat(), "3", "2"] in rows


def test_an_expiry_exception_is_raised_once_per_batch_inside_the_store_window(hq, monkeypatch, capsys):
    sku = "SHA-DRY-200"
    product = hq.seed.product(sku)
    hq.track(sku)
    order = hq.sent_order(sku, 9)
    hq.receive(order, 2, "D-5", days_from_today(5))
    hq.receive(order, 3, "D-12", days_from_today(12))
    hq.receive(order, 4, "D-90", days_from_today(90))
    assert hq.ok("store_manager", "PUT", "/batches/alert-window/S001", {"days": 14}) == {
        "store": "S001", "expiry_alert_days": 14}
    today = days_from_today(0)

    first = hq.in_transaction(lambda s: raise_expiry_alerts(s, today))
    again = hq.in_transaction(lambda s: raise_expiry_alerts(s, today))

    assert first >= 2 and again == 0
    raised = query(hq.database_url, """
        SELECT e.kind, e.dedupe_key, e.details->>'batch', (e.details->>'quantity')::int, s.code
        FROM exceptions e JOIN stores s ON s.id = e.store_id
        WHERE e.product_id = %s ORDER BY e.details->>'expires_on'""", (product.id,))
    batch_ids = dict(query(hq.database_url, "SELECT code, id FROM product_batches WHERE product_id = %s",
                           (product.id,)))
    assert raised == [("expiry", f"expiry:{batch_ids['D-5']}", "D-5", 2, "S001"),
                      ("expiry", f"expiry:{batch_ids['D-12']}", "D-12", 3, "S001")]

    # The CLI runs the same function: nothing new to raise the same day.
    monkeypatch.setenv("DATABASE_URL", hq.database_url)
    assert main(["expiry-alerts", "--on", today.isoformat()]) == 0
    assert "0 new" in capsys.readouterr().out
    worklist = hq.ok("store_manager", "GET", "/exceptions?kind=expiry")
    assert {e["details"]["batch"] for e in worklist["exceptions"] if e["details"]["sku"] == sku} == {"D-5", "D-12"}


def test_a_sold_out_batch_raises_no_expiry_alert(hq, till):
    sku = "VIT-BIO-60"
    product = hq.seed.product(sku)
    hq.track(sku)
    order = hq.sent_order(sku, 3)
    hq.receive(order, 3, "GONE", days_from_today(2))
    assert till.push([till.sell((product, 3))]).status_code == 200

    hq.in_transaction(lambda s: raise_expiry_alerts(s, days_from_today(0)))

    assert query(hq.database_url, "SELECT count(*) FROM exceptions WHERE product_id = %s",
                 (product.id,)) == [(0,)]


def test_hqs_housekeeping_raises_the_alerts_without_anyone_running_the_cli(hq):
    sku = "SKN-CLN-200"
    product = hq.seed.product(sku)
    hq.track(sku)
    # At S002: the FEFO tests read this product's batches at S001 (one HQ for the package).
    assert hq.receive(hq.sent_order(sku, 1, store="S002"), 1, "HK-1", days_from_today(2),
                      who="admin").status_code == 201
    engine = make_engine(hq.database_url, pool_size=1)
    try:
        asyncio.run(_run_briefly(make_session_factory(engine), hq.database_url, product.id))
    finally:
        engine.dispose()
    assert query(hq.database_url, "SELECT details->>'batch' FROM exceptions WHERE kind = 'expiry' "
                                  "AND product_id = %s", (product.id,)) == [("HK-1",)]


async def _run_briefly(factory, url: str, product_id) -> None:  # noqa: ANN001
    """The lifespan's job as create_app starts it (first run at once, then hourly)."""
    task = asyncio.create_task(every(EXPIRY_CHECK_S, factory, raise_expiry_alerts_today, "expiry"))
    for _ in range(200):
        await asyncio.sleep(0.05)
        found = await asyncio.to_thread(query, url, "SELECT 1 FROM exceptions WHERE kind = "
                                        "'expiry' AND product_id = %s", (product_id,))
        if found:
            break
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
