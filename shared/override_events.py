"""Supervisor overrides and returns: facts a till saw, schema version 1 each.

`OverrideRecorded` is the override log: who asked, who approved, what changed. It is journaled in
the same transaction as the action it authorises (the sale, the return) or alone when the action
leaves no other fact (a no-sale drawer open, a voided line, a cancelled sale).
`ReturnCompleted` puts goods back (restock) and money out (refunds) — merge rule 5 caps it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from .event_checks import EventPayloadError, JournalFact, require_int, require_text

OVERRIDE_ACTIONS = ("price_override", "discount", "void_line", "no_sale", "refund_without_receipt",
                    "refund_beyond_sold", "paid_out", "cancel_sale",
                    "unknown_gift_card")  # a card the till has no balance for pays (offline)
RETURN_REASONS = ("damaged", "wrong_item", "changed_mind", "faulty")
NOT_RESTOCKED = ("damaged", "faulty")  # these go to the back, not back on the shelf


@dataclass(frozen=True, slots=True)
class OverrideRecorded(JournalFact):
    TYPE: ClassVar[str] = "OverrideRecorded"
    SCHEMA_VERSION: ClassVar[int] = 1

    override_id: str
    store_id: str
    action: str  # one of OVERRIDE_ACTIONS
    requested_by: str
    approved_by: str
    before: str = ""  # e.g. "249" (minor units as text) or a line description
    after: str = ""
    reason: str = ""
    sale_id: str = ""
    requested_by_id: str = ""
    approved_by_id: str = ""
    recorded_at_ms: int = 0

    def validate(self) -> None:
        require_text("override_id", self.override_id)
        if self.action not in OVERRIDE_ACTIONS:
            raise EventPayloadError(f"override action must be one of {OVERRIDE_ACTIONS}")
        require_text("requested_by", self.requested_by)
        require_text("approved_by", self.approved_by)
        for name in ("before", "after", "reason", "sale_id"):
            if not isinstance(getattr(self, name), str):
                raise EventPayloadError(f"{name} must be text")


@dataclass(frozen=True, slots=True)
class ReturnLine:
    product_id: str
    sku: str
    name: str
    quantity: int
    unit_price_minor: int
    line_total_minor: int
    reason: str
    restock: bool
    original_line_no: int = 0  # the sale line returned; 0 without a receipt
    # Schema 2: tax refunded on top of line_total_minor where prices exclude tax (0 where they
    # include it): the customer gets back what they paid for these units, tax included.
    tax_minor: int = 0

    def refund_minor(self) -> int:
        return self.line_total_minor + self.tax_minor

    def validate(self) -> None:
        require_text("product_id", self.product_id)
        require_int("quantity", self.quantity, minimum=1)
        require_int("unit_price_minor", self.unit_price_minor, minimum=0)
        require_int("tax_minor", self.tax_minor, minimum=0)
        if self.line_total_minor != self.unit_price_minor * self.quantity:
            raise EventPayloadError(f"return line {self.sku}: total is not price x quantity")
        if self.reason not in RETURN_REASONS:
            raise EventPayloadError(f"return reason must be one of {RETURN_REASONS}")
        if not isinstance(self.restock, bool):
            raise EventPayloadError("restock must be true or false")


@dataclass(frozen=True, slots=True)
class Refund:
    kind: str  # cash | card | ewallet | gift_card | store_credit (the original tender by default)
    amount_minor: int
    reference: str = ""

    def validate(self) -> None:
        require_text("refund kind", self.kind)
        require_int("refund amount", self.amount_minor, minimum=1)


@dataclass(frozen=True, slots=True)
class ReturnCompleted(JournalFact):
    TYPE: ClassVar[str] = "ReturnCompleted"
    # 2: lines carry the tax refunded on top (tax-exclusive stores); schema 1 payloads parse with
    # tax_minor 0, which is what they refunded.
    SCHEMA_VERSION: ClassVar[int] = 2
    NESTED: ClassVar[dict[str, Any]] = {"lines": ReturnLine, "refunds": Refund}

    return_id: str
    store_id: str
    original_sale_id: str  # "" without a receipt
    original_receipt_no: str
    lines: list[ReturnLine]
    total_minor: int
    refunds: list[Refund]
    shift_id: str
    cashier: str
    approved_by: str = ""  # the supervisor, when an override was needed
    currency: str = ""
    cashier_id: str = ""
    completed_at_ms: int = 0
    override_ids: list[str] = field(default_factory=list)

    def validate(self) -> None:
        require_text("return_id", self.return_id)
        require_text("cashier", self.cashier)
        if not self.lines:
            raise EventPayloadError("a return needs at least one line")
        for line in self.lines:
            line.validate()
        for refund in self.refunds:
            refund.validate()
        if self.total_minor != sum(ln.refund_minor() for ln in self.lines):
            raise EventPayloadError("return total is not the sum of its lines")
        if sum(r.amount_minor for r in self.refunds) != self.total_minor:
            raise EventPayloadError("refunds do not add up to the return total")

    @property
    def cash_refund_minor(self) -> int:
        return sum(r.amount_minor for r in self.refunds if r.kind == "cash")
