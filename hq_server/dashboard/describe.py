"""Exceptions in words, as a store manager would say them (pure: no database, no web)."""

from __future__ import annotations

from typing import Any

from shared.money import Money, MoneyError

KIND_LABELS = {
    "oversell": "Oversold", "over_refund": "Over-refund", "count_variance": "Count variance",
    "transfer_variance": "Transfer variance", "negative_loyalty": "Negative loyalty",
    "integrity": "Till quarantined", "clock_skew": "Till clock off",
    "negative_gift_card": "Gift card below zero",
}


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind.replace("_", " ").capitalize())


def describe(kind: str, details: dict[str, Any], *, store: str | None, product: str | None,
             device: str | None) -> str:
    """One line saying what happened, from what the exception recorded."""
    where = f" at {store}" if store else ""
    item = product or details.get("sku") or "a product"
    till = details.get("device_name") or device or "a till"
    if kind == "oversell":
        after = details.get("on_hand_after")
        cause = (f"receipt {details['receipt_no']}" if details.get("receipt_no")
                 else str(details.get("reason") or "a stock movement").replace("_", " "))
        return f"Oversold: {item}{where} — on hand {after} after {cause}"
    if kind == "integrity":
        return f"Till quarantined: {till}{where} — {details.get('message') or details.get('error')}"
    if kind == "clock_skew":
        return f"Till clock off: {till}{where} — {_offset(details.get('offset_ms'))} HQ's time"
    if kind == "negative_gift_card":
        after = _money(details.get("balance_after"), details.get("currency"))
        cause = f" after receipt {details['receipt_no']}" if details.get("receipt_no") else ""
        return f"Gift card below zero: {details.get('card') or 'a card'}{where} — {after}{cause}"
    summary = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in details.items() if v is not None)
    subject = f"{item}{where}" if product or details.get("sku") else where.strip() or "chain"
    return f"{kind_label(kind)}: {subject}" + (f" — {summary}" if summary else "")


def _money(minor: Any, currency: Any) -> str:
    try:
        return Money(minor, currency).format()
    except (MoneyError, TypeError):
        return str(minor)


def _offset(offset_ms: Any) -> str:
    if not isinstance(offset_ms, int):
        return "off"
    direction = "ahead of" if offset_ms > 0 else "behind"
    return f"{duration(abs(offset_ms))} {direction}"


def duration(ms: int) -> str:
    seconds = ms / 1000
    if seconds < 60:
        return f"{seconds:.1f} s"
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"
