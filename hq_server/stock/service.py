"""Recording stock movements and publishing the on-hand they produce.

A batch gathers the movements of one transaction; `flush` writes them, bumps on-hand in a fixed
(product, store) order (so concurrent batches cannot deadlock on each other) and publishes the
new levels: a `stock` change per row and a `tillhq_stock` NOTIFY for the live dashboard.

Merge rule 3 rides on the bump: it returns the row's last count hlc, and a movement stamped at
or before it (a sale made offline before the count, delivered after) is absorbed: a
`count_absorbed` movement cancels it and the count's line records it, so it changes the count's
variance, not the stock. With no count on the row (the usual case) this costs one column.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import orjson
from psycopg.rows import namedtuple_row
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from hq_server.changelog.service import ChangeRow, append_changes
from hq_server.db.models import Product, StockMovement, Store
from hq_server.db.session import driver
from hq_server.inventory.models import StockCount
from hq_server.stock.clock import hq_now
from hq_server.sync.bulk import copy_rows, copy_text, copy_text_rows, insert_rows
from shared.merge import is_absorbed_by_count

STOCK_CHANNEL = "tillhq_stock"
Key = tuple[uuid.UUID, uuid.UUID]  # (product_id, store_id)

_BUMP = """
    INSERT INTO stock_on_hand AS s (product_id, store_id, on_hand, updated_at)
    SELECT p, st, d, now() FROM unnest(CAST(%(products)s AS uuid[]), CAST(%(stores)s AS uuid[]),
                                       CAST(%(deltas)s AS bigint[])) AS t(p, st, d)
    ON CONFLICT (product_id, store_id)
    DO UPDATE SET on_hand = s.on_hand + excluded.on_hand, updated_at = now()
    RETURNING product_id, store_id, on_hand, counted_hlc, count_id
"""
_ABSORB = text("""
    UPDATE stock_count_lines AS l SET absorbed = l.absorbed + t.d
    FROM unnest(CAST(:counts AS uuid[]), CAST(:products AS uuid[]), CAST(:deltas AS bigint[]))
         AS t(c, p, d)
    WHERE l.count_id = t.c AND l.product_id = t.p
""")
_NOTIFY = f"SELECT pg_notify('{STOCK_CHANNEL}', m) FROM unnest(%s::text[]) AS m"


def count_reference(number: int) -> str:
    return f"C-{number:06d}"


@dataclass
class StockBatch:
    movements: list[dict] = field(default_factory=list)
    totals: dict[Key, int] = field(default_factory=dict)

    def add(self, product_id: uuid.UUID, store_id: uuid.UUID, delta: int, reason: str,
            *, event_id: uuid.UUID | None = None, hlc: str | None = None,
            reference: str | None = None, user_id: uuid.UUID | None = None,
            note: str | None = None, unit_cost_minor: int | None = None) -> None:
        """A till's movement passes its event's hlc; one made at HQ is stamped by HQ's clock.
        `unit_cost_minor`: a goods receipt's cost per unit (what FIFO valuation reads)."""
        move = {"product_id": product_id, "store_id": store_id, "delta": delta, "reason": reason,
                "event_id": event_id, "hlc": hlc or hq_now()}
        # Spelled out: a generator here cost ~1 ms per 100-sale push (once per movement).
        if reference is not None or user_id is not None or note is not None or unit_cost_minor is not None:
            move |= {"reference": reference, "user_id": user_id, "note": note}
        if unit_cost_minor is not None:
            move["unit_cost_minor"] = unit_cost_minor
        self.movements.append(move)
        self.totals[(product_id, store_id)] = self.totals.get((product_id, store_id), 0) + delta

    def expand_bundles(self, kits: dict[uuid.UUID, list[tuple[uuid.UUID, int]]]) -> None:
        """Replace each movement of a bundle by its components' (a bundle holds no stock).

        `kits` is {bundle id: [(component id, quantity per bundle)]}, as
        catalogue_admin.bundles.bundles_among returns it for the batch's products.
        """
        if not kits or not any(m["product_id"] in kits for m in self.movements):
            return
        movements, self.movements, self.totals = self.movements, [], {}
        for move in movements:
            parts = kits.get(move["product_id"])
            if parts is None:
                self._keep(move)
                continue
            for component_id, per_bundle in parts:
                self._keep(move | {"product_id": component_id, "delta": move["delta"] * per_bundle})

    def product_ids(self) -> set[uuid.UUID]:
        return {product_id for product_id, _ in self.totals}

    def _keep(self, move: dict) -> None:
        self.movements.append(move)
        key = (move["product_id"], move["store_id"])
        self.totals[key] = self.totals.get(key, 0) + move["delta"]

    def flush(self, session: Session) -> dict[Key, int]:
        """Write movements, bump on-hand, publish; returns the new on-hand per touched key."""
        if not self.movements:
            return {}
        names = Names.fetch(session, self.totals)
        on_hand = self.write(session)
        publish(session, on_hand, names)
        return on_hand

    def write(self, session: Session) -> dict[Key, int]:
        """Write the movements and bump on-hand (one row lock per key, in key order, held until
        commit); returns the new on-hand per touched key. Publishing is the caller's last step.

        A movement absorbed by a count (rule 3) gets `"absorbed": True` in its dict, so callers
        that look at the batch's movements afterwards (oversell) can leave it out.
        """
        if not self.movements:
            return {}
        _insert_movements(session, self.movements)
        rows = _bump(session, self.totals)
        on_hand = {(r.product_id, r.store_id): r.on_hand for r in rows}
        counts = {(r.product_id, r.store_id): (r.counted_hlc, r.count_id)
                  for r in rows if r.counted_hlc is not None}
        if counts:
            on_hand |= _absorb(session, self.movements, counts)
        self.movements, self.totals = [], {}
        return on_hand


def _insert_movements(session: Session, movements: list[dict]) -> None:
    """One statement per shape: plain till movements; HQ's (with person and document); goods
    receipts (with their unit cost too). Only receipts name the cost column, which a role
    without the cost right may not write."""
    shapes: dict[tuple[bool, bool], list[dict]] = {}
    for move in movements:
        shapes.setdefault(("reference" in move, "unit_cost_minor" in move), []).append(move)
    for _, rows in sorted(shapes.items()):
        if tuple(rows[0]) == _TILL_MOVEMENT:
            copy_text_rows(session, StockMovement.__table__, _TILL_MOVEMENT, _till_movement_lines(rows))
        else:
            copy_rows(session, StockMovement.__table__, rows)


_TILL_MOVEMENT = ("product_id", "store_id", "delta", "reason", "event_id", "hlc")


def _till_movement_lines(rows: list[dict]) -> list[str]:
    """A till's movements (a push's ~400) as COPY text lines, each id written once per batch:
    psycopg adapting them value by value cost ~1.5 ms a push."""
    texts: dict[Any, str] = {None: "\\N"}
    lines = []
    for move in rows:
        product, store, event = move["product_id"], move["store_id"], move["event_id"]
        lines.append(f"{texts.get(product) or texts.setdefault(product, str(product))}\t"
                     f"{texts.get(store) or texts.setdefault(store, str(store))}\t"
                     f"{int(move['delta'])}\t{copy_text(move['reason'])}\t"
                     f"{texts.get(event) or texts.setdefault(event, str(event))}\t"
                     f"{copy_text(move['hlc'])}\n")
    return lines


def _bump(session: Session, totals: dict[Key, int]) -> list:
    keys = sorted(totals)
    # Straight to psycopg: SQLAlchemy's statement and row handling for a push's ~400 rows cost
    # about as much CPU as PostgreSQL's work on them.
    with driver(session).cursor(row_factory=namedtuple_row) as cur:
        return cur.execute(_BUMP, {
            "products": [k[0] for k in keys], "stores": [k[1] for k in keys],
            "deltas": [totals[k] for k in keys],
        }).fetchall()


def _absorb(session: Session, movements: list[dict],
            counts: dict[Key, tuple[str, uuid.UUID]]) -> dict[Key, int]:
    """Rule 3 for movements stamped at or before their row's last count (rows already locked):
    each is cancelled by a `count_absorbed` twin (same event, the count's hlc and number) and
    added to the count's line; returns the on-hand of the rows that changed."""
    absorbed = []
    for move in movements:
        key = (move["product_id"], move["store_id"])
        if key in counts and move["delta"] and is_absorbed_by_count(counts[key][0], move["hlc"]):
            move["absorbed"] = True
            absorbed.append(move)
    if not absorbed:
        return {}
    numbers = dict(session.execute(select(StockCount.id, StockCount.number).where(
        StockCount.id.in_({counts[(m["product_id"], m["store_id"])][1] for m in absorbed}))).all())
    twins, totals = [], {}
    for move in absorbed:
        key = (move["product_id"], move["store_id"])
        hlc, count_id = counts[key]
        twins.append({"product_id": key[0], "store_id": key[1], "delta": -move["delta"],
                      "reason": "count_absorbed", "event_id": move["event_id"], "hlc": hlc,
                      "reference": count_reference(numbers[count_id]), "user_id": None, "note": None})
        totals[key] = totals.get(key, 0) + move["delta"]
    insert_rows(session, StockMovement.__table__, twins)
    keys = sorted(totals)
    session.execute(_ABSORB, {"counts": [counts[k][1] for k in keys], "products": [k[0] for k in keys],
                              "deltas": [totals[k] for k in keys]})
    rows = _bump(session, {k: -d for k, d in totals.items()})
    return {(r.product_id, r.store_id): r.on_hand for r in rows}


@dataclass(frozen=True, slots=True)
class Names:
    """SKUs and store codes for the published levels, read before any stock row is locked."""

    skus: dict[uuid.UUID, str]
    store_codes: dict[uuid.UUID, str]

    @classmethod
    def fetch(cls, session: Session, keys: Iterable[Key]) -> Names:
        product_ids = {k[0] for k in keys}
        skus = dict(session.execute(select(Product.id, Product.sku)
                                    .where(Product.id.in_(product_ids))).all()) if product_ids else {}
        return cls(skus, dict(session.execute(select(Store.id, Store.code)).all()))

    @classmethod
    def fetch_for_ingest(cls, session: Session, keys: Iterable[Key]) -> tuple[Names, set[uuid.UUID]]:
        """The names, and which of the products are bundles, in one round trip (a push reads
        them for every batch; a bundle among them is rare and is expanded by the caller)."""
        product_ids = list({k[0] for k in keys})
        skus, store_codes, bundles = {}, {}, set()
        for kind, id_, name, is_bundle in session.connection().execute(
                _NAMES_AND_BUNDLES, {"products": product_ids}):
            if kind == "s":
                store_codes[id_] = name
                continue
            skus[id_] = name
            if is_bundle:
                bundles.add(id_)
        return cls(skus, store_codes), bundles


_NAMES_AND_BUNDLES = text("""
    SELECT 'p', p.id, p.sku, EXISTS (SELECT 1 FROM bundle_components b WHERE b.bundle_id = p.id)
    FROM products p WHERE p.id = ANY(CAST(:products AS uuid[]))
    UNION ALL SELECT 's', s.id, s.code, false FROM stores s
""")


def publish(session: Session, on_hand: dict[Key, int], names: Names | None = None) -> None:
    """Stock changes for pulling tills and a live message per level, both delivered at commit.

    It takes the change-log lock (held until commit): call it last, with `names` read earlier.
    """
    if not on_hand:
        return
    names = names or Names.fetch(session, on_hand)
    levels = sorted(on_hand.items())
    messages = [orjson.dumps({
        "type": "stock", "product_id": str(p), "store_id": str(s),
        "store_code": names.store_codes.get(s), "sku": names.skus.get(p), "on_hand": n,
    }).decode() for (p, s), n in levels]
    # Straight to psycopg: SQLAlchemy's array bind of ~400 messages cost ~0.5 ms of CPU.
    driver(session).execute(_NOTIFY, (messages,))
    append_changes(session, [
        ChangeRow("stock", str(p), {"product_id": str(p), "store_id": str(s), "on_hand": n}, store_id=s)
        for (p, s), n in levels
    ])
