"""What each fact type does at HQ once its event is held: one applier per journal event type.

A type listed in shared.events.EVENT_TYPES without an applier here is still accepted and held
(merge rule 1: facts are never refused for business reasons); its effects arrive as an addition.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from hq_server.devices.service import DeviceIdentity
from hq_server.sync import ids
from hq_server.sync.batch import IngestBatch
from hq_server.sync.errors import SyncRefused
from shared.events import SaleCompleted
from shared.journal import JournalEvent
from shared.merge import stock_deltas_for_sale
from shared.override_events import OverrideRecorded, ReturnCompleted
from shared.shift_events import ShiftClosed

Applier = Callable[[Session, DeviceIdentity, JournalEvent, Any, IngestBatch], None]


def as_uuid(value: str, what: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except (ValueError, TypeError, AttributeError):
        raise SyncRefused(422, "bad_payload", f"{what} {value!r} is not a UUID") from None


def apply_sale(session: Session, device: DeviceIdentity, event: JournalEvent, sale: SaleCompleted,
               batch: IngestBatch) -> None:
    """Merge rules 1 and 2: the sale is a fact; it moves stock out by the sold quantities."""
    sale_id = ids.require(sale.sale_id, "sale_id")
    product_ids = [batch.canonical(line.product_id) for line in sale.lines]
    if None in product_ids:  # named only when refused: ~400 lines a push are fine
        line = sale.lines[product_ids.index(None)]
        ids.require(line.product_id, f"line {line.line_no} product_id")
    if sale.training:
        return
    # A sale id HQ held before this batch is refused by batch.refuse_sales_already_recorded.
    if batch.has_sale(sale_id):
        raise SyncRefused(409, "conflicting_event", f"sale {sale_id} was already recorded "
                                                    "by another event",
                          event_id=event.event_id, seq=event.seq)
    event_id = ids.require(event.event_id, "event_id")
    store_text, device_text = batch.texts_of(device)
    batch.add_sale(sale, sale_id, store_id=store_text, device_id=device_text,
                   event_id=event_id, event=event, product_ids=product_ids)
    memo, event_uuid = batch.uuid, batch.uuid(event_id, "event_id")
    for delta in stock_deltas_for_sale(sale):
        batch.stock.add(memo(delta.product_id, "product_id"), device.store_id, delta.delta,
                        delta.reason, event_id=event_uuid, hlc=event.hlc)


def _appliers() -> dict[str, Applier]:
    # Imported here: these domain packages import sync.batch, and the registry is built last.
    from hq_server.customers import ingest as customers
    from hq_server.gift_cards.ingest import apply_gift_card_posted
    from hq_server.overrides.service import apply_override
    from hq_server.shifts.service import apply_shift_close
    from hq_server.sync.returns import apply_return

    return {SaleCompleted.TYPE: customers.with_customer_sale(apply_sale),
            ReturnCompleted.TYPE: apply_return,
            OverrideRecorded.TYPE: apply_override, ShiftClosed.TYPE: apply_shift_close,
            "CustomerSaved": customers.apply_customer_saved,
            "LoyaltyPosted": customers.apply_loyalty_posted,
            "GiftCardPosted": apply_gift_card_posted}


APPLIERS: dict[str, Applier] = _appliers()
