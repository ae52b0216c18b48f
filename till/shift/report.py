"""The X (mid-shift) and Z (closing) reports: what they say, independent of how they are printed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from shared.cash import expected_cash
from shared.money import Money

from ..ledger.shifts import ShiftRow, ShiftSums


@dataclass(frozen=True, slots=True)
class CashCount:
    """The blind count at close: total and pieces by denomination (minor units as text keys)."""

    counted: Money
    by_denomination: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ShiftReport:
    kind: str  # "X" mid-shift, "Z" closing
    store_name: str
    store_code: str
    shift_id: str
    opened_by: str
    opened_at: datetime
    made_by: str
    made_at: datetime
    float: Money
    sums: ShiftSums
    count: CashCount | None = None  # only on a Z

    def money(self, minor: int) -> Money:
        return Money(minor, self.float.currency)

    @property
    def expected_cash(self) -> Money:
        s = self.sums
        return self.money(expected_cash(
            float_minor=self.float.minor, cash_tendered_minor=s.cash_tendered_minor,
            change_minor=s.change_minor, paid_in_minor=s.paid_in_minor,
            paid_out_minor=s.paid_out_minor, drops_minor=s.drops_minor,
            cash_refunds_minor=s.cash_refunds_minor))

    @property
    def cash_sales(self) -> Money:
        """Cash the sales left in the drawer: cash tendered minus change given."""
        return self.money(self.sums.cash_tendered_minor - self.sums.change_minor)

    @property
    def over_short(self) -> Money | None:
        return None if self.count is None else self.count.counted - self.expected_cash


def ms_to_local(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000).astimezone()


def build_report(kind: str, shift: ShiftRow, sums: ShiftSums, store_name: str, store_code: str,
                 made_by: str, made_at_ms: int, count: CashCount | None = None) -> ShiftReport:
    return ShiftReport(kind, store_name, store_code, shift.shift_id, shift.opened_by,
                       ms_to_local(shift.opened_at_ms), made_by, ms_to_local(made_at_ms),
                       Money(shift.float_minor, shift.currency), sums, count)
