"""Customers and loyalty points: facts a till saw, schema version 1 each (merge rule 8).

`CustomerSaved` carries a customer's whole details as the till saved them; the journal event's
hlc stamps the version, so the newest save wins everywhere (last writer wins, field by field
would mix two people's edits into a record nobody typed).
`LoyaltyPosted` is one signed change of a customer's points. Points are a counter: the balance is
the sum of the postings, so they never need ordering and never conflict. Earning for a sale is
its own posting, journaled in the sale's transaction, rather than a field on SaleCompleted: then
earn, redeem and adjust are one kind of fact and the counter is the sum of one event type.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from .event_checks import EventPayloadError, JournalFact, require_int, require_text

LOYALTY_REASONS = ("earn", "redeem", "adjust")
MAX_NAME = 200
_DIGITS = re.compile(r"\D")


def phone_digits(phone: str) -> str:
    """The digits of a phone number: what phone search matches ("+44 20-7946 0018" -> 442079460018)."""
    return _DIGITS.sub("", phone)


def _require_short_text(name: str, value: object, limit: int = MAX_NAME) -> str:
    if not isinstance(value, str):
        raise EventPayloadError(f"{name} must be text")
    if len(value) > limit:
        raise EventPayloadError(f"{name} is longer than {limit} characters")
    if "\x00" in value:  # PostgreSQL text cannot hold it
        raise EventPayloadError(f"{name} contains a NUL character")
    return value


@dataclass(frozen=True, slots=True)
class CustomerSaved(JournalFact):
    TYPE: ClassVar[str] = "CustomerSaved"
    SCHEMA_VERSION: ClassVar[int] = 1

    customer_id: str  # UUIDv7, made where the customer was first created (a till or HQ)
    store_id: str  # the store whose till saved it
    name: str
    phone: str = ""
    email: str = ""
    saved_by: str = ""  # the cashier's name
    saved_at_ms: int = 0

    def validate(self) -> None:
        require_text("customer_id", self.customer_id)
        require_text("name", self.name.strip() if isinstance(self.name, str) else self.name)
        for name in ("name", "phone", "email", "saved_by"):
            _require_short_text(name, getattr(self, name))
        if self.phone and not phone_digits(self.phone):
            raise EventPayloadError("phone must contain digits")
        if self.email and "@" not in self.email:
            raise EventPayloadError("email must contain @")
        require_int("saved_at_ms", self.saved_at_ms, minimum=0)


@dataclass(frozen=True, slots=True)
class LoyaltyPosted(JournalFact):
    TYPE: ClassVar[str] = "LoyaltyPosted"
    SCHEMA_VERSION: ClassVar[int] = 1

    customer_id: str
    store_id: str
    delta: int  # signed points: earn > 0, redeem < 0, adjust either way
    reason: str  # one of LOYALTY_REASONS
    sale_id: str = ""  # the sale the points were earned or redeemed on
    receipt_no: str = ""
    posted_at_ms: int = 0

    def validate(self) -> None:
        require_text("customer_id", self.customer_id)
        require_int("delta", self.delta)
        if self.reason not in LOYALTY_REASONS:
            raise EventPayloadError(f"loyalty reason must be one of {LOYALTY_REASONS}")
        if self.delta == 0:
            raise EventPayloadError("a loyalty posting must change the balance")
        if (self.reason == "earn" and self.delta < 0) or (self.reason == "redeem" and self.delta > 0):
            raise EventPayloadError(f"{self.reason} points must be "
                                    f"{'positive' if self.reason == 'earn' else 'negative'}")
        for name in ("sale_id", "receipt_no"):
            _require_short_text(name, getattr(self, name))
        require_int("posted_at_ms", self.posted_at_ms, minimum=0)
