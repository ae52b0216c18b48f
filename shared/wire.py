"""Sync wire messages (typed, versioned) shared by the till's agent and HQ's sync API.

Endpoints (all under /api/v1, JSON; device calls carry ``Authorization: Bearer <device token>``):

* ``POST /enrol`` EnrolRequest -> EnrolResponse (no auth: the one-time code is the secret)
* ``POST /sync/push`` PushRequest -> PushResponse; refusals are HTTP 409/422 with SyncError body
* ``GET /sync/pull?cursor=N&limit=L&wait=S`` -> PullResponse; long-polls up to S seconds when
  there is nothing after the cursor.
* ``POST /sync/credential`` -> CredentialRotated; ``POST /sync/credential/confirm`` (with the new
  token) -> 204. Every sync request sends the headers below; a till below HQ's minimum gets 426.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, Field, PrivateAttr

from .journal import JournalEvent

PROTOCOL_VERSION = 1
API_PREFIX = "/api/v1"

# Sent by the till on every sync request (HQ may refuse a till older than its minimum: HTTP 426).
TILL_VERSION_HEADER = "X-Till-Version"
# The till's backlog, reported with each push/pull: events waiting after this request, and the
# HLC wall time (ms since epoch) of the oldest of them ("0" or absent when none wait).
BACKLOG_HEADER = "X-Till-Backlog"
OLDEST_UNSENT_HEADER = "X-Till-Oldest-Unsent-Ms"
# Set by HQ on a sync answer when a person asked the till to rotate its credential.
ROTATE_HEADER = "X-Rotate-Credential"


class EnrolRequest(BaseModel):
    code: str = Field(min_length=4, max_length=64)
    device_name: str = Field(default="till", max_length=100)
    app_version: str = "0"


class EnrolResponse(BaseModel):
    device_id: str
    token: str
    store_id: str
    store_code: str
    store_name: str
    currency: str


class WireEvent(BaseModel):
    event_id: str
    device_id: str
    seq: int = Field(ge=1)
    hlc: str
    type: str
    schema_version: int = Field(ge=1)
    payload: dict[str, Any]
    prev_hash: str = Field(min_length=64, max_length=64)
    hash: str = Field(min_length=64, max_length=64)

    def to_journal(self) -> JournalEvent:
        return JournalEvent(**self.model_dump())

    @classmethod
    def from_journal(cls, event: JournalEvent) -> WireEvent:
        return cls(**event.to_dict())


class NotIntegerError(ValueError):
    """A push body holding a number that is not an integer (money and quantities never are)."""


def _refuse_number(text: str) -> Any:
    raise NotIntegerError(f"{text} is not an integer: amounts and quantities are integer minor units")


class PushRequest(BaseModel):
    protocol_version: int = PROTOCOL_VERSION
    device_id: str
    events: list[WireEvent] = Field(max_length=1000)
    _plain: bool = PrivateAttr(default=False)

    @classmethod
    def from_body(cls, body: bytes | str) -> PushRequest:
        """Parse a push as HQ receives it, refusing any float, NaN or Infinity in it.

        Raises ValueError (json.JSONDecodeError, NotIntegerError) or pydantic's ValidationError.
        What it returns has `payloads_are_plain` set: every payload holds only string keys and
        str/int/bool/null/list/object values, which is what the hash check's walk over each
        payload would establish (shared.canonical), so HQ skips that walk.
        """
        data = json.loads(body, parse_float=_refuse_number, parse_constant=_refuse_number)
        request = cls.model_validate(data)
        request._plain = True
        return request

    @property
    def payloads_are_plain(self) -> bool:
        return self._plain


class PushResponse(BaseModel):
    acked_seq: int
    applied: int
    duplicates: int


class CredentialRotated(BaseModel):
    """POST /sync/credential: a new token; the old one works until the new one is first used."""

    device_id: str
    token: str


SyncErrorCode = Literal[
    "bad_hash", "seq_gap", "broken_chain", "wrong_device", "unknown_device", "revoked_device",
    "conflicting_event", "bad_payload", "quarantined", "protocol_too_old", "till_too_old",
]


class SyncError(BaseModel):
    error: SyncErrorCode
    message: str
    expected_seq: int | None = None


# The kinds HQ writes today. `Change.kind` is any string so an older till reads a page holding a
# kind added since (and passes over it: till.ledger.master_data) instead of refusing the page.
ChangeKind = Literal["product", "stock", "store", "till_user", "customer", "gift_card"]
CHANGE_KINDS: tuple[str, ...] = ChangeKind.__args__  # type: ignore[attr-defined]


class Change(BaseModel):
    """One entry of HQ's commit-ordered change log.

    product: {product_id, sku, name, barcodes[], price_minor, currency, tax_class, active}
             (+ optional parent_sku, attributes {size, colour}, unit for variants); a store's own
             price arrives as a product change scoped to that store, after the chain-wide one
    stock:   {product_id, store_id, on_hand}
    store:   {store_id, code, name, currency, prices_include_tax, cash_rounding_minor (1 = none),
              tax_rates: [{tax_class, name, rate_bp}] (the store's whole effective set)};
              the pricing keys are absent from older HQs: the till then keeps what it had
    till_user: {user_id, store_id (null = every store), name, role: cashier|supervisor|manager,
               pin_hash (argon2id, encoded), badge_hash (sha256 hex of the badge code, or null),
               max_discount_bp (basis points a user may give without an override), active}
    customer: {customer_id, name, phone, email, hlc (the version: last writer wins, rule 8),
               points_balance (HQ's counter), counted_seq {device_id: the last of that till's
               own loyalty postings the balance counts}}; chain-wide
    gift_card: {card_number, kind: gift_card|store_credit, currency, customer_id ("" or the
               store-credit account's customer), balance_minor (HQ's counter), counted_seq
               {device_id: the last of that till's own postings the balance counts}}; chain-wide
    """

    cursor: int
    kind: str  # one of CHANGE_KINDS, or a kind this till predates
    data: dict[str, Any]


class PullResponse(BaseModel):
    changes: list[Change]
    next_cursor: int
    has_more: bool
