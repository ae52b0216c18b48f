"""Stock adjustments at HQ: a person's signed movement with a reason code, audited."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from hq_server.audit.service import record
from hq_server.auth.identity import Actor
from hq_server.inventory import repository
from hq_server.inventory.errors import Invalid
from hq_server.stock.service import StockBatch
from shared.ids import uuid7

# Reason code -> the sign its delta must have (0: either).
REASONS = {"damage": -1, "theft": -1, "found": 1, "correction": 0}


def check_adjustment(delta: int, reason: str) -> None:
    if reason not in REASONS:
        raise Invalid(f"unknown reason {reason!r}; one of {', '.join(REASONS)}")
    if delta == 0:
        raise Invalid("an adjustment of 0 changes nothing; give the units to add or take away")
    sign = REASONS[reason]
    if sign and (delta > 0) != (sign > 0):
        direction = "take stock away (a negative delta)" if sign < 0 else "add stock (a positive delta)"
        raise Invalid(f"{reason} must {direction}; got {delta:+d}")


def adjust(session: Session, actor: Actor, *, store_ref: str, product_ref: str, delta: int,
           reason: str, note: str = "") -> dict[str, Any]:
    """Post one adjustment; returns what the ledger now says about the (product, store)."""
    check_adjustment(delta, reason)
    store = repository.store(session, store_ref)
    repository.require_writer(actor, store, "adjust stock", repository.STOCK_ADJUSTERS)
    product = repository.product(session, product_ref)
    reference = f"ADJ-{uuid7().hex[-12:].upper()}"
    batch = StockBatch()
    batch.add(product.id, store.id, delta, reason, reference=reference, user_id=actor.user_id,
              note=note or None)
    after = batch.flush(session)[(product.id, store.id)]
    result = {"reference": reference, "store_code": store.code, "sku": product.sku,
              "reason": reason, "delta": delta, "on_hand_before": after - delta, "on_hand": after,
              "note": note}
    record(session, actor, "stock.adjusted", "stock", f"{product.sku}@{store.code}",
           {"on_hand": after - delta}, result)
    return result
