"""Shift and drawer facts: a shift opened with a float, cash moved in or out, a shift closed.

Schema version 1 each. Like SaleCompleted, they grow by optional fields only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from .cash import CashCountError, count_total, expected_cash
from .event_checks import EventPayloadError, JournalFact, require_int, require_text

MOVEMENT_KINDS = ("paid_in", "paid_out", "drop")


def _check_count(counted: dict[str, int], currency: str, total: int) -> None:
    if not counted:
        return  # counted by amount only (a currency without a denomination table)
    try:
        by_pieces = count_total(counted, currency)
    except CashCountError as exc:
        raise EventPayloadError(str(exc)) from None
    if by_pieces != total:
        raise EventPayloadError(f"the count by denomination is {by_pieces}, not {total}")


@dataclass(frozen=True, slots=True)
class ShiftOpened(JournalFact):
    TYPE: ClassVar[str] = "ShiftOpened"
    SCHEMA_VERSION: ClassVar[int] = 1

    shift_id: str
    store_id: str
    opened_by: str
    float_minor: int
    currency: str
    opened_at_ms: int
    opened_by_id: str = ""
    float_by_denomination: dict[str, int] = field(default_factory=dict)

    def validate(self) -> None:
        require_text("shift_id", self.shift_id)
        require_text("opened_by", self.opened_by)
        require_int("float_minor", self.float_minor, minimum=0)
        require_int("opened_at_ms", self.opened_at_ms)
        _check_count(self.float_by_denomination, self.currency, self.float_minor)


@dataclass(frozen=True, slots=True)
class CashMovementRecorded(JournalFact):
    """Cash into or out of the drawer that is not a sale: paid in, paid out, a drop to the safe."""

    TYPE: ClassVar[str] = "CashMovementRecorded"
    SCHEMA_VERSION: ClassVar[int] = 1

    movement_id: str
    shift_id: str
    store_id: str
    kind: str  # paid_in | paid_out | drop
    amount_minor: int
    reason: str
    by: str
    currency: str = ""
    recorded_at_ms: int = 0
    by_id: str = ""

    def validate(self) -> None:
        require_text("movement_id", self.movement_id)
        require_text("shift_id", self.shift_id)
        if self.kind not in MOVEMENT_KINDS:
            raise EventPayloadError(f"cash movement kind must be one of {MOVEMENT_KINDS}")
        require_int("amount_minor", self.amount_minor, minimum=1)
        require_text("reason", self.reason)
        require_text("by", self.by)


@dataclass(frozen=True, slots=True)
class ShiftClosed(JournalFact):
    """The Z: the shift's totals, the blind count, and what the drawer was over or short."""

    TYPE: ClassVar[str] = "ShiftClosed"
    SCHEMA_VERSION: ClassVar[int] = 1

    shift_id: str
    store_id: str
    closed_by: str
    currency: str
    closed_at_ms: int
    float_minor: int
    sales_count: int
    sales_total_minor: int
    tender_totals: dict[str, int]  # {"cash": 1234, "card": 5600}: tendered, before change
    cash_tendered_minor: int
    change_minor: int
    paid_in_minor: int
    paid_out_minor: int
    drops_minor: int
    expected_cash_minor: int
    counted_cash_minor: int
    over_short_minor: int  # counted - expected: positive over, negative short
    counted_by_denomination: dict[str, int] = field(default_factory=dict)
    closed_by_id: str = ""
    # Optional (old payloads mean 0): returns in the shift and the cash they took from the drawer.
    returns_count: int = 0
    returns_total_minor: int = 0
    cash_refunds_minor: int = 0

    def validate(self) -> None:
        require_text("shift_id", self.shift_id)
        require_text("closed_by", self.closed_by)
        for name in ("float_minor", "sales_count", "cash_tendered_minor", "change_minor",
                     "paid_in_minor", "paid_out_minor", "drops_minor", "counted_cash_minor",
                     "returns_count", "returns_total_minor", "cash_refunds_minor"):
            require_int(name, getattr(self, name), minimum=0)
        expected = expected_cash(
            float_minor=self.float_minor, cash_tendered_minor=self.cash_tendered_minor,
            change_minor=self.change_minor, paid_in_minor=self.paid_in_minor,
            paid_out_minor=self.paid_out_minor, drops_minor=self.drops_minor,
            cash_refunds_minor=self.cash_refunds_minor)
        if self.expected_cash_minor != expected:
            raise EventPayloadError(f"expected cash is {expected}, not {self.expected_cash_minor}")
        if self.over_short_minor != self.counted_cash_minor - self.expected_cash_minor:
            raise EventPayloadError("over/short is not counted minus expected")
        _check_count(self.counted_by_denomination, self.currency, self.counted_cash_minor)
