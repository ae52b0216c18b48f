"""Typed journal event payloads (facts a till saw). Past tense names; schema versions per type.

A payload is a plain dict on the wire and in the journal; these dataclasses give it a shape and
validate it. New event types are additions to `EVENT_TYPES`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from .customer_events import CustomerSaved, LoyaltyPosted
from .event_checks import (
    EventPayloadError,  # noqa: F401  (re-exported: callers import it here)
    JournalFact,
)
from .event_checks import require_int as _require_int
from .gift_card_events import GiftCardPosted
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
    line_total_minor: int  # price x quantity as shelf-priced: gross if the store's prices include tax
    # Schema 2 (absent in schema 1 payloads): the line's tax, rounded per line (shared.pricing).
    tax_class: str = ""
    tax_rate_bp: int = 0
    tax_minor: int = 0

    def validate(self) -> None:
        # One expression for the common case (ingest checks ~400 lines a push); `type(...) is int`
        # also turns away bools and int subclasses, which the checks below then judge and name.
        line_no, quantity, price, total = (self.line_no, self.quantity, self.unit_price_minor,
                                           self.line_total_minor)
        if (type(line_no) is int and line_no >= 1 and type(quantity) is int and quantity >= 1
                and type(price) is int and price >= 0 and type(total) is int
                and type(self.tax_rate_bp) is int and self.tax_rate_bp >= 0
                and type(self.tax_minor) is int and self.tax_minor >= 0
                and total == price * quantity):
            return
        _require_int("line_no", self.line_no, minimum=1)
        _require_int("quantity", self.quantity, minimum=1)
        _require_int("unit_price_minor", self.unit_price_minor, minimum=0)
        _require_int("line_total_minor", self.line_total_minor)
        _require_int("tax_rate_bp", self.tax_rate_bp, minimum=0)
        _require_int("tax_minor", self.tax_minor, minimum=0)
        if self.line_total_minor != self.unit_price_minor * self.quantity:
            raise EventPayloadError(f"line {self.line_no}: total is not price x quantity")

    def gross_minor(self, prices_include_tax: bool) -> int:
        return self.line_total_minor + (0 if prices_include_tax else self.tax_minor)


@dataclass(frozen=True, slots=True)
class SaleTax:
    """One tax class of a sale: sums of its lines' net, tax and gross (schema 2)."""

    tax_class: str
    rate_bp: int
    net_minor: int
    tax_minor: int
    gross_minor: int
    name: str = ""

    def validate(self) -> None:
        rate, net, tax = self.rate_bp, self.net_minor, self.tax_minor
        if (type(rate) is int and rate >= 0 and type(net) is int and type(tax) is int and tax >= 0
                and net + tax == self.gross_minor):
            return  # the common case in one expression; the checks below name what is wrong
        _require_int("tax rate_bp", self.rate_bp, minimum=0)
        _require_int("tax net_minor", self.net_minor)
        _require_int("tax_minor", self.tax_minor, minimum=0)
        if self.net_minor + self.tax_minor != self.gross_minor:
            raise EventPayloadError(f"tax class {self.tax_class!r}: net + tax is not gross")


@dataclass(frozen=True, slots=True)
class Tender:
    kind: str  # cash | card | ewallet | store_credit | gift_card
    amount_minor: int
    reference: str = ""

    def validate(self) -> None:
        if type(self.amount_minor) is int and self.amount_minor >= 0 and self.kind:
            return  # the common case in one expression; the checks below name what is wrong
        _require_int("tender amount", self.amount_minor, minimum=0)
        if not self.kind:
            raise EventPayloadError("tender kind is required")


@dataclass(frozen=True, slots=True)
class SaleCompleted(JournalFact):
    TYPE: ClassVar[str] = "SaleCompleted"
    # 2: per-line tax, the tax breakdown, tax-exclusive prices and cash rounding. Schema 1 payloads
    # parse with the defaults below (no tax recorded, prices as paid, no rounding).
    SCHEMA_VERSION: ClassVar[int] = 2
    NESTED: ClassVar[dict[str, Any]] = {"lines": SaleLine, "tenders": Tender, "taxes": SaleTax}

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
    customer_id: str = ""  # the customer attached to the sale, for history and loyalty (rule 8)
    # Lines sold at another price than HQ's (merge rule 6: a fact on the line, with who approved):
    # [{"line_no", "kind": price_override|discount, "original_unit_price_minor", "approved_by",
    #   "override_id", "reason"}]. "approved_by" is "" for a discount within the cashier's limit.
    line_overrides: list[dict[str, Any]] = field(default_factory=list)
    # Schema 2. `total_minor` is what the goods cost including tax (the sum of the breakdown's
    # gross); `rounding_minor` is the cash rounding on top of it (negative: rounded down), so the
    # money taken is total + rounding. `taxes` is empty when the store has no tax set up.
    prices_include_tax: bool = True
    taxes: list[SaleTax] = field(default_factory=list)
    rounding_minor: int = 0

    def to_payload(self) -> dict[str, Any]:
        payload = JournalFact.to_payload(self)
        if not self.customer_id:  # a sale with no customer reads exactly as before customers
            del payload["customer_id"]
        return payload

    def validate(self) -> None:
        if not self.lines:
            raise EventPayloadError("a sale needs at least one line")
        for line in self.lines:
            line.validate()
        for tender in self.tenders:
            tender.validate()
        self._validate_taxes()
        _require_int("rounding_minor", self.rounding_minor)
        if self.rounding_minor and not any(t.kind == "cash" for t in self.tenders):
            raise EventPayloadError("cash rounding on a sale with no cash tender")
        paid = sum(t.amount_minor for t in self.tenders)
        if paid - self.change_minor != self.total_minor + self.rounding_minor:
            raise EventPayloadError("tenders minus change do not equal the total plus rounding")
        # Change comes out of the drawer, so only cash can pay more than is due.
        cash = sum(t.amount_minor for t in self.tenders if t.kind == "cash")
        if self.change_minor > cash:
            raise EventPayloadError("change is more than the cash tendered")
        line_nos = {line.line_no for line in self.lines}
        for override in self.line_overrides:
            if override.get("line_no") not in line_nos:
                raise EventPayloadError("a line override names a line the sale does not have")

    def _validate_taxes(self) -> None:
        """Lines, breakdown and total agree to the minor unit."""
        gross = [ln.gross_minor(self.prices_include_tax) for ln in self.lines]
        if self.total_minor != sum(gross):
            raise EventPayloadError("sale total is not the sum of its lines")
        if not self.taxes:
            if any(ln.tax_minor for ln in self.lines):
                raise EventPayloadError("lines carry tax but the sale has no tax breakdown")
            return
        by_class: dict[str, list[int]] = {}
        for line, line_gross in zip(self.lines, gross, strict=True):
            sums = by_class.setdefault(line.tax_class, [line.tax_rate_bp, 0, 0])
            if sums[0] != line.tax_rate_bp:
                raise EventPayloadError(f"tax class {line.tax_class!r} has two rates in one sale")
            sums[1] += line.tax_minor
            sums[2] += line_gross
        for tax in self.taxes:
            tax.validate()
            if by_class.pop(tax.tax_class, None) != [tax.rate_bp, tax.tax_minor, tax.gross_minor]:
                raise EventPayloadError(f"tax class {tax.tax_class!r}: the breakdown is not the "
                                        "sum of its lines")
        if by_class:
            raise EventPayloadError(f"tax classes {sorted(by_class)} are missing from the breakdown")


EVENT_TYPES: dict[str, Any] = {
    SaleCompleted.TYPE: SaleCompleted,
    ShiftOpened.TYPE: ShiftOpened,
    CashMovementRecorded.TYPE: CashMovementRecorded,
    ShiftClosed.TYPE: ShiftClosed,
    OverrideRecorded.TYPE: OverrideRecorded,
    ReturnCompleted.TYPE: ReturnCompleted,
    CustomerSaved.TYPE: CustomerSaved,
    LoyaltyPosted.TYPE: LoyaltyPosted,
    GiftCardPosted.TYPE: GiftCardPosted,
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


