"""Master data from HQ (merge rule 6: HQ owns it, newest HQ version wins) and catalogue reads."""

from __future__ import annotations

import json
import re
import sqlite3
from typing import Any

from shared.pricing import PricingRules, TaxRate
from shared.wire import Change, PullResponse

from .ledger import UnitOfWork, utc_now_iso
from .users import apply_till_user


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
        apply_store_pricing(uow, change.data)
    elif change.kind == "till_user":
        apply_till_user(uow, change.data, store_id)
    elif change.kind == "customer":  # chain-wide: a customer made at any store is found here
        from ..customers.records import apply_customer  # it imports this module's search

        apply_customer(uow, change.data, uow.ledger.require_store().device_id)
    elif change.kind == "gift_card":  # chain-wide: a card sold anywhere pays here
        from ..gift_cards.records import apply_gift_card

        apply_gift_card(uow, change.data, uow.ledger.require_store().device_id)
    # Other stores' stock and stores are not shown on this till yet; skipping keeps the cursor moving.


def apply_store_pricing(uow: UnitOfWork, data: dict[str, Any]) -> None:
    """Tax rates, tax-inclusive prices and cash rounding from a `store` change.

    A key HQ did not send (an older HQ, the demo seed) leaves that setting as it was. The rates
    are the store's whole effective set (chain rates with the store's own on top), so they replace
    the table.
    """
    if "prices_include_tax" in data:
        uow.set_meta("prices_include_tax", "1" if data["prices_include_tax"] else "0")
    if "cash_rounding_minor" in data:
        uow.set_meta("cash_rounding_minor", str(int(data["cash_rounding_minor"])))
    if "tax_rates" in data:
        rates = [TaxRate(r["tax_class"], int(r["rate_bp"]), r.get("name") or "")
                 for r in data["tax_rates"]]  # validated before anything is written
        uow.execute("DELETE FROM tax_rates")
        uow.conn.executemany("INSERT INTO tax_rates (tax_class, name, rate_bp) VALUES (?, ?, ?)",
                             [(r.tax_class, r.name, r.rate_bp) for r in rates])


def pricing_rules(conn: sqlite3.Connection) -> PricingRules:
    """The store's pricing settings as the ledger holds them (defaults: no tax set up,
    tax-inclusive prices, no cash rounding)."""
    meta = dict(conn.execute("SELECT key, value FROM meta WHERE key IN "
                             "('prices_include_tax', 'cash_rounding_minor')").fetchall())
    rates = [TaxRate(r["tax_class"], r["rate_bp"], r["name"])
             for r in conn.execute("SELECT tax_class, name, rate_bp FROM tax_rates")]
    return PricingRules.of(rates, prices_include_tax=meta.get("prices_include_tax", "1") == "1",
                           cash_rounding_minor=int(meta.get("cash_rounding_minor", "1")))


def upsert_product(uow: UnitOfWork, data: dict[str, Any]) -> None:
    pid = data["product_id"]
    codes = [str(code) for code in data.get("barcodes") or []]
    # A SKU HQ moved to another product frees it here first, or the UNIQUE constraint would refuse.
    for (rowid,) in uow.execute("SELECT rowid FROM products WHERE sku = ? AND product_id != ?",
                                (data["sku"], pid)).fetchall():
        uow.execute("DELETE FROM product_search WHERE rowid = ?", (rowid,))
        uow.execute("DELETE FROM products WHERE rowid = ?", (rowid,))
    # Barcodes HQ moved here from another product leave that product's search row stale.
    previous_owners = _other_owners(uow, pid, codes)
    uow.execute(
        "INSERT INTO products (product_id, sku, name, price_minor, currency, tax_class, active, "
        "parent_sku, attributes, unit) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (product_id) DO UPDATE SET sku = excluded.sku, "
        "name = excluded.name, price_minor = excluded.price_minor, currency = excluded.currency, "
        "tax_class = excluded.tax_class, active = excluded.active, "
        "parent_sku = excluded.parent_sku, attributes = excluded.attributes, unit = excluded.unit",
        (pid, data["sku"], data["name"], int(data["price_minor"]), data["currency"],
         data.get("tax_class") or "standard", 1 if data.get("active", True) else 0,
         *_family(data)))
    uow.execute("DELETE FROM barcodes WHERE product_id = ?", (pid,))
    uow.conn.executemany(
        "INSERT INTO barcodes (barcode, product_id) VALUES (?, ?) "
        "ON CONFLICT (barcode) DO UPDATE SET product_id = excluded.product_id",
        [(code, pid) for code in codes])
    for product_id in (pid, *previous_owners):
        index_for_search(uow, product_id)


def _family(data: dict[str, Any]) -> tuple[str, str, str]:
    """parent_sku, attributes (JSON text) and unit; an older HQ sends none of them (or nulls)."""
    attributes = data.get("attributes") or {}
    if not isinstance(attributes, dict):  # refused before anything is written, like a bad price
        raise ValueError(f"product {data['sku']}: attributes must be an object, got {attributes!r}")
    return (str(data.get("parent_sku") or ""), json.dumps(attributes),
            str(data.get("unit") or ""))


def _other_owners(uow: UnitOfWork, product_id: str, codes: list[str]) -> set[str]:
    if not codes:
        return set()
    rows = uow.execute(f"SELECT DISTINCT product_id FROM barcodes WHERE product_id != ? AND "
                       f"barcode IN ({','.join('?' * len(codes))})", (product_id, *codes))
    return {row[0] for row in rows.fetchall()}


def index_for_search(uow: UnitOfWork, product_id: str) -> None:
    """(Re)write a product's full-text row from the tables, in the caller's transaction."""
    row = uow.execute(
        "SELECT p.rowid, p.name, p.sku, coalesce((SELECT group_concat(b.barcode, ' ') FROM barcodes b "
        "WHERE b.product_id = p.product_id), '') FROM products p WHERE p.product_id = ?",
        (product_id,)).fetchone()
    if row is None:
        return
    uow.execute("DELETE FROM product_search WHERE rowid = ?", (row[0],))
    uow.execute("INSERT INTO product_search (rowid, name, sku, barcodes) VALUES (?, ?, ?, ?)",
                tuple(row))


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


def product_variants(conn: sqlite3.Connection, parent_sku: str) -> list[sqlite3.Row]:
    """The active variants of a parent SKU (the `products_parent` index), with on-hand stock
    (NULL when HQ sent no stock level for it)."""
    return conn.execute("SELECT p.*, s.hq_on_hand + s.local_delta AS on_hand FROM products p "
                        "LEFT JOIN stock s USING (product_id) WHERE p.parent_sku = ? "
                        "AND p.parent_sku != '' AND p.active = 1 ORDER BY p.sku",
                        (parent_sku,)).fetchall()


def quick_key_products(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    """Products HQ gave a quick key (the `products_quick_key` index), with `quick_key`: active
    ones, and parents whose variants the picker offers."""
    return conn.execute("SELECT p.*, json_extract(p.attributes, '$.quick_key') AS quick_key "
                        "FROM products p WHERE json_extract(p.attributes, '$.quick_key') "
                        f"IS NOT NULL AND {_SELLABLE}").fetchall()


_WORD = re.compile(r"\w+")


def search_query(text: str) -> str:
    """What the cashier typed as an FTS5 query: every word a prefix, all words required.

    Words are quoted, so FTS5 syntax in the input ("-", "OR", quotes) is plain text.
    """
    return " AND ".join(f'"{word}"*' for word in _WORD.findall(text.lower()))


# Active, or a (typically inactive) parent whose active variants the picker offers.
_SELLABLE = ("(p.active = 1 OR EXISTS (SELECT 1 FROM products v WHERE v.parent_sku = p.sku "
             "AND v.parent_sku != '' AND v.active = 1))")


def search_products(conn: sqlite3.Connection, text: str, limit: int = 20) -> list[sqlite3.Row]:
    """Active products matching every typed word by prefix in name, SKU or barcode.

    The first `limit` matches in catalogue order, then sorted by name: ranking or sorting *all*
    matches of a two-letter prefix would touch tens of thousands of rows on every keystroke.
    """
    query = search_query(text)
    if not query:  # nothing typed yet: browse the catalogue by name (indexed, so still cheap)
        return conn.execute(f"{_PRODUCT} WHERE {_SELLABLE} ORDER BY p.name COLLATE NOCASE "
                            "LIMIT ?", (limit,)).fetchall()
    rows = conn.execute(f"{_PRODUCT} JOIN product_search s ON s.rowid = p.rowid "
                        f"WHERE product_search MATCH ? AND {_SELLABLE} LIMIT ?",
                        (query, limit)).fetchall()
    return sorted(rows, key=lambda row: row["name"].casefold())
