"""Cash in the drawer, as pure arithmetic in integer minor units (the till and HQ agree on it).

Expected cash = float + cash taken for sales - change given + paid in - paid out - drops
                - cash refunded for returns.
Over/short = counted - expected: positive is over, negative is short.
"""

from __future__ import annotations

from collections.abc import Mapping

# Notes and coins by minor units, largest first. A currency not listed counts by amount only.
DENOMINATIONS: dict[str, tuple[int, ...]] = {
    "EUR": (50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1),
    "GBP": (5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1),
    "USD": (10000, 5000, 2000, 1000, 500, 100, 25, 10, 5, 1),
}


class CashCountError(ValueError):
    """A count the cashier can fix: the message says which denomination is wrong."""


def denominations(currency: str) -> tuple[int, ...]:
    return DENOMINATIONS.get(currency, ())


def count_total(counted: Mapping[str, int], currency: str) -> int:
    """Total of a count by denomination ({"2000": 3, "50": 4} = 62.00); refuses unknown ones."""
    known = set(denominations(currency))
    total = 0
    for key, pieces in counted.items():
        if not key.isdigit() or int(key) not in known:
            raise CashCountError(f"{key} is not a {currency} note or coin")
        if not isinstance(pieces, int) or isinstance(pieces, bool) or pieces < 0:
            raise CashCountError(f"the count of {key} must be a whole number of pieces, 0 or more")
        total += int(key) * pieces
    return total


def expected_cash(*, float_minor: int, cash_tendered_minor: int, change_minor: int,
                  paid_in_minor: int, paid_out_minor: int, drops_minor: int,
                  cash_refunds_minor: int = 0) -> int:
    return (float_minor + cash_tendered_minor - change_minor + paid_in_minor - paid_out_minor
            - drops_minor - cash_refunds_minor)


def over_short(counted_minor: int, expected_minor: int) -> int:
    return counted_minor - expected_minor
