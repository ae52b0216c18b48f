"""Recording stock movements and publishing the on-hand they produce.

A batch gathers the movements of one transaction; `flush` writes them, bumps on-hand in a fixed
(product, store) order (so concurrent batches cannot deadlock on each other) and publishes the
new levels: a `stock` change per row and a `tillhq_stock` NOTIFY for the live dashboard.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import bindparam, select, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session
from sqlalchemy.types import Text

from hq_server.changelog.service import ChangeRow, append_changes
from hq_server.db.models import Product, StockMovement, Store
from hq_server.sync.bulk import insert_rows

STOCK_CHANNEL = "tillhq_stock"
Key = tuple[uuid.UUID, uuid.UUID]  # (product_id, store_id)

_BUMP = text("""
    INSERT INTO stock_on_hand AS s (product_id, store_id, on_hand, updated_at)
    SELECT p, st, d, now() FROM unnest(CAST(:products AS uuid[]), CAST(:stores AS uuid[]),
                                       CAST(:deltas AS bigint[])) AS t(p, st, d)
    ON CONFLICT (product_id, store_id)
    DO UPDATE SET on_hand = s.on_hand + excluded.on_hand, updated_at = now()
    RETURNING product_id, store_id, on_hand
""")
_NOTIFY = text(f"SELECT pg_notify('{STOCK_CHANNEL}', m) FROM unnest(:messages) AS m") \
    .bindparams(bindparam("messages", type_=ARRAY(Text)))


@dataclass
class StockBatch:
    movements: list[dict] = field(default_factory=list)
    totals: dict[Key, int] = field(default_factory=dict)

    def add(self, product_id: uuid.UUID, store_id: uuid.UUID, delta: int, reason: str,
            *, event_id: uuid.UUID | None = None, hlc: str | None = None) -> None:
        self.movements.append({"product_id": product_id, "store_id": store_id, "delta": delta,
                               "reason": reason, "event_id": event_id, "hlc": hlc})
        self.totals[(product_id, store_id)] = self.totals.get((product_id, store_id), 0) + delta

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
        commit); returns the new on-hand per touched key. Publishing is the caller's last step."""
        if not self.movements:
            return {}
        insert_rows(session, StockMovement.__table__, self.movements)
        keys = sorted(self.totals)
        rows = session.execute(_BUMP, {
            "products": [k[0] for k in keys], "stores": [k[1] for k in keys],
            "deltas": [self.totals[k] for k in keys],
        }).all()
        self.movements, self.totals = [], {}
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


def publish(session: Session, on_hand: dict[Key, int], names: Names | None = None) -> None:
    """Stock changes for pulling tills and a live message per level, both delivered at commit.

    It takes the change-log lock (held until commit): call it last, with `names` read earlier.
    """
    if not on_hand:
        return
    names = names or Names.fetch(session, on_hand)
    levels = sorted(on_hand.items())
    messages = [json.dumps({
        "type": "stock", "product_id": str(p), "store_id": str(s),
        "store_code": names.store_codes.get(s), "sku": names.skus.get(p), "on_hand": n,
    }) for (p, s), n in levels]
    session.execute(_NOTIFY, {"messages": messages})
    append_changes(session, [
        ChangeRow("stock", str(p), {"product_id": str(p), "store_id": str(s), "on_hand": n}, store_id=s)
        for (p, s), n in levels
    ])
