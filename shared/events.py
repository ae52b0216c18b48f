"""Typed journal event payloads (facts a till saw). Past tense names; schema versions per type.

A payload is a plain dict on the wire and in the journal; these dataclasses give it a shape and
validate it. New event types are additions to `EVENT_TYPES`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from .event_checks import (
    EventPayloadError,  # noqa: F401  (re-exported: callers import it here)
    JournalFact,
)
from .event_checks import require_int as _require_int
from .override_events import OverrideRecorded, ReturnCompleted
from .shift_events import CashMovementRecorded, ShiftClosed, ShiftOpened


@dataclass(frozen=True, slots=True)
class SaleLine:
    line_no: int
    product_id: str
    sku: str
    name: str
    quantity: int
    unit_price_minor: int
    line_total_minor: int

    def validate(self) -> None:
        _require_int("line_no", self.line_no, minimum=1)
        _require_int("quantity", self.quantity, minimum=1)
        _require_int("unit_price_minor", self.unit_price_minor, minimum=0)
        _require_int("line_total_minor", self.line_total_minor)
        if self.line_total_minor != self.unit_price_minor * self.quantity:
            raise EventPayloadError(f"line {self.line_no}: total is not price x quantity")


@dataclass(frozen=True, slots=True)
class Tender:
    kind: str  # cash | card | ewallet | store_credit | gift_card
    amount_minor: int
    reference: str = ""

    def validate(self) -> None:
        _require_int("tender amount", self.amount_minor, minimum=0)
        if not self.kind:
            raise EventPayloadError("tender kind is required")


@dataclass(frozen=True, slots=True)
class SaleCompleted(JournalFact):
    TYPE: ClassVar[str] = "SaleCompleted"
    SCHEMA_VERSION: ClassVar[int] = 1
    NESTED: ClassVar[dict[str, Any]] = {"lines": SaleLine, "tenders": Tender}

    sale_id: str
    store_id: str
    receipt_no: str
    cashier: str
    currency: str
    lines: list[SaleLine]
    total_minor: int
    tenders: list[Tender]
    change_minor: int
    completed_at_ms: int
    training: bool = False
    extra: dict[str, Any] = field(default_factory=dict)
    # Optional addition (schema 1 still accepts payloads without it):
    cashier_id: str = ""  # the till user's id when the cashier signed in with a PIN or badge
    shift_id: str = ""  # the till's open shift when the sale was made ("" before shifts existed)
    # Lines sold at another price than HQ's (merge rule 6: a fact on the line, with who approved):
    # [{"line_no", "kind": price_override|discount, "original_unit_price_minor", "approved_by",
    #   "override_id", "reason"}]. "approved_by" is "" for a discount within the cashier's limit.
    line_overrides: list[dict[str, Any]] = field(default_factory=list)

    def validate(self) -> None:
        if not self.lines:
            raise EventPayloadError("a sale needs at least one line")
        for line in self.lines:
            line.validate()
        for tender in self.tenders:
            tender.validate()
        if self.total_minor != sum(line.line_total_minor for line in self.lines):
            raise EventPayloadError("sale total is not the sum of its lines")
        paid = sum(t.amount_minor for t in self.tenders)
        if paid - self.change_minor != self.total_minor:
            raise EventPayloadError("tenders minus change do not equal the total")
        # Change comes out of the drawer, so only cash can pay more than is due.
        cash = sum(t.amount_minor for t in self.tenders if t.kind == "cash")
        if self.change_minor > cash:
            raise EventPayloadError("change is more than the cash tendered")
        line_nos = {line.line_no for line in self.lines}
        for override in self.line_overrides:
            if override.get("line_no") not in line_nos:
                raise EventPayloadError("a line override names a line the sale does not have")

EVENT_TYPES: dict[str, Any] = {
    SaleCompleted.TYPE: SaleCompleted,
    ShiftOpened.TYPE: ShiftOpened,
    CashMovementRecorded.TYPE: CashMovementRecorded,
    ShiftClosed.TYPE: ShiftClosed,
    OverrideRecorded.TYPE: OverrideRecorded,
    ReturnCompleted.TYPE: ReturnCompleted,
}


def parse_payload(event_type: str, schema_version: int, payload: dict[str, Any]) -> Any:
    """Validate a journal payload by its type; unknown types and future schema versions are refused."""
    cls = EVENT_TYPES.get(event_type)
    if cls is None:
        raise EventPayloadError(f"unknown event type {event_type!r}")
    if schema_version > cls.SCHEMA_VERSION or schema_version < 1:
        raise EventPayloadError(
            f"{event_type} schema version {schema_version} is not supported (max {cls.SCHEMA_VERSION})"
        )
    return cls.from_payload(payload)


