"""Schema migrations, applied in order and recorded in ``PRAGMA user_version``.

Each migration is a list of statements; a new schema change is a new entry at the end, never an
edit of an old one (tills in the field are at every version).
"""

from __future__ import annotations

import sqlite3

V1 = [
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE journal (
        seq INTEGER PRIMARY KEY CHECK (seq >= 1),
        event_id TEXT NOT NULL UNIQUE,
        device_id TEXT NOT NULL,
        hlc TEXT NOT NULL,
        type TEXT NOT NULL,
        schema_version INTEGER NOT NULL,
        payload TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL
    )""",
    # The journal is the till's evidence: corrections are new events, so rows never change.
    """CREATE TRIGGER journal_refuses_update BEFORE UPDATE ON journal
       BEGIN SELECT RAISE(ABORT, 'journal is append-only: events are never updated'); END""",
    """CREATE TRIGGER journal_refuses_delete BEFORE DELETE ON journal
       BEGIN SELECT RAISE(ABORT, 'journal is append-only: events are never deleted'); END""",
    # HQ refuses gaps, so the file refuses them too rather than finding out at push time.
    """CREATE TRIGGER journal_is_gap_free BEFORE INSERT ON journal
       WHEN NEW.seq != (SELECT coalesce(max(seq), 0) + 1 FROM journal)
       BEGIN SELECT RAISE(ABORT, 'journal seq must be the last seq + 1'); END""",
    """CREATE TABLE sync_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        acked_seq INTEGER NOT NULL DEFAULT 0,
        pull_cursor INTEGER NOT NULL DEFAULT 0,
        last_push_at TEXT,
        last_pull_at TEXT,
        last_error TEXT
    )""",
    "INSERT INTO sync_state (id) VALUES (1)",
    """CREATE TABLE products (
        product_id TEXT PRIMARY KEY,
        sku TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        price_minor INTEGER NOT NULL,
        currency TEXT NOT NULL,
        tax_class TEXT NOT NULL DEFAULT 'standard',
        active INTEGER NOT NULL DEFAULT 1
    )""",
    "CREATE INDEX products_name ON products (name COLLATE NOCASE)",
    """CREATE TABLE barcodes (
        barcode TEXT PRIMARY KEY,
        product_id TEXT NOT NULL REFERENCES products (product_id) ON DELETE CASCADE
    )""",
    "CREATE INDEX barcodes_product ON barcodes (product_id)",
    # No foreign key to products: HQ may send a stock level before the product it belongs to.
    """CREATE TABLE stock (
        product_id TEXT PRIMARY KEY,
        hq_on_hand INTEGER NOT NULL DEFAULT 0,
        local_delta INTEGER NOT NULL DEFAULT 0
    )""",
    """CREATE TABLE sales (
        sale_id TEXT PRIMARY KEY,
        seq INTEGER NOT NULL UNIQUE REFERENCES journal (seq),
        receipt_no TEXT NOT NULL UNIQUE,
        cashier TEXT NOT NULL,
        total_minor INTEGER NOT NULL,
        currency TEXT NOT NULL,
        paid_minor INTEGER NOT NULL,
        change_minor INTEGER NOT NULL,
        completed_at TEXT NOT NULL
    )""",
    """CREATE TABLE sale_lines (
        sale_id TEXT NOT NULL REFERENCES sales (sale_id),
        line_no INTEGER NOT NULL,
        product_id TEXT NOT NULL,
        sku TEXT NOT NULL,
        name TEXT NOT NULL,
        quantity INTEGER NOT NULL CHECK (quantity > 0),
        unit_price_minor INTEGER NOT NULL,
        line_total_minor INTEGER NOT NULL,
        PRIMARY KEY (sale_id, line_no)
    )""",
    """CREATE TABLE receipts (
        sale_id TEXT PRIMARY KEY REFERENCES sales (sale_id),
        escpos BLOB NOT NULL,
        text TEXT NOT NULL,
        printed_at TEXT,
        last_error TEXT,
        attempts INTEGER NOT NULL DEFAULT 0
    )""",
]

# Speed on a 200,000-item catalogue: SKU lookups are case-insensitive, so they need a NOCASE index
# (the UNIQUE one is BINARY and cannot serve them); search-as-you-type uses FTS5 prefix queries
# instead of a LIKE '%x%' full scan. `product_search` rows share the products' rowid and are
# written by master_data.py in the same transaction as the product they index.
V2 = [
    "CREATE INDEX products_sku_nocase ON products (sku COLLATE NOCASE)",
    """CREATE VIRTUAL TABLE product_search USING fts5 (
        name, sku, barcodes,
        tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
    )""",
    """INSERT INTO product_search (rowid, name, sku, barcodes)
       SELECT p.rowid, p.name, p.sku,
              coalesce((SELECT group_concat(b.barcode, ' ') FROM barcodes b
                        WHERE b.product_id = p.product_id), '')
       FROM products p""",
]

# Till users pulled from HQ (`till_user` changes): who may sign in here, and how.
V3 = [
    """CREATE TABLE till_users (
        user_id TEXT PRIMARY KEY,
        store_id TEXT,
        name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('cashier', 'supervisor', 'manager')),
        pin_hash TEXT NOT NULL,
        badge_hash TEXT,
        max_discount_bp INTEGER NOT NULL DEFAULT 0,
        active INTEGER NOT NULL DEFAULT 1
    )""",
    "CREATE INDEX till_users_badge ON till_users (badge_hash)",
]

# Shifts and split tender. The rows are projections of ShiftOpened / CashMovementRecorded /
# ShiftClosed and of SaleCompleted's tenders, written in the same transaction as the event.
V4 = [
    """CREATE TABLE shifts (
        shift_id TEXT PRIMARY KEY,
        opened_seq INTEGER NOT NULL UNIQUE REFERENCES journal (seq),
        opened_by TEXT NOT NULL,
        float_minor INTEGER NOT NULL CHECK (float_minor >= 0),
        currency TEXT NOT NULL,
        opened_at_ms INTEGER NOT NULL,
        closed_seq INTEGER UNIQUE REFERENCES journal (seq),
        closed_by TEXT,
        closed_at_ms INTEGER,
        expected_cash_minor INTEGER,
        counted_cash_minor INTEGER,
        over_short_minor INTEGER,
        z_escpos BLOB,
        z_text TEXT
    )""",
    # One drawer per till, so at most one open shift in this file.
    "CREATE UNIQUE INDEX shifts_one_open ON shifts ((closed_seq IS NULL)) WHERE closed_seq IS NULL",
    """CREATE TABLE cash_movements (
        movement_id TEXT PRIMARY KEY,
        seq INTEGER NOT NULL UNIQUE REFERENCES journal (seq),
        shift_id TEXT NOT NULL REFERENCES shifts (shift_id),
        kind TEXT NOT NULL CHECK (kind IN ('paid_in', 'paid_out', 'drop')),
        amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
        reason TEXT NOT NULL,
        by_name TEXT NOT NULL,
        recorded_at_ms INTEGER NOT NULL
    )""",
    "CREATE INDEX cash_movements_shift ON cash_movements (shift_id)",
    "ALTER TABLE sales ADD COLUMN shift_id TEXT NOT NULL DEFAULT ''",
    "CREATE INDEX sales_shift ON sales (shift_id)",
    """CREATE TABLE sale_tenders (
        sale_id TEXT NOT NULL REFERENCES sales (sale_id),
        tender_no INTEGER NOT NULL,
        kind TEXT NOT NULL,
        amount_minor INTEGER NOT NULL,
        reference TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (sale_id, tender_no)
    )""",
    # Sales from before V4 were cash only: one cash tender each, so totals by kind stay whole.
    """INSERT INTO sale_tenders (sale_id, tender_no, kind, amount_minor)
       SELECT sale_id, 1, 'cash', paid_minor FROM sales""",
]

# Supervisor overrides and returns: projections of OverrideRecorded and ReturnCompleted.
# return_lines.original_line_no lets "refundable = sold - returned" be counted per sale line.
V5 = [
    """CREATE TABLE overrides (
        override_id TEXT PRIMARY KEY,
        seq INTEGER NOT NULL UNIQUE REFERENCES journal (seq),
        action TEXT NOT NULL,
        requested_by TEXT NOT NULL,
        approved_by TEXT NOT NULL,
        before TEXT NOT NULL,
        after TEXT NOT NULL,
        reason TEXT NOT NULL,
        sale_id TEXT NOT NULL DEFAULT ''
    )""",
    """CREATE TABLE returns (
        return_id TEXT PRIMARY KEY,
        seq INTEGER NOT NULL UNIQUE REFERENCES journal (seq),
        original_sale_id TEXT NOT NULL,
        original_receipt_no TEXT NOT NULL,
        shift_id TEXT NOT NULL,
        cashier TEXT NOT NULL,
        approved_by TEXT NOT NULL,
        total_minor INTEGER NOT NULL,
        cash_refund_minor INTEGER NOT NULL
    )""",
    "CREATE INDEX returns_sale ON returns (original_sale_id)",
    "CREATE INDEX returns_shift ON returns (shift_id)",
    """CREATE TABLE return_lines (
        return_id TEXT NOT NULL REFERENCES returns (return_id),
        line_no INTEGER NOT NULL,
        original_line_no INTEGER NOT NULL,
        product_id TEXT NOT NULL,
        quantity INTEGER NOT NULL CHECK (quantity > 0),
        line_total_minor INTEGER NOT NULL,
        reason TEXT NOT NULL,
        restock INTEGER NOT NULL,
        PRIMARY KEY (return_id, line_no)
    )""",
    """CREATE TABLE return_refunds (
        return_id TEXT NOT NULL REFERENCES returns (return_id),
        refund_no INTEGER NOT NULL,
        kind TEXT NOT NULL,
        amount_minor INTEGER NOT NULL,
        reference TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (return_id, refund_no)
    )""",
]

# Parked baskets (not journal facts: nothing was sold) and training sales. A parked basket's lines
# are JSON with the prices they had when parked; recalling deletes the row. Training sales are
# projected like any sale but left out of stock and of the shift's X/Z totals.
V6 = [
    """CREATE TABLE parked_sales (
        park_id TEXT PRIMARY KEY,
        parked_at_ms INTEGER NOT NULL,
        cashier TEXT NOT NULL,
        item_count INTEGER NOT NULL,
        total_minor INTEGER NOT NULL,
        currency TEXT NOT NULL,
        basket TEXT NOT NULL
    )""",
    "ALTER TABLE sales ADD COLUMN training INTEGER NOT NULL DEFAULT 0",
]

# The store's tax rates per tax class, pulled from HQ with the `store` change (merge rule 6). The
# store's other pricing settings (prices_include_tax, cash_rounding_minor) are meta keys.
V7 = [
    """CREATE TABLE tax_rates (
        tax_class TEXT PRIMARY KEY,
        name TEXT NOT NULL DEFAULT '',
        rate_bp INTEGER NOT NULL CHECK (rate_bp BETWEEN 0 AND 10000)
    )""",
]

# Customers (merge rule 8): details as the last writer left them (hlc), found by any name word's
# start (full-text, like products) or by phone digits (an index range); points as HQ's counter
# plus this till's own postings HQ has not counted yet (`hq_counted_seq`, a journal seq).
V8 = [
    """CREATE TABLE customers (
        customer_id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        phone TEXT NOT NULL DEFAULT '',
        phone_digits TEXT NOT NULL DEFAULT '',
        email TEXT NOT NULL DEFAULT '',
        hlc TEXT NOT NULL DEFAULT '',
        hq_points INTEGER NOT NULL DEFAULT 0,
        hq_counted_seq INTEGER NOT NULL DEFAULT 0
    )""",
    "CREATE INDEX customers_name ON customers (name COLLATE NOCASE)",
    "CREATE INDEX customers_phone ON customers (phone_digits)",
    "CREATE VIRTUAL TABLE customer_search USING fts5 (name, tokenize = 'unicode61')",
    """CREATE TABLE loyalty_postings (
        seq INTEGER PRIMARY KEY,
        customer_id TEXT NOT NULL,
        delta INTEGER NOT NULL,
        reason TEXT NOT NULL,
        sale_id TEXT NOT NULL DEFAULT ''
    )""",
    "CREATE INDEX loyalty_postings_customer ON loyalty_postings (customer_id, seq)",
]

# Email receipts waiting to go (till.email): one row per receipt to send, rendered when queued so a
# later change of layout or store name does not change what the customer gets. Not a journal
# fact: a row stays until sent (`sent_at`), retried at `next_attempt_ms` with a growing backoff.
V9 = [
    """CREATE TABLE email_outbox (
        email_id TEXT PRIMARY KEY,
        sale_id TEXT NOT NULL,
        address TEXT NOT NULL,
        subject TEXT NOT NULL,
        body_text TEXT NOT NULL,
        body_html TEXT NOT NULL,
        queued_at TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        next_attempt_ms INTEGER NOT NULL DEFAULT 0,
        sent_at TEXT
    )""",
    "CREATE INDEX email_outbox_due ON email_outbox (next_attempt_ms) WHERE sent_at IS NULL",
]

# Product families and quick keys (till.ui.variant_*, till.ui.quick_keys_*): HQ sends each variant
# with its parent's SKU and attributes ({"size": "M", "colour": "Red"}, JSON text here) and its
# unit. An attribute "quick_key": "<page>/<position>" puts an unbarcoded item on the quick-key grid;
# both lookups are index probes, so a 200,000-item catalogue does not slow a scan down.
V10 = [
    "ALTER TABLE products ADD COLUMN parent_sku TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE products ADD COLUMN attributes TEXT NOT NULL DEFAULT '{}'",
    "ALTER TABLE products ADD COLUMN unit TEXT NOT NULL DEFAULT ''",
    "CREATE INDEX products_parent ON products (parent_sku) WHERE parent_sku != ''",
    "CREATE INDEX products_quick_key ON products (json_extract(attributes, '$.quick_key')) "
    "WHERE json_extract(attributes, '$.quick_key') IS NOT NULL",
]

# Gift cards and store credit (till.gift_cards): HQ's last balance per card and, as for loyalty,
# the last of this till's own postings it counted; this till's postings are summed on top, so a
# card sold here is known here at once, before HQ has heard of it.
V11 = [
    """CREATE TABLE gift_cards (
        card_number TEXT PRIMARY KEY,
        kind TEXT NOT NULL DEFAULT 'gift_card',
        currency TEXT NOT NULL,
        customer_id TEXT NOT NULL DEFAULT '',
        hq_balance INTEGER NOT NULL DEFAULT 0,
        hq_counted_seq INTEGER NOT NULL DEFAULT 0
    )""",
    """CREATE TABLE gift_card_postings (
        seq INTEGER PRIMARY KEY,
        card_number TEXT NOT NULL,
        kind TEXT NOT NULL,
        currency TEXT NOT NULL,
        customer_id TEXT NOT NULL DEFAULT '',
        delta_minor INTEGER NOT NULL,
        reason TEXT NOT NULL,
        sale_id TEXT NOT NULL DEFAULT '',
        return_id TEXT NOT NULL DEFAULT ''
    )""",
    "CREATE INDEX gift_card_postings_card ON gift_card_postings (card_number, seq)",
]

MIGRATIONS: list[list[str]] = [V1, V2, V3, V4, V5, V6, V7, V8, V9, V10, V11]


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the schema to the latest version; each step commits with its version number."""
    current = conn.execute("PRAGMA user_version").fetchone()[0]
    if current > len(MIGRATIONS):
        raise RuntimeError(
            f"ledger schema version {current} is newer than this till ({len(MIGRATIONS)}); "
            "update the till software"
        )
    for version, statements in enumerate(MIGRATIONS[current:], start=current + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in statements:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return len(MIGRATIONS)
