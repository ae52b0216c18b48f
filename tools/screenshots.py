"""`make screenshots`: docs/screenshots/till.png, the till-*.png flows, settings.png,
customer-display.png, dashboard.png and exceptions.png, taken from the real product (`python -m tools.screenshots --only devices`
takes just settings.png and customer-display.png, without the browser).

A private HQ (own data folder under /tmp, free port) is seeded with the demo chain and a till is
enrolled. The till window runs on Xvfb in a child process (`till-window` below): it sells one
item, then scans three and is grabbed with the basket on screen. A second child opens the till
with a devices.json (printer to a file, pole display and serial scanner on pseudo-terminals,
the customer screen on screen 0): three scans are grabbed on the customer display, then a
manager opens the device settings (Ctrl+F10), prints a test page and the screen is grabbed.
The dashboard is opened in headless Chromium (Debian's, never a downloaded one); a second sale
is pushed while it is open, the live cell update is timed, and the page is captured right after
the flash. Then the till oversells two products and the exceptions worklist is captured with
one Resolve form open. The browser signs in as the demo admin, as a person would.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

from tools.demo import (
    BIN,
    DemoError,
    admin_headers,
    pay_round_cash,
    run,
    say,
    scan,
    start_hq,
    stop,
    wait_for_hq,
    wait_pushed,
)

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
DISPLAY = ":97"
ADMIN = ("admin@example.com", "tillhq-admin")  # the demo seed's HQ admin (seed/demo_users.py)
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def free_port() -> int:
    from hq_server.db.embedded import free_port as pick

    return pick()


def products_on_first_page(till, count: int) -> list[tuple[str, str]]:  # noqa: ANN001
    """(barcode, sku) of stocked products in SKU order: the dashboard's first page shows them."""
    return [tuple(r) for r in till.ledger.connection().execute(
        "SELECT MIN(b.barcode), p.sku FROM products p JOIN barcodes b USING (product_id) "
        "JOIN stock s USING (product_id) WHERE p.active = 1 AND s.hq_on_hand >= 5 "
        "GROUP BY p.product_id ORDER BY p.sku LIMIT ?", (count,))]


# --- the till, in a child process on the virtual display -------------------------------------

def till_window(data_dir: Path, out: Path) -> int:
    from till.bootstrap import build_till
    from till.ui.main_window import MainWindow
    from till.ui.qt import QApplication

    app = QApplication(sys.argv[:1])
    till = build_till(data_dir, f"file:{data_dir / 'receipts.escpos'}", cashier="Ana")
    try:
        till.agent.sync_once()  # the catalogue, before the window shows it
        picked = [barcode for barcode, _ in products_on_first_page(till, 4)]
        window = MainWindow(till.presenter_factory(), till.status, till.identity())
        window.resize(1024, 768)
        window.show()
        till.agent.start()
        scan(window, picked[0])
        pay_round_cash(window)
        wait_pushed(till, app)
        for barcode in (picked[1], picked[1], picked[2], picked[3]):
            scan(window, barcode)
        deadline = time.monotonic() + 1.5  # a status-bar tick, and X has painted the window
        while time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.02)
        shot = window.screen().grabWindow(window.winId())
        if not shot.save(str(out)):
            raise DemoError(f"could not save {out}")
        window.close()
        return 0
    finally:
        till.close()


def device_windows(data_dir: Path, settings_out: Path, customer_out: Path) -> int:
    """The device settings screen and the customer display, each grabbed whole (`grab()`), as the
    two full-screen windows overlap on one virtual screen."""
    import json

    from till.bootstrap import build_till
    from till.staff import SignIn
    from till.staff.sign_in import Session
    from till.ui.app import close_window, open_window
    from till.ui.qt import QApplication

    ptys = [os.openpty() for _ in range(2)]  # a pole display and a serial scanner, both "plugged in"
    display, scanner = (os.ttyname(slave) for _, slave in ptys)
    devices = data_dir / "devices.json"
    devices.write_text(json.dumps({
        "printer": {"spec": f"file:{data_dir / 'receipts.escpos'}", "paper_mm": 80},
        "scanners": [{"type": "serial", "port": scanner}, {"type": "wedge"}],
        "drawer": {"via": "printer", "pin": 2}, "display": {"port": display},
        "customer_screen": {"screen": 0, "welcome": "Welcome to Lumen Beauty"}}))
    app = QApplication(sys.argv[:1])
    till = build_till(data_dir, cashier="Ana")
    try:
        till.agent.sync_once()
        window = open_window(till, app)
        window.resize(1024, 768)
        window.show()
        for barcode, _ in products_on_first_page(till, 3):
            scan(window, barcode)
        window.presenter.begin_payment()
        settle(app, 1.0)
        save(window.customer_screen.window.grab(), customer_out)
        window.presenter.cancel_payment()
        window.presenter.new_sale()
        manager = next(u for u in SignIn(till.ledger).users() if u.role == "manager")
        window.presenter.start_session(Session(manager.name, manager.role, manager.user_id))
        window.settings.open()
        window.settings.test("drawer")
        window.settings.test("printer")
        settle(app, 1.5)  # the test page printed, the states refreshed
        save(window.grab(), settings_out)
        close_window(window, app)
        return 0
    finally:
        till.close()
        devices.unlink()  # the dashboard's till runs without these devices
        for master, slave in ptys:
            os.close(master)
            os.close(slave)


def settle(app, seconds: float) -> None:  # noqa: ANN001
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.02)


def save(pixmap, out: Path) -> None:  # noqa: ANN001
    if not pixmap.save(str(out)):
        raise DemoError(f"could not save {out}")


def till_screenshot(till_dir: Path, out: Path, mode: str = "till-window",
                    *more: Path) -> None:
    on_xvfb([sys.executable, "-m", "tools.screenshots", mode, str(till_dir), str(out),
             *map(str, more)])


def till_flow_screenshots() -> None:
    """docs/screenshots/till-*.png: the cashier guide's flows (sign-in, sale, split tender,
    return, exchange, override, Z report), driven by their test on a real X display."""
    on_xvfb([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
             "tests/integration/till/test_till_screenshots.py"])


def on_xvfb(command: list[str]) -> None:
    xvfb = subprocess.Popen(["Xvfb", DISPLAY, "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(1)  # Xvfb has no readiness signal worth the complexity; it starts in ~100 ms
        if xvfb.poll() is not None:
            raise DemoError(f"Xvfb {DISPLAY} did not start (display in use? rm /tmp/.X97-lock)")
        env = {**os.environ, "DISPLAY": DISPLAY, "QT_QPA_PLATFORM": "xcb"}
        subprocess.run(command, env=env, check=True, timeout=300)
    finally:
        stop(xvfb, "Xvfb", 5)


# --- the dashboard, in headless Chromium -----------------------------------------------------

WATCH_CELL = """id => new Promise(resolve => {
  const cell = document.getElementById(id);
  new MutationObserver(() => { window.__changedAt = performance.timeOrigin + performance.now(); })
    .observe(cell, {childList: true, characterData: true, subtree: true});
  resolve(cell.textContent);
})"""


def sign_in(page, url: str) -> None:  # noqa: ANN001
    page.goto(f"{url}/login")
    page.get_by_label("Email").fill(ADMIN[0])
    page.get_by_label("Password").fill(ADMIN[1])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector("nav.nav", timeout=10_000)


def oversell(till, count: int) -> None:  # noqa: ANN001
    """Sell more than HQ has of `count` products, one sale each: each raises an oversell."""
    from till.sale import Basket

    rows = till.ledger.connection().execute(
        "SELECT MIN(b.barcode), s.hq_on_hand FROM products p JOIN barcodes b USING (product_id) "
        "JOIN stock s USING (product_id) WHERE p.active = 1 AND s.hq_on_hand BETWEEN 1 AND 6 "
        "GROUP BY p.product_id ORDER BY p.sku LIMIT ?", (count,)).fetchall()
    for barcode, on_hand in rows:
        basket = Basket(till.ledger.require_store().currency)
        basket.add(till.catalog.lookup(barcode), on_hand + 1)
        till.sales.complete_sale(basket, basket.total, "Ana")
    till.agent.push_pending()


def exceptions_screenshot(page, url: str, till, out: Path) -> None:  # noqa: ANN001
    oversell(till, 2)
    page.goto(f"{url}/exceptions")
    page.locator(".worklist .item.open").first.wait_for(timeout=10_000)
    page.locator(".worklist details.resolve").first.evaluate("d => d.open = true")
    page.locator(".worklist .item.open").first.get_by_label("Resolution").fill("stock corrected")
    page.screenshot(path=str(out))


def dashboard_screenshot(url: str, till_dir: Path, out: Path, exceptions_out: Path) -> float:
    from playwright.sync_api import sync_playwright

    from till.bootstrap import build_till
    from till.sale import Basket

    till = build_till(till_dir, f"file:{till_dir / 'receipts.escpos'}", cashier="Ana")
    try:
        barcode, sku = products_on_first_page(till, 5)[4]
        row = requests.get(f"{url}/api/v1/stock", params={"store": "S001", "sku": sku}, timeout=5,
                           headers=admin_headers(url)).json()[0]
        cell_id = f"c-{row['product_id']}-{row['store_id']}"
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1366, "height": 900})
            sign_in(page, url)
            page.wait_for_selector("#live.online", timeout=10_000)
            before = page.evaluate(WATCH_CELL, cell_id)
            basket = Basket(till.ledger.require_store().currency)
            basket.add(till.catalog.lookup(barcode), 3)
            till.sales.complete_sale(basket, basket.total, "Ana")
            pushed_at = time.time()
            till.agent.push_pending()  # what `till sync` (or the agent's wake-up) does
            page.wait_for_function("() => window.__changedAt", timeout=10_000)
            delay = page.evaluate("() => window.__changedAt") / 1000 - pushed_at
            after = page.inner_text(f"#{cell_id}")
            say(f"dashboard cell {sku}/S001 went {before} -> {after} {delay * 1000:.0f} ms after the push began")
            page.wait_for_timeout(200)  # mid-flash: the capture shows which cell just changed
            page.screenshot(path=str(out))
            exceptions_screenshot(page, url, till, exceptions_out)
            browser.close()
        return delay
    finally:
        till.close()


def main(only_devices: bool = False) -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="tillhq-shots-"))
    os.chmod(work, 0o755)  # as root, PostgreSQL runs as `postgres` and must reach work/hq/pg
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    hq = start_hq(port, work / "hq", work / "hq.log")
    try:
        wait_for_hq(hq, url, work / "hq.log")
        run([str(BIN / "hq-server"), "seed-demo", "--data", str(work / "hq")])
        code = run([str(BIN / "hq-server"), "enrol-code", "--data", str(work / "hq"), "--store", "S001"],
                   capture=True).strip().splitlines()[-1]
        run([str(BIN / "till"), "enrol", "--hq", url, "--code", code, "--data", str(work / "till"),
             "--name", "Till 1"])
        if not only_devices:
            till_screenshot(work / "till", OUT / "till.png")
            say(f"wrote {OUT / 'till.png'}")
            till_flow_screenshots()
            say(f"wrote {OUT}/till-*.png")
        till_screenshot(work / "till", OUT / "settings.png", "device-windows",
                        OUT / "customer-display.png")
        say(f"wrote {OUT / 'settings.png'} and {OUT / 'customer-display.png'}")
        if only_devices:
            return 0
        dashboard_screenshot(url, work / "till", OUT / "dashboard.png", OUT / "exceptions.png")
        say(f"wrote {OUT / 'dashboard.png'} and {OUT / 'exceptions.png'}")
        return 0
    except DemoError as error:
        print(f"[screenshots] error: {error}", file=sys.stderr)
        return 1
    finally:
        stop(hq, "HQ")
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["till-window"]:
        sys.exit(till_window(Path(sys.argv[2]), Path(sys.argv[3])))
    if sys.argv[1:2] == ["device-windows"]:
        sys.exit(device_windows(Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4])))
    sys.exit(main(only_devices=sys.argv[1:3] == ["--only", "devices"]))
