"""Shifts and the cash drawer: float, paid in/out, drops, X and Z reports. No Qt."""

from .report import CashCount, ShiftReport
from .service import ClosedShift, ShiftError, ShiftService, cash_count

__all__ = ["CashCount", "ClosedShift", "ShiftError", "ShiftReport", "ShiftService", "cash_count"]
