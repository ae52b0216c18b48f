"""What a report is: named columns (some of them cost figures) and rows. Pure: no database.

A cost column is *omitted* for a reader who may not see costs (Actor.sees_costs), never zeroed:
a zero would read as "free", and the column's absence says "not for your role".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

PERIODS = ("day", "week")
DEFAULT_DAYS = 28


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    label: str
    cost: bool = False  # derived from cost prices: only for cost readers
    money: bool = False  # integer minor units (shown formatted, sent as integers)


@dataclass(frozen=True, slots=True)
class Report:
    name: str
    title: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    params: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # how figures were made, in words

    def without_costs(self) -> Report:
        keep = [c for c in self.columns if not c.cost]
        names = {c.name for c in keep}
        rows = [{k: v for k, v in row.items() if k in names} for row in self.rows]
        return Report(self.name, self.title, keep, rows, self.params, self.notes)


@dataclass(frozen=True, slots=True)
class Window:
    """Whole days [start, end], UTC (stores keep no time zone yet: a day is a UTC day)."""

    start: date
    end: date

    @classmethod
    def ending(cls, end: date, days: int = DEFAULT_DAYS) -> Window:
        return cls(end - timedelta(days=days - 1), end)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def before(self) -> Window:
        """The window of the same length just before this one (for 'movers')."""
        return Window(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def year_before(self) -> Window:
        """52 weeks earlier, so weekdays line up (a Monday is compared with a Monday)."""
        return Window(self.start - timedelta(weeks=52), self.end - timedelta(weeks=52))


def abc_classes(revenues: list[int], a_share: int = 80, b_share: int = 95) -> list[str]:
    """ABC class per item, for revenues sorted from highest to lowest.

    An item is A while the revenue *before* it is under 80 % of the total, B under 95 %, else C:
    the best seller is always A even when it alone is 90 % of revenue. Integer arithmetic, so
    the boundaries are exact.
    """
    total = sum(revenues)
    classes, before = [], 0
    for revenue in revenues:
        if total <= 0:
            classes.append("C")
        elif before * 100 < a_share * total:
            classes.append("A")
        elif before * 100 < b_share * total:
            classes.append("B")
        else:
            classes.append("C")
        before += revenue
    return classes


def margin_bp(revenue: int, profit: int) -> int | None:
    """Gross margin in basis points (10000 = 100 %), rounded half away from zero."""
    if revenue == 0:
        return None
    sign = -1 if (profit < 0) != (revenue < 0) else 1
    return sign * ((abs(profit) * 10000 * 2 + abs(revenue)) // (2 * abs(revenue)))
