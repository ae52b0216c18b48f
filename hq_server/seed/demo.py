"""A believable demo chain: stores, ~5000 products, 90 days of sales, consistent stock.

Generated in memory with a seeded RNG, then written with COPY in one transaction. On-hand is
exactly the sum of the movements written (opening stock is sized from the sales generated, so no
level ends below zero), and the catalogue, stores and stock levels go into the change log under
the change-log lock so tills can pull them.

Till users for every store (hq_server.seed.demo_users), to sign in at a demo till:

* cashier **Ana**, PIN **1111**
* supervisor **Sam**, PIN **9999** (badge SAM-0001; gives up to 10 % discount)
* manager **Mia**, PIN **4321**

Demo PINs only: never seed these into a real chain.

HQ back-office users (hq_server.seed.demo_users.DEMO_HQ_USERS), to sign in at /api/v1/auth/login:

* **admin@example.com**, password **tillhq-admin** (admin)
* **buyer@example.com**, password **tillhq-buyer** (buyer, every store)
* **manager.s001@example.com**, password **tillhq-manager** (store manager of S001)

Demo passwords only: change them on a real HQ.
"""

from __future__ import annotations

import json
import os
import random
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import psycopg

from hq_server.changelog.service import LOCK_SQL, NOTIFY_SQL
from hq_server.db.models import TillUser
from hq_server.db.session import psycopg_conninfo
from hq_server.seed.demo_data import BRANDS, PRICE_ENDINGS, PRODUCT_TYPES, STORE_NAMES
from hq_server.seed.demo_users import (
    DEMO_HQ_USERS,
    DEMO_TILL_USERS,
    demo_password_hash,
    demo_pin_hash,
)
from hq_server.till_users.service import hash_badge, till_user_change_data
from shared.barcodes import make_ean13


@dataclass
class DemoSummary:
    skipped: bool
    message: str
    stores: int = 0
    products: int = 0
    sales: int = 0
    sale_lines: int = 0
    movements: int = 0
    seconds: float = 0.0


@dataclass
class _Chain:
    stores: list[tuple] = field(default_factory=list)       # (id, code, name, currency)
    products: list[tuple] = field(default_factory=list)     # products COPY rows
    barcodes: list[tuple] = field(default_factory=list)
    sales: list[tuple] = field(default_factory=list)
    lines: list[tuple] = field(default_factory=list)
    movements: list[tuple] = field(default_factory=list)
    on_hand: dict[tuple, int] = field(default_factory=dict)
    users: list[TillUser] = field(default_factory=list)  # transient, written with COPY


def uuid7_at(ms: int, rng: random.Random) -> uuid.UUID:
    """A UUIDv7 for a past moment (shared.ids.uuid7 only moves forward in time)."""
    value = (ms & ((1 << 48) - 1)) << 80 | 0x7 << 76 | rng.getrandbits(12) << 64
    return uuid.UUID(int=value | 0b10 << 62 | rng.getrandbits(62))


def _price(rng: random.Random, low: int, high: int) -> int:
    return rng.randint(low, high) * 100 + rng.choice(PRICE_ENDINGS)


def _catalogue(rng: random.Random, count: int, now: datetime, chain: _Chain) -> list[tuple]:
    combos = [(b, t, v) for b in range(len(BRANDS)) for t in range(len(PRODUCT_TYPES))
              for v in PRODUCT_TYPES[t][3]]
    rng.shuffle(combos)
    picked = []
    for i in range(count):
        brand_no, type_no, variant = combos[i % len(combos)]
        brand, vendor = BRANDS[brand_no]
        type_name, code, category, _, (low, high), tax = PRODUCT_TYPES[type_no]
        edition = "" if i < len(combos) else f" Edition {i // len(combos) + 1}"
        product_id = uuid7_at(int(now.timestamp() * 1000) - 10**9, rng)
        price = _price(rng, low, high)
        cost = price * rng.randint(40, 60) // 100
        sku = f"{code}-{i + 1:05d}"
        name = f"{brand} {type_name} {variant}{edition}"
        reorder = rng.randint(2, 12)
        chain.products.append((product_id, sku, name, category, vendor, price, cost, "EUR", tax,
                               reorder, True, now))
        chain.barcodes.append((make_ean13(f"5{brand_no + 100:04d}{i + 1:07d}"), product_id))
        picked.append((product_id, sku, name, price, reorder))
    return picked


def _sales(rng: random.Random, products: list[tuple], days: int, now: datetime, chain: _Chain) -> dict:
    """Generate sales; returns units sold per (product, store)."""
    weights = [1.0 / (rank + 8) for rank in range(len(products))]  # a long tail of slow sellers
    rng.shuffle(weights)
    cum, total = [], 0.0
    for w in weights:
        total += w
        cum.append(total)
    sold: dict[tuple, int] = {}
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    for store_id, code, _, _ in chain.stores:
        busy = rng.uniform(0.8, 1.2)
        for day in range(days, 0, -1):
            opening = today - timedelta(days=day) + timedelta(hours=9)
            for n in range(int(rng.randint(60, 150) * busy)):
                sold_at = opening + timedelta(seconds=rng.randint(0, 10 * 3600))
                _one_sale(rng, products, cum, store_id, code, day, n, sold_at, chain, sold)
    return sold


def _one_sale(rng, products, cum, store_id, code, day, n, sold_at, chain, sold) -> None:  # noqa: ANN001
    ms = int(sold_at.timestamp() * 1000)
    sale_id = uuid7_at(ms, rng)
    picks = {products[i] for i in _bisect_many(cum, rng, rng.randint(1, 4))}
    total = 0
    for line_no, (product_id, _, _, price, _) in enumerate(sorted(picks), start=1):
        qty = 1 if rng.random() < 0.8 else rng.randint(2, 3)
        total += price * qty
        chain.lines.append((sale_id, line_no, product_id, qty, price, price * qty))
        chain.movements.append((product_id, store_id, -qty, "sale", None, None, sold_at))
        sold[(product_id, store_id)] = sold.get((product_id, store_id), 0) + qty
    chain.sales.append((sale_id, store_id, None, None, f"{code}-{day:03d}-{n:04d}", total, "EUR",
                        len(picks), sold_at))


def _bisect_many(cum: list[float], rng: random.Random, k: int) -> list[int]:
    from bisect import bisect_left

    top = cum[-1]
    return [min(bisect_left(cum, rng.random() * top), len(cum) - 1) for _ in range(k)]


def _opening_stock(rng: random.Random, products, sold: dict, start: datetime, chain: _Chain) -> None:  # noqa: ANN001
    for product_id, _, _, _, reorder in products:
        for store_id, *_ in chain.stores:
            roll = rng.random()
            final = 0 if roll < 0.03 else rng.randint(1, reorder) if roll < 0.15 else rng.randint(reorder + 1, reorder * 5 + 10)
            opening = sold.get((product_id, store_id), 0) + final
            chain.movements.append((product_id, store_id, opening, "opening", None, None, start))
            chain.on_hand[(product_id, store_id)] = final


def _copy(cur: psycopg.Cursor, table: str, columns: str, rows: list[tuple]) -> None:
    with cur.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _write(conn: psycopg.Connection, chain: _Chain, now: datetime) -> None:
    cur = conn.cursor()
    _copy(cur, "stores", "id, code, name, currency", chain.stores)
    _copy(cur, "products", "id, sku, name, category, vendor, price_minor, cost_minor, currency, "
                           "tax_class, reorder_point, active, updated_at", chain.products)
    _copy(cur, "product_barcodes", "barcode, product_id", chain.barcodes)
    _copy(cur, "sales", "id, store_id, device_id, event_id, receipt_no, total_minor, currency, "
                        "line_count, sold_at", chain.sales)
    _copy(cur, "sale_lines", "sale_id, line_no, product_id, quantity, unit_price_minor, "
                             "line_total_minor", chain.lines)
    _copy(cur, "stock_movements", "product_id, store_id, delta, reason, event_id, hlc, created_at",
          chain.movements)
    _copy(cur, "stock_on_hand", "product_id, store_id, on_hand, updated_at",
          [(p, s, n, now) for (p, s), n in chain.on_hand.items()])
    _copy(cur, "till_users", "id, store_id, name, role, pin_hash, badge_hash, max_discount_bp, "
                             "active, updated_at",
          [(u.id, u.store_id, u.name, u.role, u.pin_hash, u.badge_hash, u.max_discount_bp,
            u.active, now) for u in chain.users])
    _hq_users(cur, chain)
    cur.execute(LOCK_SQL)  # last, and held until commit: see changelog.service
    _copy(cur, "change_log", "kind, store_id, entity_id, data", _changes(chain))
    cur.execute(NOTIFY_SQL)


def _changes(chain: _Chain) -> list[tuple]:
    barcodes: dict = {}
    for code, product_id in chain.barcodes:
        barcodes.setdefault(product_id, []).append(code)
    rows = [("store", None, str(s), json.dumps({"store_id": str(s), "code": c, "name": n, "currency": cur}))
            for s, c, n, cur in chain.stores]
    rows += [("product", None, str(p[0]), json.dumps({
        "product_id": str(p[0]), "sku": p[1], "name": p[2], "barcodes": barcodes.get(p[0], []),
        "price_minor": p[5], "currency": p[7], "tax_class": p[8], "active": p[10]}))
        for p in chain.products]
    rows += [("stock", s, str(p), json.dumps({"product_id": str(p), "store_id": str(s), "on_hand": n}))
             for (p, s), n in chain.on_hand.items()]
    rows += [("till_user", None, str(u.id), json.dumps(till_user_change_data(u))) for u in chain.users]
    return rows


def _till_users(rng: random.Random, now: datetime, chain: _Chain) -> None:
    for name, role, pin, badge, max_discount_bp in DEMO_TILL_USERS:
        chain.users.append(TillUser(
            id=uuid7_at(int(now.timestamp() * 1000) - 2 * 10**9, rng), store_id=None, name=name,
            role=role, pin_hash=demo_pin_hash(pin), badge_hash=hash_badge(badge) if badge else None,
            max_discount_bp=max_discount_bp, active=True))


def _hq_users(cur: psycopg.Cursor, chain: _Chain) -> None:
    store_ids = {code: store_id for store_id, code, _, _ in chain.stores}
    for email, name, role, password, store_codes in DEMO_HQ_USERS:
        user_id = uuid.uuid4()
        cur.execute("INSERT INTO hq_users (id, email, name, password_hash, role) "
                    "VALUES (%s, %s, %s, %s, %s)",
                    (user_id, email, name, demo_password_hash(password), role))
        for code in store_codes:
            if code in store_ids:
                cur.execute("INSERT INTO user_stores (user_id, store_id) VALUES (%s, %s)",
                            (user_id, store_ids[code]))


def seed_demo(database_url: str, *, stores: int = 5, products: int = 5000, days: int = 90,
              rng_seed: int = 42) -> DemoSummary:
    started = time.monotonic()
    with psycopg.connect(psycopg_conninfo(database_url)) as conn:
        if conn.execute("SELECT count(*) FROM stores").fetchone()[0]:
            return DemoSummary(True, "stores already exist; demo data not seeded again")
        rng = random.Random(rng_seed)
        now = datetime.now(UTC).replace(microsecond=0)
        chain = _Chain()
        for i in range(stores):
            name = STORE_NAMES[i] if i < len(STORE_NAMES) else f"Lumen Beauty — Branch {i + 1}"
            chain.stores.append((uuid7_at(int(now.timestamp() * 1000) - 2 * 10**9, rng),
                                 f"S{i + 1:03d}", name, "EUR"))
        picked = _catalogue(rng, products, now, chain)
        sold = _sales(rng, picked, days, now, chain)
        _opening_stock(rng, picked, sold, now - timedelta(days=days + 1), chain)
        _till_users(rng, now, chain)
        _write(conn, chain, now)
    return DemoSummary(False, "demo chain seeded", len(chain.stores), len(chain.products),
                       len(chain.sales), len(chain.lines), len(chain.movements),
                       round(time.monotonic() - started, 2))


if __name__ == "__main__":  # python -m hq_server.seed.demo  (DATABASE_URL set)
    print(seed_demo(os.environ["DATABASE_URL"]))
