"""Merge rules from ARCHITECTURE.md as pure functions, applied identically at till and HQ."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from .events import SaleCompleted
from .gift_cards import is_gift_card_line
from .override_events import ReturnCompleted

# A push of at most this many new events is taken to be sent as they happened (clock_offset_ms).
LIVE_TAIL_EVENTS = 5


class StockDelta(NamedTuple):
    """A tuple: HQ makes one per sale line it ingests (~400 a push), ~5x faster than a frozen
    dataclass."""

    product_id: str
    store_id: str
    delta: int
    reason: str


def stock_deltas_for_sale(sale: SaleCompleted) -> list[StockDelta]:
    """Rule 1 + 2: a completed sale is a fact; it moves stock out by each line's quantity.

    Training sales touch neither stock nor totals. Lines of one product are summed so a product
    scanned twice is one movement.
    """
    if sale.training:
        return []
    per_product: dict[str, int] = {}
    for line in sale.lines:
        if is_gift_card_line(line.product_id):  # a gift card load is money on a card, not goods
            continue
        per_product[line.product_id] = per_product.get(line.product_id, 0) - line.quantity
    return [StockDelta(pid, sale.store_id, delta, "sale") for pid, delta in per_product.items()]


def stock_deltas_for_return(ret: ReturnCompleted) -> list[StockDelta]:
    """Rules 1 + 2: restocked return lines come back on hand; damaged or faulty ones do not."""
    per_product: dict[str, int] = {}
    for line in ret.lines:
        if line.restock and not is_gift_card_line(line.product_id):
            per_product[line.product_id] = per_product.get(line.product_id, 0) + line.quantity
    return [StockDelta(pid, ret.store_id, delta, "return") for pid, delta in per_product.items()]


def on_hand(deltas: Iterable[int]) -> int:
    """Rule 2: stock is the sum of signed movements, so arrival order never matters."""
    return sum(deltas)


def is_oversold(on_hand_after: int) -> bool:
    """Rule 4: a movement that takes on-hand below zero is applied and surfaced, never clamped."""
    return on_hand_after < 0


def on_hand_after_each(on_hand_before: int, deltas: Sequence[int]) -> list[int]:
    """Rule 2, step by step: the on-hand each movement leaves, applied in the given order."""
    levels, level = [], on_hand_before
    for delta in deltas:
        level += delta
        levels.append(level)
    return levels


def oversold_movements(on_hand_before: int, deltas: Sequence[int]) -> list[int]:
    """Rule 4: the indexes of the movements that take stock out and leave on-hand below zero.

    Each such movement is applied as it is and surfaced once; a movement that brings stock in is
    never an oversell, even while on-hand stays negative.
    """
    levels = on_hand_after_each(on_hand_before, deltas)
    return [i for i, (delta, after) in enumerate(zip(deltas, levels, strict=True))
            if delta < 0 and is_oversold(after)]


def clock_offset_ms(event_wall_ms: Sequence[int], received_ms: int, *,
                    live_tail: int = LIVE_TAIL_EVENTS) -> int | None:
    """Rule 9: the device clock minus HQ's, from the newest event of a push of fresh events.

    Only events sent as they happen say anything about the clock: a backlog pushed after an
    outage is old by the length of the outage. So the estimate is made only when the push is
    the device's live tail (at most `live_tail` new events) and uses its newest event, the one
    with the least lag; None otherwise. Network and queueing delay bias it by well under a
    second, which is far below any skew worth flagging.
    """
    if not event_wall_ms or len(event_wall_ms) > live_tail:
        return None
    return max(event_wall_ms) - received_ms


def is_clock_skewed(offset_ms: int | None, limit_ms: int, previous_offset_ms: int | None = None) -> bool:
    """Rule 9: is a device clock further than `limit_ms` from HQ's?

    Ahead is flagged at once: an event stamped in the future cannot be explained by delay.
    Behind is flagged only when the previous measurement said so too, because one push of a
    few old events (a short backlog after an outage) looks exactly like a slow clock.
    """
    if offset_ms is None or abs(offset_ms) <= limit_ms:
        return False
    if offset_ms > 0:
        return True
    return previous_offset_ms is not None and previous_offset_ms < -limit_ms


@dataclass(frozen=True, slots=True)
class OverRefund:
    line_no: int
    sold: int
    returned_before: int
    returning: int

    @property
    def excess(self) -> int:
        return self.returned_before + self.returning - self.sold


def over_refunds(sold: dict[int, int], returned_before: dict[int, int],
                 returning: dict[int, int]) -> list[OverRefund]:
    """Rule 5: lines of one sale whose returns, chain-wide, now exceed what was sold.

    `sold`, `returned_before` and `returning` map the sale's line numbers to quantities. The
    return is applied either way (it happened at the counter); each line listed here raises one
    over-refund exception.
    """
    return [
        OverRefund(line_no, sold.get(line_no, 0), returned_before.get(line_no, 0), quantity)
        for line_no, quantity in sorted(returning.items())
        if returned_before.get(line_no, 0) + quantity > sold.get(line_no, 0)
    ]


# Rule 3: a count absorbs what came before it.


@dataclass(frozen=True, slots=True)
class Movement:
    """A stock delta and the hlc it was stamped with (None: older than any count)."""

    delta: int
    hlc: str | None


@dataclass(frozen=True, slots=True)
class CountOutcome:
    on_hand: int  # counted + every movement stamped after the count
    book: int  # what the books held at the count's moment (opening + movements stamped before)
    variance: int  # counted - book: negative means units missing


def is_absorbed_by_count(count_hlc: str | None, movement_hlc: str | None) -> bool:
    """Rule 3: a movement stamped at or before the last count was already seen by the counter.

    hlc strings order causally as plain (byte-wise) strings; None is older than any count.
    """
    return count_hlc is not None and (movement_hlc is None or movement_hlc <= count_hlc)


def on_hand_after_count(counted: int, count_hlc: str, movements: Iterable[Movement],
                        opening: int = 0) -> CountOutcome:
    """Rule 3, whole: the stock and the variance a count leaves, given every movement held.

    Whatever order the movements reach HQ in, and whether before or after the count is posted,
    the result is this one (HQ's incremental bookkeeping, below, is tested against it).
    """
    moves = list(movements)
    book = opening + sum(m.delta for m in moves if is_absorbed_by_count(count_hlc, m.hlc))
    after = sum(m.delta for m in moves if not is_absorbed_by_count(count_hlc, m.hlc))
    return CountOutcome(counted + after, book, counted - book)


def count_posting(on_hand_now: int, counted: int, held_after_count: int) -> tuple[int, int]:
    """Rule 3, at post time: (the count movement's delta, the book quantity it replaced).

    `held_after_count` is the sum of movements HQ already holds that are stamped after the
    count (a till whose clock runs ahead); they stay on top of the counted quantity.
    """
    book = on_hand_now - held_after_count
    return counted - book, book


def count_variance(counted: int, book: int, absorbed: int) -> int:
    """Rule 3, later: movements stamped before the count but delivered after it (`absorbed`,
    their sum) belonged to the book the counter checked; they move the variance, not the stock."""
    return counted - (book + absorbed)


# Rule 7: transfers are two facts.


def transfer_variance(shipped: dict[str, int], received: dict[str, int]) -> dict[str, int]:
    """Rule 7: received minus shipped per product, only where they differ (negative: short)."""
    products = sorted(set(shipped) | set(received))
    diffs = {p: received.get(p, 0) - shipped.get(p, 0) for p in products}
    return {p: d for p, d in diffs.items() if d}


def in_transit(shipped: dict[str, int], received: dict[str, int] | None) -> dict[str, int]:
    """Rule 7: what has left the source and not yet arrived; nothing once it is received (a
    difference then is a variance for a person to explain, not stock still on the road)."""
    if received is not None:
        return {}
    return {p: q for p, q in shipped.items() if q}


# Rule 8: customer details, last writer wins by hlc; loyalty points are a counter.


@dataclass(frozen=True, slots=True)
class CustomerVersion:
    """One saved version of a customer's details; `hlc` "" is a placeholder older than any save."""

    hlc: str
    name: str = ""
    phone: str = ""
    email: str = ""

    def order_key(self) -> tuple[str, str, str, str]:
        # hlc strings order causally and end in the node that stamped them, so two saves tie
        # only when one node stamped both the same: the details then decide, the same way
        # everywhere, so every replica keeps the same winner whatever the arrival order.
        return (self.hlc, self.name, self.phone, self.email)


def customer_winner(a: CustomerVersion, b: CustomerVersion) -> CustomerVersion:
    """Rule 8: of two versions of a customer, the last written (by hlc) wins, deterministically."""
    return a if a.order_key() >= b.order_key() else b


def replaces_customer(current: CustomerVersion | None, incoming: CustomerVersion) -> bool:
    """Rule 8: does `incoming` win over the version held (None: nothing held yet)?"""
    return current is None or (incoming != current
                               and customer_winner(current, incoming) is incoming)


def loyalty_balance(deltas: Iterable[int]) -> int:
    """Rule 8: points are the sum of signed earn/redeem/adjust postings, in any order."""
    return sum(deltas)


def is_negative_balance(balance: int) -> bool:
    """Rule 8: a balance below zero is applied as it is and raises an exception."""
    return balance < 0


def overdrawn_postings(balance_before: int, deltas: Sequence[int]) -> list[int]:
    """Rule 8, step by step: the indexes of the postings that take points out and leave the
    balance below zero (each raises one exception); a posting that adds points never does."""
    levels = on_hand_after_each(balance_before, deltas)
    return [i for i, (delta, after) in enumerate(zip(deltas, levels, strict=True))
            if delta < 0 and is_negative_balance(after)]
