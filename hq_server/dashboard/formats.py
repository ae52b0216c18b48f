"""Figures as a buyer reads them (display only: every figure stays integer minor units until here)."""

from __future__ import annotations

from datetime import date, datetime

from shared.money import Money


def money(minor: int | None, currency: str) -> str:
    """€1,234.56: grouped thousands, the currency's own number of decimals."""
    if minor is None:
        return "—"
    plain = Money(abs(minor), currency).to_decimal_str()
    whole, _, fraction = plain.partition(".")
    grouped = f"{int(whole):,}" + (f".{fraction}" if fraction else "")
    symbol = Money(0, currency).format().replace(Money(0, currency).to_decimal_str(), "")
    return ("−" if minor < 0 else "") + symbol + grouped


def percent_bp(bp: int | None) -> str:
    """Basis points as a percentage with one decimal (5004 -> 50.0 %)."""
    if bp is None:
        return "—"
    return f"{bp / 100:.1f} %"


def count(n: int | None) -> str:
    return "—" if n is None else f"{n:,}"


def day(value: date | datetime | None) -> str:
    if value is None:
        return "never"
    return value.strftime("%d %b %Y")


def parse_day(text: str) -> date | None:
    """A form's date field: empty or not a date is None (a cleared field is not an error)."""
    try:
        return date.fromisoformat(text.strip()) if text else None
    except ValueError:
        return None


FILTERS = {"money": money, "percent_bp": percent_bp, "count": count, "day": day}
