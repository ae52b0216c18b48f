"""Push ingest: apply a device's batch of journal events exactly once, in one transaction.

Order of checks per event follows the sync contract in ARCHITECTURE.md. The checks run in memory
against one query of what HQ already holds, and the writes go out as multi-row inserts at the
end (sync.batch); any refusal raises SyncRefused before anything is written; the request's transaction is then rolled back, so a refused batch stores nothing
(an integrity break then quarantines the device in a transaction of its own: sync.integrity).
After the batch: oversells are surfaced (merge rule 4) and the device clock is measured (rule 9).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from hq_server.devices import repository as devices
from hq_server.devices.service import DeviceIdentity
from hq_server.stock import service as stock
from hq_server.sync import rules
from hq_server.sync.appliers import APPLIERS, as_uuid
from hq_server.sync.batch import HeldEvents, IngestBatch
from hq_server.sync.errors import SyncRefused
from shared.events import EventPayloadError, parse_payload
from shared.journal import ChainError, JournalEvent, verify_hash, verify_position
from shared.wire import PushRequest, PushResponse

CHAIN_STATUS = {"seq_gap": 409, "broken_chain": 409, "wrong_device": 403, "bad_hash": 422}


_uuid = as_uuid


def _same_device(value: str, device: DeviceIdentity) -> bool:
    try:
        return uuid.UUID(value) == device.id
    except (ValueError, TypeError, AttributeError):
        return False


class _Cursor:
    """Where the device's chain stands while the batch is applied."""

    def __init__(self, last_seq: int, last_hash: str) -> None:
        self.last_seq, self.last_hash = last_seq, last_hash


def push(session: Session, device: DeviceIdentity, request: PushRequest, *,
         clock_skew_limit_ms: int = rules.CLOCK_SKEW_LIMIT_MS) -> PushResponse:
    received_at = datetime.now(UTC)
    if not _same_device(request.device_id, device):
        raise SyncRefused(403, "wrong_device", f"request names device {request.device_id}, "
                                               f"but the token belongs to {device.id}")
    # Locked until commit: the same batch pushed twice at once is applied once, then deduplicated.
    row = devices.lock_device(session, device.id)
    if row.revoked_at is not None:
        raise SyncRefused(403, "revoked_device", "this device was revoked at HQ")
    if row.quarantined_at is not None:
        raise SyncRefused(409, "quarantined", f"this device is quarantined since "
                                              f"{row.quarantined_at.isoformat()} ({row.quarantine_reason}); "
                                              "a person must release it at HQ")
    previous_offset_ms = row.clock_offset_ms
    chain = _Cursor(row.last_seq, row.last_hash)
    events = [wire_event.to_journal() for wire_event in request.events]
    held = HeldEvents.fetch(session, device.id, events, chain.last_seq)
    batch = IngestBatch()
    applied = duplicates = 0
    fresh: list[JournalEvent] = []
    refusal: SyncRefused | None = None
    try:
        for event in events:
            if _is_duplicate(device, event, chain, held):
                duplicates += 1
                continue
            fact = _parse(event, device)
            batch.add_event(event)
            _apply(session, device, event, fact, batch)
            held.hold(event)
            chain.last_seq, chain.last_hash = event.seq, event.hash
            fresh.append(event)
            applied += 1
    except SyncRefused as error:
        refusal = error  # raised below, unless an earlier event's sale conflicts
    batch.refuse_sales_already_recorded(session)
    if refusal is not None:
        raise refusal
    batch.write(session)
    if applied:
        devices.advance_device(session, device.id, chain.last_seq, chain.last_hash, received_at)
        rules.measure_clock(session, device, fresh, received_at, previous_offset_ms,
                            limit_ms=clock_skew_limit_ms)
    # Everything the locked part needs is read before it: from the stock bump (row locks per
    # (product, store), in key order) to commit, and from the change-log lock to commit, the
    # batch only writes: the bump, its oversells, the change rows.
    names = stock.Names.fetch(session, batch.stock.totals)
    movements = list(batch.stock.movements)
    on_hand = batch.stock.write(session)
    rules.surface_oversells(session, device, movements, on_hand, skus=names.skus,
                            receipts=batch.receipts())
    stock.publish(session, on_hand, names)  # takes the change-log lock, held until commit
    return PushResponse(acked_seq=chain.last_seq, applied=applied, duplicates=duplicates)


def _is_duplicate(device: DeviceIdentity, event: JournalEvent, chain: _Cursor,
                  held: HeldEvents) -> bool:
    if not _same_device(event.device_id, device):
        raise SyncRefused(403, "wrong_device", f"event {event.event_id} belongs to device "
                                               f"{event.device_id}, not {device.id}")
    _refuse_chain_error(verify_hash, event)  # once per event; position checked below
    held_hash = held.hash_of_event(_uuid(event.event_id, "event_id"))
    if held_hash is not None:
        if held_hash == event.hash:
            return True
        raise SyncRefused(409, "conflicting_event", f"event {event.event_id} is already held "
                                                    "with different content",
                          event_id=event.event_id, seq=event.seq)
    if event.seq <= chain.last_seq:
        if held.hash_at_seq(event.seq) == event.hash:
            return True
        raise SyncRefused(409, "conflicting_event", f"seq {event.seq} is already held as a "
                                                    "different event",
                          event_id=event.event_id, seq=event.seq)
    _refuse_chain_error(verify_position, event, last_seq=chain.last_seq, last_hash=chain.last_hash)
    return False


def _refuse_chain_error(check, event: JournalEvent, **kwargs) -> None:  # noqa: ANN001
    try:
        check(event, **kwargs)
    except ChainError as error:
        raise SyncRefused(CHAIN_STATUS.get(error.code, 409), error.code, str(error),
                          expected_seq=error.expected_seq, event_id=event.event_id,
                          seq=event.seq) from None
    except ValueError as error:  # shared.canonical refuses floats and odd types in the payload
        raise SyncRefused(422, "bad_payload", f"event seq {event.seq}: {error}") from None


def _parse(event: JournalEvent, device: DeviceIdentity) -> Any:
    try:
        fact = parse_payload(event.type, event.schema_version, event.payload)
    except EventPayloadError as error:
        raise SyncRefused(422, "bad_payload", f"event seq {event.seq}: {error}") from None
    store_id = getattr(fact, "store_id", None)
    if store_id is not None and _uuid(store_id, "store_id") != device.store_id:
        raise SyncRefused(422, "bad_payload", f"event seq {event.seq}: {event.type} for store "
                                              f"{store_id}, but the device belongs to {device.store_id}")
    return fact


def _apply(session: Session, device: DeviceIdentity, event: JournalEvent, fact: Any,
           batch: IngestBatch) -> None:
    """Run the applier registered for the event type; a fact type with none is held only."""
    applier = APPLIERS.get(event.type)
    if applier is not None:
        applier(session, device, event, fact, batch)
