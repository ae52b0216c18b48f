"""Applying CustomerSaved, LoyaltyPosted and a sale's customer at HQ (merge rule 8).

The appliers run once per new event (sync.service skips events already held), but they only
gather: the customer rows are written when the push commits (`before_commit`). That is the
moment the push takes the change-log lock (stock.publish) and it must take the customer rows
after it, never before: a push holding the change-log lock first and then waiting for stock or
customer rows would deadlock against one doing it the other way round. Every writer of customer
rows (ingest and the back-office API) therefore takes the change-log lock first, which also puts
the customer's new version and balance in the change log in commit order.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from hq_server.customers import repository
from hq_server.customers.models import CustomerSale
from hq_server.devices.service import DeviceIdentity
from hq_server.exceptions.service import Raised, raise_exception
from hq_server.sync.at_commit import gathered
from hq_server.sync.batch import IngestBatch
from hq_server.sync.errors import SyncRefused
from hq_server.sync.projected import happened_at
from shared.customer_events import CustomerSaved, LoyaltyPosted
from shared.events import SaleCompleted
from shared.journal import JournalEvent
from shared.merge import CustomerVersion, overdrawn_postings, replaces_customer

_PENDING = "customers.pending"


@dataclass
class _Pending:
    """What a push's customer events will write at commit, in batch order."""

    saves: list[tuple[uuid.UUID, DeviceIdentity, JournalEvent, CustomerSaved]] = field(
        default_factory=list)
    postings: list[tuple[uuid.UUID, DeviceIdentity, JournalEvent, LoyaltyPosted]] = field(
        default_factory=list)

    def customer_ids(self) -> list[uuid.UUID]:
        """Sorted, so two pushes lock the same customers in the same order."""
        return sorted({c for c, *_ in self.saves} | {c for c, *_ in self.postings})


def customer_uuid(value: str, what: str = "customer_id") -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except (ValueError, TypeError, AttributeError):
        raise SyncRefused(422, "bad_payload", f"{what} {value!r} is not a UUID") from None


def apply_customer_saved(session: Session, device: DeviceIdentity, event: JournalEvent,
                         saved: CustomerSaved, batch: IngestBatch) -> None:
    _pending(session).saves.append((customer_uuid(saved.customer_id), device, event, saved))


def apply_loyalty_posted(session: Session, device: DeviceIdentity, event: JournalEvent,
                         posted: LoyaltyPosted, batch: IngestBatch) -> None:
    _pending(session).postings.append((customer_uuid(posted.customer_id), device, event, posted))


def with_customer_sale(apply_sale: Callable[..., None]) -> Callable[..., None]:
    """The sale applier, plus the sale in its customer's history (not for training sales)."""

    def apply(session: Session, device: DeviceIdentity, event: JournalEvent,
              sale: SaleCompleted, batch: IngestBatch) -> None:
        customer_id = customer_uuid(sale.customer_id) if sale.customer_id else None
        apply_sale(session, device, event, sale, batch)
        if customer_id is not None and not sale.training:
            batch.project(CustomerSale.__table__, {
                "event_id": uuid.UUID(event.event_id), "sale_id": uuid.UUID(sale.sale_id),
                "customer_id": customer_id, "store_id": device.store_id,
                "receipt_no": sale.receipt_no, "total_minor": sale.total_minor,
                "currency": sale.currency, "sold_at": happened_at(sale.completed_at_ms, event)})

    return apply


def _pending(session: Session) -> _Pending:
    return gathered(session, _PENDING, _Pending, _write_pending)


def _write_pending(session: Session, pending: _Pending) -> None:
    repository.lock_customer_writers(session)
    changed = []
    for customer_id in pending.customer_ids():
        saves = [s for s in pending.saves if s[0] == customer_id]
        postings = [p for p in pending.postings if p[0] == customer_id]
        home = (saves or postings)[0][1].store_id
        row = repository.lock_or_create(session, customer_id, home_store_id=home)
        for _, _, event, saved in saves:
            _apply_save(row, event, saved)
        _apply_postings(session, row, postings)
        session.flush()
        if row.hlc:  # a customer only posted to, never saved, waits for its details
            changed.append(row)
    repository.publish(session, changed)


def _apply_save(row: Any, event: JournalEvent, saved: CustomerSaved) -> None:
    """Rule 8: the newest version by hlc wins, whatever order the tills' pushes arrive in."""
    held = CustomerVersion(row.hlc, row.name, row.phone, row.email)
    incoming = CustomerVersion(event.hlc, saved.name.strip(), saved.phone.strip(),
                               saved.email.strip())
    if replaces_customer(held, incoming):
        repository.set_details(row, incoming, saved_by=saved.saved_by)


def _apply_postings(session: Session, row: Any,
                    postings: list[tuple[uuid.UUID, DeviceIdentity, JournalEvent, LoyaltyPosted]]
                    ) -> None:
    """Rule 8: the balance is a counter; each redeem that leaves it below zero is applied and
    raises one `negative_loyalty` exception (rule 1: the points were spent at the counter)."""
    before = row.points_balance
    deltas = [posted.delta for *_, posted in postings]
    overdrawn = set(overdrawn_postings(before, deltas))
    balance = before
    for index, (_, device, event, posted) in enumerate(postings):
        balance += posted.delta
        repository.insert_posting(session, {
            "event_id": uuid.UUID(event.event_id), "customer_id": row.id,
            "store_id": device.store_id, "device_id": device.id, "seq": event.seq,
            "delta": posted.delta, "reason": posted.reason, "sale_id": posted.sale_id,
            "receipt_no": posted.receipt_no, "balance_after": balance, "hlc": event.hlc,
            "at": happened_at(posted.posted_at_ms, event)})
        if index in overdrawn:
            raise_exception(session, Raised(
                kind="negative_loyalty", dedupe_key=f"negative_loyalty:{event.event_id}",
                details={"customer_id": str(row.id), "customer": row.name,
                         "delta": posted.delta, "balance_after": balance,
                         "receipt_no": posted.receipt_no, "sale_id": posted.sale_id},
                store_id=device.store_id, device_id=device.id,
                event_id=uuid.UUID(event.event_id)))
    row.points_balance = balance
