"""Gift cards and store credit: one fact, `GiftCardPosted` (schema version 1).

A posting is one signed change of a card's balance, in minor units. Loading a card when a sale
completes, paying with it, refunding onto it and a returned load are each a posting journaled in
the transaction of the sale or return they belong to, so the balance is the sum of one event type
(shared.gift_cards) and never needs ordering.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from .event_checks import EventPayloadError, JournalFact, require_int, require_text
from .gift_cards import CardNumberError, parse_card_number

CARD_KINDS = ("gift_card", "store_credit")
# load: sold onto the card (+); redeem: paid with it (-); refund: a return's money onto it (+);
# unload: a returned load comes off it (-); adjust: either way.
POSTING_REASONS = ("load", "redeem", "refund", "unload", "adjust")
_SIGNS = {"load": 1, "refund": 1, "redeem": -1, "unload": -1}
MAX_TEXT = 200


@dataclass(frozen=True, slots=True)
class GiftCardPosted(JournalFact):
    TYPE: ClassVar[str] = "GiftCardPosted"
    SCHEMA_VERSION: ClassVar[int] = 1

    card_number: str  # 16 digits, Luhn-checked
    store_id: str
    delta_minor: int  # signed, in the currency's minor units
    currency: str
    reason: str  # one of POSTING_REASONS
    card_kind: str = "gift_card"  # one of CARD_KINDS
    customer_id: str = ""  # a customer's store-credit account
    sale_id: str = ""
    return_id: str = ""
    receipt_no: str = ""
    approved_by: str = ""  # the supervisor who let a card the till did not know pay
    posted_at_ms: int = 0

    def validate(self) -> None:
        try:
            if type(self.card_number) is not str or parse_card_number(self.card_number) != self.card_number:
                raise EventPayloadError("card_number must be 16 digits without spaces")
        except CardNumberError as error:
            raise EventPayloadError(f"card_number: {error}") from None
        require_text("currency", self.currency)
        require_int("delta_minor", self.delta_minor)
        if self.delta_minor == 0:
            raise EventPayloadError("a gift card posting must change the balance")
        if self.reason not in POSTING_REASONS:
            raise EventPayloadError(f"gift card reason must be one of {POSTING_REASONS}")
        sign = _SIGNS.get(self.reason)
        if sign is not None and (self.delta_minor > 0) != (sign > 0):
            raise EventPayloadError(f"a {self.reason} must be "
                                    f"{'positive' if sign > 0 else 'negative'}")
        if self.card_kind not in CARD_KINDS:
            raise EventPayloadError(f"card_kind must be one of {CARD_KINDS}")
        for name in ("customer_id", "sale_id", "return_id", "receipt_no", "approved_by"):
            value = getattr(self, name)
            if not isinstance(value, str) or len(value) > MAX_TEXT or "\x00" in value:
                raise EventPayloadError(f"{name} must be text of at most {MAX_TEXT} characters")
        require_int("posted_at_ms", self.posted_at_ms, minimum=0)
