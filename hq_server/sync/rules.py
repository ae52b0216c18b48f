"""Merge rules that surface exceptions during ingest: oversell (rule 4) and clock skew (rule 9).

Both only flag: the facts are applied as they came (rule 1). Dedupe keys make each exception
appear once however often its events are re-sent.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from hq_server.db.models import ChainException, Sale
from hq_server.devices.service import DeviceIdentity
from hq_server.exceptions.service import Raised, raise_exception
from hq_server.stock.service import Key
from hq_server.sync.bulk import insert_rows
from hq_server.sync.ids import id_run
from shared.hlc import Timestamp
from shared.journal import JournalEvent
from shared.merge import (
    LIVE_TAIL_EVENTS,
    clock_offset_ms,
    is_clock_skewed,
    on_hand_after_each,
    oversold_movements,
)

CLOCK_SKEW_LIMIT_MS = 5 * 60 * 1000


def surface_oversells(session: Session, device: DeviceIdentity, movements: Sequence[dict[str, Any]],
                      on_hand: dict[Key, int], *, skus: dict[uuid.UUID, str],
                      receipts: Callable[[], dict[uuid.UUID, str]]) -> int:
    """One oversell exception per movement that left on-hand below zero; returns how many were new.

    `movements` are the batch's movements in order, `on_hand` the levels they ended at; the level
    before the batch is the end level minus the batch's sum (the bump is one locked row update).
    It runs while the batch holds its stock rows, so names come in (`skus`; `receipts()` per event
    of the batch) and the exceptions go out in one statement: no lookups inside the locks.
    """
    per_key: dict[Key, list[dict[str, Any]]] = {}
    for move in movements:
        if move.get("absorbed"):  # taken into a count's variance (rule 3): stock did not move
            continue
        per_key.setdefault((move["product_id"], move["store_id"]), []).append(move)
    oversold: list[tuple[dict[str, Any], int]] = []
    for key, moves in per_key.items():
        deltas = [m["delta"] for m in moves]
        before = on_hand[key] - sum(deltas)
        levels = on_hand_after_each(before, deltas)
        oversold += [(moves[i], levels[i]) for i in oversold_movements(before, deltas)]
    if not oversold:
        return 0
    receipts_of = receipts()  # asked for only now: most pushes oversell nothing
    missing = {m["event_id"] for m, _ in oversold if m["event_id"] is not None} - set(receipts_of)
    if missing:  # not a sale of this batch (e.g. an adjustment): look its receipt up
        receipts_of = {**receipts_of, **dict(session.execute(
            select(Sale.event_id, Sale.receipt_no).where(Sale.event_id.in_(missing))).all())}
    rows = [{"id": row_id, "event_id": move["event_id"], "product_id": move["product_id"],
             "store_id": move["store_id"], "after": after, "delta": move["delta"],
             "reason": move["reason"], "sku": skus.get(move["product_id"]),
             "receipt_no": receipts_of.get(move["event_id"])}
            for (move, after), row_id in zip(oversold, id_run(len(oversold)), strict=True)]
    return len(insert_rows(session, ChainException.__table__, rows, statement=_OVERSELLS,
                           params={"device": str(device.id)}))


# The rows `raise_exception` would insert (same dedupe key, same details), built by PostgreSQL
# from flat rows: per-row string and dict building in Python cost more than the insert.
_OVERSELLS = text("""
    INSERT INTO exceptions (id, kind, dedupe_key, details, store_id, device_id, product_id, event_id)
    SELECT t.id, 'oversell',
           'oversell:' || coalesce(t.event_id::text, 'movement-' || t.id::text) || ':' || t.product_id::text,
           jsonb_build_object('on_hand_after', t.after, 'sku', t.sku, 'receipt_no', t.receipt_no,
                              'delta', t.delta, 'reason', t.reason),
           t.store_id, CAST(:device AS uuid), t.product_id, t.event_id
    FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS t(id uuid, event_id uuid, product_id uuid,
         store_id uuid, after bigint, delta bigint, reason text, sku text, receipt_no text)
    ON CONFLICT (dedupe_key) DO NOTHING RETURNING id
""")


def measure_clock(session: Session, device: DeviceIdentity, fresh: Sequence[JournalEvent],
                  received_at: datetime, previous_offset_ms: int | None, *, limit_ms: int) -> int | None:
    """The device's clock offset measured from this push's new events (the caller records it
    on the device row); flagged when far off.

    Flag only, never refuse: the events are facts, and their HLC still orders them causally.
    One clock_skew exception per device per (HQ, UTC) day.
    """
    walls: list[int] = []
    for event in fresh:
        wall = _wall_ms(event.hlc)
        if wall is not None:
            walls.append(wall)
            if len(walls) > LIVE_TAIL_EVENTS:  # a backlog, not the live tail: no estimate
                break  # (the rest would not change that; a 100-event push decodes 6 hlcs)
    offset = clock_offset_ms(walls, int(received_at.timestamp() * 1000))
    if offset is None:
        return None
    if is_clock_skewed(offset, limit_ms, previous_offset_ms):
        raise_exception(session, Raised(
            "clock_skew", f"clock_skew:{device.id}:{received_at.date().isoformat()}",
            {"offset_ms": offset, "limit_ms": limit_ms, "device_name": device.name,
             "last_seq": fresh[-1].seq, "hlc": fresh[-1].hlc},
            store_id=device.store_id, device_id=device.id, event_id=uuid.UUID(fresh[-1].event_id)))
    return offset


def _wall_ms(hlc: str) -> int | None:
    try:
        return Timestamp.decode(hlc).wall_ms
    except ValueError:  # a malformed hlc is held as sent; it just says nothing about the clock
        return None
