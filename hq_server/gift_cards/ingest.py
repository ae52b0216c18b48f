"""Applying GiftCardPosted at HQ: the balance is a counter; a card taken below zero is surfaced.

Like customers.ingest, the applier only gathers; the card rows are written when the push commits
(`before_commit`), after the change-log lock, in card-number order, so two pushes spending the
same card (two stores, offline, then back online at once) serialise instead of deadlocking and
put the card's new balance in the change log in commit order.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from hq_server.customers.ingest import customer_uuid
from hq_server.devices.service import DeviceIdentity
from hq_server.exceptions.service import Raised, raise_exception
from hq_server.gift_cards import repository
from hq_server.gift_cards.models import GiftCard
from hq_server.sync.at_commit import gathered
from hq_server.sync.batch import IngestBatch
from hq_server.sync.projected import happened_at
from shared.gift_card_events import GiftCardPosted
from shared.gift_cards import mask, postings_taking_below_zero
from shared.journal import JournalEvent

_PENDING = "gift_cards.pending"
EXCEPTION_KIND = "negative_gift_card"

Posting = tuple[DeviceIdentity, JournalEvent, GiftCardPosted]


@dataclass
class _Pending:
    by_card: dict[str, list[Posting]] = field(default_factory=dict)


def apply_gift_card_posted(session: Session, device: DeviceIdentity, event: JournalEvent,
                           posted: GiftCardPosted, batch: IngestBatch) -> None:
    if posted.customer_id:
        customer_uuid(posted.customer_id)
    _pending(session).by_card.setdefault(posted.card_number, []).append((device, event, posted))


def _pending(session: Session) -> _Pending:
    return gathered(session, _PENDING, _Pending, _write_pending)


def _write_pending(session: Session, pending: _Pending) -> None:
    repository.lock_card_writers(session)
    changed = []
    for card_number in sorted(pending.by_card):  # one lock order for every push
        postings = pending.by_card[card_number]
        device, _, first = postings[0]
        row = repository.lock_or_create(
            session, card_number, kind=first.card_kind, currency=first.currency,
            customer_id=uuid.UUID(first.customer_id) if first.customer_id else None,
            store_id=device.store_id)
        apply_postings(session, row, postings)
        session.flush()
        changed.append(row)
    repository.publish(session, changed)


def apply_postings(session: Session, row: GiftCard, postings: list[Posting]) -> None:
    """Each posting is applied as it is (rule 1); one that takes the card below zero raises one
    `negative_gift_card` exception (shared.gift_cards.postings_taking_below_zero)."""
    before = row.balance_minor
    flagged = set(postings_taking_below_zero(before, [p.delta_minor for *_, p in postings]))
    balance = before
    for index, (device, event, posted) in enumerate(postings):
        balance += posted.delta_minor
        repository.insert_posting(session, {
            "event_id": uuid.UUID(event.event_id), "card_number": row.card_number,
            "store_id": device.store_id, "device_id": device.id, "seq": event.seq,
            "delta_minor": posted.delta_minor, "reason": posted.reason,
            "sale_id": posted.sale_id, "return_id": posted.return_id,
            "receipt_no": posted.receipt_no, "approved_by": posted.approved_by,
            "balance_after": balance, "hlc": event.hlc,
            "at": happened_at(posted.posted_at_ms, event)})
        if index in flagged:
            raise_exception(session, Raised(
                kind=EXCEPTION_KIND, dedupe_key=f"{EXCEPTION_KIND}:{event.event_id}",
                details={"card": mask(row.card_number, "*"), "card_number": row.card_number,
                         "card_kind": row.kind, "delta_minor": posted.delta_minor,
                         "balance_after": balance, "currency": row.currency,
                         "receipt_no": posted.receipt_no,
                         "approved_by": posted.approved_by or None},
                store_id=device.store_id, device_id=device.id,
                event_id=uuid.UUID(event.event_id)))
    repository.touch(row, balance)
