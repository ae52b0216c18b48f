"""Shift reports: tills' shift closes (ShiftClosed, the Z) at HQ."""
