"""docs/back-office-quickstart.md, run as written: its ```sh blocks, in order, in one bash, against
a real HQ on 127.0.0.1, as a brand-new buyer and store manager an admin made through POST /users.

The guide is run once for the module; each test then checks one thing it claims against the
database or the API, so a guide that drifts from the API fails here.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from tests.fixtures.hq import ADMIN, RunningHQ, served_hq
from tests.integration.hq.helpers import enrol_till, query, scalar

GUIDE = Path(__file__).resolve().parents[3] / "docs" / "back-office-quickstart.md"
PASSWORD = "first-hour-pass-phrase"
# Who the guide signs in as: variable prefix -> (email, role, stores), made by the admin.
PEOPLE = {"BUYER": ("nina.new.buyer@example.com", "buyer", []),
          "MANAGER": ("sam.new.manager@example.com", "store_manager", ["S001"])}
NEW_RANGE = ("HND-BAL-15", "HND-CRM-75", "HND-SAN-50")
# What the walkthrough leaves: 24 of each received at S001 (and 13 more balms, one over the
# order), 8 creams and 6 gels sent to S002, and a count at S001 that found 15 creams of 16.
EXPECTED_ON_HAND = {("HND-BAL-15", "S001"): 37, ("HND-BAL-15", "S002"): 0,
                    ("HND-CRM-75", "S001"): 15, ("HND-CRM-75", "S002"): 8,
                    ("HND-SAN-50", "S001"): 18, ("HND-SAN-50", "S002"): 6}
SCRIPT_TIMEOUT_S = 60


def guide_blocks(text: str) -> list[str]:
    return re.findall(r"^```sh\n(.*?)^```$", text, flags=re.S | re.M)


def guide_script(text: str) -> str:
    """The blocks as one script that names the block it is in, so a failure says where."""
    parts = ["set -euo pipefail"]
    for number, block in enumerate(guide_blocks(text), start=1):
        parts += [f"echo '### guide block {number}' >&2", block]
    return "\n".join(parts)


def expected_lines(text: str) -> list[str]:
    """The answers the guide promises word for word: `# {...}`, `# [...]`, `# refused, ...`,
    `# on hand ...` and the CSV lines, without a trailing "(note)". Lines with "..." or a
    sign-in's email (ours differ from the demo's) are examples, not promises."""
    promised = []
    for block in guide_blocks(text):
        for line in block.splitlines():
            shown = re.sub(r"\s{2,}\(.*\)$", "", line.removeprefix("# ")) if line.startswith("# ") else ""
            if (re.match(r"[\[{]|refused, HTTP|on hand |category,|Hand care,|-?\d+$", shown)
                    and "..." not in shown and '"email"' not in shown):
                promised.append(shown)
    return promised


@dataclass
class GuideRun:
    hq: RunningHQ
    user_ids: dict[str, str]
    workdir: Path
    stdout: str
    stderr: str
    seconds: float

    def lines(self) -> list[str]:
        return self.stdout.splitlines()


@pytest.fixture(scope="module")
def guide_run(pg_cluster, _database_pool, tmp_path_factory):  # noqa: ANN001, ANN201
    assert shutil.which("curl") and shutil.which("jq"), "curl and jq come with tools/system-deps.sh"
    with served_hq(pg_cluster.url_for(_database_pool.take())) as hq:
        url = hq.url
        admin = hq.headers_for(*ADMIN)
        user_ids = {who: _add_user(hq, admin, email, role, stores)
                    for who, (email, role, stores) in PEOPLE.items()}
        _sell_at_s001(hq)
        workdir = tmp_path_factory.mktemp("first-hour")
        started = time.monotonic()
        done = subprocess.run(["bash", "-c", guide_script(GUIDE.read_text())], cwd=workdir,
                              env=_environment(url, workdir), capture_output=True, text=True,
                              timeout=SCRIPT_TIMEOUT_S)
        seconds = time.monotonic() - started
        assert done.returncode == 0, (f"the guide stopped (exit {done.returncode}):\n"
                                      f"{done.stderr[-4000:]}\n--- its output ---\n{done.stdout[-4000:]}")
        yield GuideRun(hq, user_ids, workdir, done.stdout, done.stderr, seconds)


def _add_user(hq: RunningHQ, admin: dict[str, str], email: str, role: str, stores: list[str]) -> str:
    reply = httpx.post(f"{hq.url}/api/v1/users", headers=admin, timeout=30, json={
        "email": email, "name": email.split("@")[0], "role": role, "password": PASSWORD,
        "stores": stores})
    assert reply.status_code == 201, reply.text
    return reply.json()["id"]


def _sell_at_s001(hq: RunningHQ) -> None:
    """Two shampoos sold at an S001 till, so the sales reports have a figure to show."""
    till = enrol_till(hq, "S001", "till-1")
    till.sell((hq.seed.product("SHA-ARG-250"), 2))
    assert till.push().status_code == 200


def _environment(url: str, workdir: Path) -> dict[str, str]:
    # Only what the guide needs: no proxy settings reach curl, so every call stays on 127.0.0.1.
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(workdir),
           "LANG": "C.UTF-8", "HQ": f"{url}/api/v1"}
    for who, (email, _, _) in PEOPLE.items():
        env[f"{who}_EMAIL"], env[f"{who}_PASSWORD"] = email, PASSWORD
    return env


def on_hand_in_database(database_url: str) -> dict[tuple[str, str], int]:
    rows = query(database_url, "SELECT p.sku, s.code, h.on_hand FROM stock_on_hand h "
                               "JOIN products p ON p.id = h.product_id JOIN stores s ON s.id = h.store_id "
                               "WHERE p.sku = ANY(%s)", (list(NEW_RANGE),))
    held = {(sku, store): on_hand for sku, store, on_hand in rows}
    return {(sku, store): held.get((sku, store), 0) for sku in NEW_RANGE for store in ("S001", "S002")}


def test_the_guide_runs_every_block_within_a_minute(guide_run):
    assert guide_run.seconds < SCRIPT_TIMEOUT_S
    assert f"### guide block {len(guide_blocks(GUIDE.read_text()))}" in guide_run.stderr


def test_every_answer_the_guide_promises_is_what_hq_answered(guide_run):
    promised = expected_lines(GUIDE.read_text())
    assert len(promised) >= 30  # the promises are really there to check

    missing = [line for line in promised if line not in guide_run.lines()]

    assert missing == [], f"the guide promises lines HQ did not print:\n{missing}\n--- output ---\n" \
                          f"{guide_run.stdout}"


def test_the_on_hand_figures_the_guide_ends_with_are_the_databases(guide_run):
    printed = {}
    for line in guide_run.lines():
        if found := re.fullmatch(r"on hand (\S+): (.*)", line):
            for store, number in (pair.split("=") for pair in found[2].split()):
                printed[(found[1], store)] = int(number)

    assert printed == on_hand_in_database(guide_run.hq.database_url) == EXPECTED_ON_HAND


def test_the_new_buyer_made_the_vendor_catalogue_and_order(guide_run):
    url, buyer = guide_run.hq.database_url, guide_run.user_ids["BUYER"]

    assert query(url, "SELECT v.name, count(*) FILTER (WHERE vp.preferred) FROM vendors v "
                      "JOIN vendor_products vp ON vp.vendor_id = v.id GROUP BY v.name") == [("Shea & Co", 3)]
    assert query(url, "SELECT sku, price_minor, cost_minor FROM products WHERE sku = ANY(%s) ORDER BY sku",
                 (list(NEW_RANGE),)) == [("HND-BAL-15", 425, 160), ("HND-CRM-75", 650, 240),
                                         ("HND-SAN-50", 299, 90)]
    assert query(url, "SELECT number, status, created_by::text FROM purchase_orders ORDER BY number") == [
        (1, "received", buyer), (2, "received", buyer)]
    assert query(url, "SELECT o.number, l.quantity_ordered, l.quantity_received FROM purchase_order_lines l "
                      "JOIN purchase_orders o ON o.id = l.po_id ORDER BY o.number, l.line_no") == [
        (1, 24, 24), (1, 24, 24), (1, 24, 24), (2, 12, 13)]  # the manager took one extra balm
    assert scalar(url, "SELECT count(*) FROM audit_log WHERE user_id = %s AND action = %s",
                  (buyer, "catalogue.imported")) == 1


def test_the_buyer_moved_and_counted_stock_and_the_manager_only_in_their_store(guide_run):
    url, ids = guide_run.hq.database_url, guide_run.user_ids

    transfer = query(url, "SELECT t.status, f.code, d.code, t.requested_by::text, t.approved_by::text, "
                          "t.shipped_by::text, t.received_by::text "
                          "FROM transfers t JOIN stores f ON f.id = t.from_store_id "
                          "JOIN stores d ON d.id = t.to_store_id")
    counts = query(url, "SELECT s.code, c.status, c.posted_by::text FROM stock_counts c "
                        "JOIN stores s ON s.id = c.store_id")

    assert transfer == [("received", "S001", "S002", *[ids["BUYER"]] * 4)]
    assert counts == [("S001", "posted", ids["BUYER"])]  # the manager's S002 count was refused
    assert scalar(url, "SELECT count(*) FROM stock_movements WHERE reason IN "
                       "('damage', 'theft', 'found', 'correction')") == 0  # the buyer's adjustment was refused
    assert scalar(url, "SELECT count(*) FROM stock_movements m JOIN stores s ON s.id = m.store_id "
                       "WHERE s.code = 'S002' AND m.reason NOT IN ('opening', 'transfer_in')") == 0
    assert scalar(url, "SELECT count(*) FROM vendors WHERE name = 'My own supplier'") == 0


def answer(hq: RunningHQ, headers: dict[str, str], method: str, path: str,
           body: dict | None = None) -> tuple[int, object]:
    reply = httpx.request(method, f"{hq.url}/api/v1{path}", json=body, headers=headers, timeout=30)
    return reply.status_code, reply.json()


def test_what_the_guide_shows_refused_is_refused_in_words(guide_run):
    hq = guide_run.hq
    manager = hq.headers_for(PEOPLE["MANAGER"][0], PASSWORD)
    buyer = hq.headers_for(PEOPLE["BUYER"][0], PASSWORD)

    assert answer(hq, manager, "GET", "/stores/S002/replenishment") == (
        404, {"detail": "no store 'S002' among your stores"})
    assert answer(hq, manager, "POST", "/inventory/counts", {"store": "S002", "category": "Hand care"}) == (
        403, {"detail": "you may not start a count at store S002: it is not one of your stores"})
    assert answer(hq, buyer, "POST", "/inventory/adjustments", {
        "store": "S001", "product": "HND-CRM-75", "delta": -1, "reason": "damage"}) == (
        403, {"detail": "your role (buyer) may not adjust stock; needs admin, store_manager or inventory"})
    assert answer(hq, manager, "GET", "/reports/stock-on-hand?store=S002") == (
        404, {"detail": "no store 'S002' among your stores"})
    assert answer(hq, manager, "GET", "/reports/sales-by-store.csv?store=S002") == (
        404, {"detail": "no store 'S002' among your stores"})


def test_a_store_managers_reports_hold_only_their_store(guide_run):
    hq = guide_run.hq
    manager = hq.headers_for(PEOPLE["MANAGER"][0], PASSWORD)
    buyer = hq.headers_for(PEOPLE["BUYER"][0], PASSWORD)

    def stores_in(headers: dict[str, str], params: str) -> set[str]:
        status, body = answer(hq, headers, "GET", f"/reports/stock-on-hand?{params}")
        assert status == 200, body
        return {row["store"] for row in body["rows"]}  # type: ignore[index]

    assert stores_in(manager, "by=store") == {"S001"}
    assert stores_in(manager, "store=S001") == {"S001"}
    assert stores_in(buyer, "store=S002") == {"S002"}  # S002 is refused to the manager only


def test_the_reports_read_in_the_guide_hold_its_figures(guide_run):
    today = datetime.now(UTC).date().isoformat()
    sell_through = (guide_run.workdir / "sell-through.csv").read_text().splitlines()

    assert sell_through[0] == "category,sold,received,on_hand_at_end,sell_through_bp"
    assert "Hand care,0,72,71,0" in sell_through
    assert any(line.startswith("Test,2,") for line in sell_through)  # the two shampoos sold
    assert f'["{today}","S001",1,2,1798]' in guide_run.lines()  # sales-by-store: that one sale
