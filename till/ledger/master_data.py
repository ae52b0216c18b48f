"""Master data from HQ (merge rule 6: HQ owns it, newest HQ version wins) and catalogue reads."""

from __future__ import annotations

import sqlite3
from typing import Any

from shared.wire import Change, PullResponse

from .ledger import UnitOfWork, utc_now_iso


def apply_pull_page(uow: UnitOfWork, page: PullResponse, store_id: str) -> int:
    """Apply one page of HQ's change log and advance the cursor, in the caller's transaction."""
    for change in page.changes:
        apply_change(uow, change, store_id)
    uow.execute("UPDATE sync_state SET pull_cursor = ?, last_pull_at = ? WHERE id = 1",
                (page.next_cursor, utc_now_iso()))
    return len(page.changes)


def apply_change(uow: UnitOfWork, change: Change, store_id: str) -> None:
    if change.kind == "product":
        upsert_product(uow, change.data)
    elif change.kind == "stock" and change.data.get("store_id") == store_id:
        set_hq_on_hand(uow, change.data["product_id"], int(change.data["on_hand"]))
    elif change.kind == "store" and change.data.get("store_id") == store_id:
        # Renames and currency changes of this store reach the receipt header.
        for key, field in (("store_code", "code"), ("store_name", "name"), ("currency", "currency")):
            if change.data.get(field):
                uow.set_meta(key, str(change.data[field]))
    # Other stores' stock and stores are not shown on this till yet; skipping keeps the cursor moving.


def upsert_product(uow: UnitOfWork, data: dict[str, Any]) -> None:
    pid = data["product_id"]
    # A SKU HQ moved to another product frees it here first, or the UNIQUE constraint would refuse.
    uow.execute("DELETE FROM products WHERE sku = ? AND product_id != ?", (data["sku"], pid))
    uow.execute(
        "INSERT INTO products (product_id, sku, name, price_minor, currency, tax_class, active) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (product_id) DO UPDATE SET sku = excluded.sku, "
        "name = excluded.name, price_minor = excluded.price_minor, currency = excluded.currency, "
        "tax_class = excluded.tax_class, active = excluded.active",
        (pid, data["sku"], data["name"], int(data["price_minor"]), data["currency"],
         data.get("tax_class") or "standard", 1 if data.get("active", True) else 0))
    uow.execute("DELETE FROM barcodes WHERE product_id = ?", (pid,))
    uow.conn.executemany(
        "INSERT INTO barcodes (barcode, product_id) VALUES (?, ?) "
        "ON CONFLICT (barcode) DO UPDATE SET product_id = excluded.product_id",
        [(str(code), pid) for code in data.get("barcodes") or []])


def set_hq_on_hand(uow: UnitOfWork, product_id: str, on_hand: int) -> None:
    uow.execute(
        "INSERT INTO stock (product_id, hq_on_hand) VALUES (?, ?) "
        "ON CONFLICT (product_id) DO UPDATE SET hq_on_hand = excluded.hq_on_hand",
        (product_id, on_hand))


_PRODUCT = "SELECT p.* FROM products p"


def product_by_barcode(conn: sqlite3.Connection, barcode: str) -> sqlite3.Row | None:
    return conn.execute(f"{_PRODUCT} JOIN barcodes b USING (product_id) WHERE b.barcode = ?",
                        (barcode,)).fetchone()


def product_by_sku(conn: sqlite3.Connection, sku: str) -> sqlite3.Row | None:
    return conn.execute(f"{_PRODUCT} WHERE p.sku = ? COLLATE NOCASE", (sku,)).fetchone()


def search_products(conn: sqlite3.Connection, text: str, limit: int = 20) -> list[sqlite3.Row]:
    pattern = f"%{text}%"
    return conn.execute(f"{_PRODUCT} WHERE p.active = 1 AND (p.name LIKE ? OR p.sku LIKE ?) "
                        "ORDER BY p.name LIMIT ?", (pattern, pattern, limit)).fetchall()
