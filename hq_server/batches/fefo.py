"""Allocating stock movements to batches, first expiry first out. Pure: no database.

A `Shelf` is one tracked (product, store): its batches and its unbatched remainder. Each movement
becomes parts (batch id or None for unbatched, signed quantity) that add up to its delta:

* into a batch: a receipt naming one; a transfer arriving follows the batches it was shipped from;
* out (sale, transfer shipped, damage ...): batches by earliest expiry (then earliest received),
  then unbatched stock, and what is still missing takes unbatched below zero (an oversell);
* a count's difference goes out as above or into unbatched; then, as the count is the truth, a
  remainder below zero is settled against the batches (they cannot hold more than was counted);
* a sale absorbed by a count (merge rule 3) gives back exactly what the sale took;
* anything else coming in (a return, found units, stock before tracking) is unbatched.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

Part = tuple[uuid.UUID | None, int]  # (batch id, or None for unbatched; signed quantity)


@dataclass(slots=True)
class Lot:
    id: uuid.UUID
    code: str
    expires_on: date
    received_at: datetime
    quantity: int
    new: bool = False  # made by this allocation run: to be inserted
    changed: bool = False

    @property
    def fefo_key(self) -> tuple[date, datetime, str]:
        return (self.expires_on, self.received_at, self.code)


def fefo(lots: list[Lot]) -> list[Lot]:
    """Batches holding stock, in the order they should leave: first expiry, then first received."""
    return sorted((lot for lot in lots if lot.quantity > 0), key=lambda lot: lot.fefo_key)


@dataclass(slots=True)
class Shelf:
    lots: dict[str, Lot] = field(default_factory=dict)  # by code
    unbatched: int = 0
    changed: bool = False

    def by_id(self, batch_id: uuid.UUID) -> Lot | None:
        return next((lot for lot in self.lots.values() if lot.id == batch_id), None)

    def put(self, lot: Lot | None, quantity: int) -> list[Part]:
        if lot is None:
            self.unbatched += quantity
            self.changed = True
            return [(None, quantity)]
        lot.quantity += quantity
        lot.changed = True
        return [(lot.id, quantity)]

    def take(self, quantity: int) -> list[Part]:
        """`quantity` units out: batches FEFO, then unbatched (which may go below zero)."""
        parts = self._take_from_lots(quantity)
        rest = quantity + sum(q for _, q in parts)
        if rest:
            parts += self.put(None, -rest)
        return parts

    def absorb_count(self) -> list[Part]:
        """After a count: a remainder below zero is taken off the batches, FEFO."""
        if self.unbatched >= 0:
            return []
        parts = self._take_from_lots(-self.unbatched)
        moved = -sum(q for _, q in parts)
        return parts + (self.put(None, moved) if moved else [])

    def _take_from_lots(self, quantity: int) -> list[Part]:
        parts: list[Part] = []
        for lot in fefo(list(self.lots.values())):
            if quantity <= 0:
                break
            n = min(lot.quantity, quantity)
            parts += self.put(lot, -n)
            quantity -= n
        return parts


@dataclass(frozen=True, slots=True)
class Move:
    id: int
    product_id: uuid.UUID
    store_id: uuid.UUID
    delta: int
    reason: str
    event_id: uuid.UUID | None
    reference: str | None


Key = tuple[uuid.UUID, uuid.UUID]
Label = tuple[str, date]  # (batch code, expiry date)


@dataclass
class Plan:
    """The inputs besides the movements: what the database already knows."""

    shelves: dict[Key, Shelf]
    labels: dict[int, Label] = field(default_factory=dict)  # receipt movement id -> its batch
    # (transfer reference, product) -> batches shipped: [(code, expiry, units)], from earlier runs
    shipped: dict[tuple[str, uuid.UUID], list[tuple[str, date, int]]] = field(default_factory=dict)
    # (event id, product, store) -> parts of the till movement a count absorbed, from earlier runs
    taken: dict[tuple[uuid.UUID, uuid.UUID, uuid.UUID], list[Part]] = field(default_factory=dict)


def allocate(moves: list[Move], plan: Plan, now: datetime,
             new_id: Callable[[], uuid.UUID]) -> dict[int, list[Part]]:
    """Parts per movement id, in movement order; `plan.shelves` end up as the new state."""
    allocated: dict[int, list[Part]] = {}
    for move in moves:
        shelf = plan.shelves.setdefault((move.product_id, move.store_id), Shelf())
        parts = _parts(move, shelf, plan, now, new_id)
        allocated[move.id] = _merged(parts) or [(None, 0)]  # a row even for nothing: it is done
        if move.reason == "transfer_out" and move.reference:
            shipped = plan.shipped.setdefault((move.reference, move.product_id), [])
            shipped += [(lot.code, lot.expires_on, -q) for b, q in parts
                        if b is not None and (lot := shelf.by_id(b)) is not None]
        if move.event_id is not None and move.reason != "count_absorbed":
            plan.taken[(move.event_id, move.product_id, move.store_id)] = parts
    return allocated


def _parts(move: Move, shelf: Shelf, plan: Plan, now: datetime,
           new_id: Callable[[], uuid.UUID]) -> list[Part]:
    if move.id in plan.labels and move.delta > 0:
        code, expires_on = plan.labels[move.id]
        return shelf.put(_lot(shelf, code, expires_on, now, new_id), move.delta)
    if move.reason == "count_absorbed" and move.event_id is not None:
        original = plan.taken.get((move.event_id, move.product_id, move.store_id))
        if original is not None and sum(q for _, q in original) == -move.delta:
            return _give_back(shelf, original)
    if move.reason == "transfer_in" and move.reference and move.delta > 0:
        return _arrive(shelf, plan.shipped.get((move.reference, move.product_id), []), move.delta,
                       now, new_id)
    if move.reason == "count":
        parts = shelf.put(None, move.delta) if move.delta >= 0 else shelf.take(-move.delta)
        return parts + shelf.absorb_count()
    return shelf.put(None, move.delta) if move.delta >= 0 else shelf.take(-move.delta)


def _lot(shelf: Shelf, code: str, expires_on: date, now: datetime,
         new_id: Callable[[], uuid.UUID]) -> Lot | None:
    """The shelf's batch `code`, made if new; None when it is known with another expiry date."""
    lot = shelf.lots.get(code)
    if lot is None:
        lot = shelf.lots[code] = Lot(new_id(), code, expires_on, now, 0, new=True)
    return lot if lot.expires_on == expires_on else None


def _give_back(shelf: Shelf, original: list[Part]) -> list[Part]:
    parts: list[Part] = []
    for batch_id, quantity in original:
        lot = shelf.by_id(batch_id) if batch_id is not None else None
        if lot is not None and lot.quantity - quantity < 0:
            lot = None  # it cannot go below zero: the units are unbatched
        parts += shelf.put(lot, -quantity)
    return parts


def _arrive(shelf: Shelf, shipped: list[tuple[str, date, int]], quantity: int, now: datetime,
            new_id: Callable[[], uuid.UUID]) -> list[Part]:
    """Units arriving by transfer keep the batches they left in (FEFO if fewer arrive)."""
    parts: list[Part] = []
    totals: dict[tuple[str, date], int] = {}
    for code, expires_on, units in shipped:
        totals[(code, expires_on)] = totals.get((code, expires_on), 0) + units
    for (code, expires_on), units in sorted(totals.items(), key=lambda item: (item[0][1], item[0][0])):
        n = min(units, quantity)
        if n <= 0:
            continue
        parts += shelf.put(_lot(shelf, code, expires_on, now, new_id), n)
        quantity -= n
    return parts + (shelf.put(None, quantity) if quantity else [])


def _merged(parts: list[Part]) -> list[Part]:
    totals: dict[uuid.UUID | None, int] = {}
    for batch_id, quantity in parts:
        totals[batch_id] = totals.get(batch_id, 0) + quantity
    return [(b, q) for b, q in totals.items() if q]
