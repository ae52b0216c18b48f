"""`make demo`: HQ on its embedded PostgreSQL, the demo chain, an enrolled till, a sale.

Everything lives under `.demo/` at the repo root, so a second run reuses the seeded chain and the
enrolled till. With a display the real till window opens; without one (a server, CI) a scripted
sale runs on an offscreen till in this process, driven through the same window a cashier uses.
Children run in their own sessions: Ctrl-C reaches only us, and we stop them in order (till, then
HQ, whose SIGTERM handler stops its PostgreSQL).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
DEMO = Path(os.environ.get("DEMO_DIR", ROOT / ".demo")).resolve()  # tests use a temp folder
HQ_DATA, TILL_DATA, HQ_LOG = DEMO / "hq", DEMO / "till", DEMO / "hq.log"
RECEIPTS = DEMO / "receipts.escpos"
BIN = Path(sys.executable).parent  # .venv/bin: hq-server and till sit next to this python
STORE = "S001"


class DemoError(RuntimeError):
    pass


def say(message: str) -> None:
    print(f"[demo] {message}", flush=True)


def _on_sigterm(signum: int, _frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")  # one shutdown path for Ctrl-C and SIGTERM


# --- HQ ----------------------------------------------------------------------------------------

def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        # As uvicorn binds: connections of a previous run lingering in TIME_WAIT are no conflict.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def start_hq(port: int, data: Path = HQ_DATA, log_path: Path = HQ_LOG) -> subprocess.Popen[bytes]:
    if not port_is_free(port):
        raise DemoError(f"port {port} is busy (another demo or HQ running?) — stop it or set "
                        f"DEMO_PORT to a free port, e.g. DEMO_PORT={port + 1} make demo")
    data.mkdir(parents=True, exist_ok=True)
    log = log_path.open("ab")  # uvicorn's access log would drown the demo's own output
    return subprocess.Popen([str(BIN / "hq-server"), "serve", "--data", str(data),
                             "--host", "127.0.0.1", "--port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                            start_new_session=True)


def log_tail(log: Path = HQ_LOG, lines: int = 25) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def wait_for_hq(hq: subprocess.Popen[bytes], url: str, log: Path = HQ_LOG,
                timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout  # first run includes initdb and migrations
    while time.monotonic() < deadline:
        if hq.poll() is not None:
            raise DemoError(f"HQ exited with code {hq.returncode}; last lines of {log}:\n{log_tail(log)}")
        try:
            if requests.get(f"{url}/api/v1/health", timeout=2).ok:
                return
        except requests.RequestException:
            pass  # not listening yet
        time.sleep(0.2)
    raise DemoError(f"HQ did not answer within {timeout:.0f}s; last lines of {log}:\n{log_tail(log)}")


def run(cmd: list[str], *, capture: bool = False) -> str:
    """A short CLI step; interrupted with us, and its output shown when it fails."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE if capture else None,
                            stderr=subprocess.PIPE if capture else None, text=True,
                            start_new_session=True)
    try:
        out, err = proc.communicate()
    except KeyboardInterrupt:
        stop(proc, Path(cmd[0]).name, 10)
        raise
    if proc.returncode != 0:
        raise DemoError(f"`{' '.join(cmd[:2])}` failed ({proc.returncode}): {(err or out or '').strip()}")
    return out or ""


def seed_if_empty(url: str) -> bool:
    """Seed the demo chain unless HQ holds stores already; True if it seeded now."""
    say("seeding the demo chain when empty (5 stores, 5,000 products, 90 days of sales)…")
    # Reuses the running server's PostgreSQL: `serve` leaves the cluster's URL in DATA/pg/url.
    out = run([str(BIN / "hq-server"), "seed-demo", "--data", str(HQ_DATA)], capture=True)
    if "already exist" in out:
        say("demo chain already seeded")
        return False
    return True


ADMIN = ("admin@example.com", "tillhq-admin")  # made by the demo seed


def admin_headers(url: str) -> dict[str, str]:
    """Sign in as the demo admin: HQ's stock API answers only signed-in users."""
    answer = requests.post(f"{url}/api/v1/auth/login", timeout=10,
                           json={"email": ADMIN[0], "password": ADMIN[1]})
    answer.raise_for_status()
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def enrol_if_needed(url: str, hq_was_reset: bool) -> None:
    if (TILL_DATA / "credential.json").exists():
        if not hq_was_reset:
            say(f"till already enrolled ({TILL_DATA})")
            return
        # A fresh HQ does not know the old till's device; its journal must not be re-enrolled.
        stale = DEMO / f"till.stale-{time.strftime('%Y%m%d-%H%M%S')}"
        TILL_DATA.rename(stale)
        say(f"HQ was reset: moved the old till to {stale} and enrolling a new one")
    out = run([str(BIN / "hq-server"), "enrol-code", "--data", str(HQ_DATA), "--store", STORE],
              capture=True)
    code = out.strip().splitlines()[-1].strip()
    run([str(BIN / "till"), "enrol", "--hq", url, "--code", code, "--data", str(TILL_DATA),
         "--name", "Till 1"])


# --- the till ----------------------------------------------------------------------------------

def window_till() -> subprocess.Popen[bytes]:
    return subprocess.Popen([str(BIN / "till"), "run", "--data", str(TILL_DATA),
                             "--printer", f"file:{RECEIPTS}"], start_new_session=True)


def stock_at_hq(url: str, sku: str) -> int:
    rows = requests.get(f"{url}/api/v1/stock", params={"store": STORE, "sku": sku}, timeout=5,
                        headers=admin_headers(url)).json()
    return rows[0]["on_hand"] if rows else 0


def pick_products(till) -> list[tuple[str, str, str]]:  # noqa: ANN001
    """Three active products the till can sell (barcode, sku, name), with stock at the store."""
    return [tuple(r) for r in till.ledger.connection().execute(
        "SELECT b.barcode, p.sku, p.name FROM products p JOIN barcodes b USING (product_id) "
        "JOIN stock s USING (product_id) WHERE p.active = 1 AND s.hq_on_hand >= 5 "
        "GROUP BY p.product_id ORDER BY random() LIMIT 3")]


def scan(window, code: str) -> None:  # noqa: ANN001
    """What a scanner does: type the code into the focused scan field, then Enter."""
    from PySide6.QtTest import QTest

    from till.ui.qt import Qt

    QTest.keyClicks(window.scan_input, code)
    QTest.keyClick(window.scan_input, Qt.Key_Return)


def pay_round_cash(window):  # noqa: ANN001, ANN201
    """F12, then the next round ten above the total as cash given, Enter; the completed sale."""
    from PySide6.QtTest import QTest

    from till.ui.qt import Qt

    QTest.keyClick(window.scan_input, Qt.Key_F12)
    cash = (window.presenter.basket.total.minor // 1000 + 1) * 10
    window.tender_input.clear()
    QTest.keyClicks(window.tender_input, str(cash))
    QTest.keyClick(window.tender_input, Qt.Key_Return)
    if window.presenter.last_sale is None:
        raise DemoError(f"the sale did not complete: {window.presenter.state.message}")
    return window.presenter.last_sale


def wait_pushed(till, app, timeout: float = 15) -> float:  # noqa: ANN001
    """Seconds until the sync agent has nothing left to push (the UI keeps running meanwhile)."""
    started = time.monotonic()
    while till.status()["pending"]:
        app.processEvents()
        if time.monotonic() - started > timeout:
            raise DemoError(f"the sale was not pushed to HQ within {timeout:.0f}s: {till.status()}")
        time.sleep(0.02)
    return time.monotonic() - started


def scripted_sale(url: str) -> None:
    os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before Qt is imported
    from till.bootstrap import build_till
    from till.ui.main_window import MainWindow
    from till.ui.qt import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    till = build_till(TILL_DATA, f"file:{RECEIPTS}", cashier="Demo")
    try:
        started = time.monotonic()
        till.agent.sync_once()  # a just-enrolled till has no catalogue yet: pull it all now
        picked = pick_products(till)
        if len(picked) < 3:
            raise DemoError(f"the till's catalogue has {len(picked)} sellable products: {till.status()}")
        say(f"till catalogue up to date in {time.monotonic() - started:.1f}s")
        before = {sku: stock_at_hq(url, sku) for _, sku, _ in picked}
        window = MainWindow(till.presenter_factory(), till.status, till.identity())
        window.show()
        till.agent.start()
        for barcode in (picked[0][0], picked[0][0], picked[1][0], picked[2][0]):
            scan(window, barcode)  # the first product twice
        sale = pay_round_cash(window)
        say(f"sale {sale.receipt_no} pushed to HQ {wait_pushed(till, app):.2f}s after payment")
        print("\n" + sale.receipt_text + "\n", flush=True)
        for _, sku, name in picked:
            say(f"HQ on-hand at {STORE} for {sku} {name}: {before[sku]} -> {stock_at_hq(url, sku)}")
        window.close()
    finally:
        till.close()


# --- shutdown ----------------------------------------------------------------------------------

def stop(proc: subprocess.Popen | None, name: str, timeout: float = 30) -> None:  # type: ignore[type-arg]
    if proc is None or proc.poll() is not None:
        return
    say(f"stopping {name}…")
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        say(f"{name} did not stop within {timeout:.0f}s; killing it")
        proc.kill()
        proc.wait()


def postgres_left_behind() -> str:
    found = subprocess.run(["pgrep", "-af", str(HQ_DATA)], capture_output=True, text=True)
    return found.stdout.strip()


def banner(url: str) -> None:
    print(f"""
  TillHQ demo is running
    dashboard   {url}/   sign in as admin@example.com / tillhq-admin
    API docs    {url}/docs
    till PINs   Ana 1111 (cashier) · Sam 9999 (supervisor) · Mia 4321 (manager)
    data        {DEMO}  (HQ: hq/, till: till/, HQ log: hq.log, receipts: receipts.escpos)
    a till      {BIN / 'till'} run --data {TILL_DATA}
  Ctrl-C stops everything.
""", flush=True)


def main() -> int:
    signal.signal(signal.SIGTERM, _on_sigterm)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even if started with SIGINT ignored
    port = int(os.environ.get("DEMO_PORT", "8700"))
    url = f"http://127.0.0.1:{port}"
    has_display = bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    hq = till = None
    try:
        t0 = time.monotonic()
        say(f"starting HQ on {url} (data {HQ_DATA}, log {HQ_LOG})")
        hq = start_hq(port)
        wait_for_hq(hq, url)
        say(f"HQ up in {time.monotonic() - t0:.1f}s")
        t0 = time.monotonic()
        seeded = seed_if_empty(url)
        if seeded:
            say(f"seeded in {time.monotonic() - t0:.1f}s")
        enrol_if_needed(url, hq_was_reset=seeded)
        if has_display:
            banner(url)
            say("opening the till window (close it to keep only HQ running)")
            till = window_till()
            till.wait()
        else:
            say("no display: running a scripted sale on an offscreen till")
            scripted_sale(url)
            if os.environ.get("DEMO_EXIT_AFTER_SALE") == "1":
                return 0
            banner(url)
        hq.wait()  # until Ctrl-C, or HQ dying on its own
        raise DemoError(f"HQ exited with code {hq.returncode}; last lines of {HQ_LOG}:\n{log_tail()}")
    except KeyboardInterrupt:
        print()
        return 0
    except DemoError as error:
        print(f"[demo] error: {error}", file=sys.stderr, flush=True)
        return 1
    finally:
        stop(till, "the till", 10)
        stop(hq, "HQ")
        if hq is None:
            pass  # we started nothing (e.g. the port was busy): another demo's processes are not ours
        elif left := postgres_left_behind():
            print(f"[demo] warning: PostgreSQL still running for {HQ_DATA}:\n{left}", file=sys.stderr)
        else:
            say("stopped cleanly")


if __name__ == "__main__":
    sys.exit(main())
