"""Merge rule 9: an integrity break stops the device, not the chain.

Which refusals are integrity breaks, and why only these:

* ``conflicting_event`` — an event_id or seq HQ already holds, with other content (or a sale id
  recorded by another event). The till's history disagrees with what it told HQ before: only a
  person can say which is true.
* ``broken_chain`` — the event's hash is fine but it does not link to the hash HQ holds for the
  previous seq: the till's journal was rewritten, restored from an old copy, or forked.

Not integrity breaks:

* ``seq_gap`` — events missing in between are what an interrupted or reordered upload looks
  like; the till is told the expected seq and re-sends from there.
* ``bad_hash`` on its own — one event whose content does not match its own hash says nothing
  about the till's journal: it is what a corrupted request looks like (a proxy re-encoding JSON,
  a broken transfer). It is refused, nothing is stored, and the clean re-send is accepted. A till
  whose journal really is corrupt keeps being refused and shows as stuck (last_seq stops moving).

The quarantine is written in its own transaction after the refused batch was rolled back, so it
survives that rollback; while it stands, every push of the device is refused as `quarantined`.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from hq_server.devices.service import DeviceIdentity, quarantine_device
from hq_server.exceptions.service import Raised, raise_exception
from hq_server.sync.errors import SyncRefused

INTEGRITY_BREAKS = frozenset({"conflicting_event", "broken_chain"})


def breaks_integrity(refusal: SyncRefused) -> bool:
    return refusal.code in INTEGRITY_BREAKS


def quarantine_for(session: Session, device: DeviceIdentity, refusal: SyncRefused) -> bool:
    """Quarantine `device` and raise one integrity exception; False if it was already quarantined."""
    now = datetime.now(UTC)
    reason = f"{refusal.code}: {refusal}"
    if not quarantine_device(session, device.id, reason, at=now):
        return False
    raise_exception(session, Raised(
        "integrity", f"integrity:{device.id}:{now.isoformat()}",
        {"error": refusal.code, "message": str(refusal), "seq": refusal.seq,
         "event_id": refusal.event_id, "device_name": device.name},
        store_id=device.store_id, device_id=device.id, event_id=_as_uuid(refusal.event_id)))
    return True


def _as_uuid(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None
