"""Till speed on a 200,000-item catalogue: scan, search, sale commit, startup, memory.

The catalogue arrives as it does in the field, through the pull code path (`apply_pull_page`),
into a real SQLite ledger file. Every till figure is set against a bare SQLite insert+commit
(WAL, synchronous=FULL) on the same disk in the same run.
"""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from shared.barcodes import make_ean13
from shared.wire import Change, PullResponse
from till.ledger import Ledger
from till.ledger.master_data import apply_pull_page
from till.paths import ledger_path
from till.sync.credential import Credential
from till.sync.enrol import write_store_meta

from .report import Result, summarise

CATALOGUE = int(os.environ.get("BENCH_CATALOGUE", "200000"))
N = int(os.environ.get("BENCH_N", "300"))
STORE_ID = "01950000-0000-7000-8000-0000000000a1"
WORDS = ["Argan", "Keratin", "Volume", "Repair", "Shine", "Curl", "Silk", "Rose", "Mint", "Coconut",
         "Shampoo", "Conditioner", "Serum", "Mask", "Spray", "Gel", "Brush", "Comb", "Polish", "Cream"]

_DATA_DIR: Path | None = None


def barcode(i: int) -> str:
    return make_ean13(f"20{i:010d}")


def product(i: int) -> dict:
    rng = random.Random(i)
    name = " ".join(rng.sample(WORDS, 3)) + f" {rng.choice([50, 100, 250, 500])}ml"
    return {"product_id": f"p{i:07d}", "sku": f"SKU-{i:07d}", "name": name,
            "barcodes": [barcode(i)], "price_minor": rng.randrange(99, 4999), "currency": "EUR",
            "tax_class": "standard", "active": True}


def build_catalogue_till() -> Path:
    """A till data folder enrolled in a (never contacted) HQ with CATALOGUE products; cached."""
    global _DATA_DIR
    if _DATA_DIR is not None:
        return _DATA_DIR
    data_dir = Path(tempfile.mkdtemp(prefix="tillhq-bench-till-"))
    credential = Credential("0195abcd-0000-7000-8000-000000000001", "bench", "http://127.0.0.1:9",
                            STORE_ID, "S001", "Bench Store", "EUR")
    with Ledger.open(ledger_path(data_dir)) as ledger:
        write_store_meta(ledger, credential)
        for start in range(0, CATALOGUE, 2000):
            changes = [Change(cursor=i + 1, kind="product", data=product(i))
                       for i in range(start, min(start + 2000, CATALOGUE))]
            changes += [Change(cursor=CATALOGUE + i + 1, kind="stock",
                               data={"product_id": f"p{i:07d}", "store_id": STORE_ID, "on_hand": 50})
                        for i in range(start, min(start + 2000, CATALOGUE))]
            page = PullResponse(changes=changes, next_cursor=changes[-1].cursor, has_more=False)
            with ledger.transaction() as uow:
                apply_pull_page(uow, page, STORE_ID)
    _DATA_DIR = data_dir
    return data_dir


def bare_sqlite_commits(n: int = N) -> list[float]:
    """The floor: one small row inserted and committed durably, as the journal does."""
    with tempfile.TemporaryDirectory() as folder:
        conn = sqlite3.connect(Path(folder) / "bare.sqlite3", isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, payload TEXT)")
        samples = []
        for i in range(n):
            started = time.perf_counter()
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT INTO t (payload) VALUES (?)", ("x" * 600 + str(i),))
            conn.execute("COMMIT")
            samples.append((time.perf_counter() - started) * 1000)
        conn.close()
    return samples


def _window():
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from till.bootstrap import build_till
    from till.ui.main_window import MainWindow
    from till.ui.qt import QApplication

    app = QApplication.instance() or QApplication([])
    till = build_till(build_catalogue_till(), "none", cashier="bench")
    window = MainWindow(till.presenter_factory(), lambda: {"online": True, "pending": 0,
                                                             "last_sync": None, "last_error": None})
    window.resize(1024, 768)
    window.show()
    app.processEvents()
    return app, till, window


def bench_scan_to_line() -> Result:
    from PySide6.QtTest import QTest

    from till.ui.qt import Qt

    app, till, window = _window()
    rng = random.Random(1)
    samples = []
    try:
        for i in range(N):
            if i % 20 == 0:
                window.presenter.new_sale()
            code = barcode(rng.randrange(CATALOGUE))
            window.scan_input.setText(code)
            rows = window.lines_table.rowCount()
            started = time.perf_counter()
            QTest.keyClick(window.scan_input, Qt.Key_Return)
            window.lines_table.repaint()
            app.processEvents()
            samples.append((time.perf_counter() - started) * 1000)
            assert window.lines_table.rowCount() >= rows, "scan did not add a line"
    finally:
        window.close()
        till.close()
    return summarise("till.scan_to_line", "ms", samples, "sqlite.insert_commit", bare_sqlite_commits())


def bench_search() -> Result:
    from till.bootstrap import build_till

    till = build_till(build_catalogue_till(), "none")
    rng = random.Random(2)
    samples = []
    try:
        for _ in range(N):
            word = rng.choice(WORDS)
            typed = word[: rng.randint(2, len(word))]  # what the cashier has typed so far
            started = time.perf_counter()
            found = till.catalog.search(typed, limit=20)
            samples.append((time.perf_counter() - started) * 1000)
            assert found, f"no result for {typed!r}"
    finally:
        till.close()
    return summarise("till.search", "ms", samples, "sqlite.insert_commit", bare_sqlite_commits())


def bench_sale_commit() -> Result:
    from till.bootstrap import build_till
    from till.sale import Basket

    till = build_till(build_catalogue_till(), "none", cashier="bench")
    rng = random.Random(3)
    samples = []
    try:
        for _ in range(N):
            basket = Basket("EUR")
            for _ in range(4):
                basket.add(till.catalog.lookup(barcode(rng.randrange(CATALOGUE))))
            started = time.perf_counter()
            till.sales.complete_sale(basket, basket.total, "bench")
            samples.append((time.perf_counter() - started) * 1000)
    finally:
        till.close()
    return summarise("till.sale_commit", "ms", samples, "sqlite.insert_commit", bare_sqlite_commits())


STARTUP_SCRIPT = """
import os, sys, time
started = time.perf_counter()
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from till.bootstrap import build_till
from till.ui.main_window import MainWindow
from till.ui.qt import QApplication
app = QApplication([])
till = build_till(sys.argv[1], "none")
window = MainWindow(till.presenter_factory(), lambda: {"online": True, "pending": 0, "last_sync": None, "last_error": None})
window.show(); app.processEvents()
window.presenter.scan(sys.argv[2]); app.processEvents()
ready = (time.perf_counter() - started) * 1000
rss = int([l for l in open("/proc/self/status") if l.startswith("VmRSS")][0].split()[1]) / 1024
print(ready, rss)
till.close()
"""


def _startups(runs: int = 7) -> tuple[list[float], list[float]]:
    data_dir = build_catalogue_till()
    ready, rss = [], []
    for _ in range(runs):
        started = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", STARTUP_SCRIPT, str(data_dir), barcode(7)],
                             capture_output=True, text=True, timeout=60, check=True).stdout.split()
        ready.append((time.perf_counter() - started) * 1000)  # process start included
        rss.append(float(out[1]))
    return ready, rss


def _python_startups(runs: int = 7) -> list[float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True, timeout=30)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def bench_startup() -> Result:
    ready, _ = _startups()
    return summarise("till.startup", "ms", ready, "python.startup", _python_startups())


def bench_rss() -> Result:
    _, rss = _startups(3)
    bare = [float(subprocess.run(
        [sys.executable, "-c", "print(int([l for l in open('/proc/self/status') if l.startswith('VmRSS')][0].split()[1]) / 1024)"],
        capture_output=True, text=True, check=True).stdout) for _ in range(3)]
    return summarise("till.rss", "MB", rss, "python.rss", bare)
