"""Goods receipts of tracked products: each line names its batch and expiry date.

purchasing.receiving calls `check_receipt` before it writes anything (a tracked product with no
batch, a batch for an untracked product, or a known batch code with another expiry date is a
422 and nothing is received) and `record_receipt` after its stock movements are written, which
allocates them to those batches in the same transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from hq_server.batches.allocation import settle
from hq_server.batches.fefo import Label
from hq_server.batches.models import BatchTracking, ProductBatch
from hq_server.purchasing.errors import Invalid

MAX_CODE = 64
# This receipt's movement per product: the newest "receipt" movement with its reference (the
# order row is locked by the receipt, so earlier receipts of the order are older).
_RECEIPT_MOVES = text("""
    SELECT DISTINCT ON (product_id) product_id, id FROM stock_movements
    WHERE reason = 'receipt' AND reference = :reference AND store_id = :store
      AND product_id = ANY(CAST(:products AS uuid[]))
    ORDER BY product_id, id DESC
""")

ReceiptLine = tuple[uuid.UUID, str, int, str | None, date | None]  # product, sku, qty, batch, expiry


class BatchRefused(Invalid):
    """A receipt line's batch is missing, not wanted or contradicts a known one (HTTP 422)."""


def check_receipt(session: Session, store_id: uuid.UUID, lines: Sequence[ReceiptLine]) -> dict[uuid.UUID, Label]:
    """The batch each tracked product on the receipt goes into; refuses a receipt that would
    put a tracked product in no batch (or an untracked one in a batch)."""
    tracked = set(session.scalars(select(BatchTracking.product_id).where(
        BatchTracking.product_id.in_([line[0] for line in lines]))))
    labels: dict[uuid.UUID, Label] = {}
    for product_id, sku, quantity, code, expires_on in lines:
        code = (code or "").strip() or None
        if product_id not in tracked:
            if code is not None or expires_on is not None:
                raise BatchRefused(f"{sku} does not track batches: leave out batch_code and "
                                   "expires_on (or have a buyer mark it as batch-tracked first)")
            continue
        if quantity <= 0:
            continue
        if code is None or expires_on is None:
            raise BatchRefused(f"{sku} tracks batches: give the receipt line a batch_code and an "
                               "expires_on date (YYYY-MM-DD)")
        if len(code) > MAX_CODE:
            raise BatchRefused(f"batch code for {sku} is longer than {MAX_CODE} characters")
        known = session.scalar(select(ProductBatch.expires_on).where(
            ProductBatch.product_id == product_id, ProductBatch.store_id == store_id,
            ProductBatch.code == code))
        if known is not None and known != expires_on:
            raise BatchRefused(f"batch {code} of {sku} is already held here expiring {known.isoformat()}, "
                               f"not {expires_on.isoformat()}; check the label")
        labels[product_id] = (code, expires_on)
    return labels


def record_receipt(session: Session, store_id: uuid.UUID, reference: str,
                   labels: dict[uuid.UUID, Label]) -> None:
    """Allocate the receipt's movements (already written) to their batches."""
    if not labels:
        return
    moves = session.execute(_RECEIPT_MOVES, {"reference": reference, "store": store_id,
                                             "products": list(labels)}).all()
    settle(session, list(labels), {move_id: labels[product_id] for product_id, move_id in moves})
