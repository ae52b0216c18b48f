"""Push ingest: apply a device's batch of journal events exactly once, in one transaction.

Order of checks per event follows the sync contract in ARCHITECTURE.md. The checks run in memory
against one query of what HQ already holds, and the writes go out as multi-row inserts at the
end (sync.batch); any refusal raises SyncRefused before anything is written; the request's transaction is then rolled back, so a refused batch stores nothing
(an integrity break then quarantines the device in a transaction of its own: sync.integrity).
After the batch: oversells are surfaced (merge rule 4) and the device clock is measured (rule 9).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from hq_server.catalogue_admin.bundles import bundles_among
from hq_server.devices import repository as devices
from hq_server.devices.service import DeviceIdentity, DevicePush, TillReport
from hq_server.stock import service as stock
from hq_server.sync import ids, rules
from hq_server.sync.appliers import APPLIERS
from hq_server.sync.batch import HeldEvents, IngestBatch
from hq_server.sync.errors import SyncRefused
from shared.events import EventPayloadError, parse_payload
from shared.journal import ChainError, JournalEvent, verify_hash, verify_position
from shared.wire import PushRequest, PushResponse, WireEvent

CHAIN_STATUS = {"seq_gap": 409, "broken_chain": 409, "wrong_device": 403, "bad_hash": 422}


class _Cursor:
    """Where the device's chain stands while the batch is applied."""

    def __init__(self, last_seq: int, last_hash: str) -> None:
        self.last_seq, self.last_hash = last_seq, last_hash


def push(session: Session, device: DevicePush, request: PushRequest, *,
         clock_skew_limit_ms: int = rules.CLOCK_SKEW_LIMIT_MS,
         report: TillReport | None = None) -> PushResponse:
    """`device` is the device row, locked by authentication until commit: the same batch pushed
    twice at once is applied once, then deduplicated."""
    received_at = datetime.now(UTC)
    identity, device_text = device.identity, str(device.identity.id)
    store_text = str(identity.store_id)
    if ids.canonical(request.device_id) != device_text:
        raise SyncRefused(403, "wrong_device", f"request names device {request.device_id}, "
                                               f"but the token belongs to {identity.id}")
    if device.quarantined_at is not None:
        raise SyncRefused(409, "quarantined", f"this device is quarantined since "
                                              f"{device.quarantined_at.isoformat()} ({device.quarantine_reason}); "
                                              "a person must release it at HQ")
    chain = _Cursor(device.last_seq, device.last_hash)
    events = [_journal(e) for e in request.events]
    held = HeldEvents.fetch(session, identity.id, events, chain.last_seq)
    batch = IngestBatch()
    applied = duplicates = 0
    fresh: list[JournalEvent] = []
    refusal: SyncRefused | None = None
    plain = request.payloads_are_plain  # a pydantic private attribute: read once, not per event
    try:
        for event in events:
            event_id = _event_id(event, device_text, chain, held, plain=plain)
            if event_id is None:
                duplicates += 1
                continue
            fact = _parse(event, identity, store_text)
            batch.add_event(event_id, event, device_text)
            _apply(session, identity, event, fact, batch)
            held.hold(event_id, event)
            chain.last_seq, chain.last_hash = event.seq, event.hash
            fresh.append(event)
            applied += 1
    except SyncRefused as error:
        refusal = error  # raised below, unless an earlier event's sale conflicts
    batch.refuse_sales_already_recorded(session)
    if refusal is not None:
        raise refusal
    batch.write(session)
    offset = rules.measure_clock(session, identity, fresh, received_at, device.clock_offset_ms,
                                 limit_ms=clock_skew_limit_ms) if fresh else None
    # The device row is ours already (locked since authentication): written before the stock
    # rows are locked, to keep that window short.
    devices.record_push(session, identity.id, received_at, report,
                        chain=(chain.last_seq, chain.last_hash) if applied else None,
                        clock_offset_ms=offset)
    # Everything the locked part needs is read before it: from the stock bump (row locks per
    # (product, store), in key order) to commit, and from the change-log lock to commit, the
    # batch only writes: the bump, its oversells, the change rows.
    names, bundles = stock.Names.fetch_for_ingest(session, batch.stock.totals)
    if bundles:  # a bundle's movements become its components' (named then)
        batch.stock.expand_bundles(bundles_among(session, bundles))
        names = stock.Names.fetch(session, batch.stock.totals)
    movements = list(batch.stock.movements)
    on_hand = batch.stock.write(session)
    rules.surface_oversells(session, identity, movements, on_hand, skus=names.skus,
                            receipts=batch.receipts)
    stock.publish(session, on_hand, names)  # takes the change-log lock, held until commit
    return PushResponse(acked_seq=chain.last_seq, applied=applied, duplicates=duplicates)


def _journal(wire: WireEvent) -> JournalEvent:
    """The journal event as sent, without copying its payload (WireEvent.to_journal dumps it)."""
    return JournalEvent(wire.event_id, wire.device_id, wire.seq, wire.hlc, wire.type,
                        wire.schema_version, wire.payload, wire.prev_hash, wire.hash)


def _event_id(event: JournalEvent, device_text: str, chain: _Cursor, held: HeldEvents, *,
              plain: bool) -> str | None:
    """The event's id as canonical text if it is new and fits the chain; None for a duplicate.

    `plain`: the payload was parsed with floats refused (shared.wire.PushRequest.from_body).
    """
    if event.device_id != device_text and ids.canonical(event.device_id) != device_text:
        raise SyncRefused(403, "wrong_device", f"event {event.event_id} belongs to device "
                                               f"{event.device_id}, not {device_text}")
    _refuse_chain_error(verify_hash, event, plain=plain)  # once per event; position checked below
    event_id = ids.require(event.event_id, "event_id")
    held_hash = held.hash_of_event(event_id)
    if held_hash is not None:
        if held_hash == event.hash:
            return None
        raise SyncRefused(409, "conflicting_event", f"event {event.event_id} is already held "
                                                    "with different content",
                          event_id=event.event_id, seq=event.seq)
    if event.seq <= chain.last_seq:
        if held.hash_at_seq(event.seq) == event.hash:
            return None
        raise SyncRefused(409, "conflicting_event", f"seq {event.seq} is already held as a "
                                                    "different event",
                          event_id=event.event_id, seq=event.seq)
    if event.seq != chain.last_seq + 1 or event.prev_hash != chain.last_hash:  # verify_position names why
        _refuse_chain_error(verify_position, event, last_seq=chain.last_seq, last_hash=chain.last_hash)
    return event_id


def _refuse_chain_error(check, event: JournalEvent, **kwargs) -> None:  # noqa: ANN001
    try:
        check(event, **kwargs)
    except ChainError as error:
        raise SyncRefused(CHAIN_STATUS.get(error.code, 409), error.code, str(error),
                          expected_seq=error.expected_seq, event_id=event.event_id,
                          seq=event.seq) from None
    except ValueError as error:  # shared.canonical refuses floats and odd types in the payload
        raise SyncRefused(422, "bad_payload", f"event seq {event.seq}: {error}") from None


def _parse(event: JournalEvent, device: DeviceIdentity, store_text: str) -> Any:
    """The event's typed fact; `store_text` is the device's store id as canonical text."""
    try:
        fact = parse_payload(event.type, event.schema_version, event.payload)
    except EventPayloadError as error:
        raise SyncRefused(422, "bad_payload", f"event seq {event.seq}: {error}") from None
    store_id = getattr(fact, "store_id", None)
    if store_id is not None and store_id != store_text and ids.require(store_id, "store_id") != store_text:
        raise SyncRefused(422, "bad_payload", f"event seq {event.seq}: {event.type} for store "
                                              f"{store_id}, but the device belongs to {device.store_id}")
    return fact


def _apply(session: Session, device: DeviceIdentity, event: JournalEvent, fact: Any,
           batch: IngestBatch) -> None:
    """Run the applier registered for the event type; a fact type with none is held only."""
    applier = APPLIERS.get(event.type)
    if applier is not None:
        applier(session, device, event, fact, batch)
