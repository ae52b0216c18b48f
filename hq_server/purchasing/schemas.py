"""Purchasing API shapes.

Cost fields (unit costs, totals, payment terms, balances) are optional and left unset for roles
that may not see costs; the endpoints answer with `response_model_exclude_unset`, so such a
field is absent from the JSON rather than null or zero.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field, model_validator

Quantity = Field(gt=0, le=1_000_000, description="units, more than zero")
MinorUnits = Field(ge=0, le=10**12, description="integer minor units (cents), zero or more")


class VendorIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    contact_email: str | None = Field(default=None, max_length=320)
    contact_phone: str | None = Field(default=None, max_length=50)
    currency: str = Field(default="EUR", min_length=3, max_length=3)
    payment_terms_days: int = Field(default=30, ge=0, le=365)
    lead_time_days: int = Field(default=7, ge=0, le=365)
    active: bool = True


class VendorPatch(BaseModel):
    """Only the fields sent are changed."""

    name: str | None = Field(default=None, min_length=1, max_length=200)
    contact_email: str | None = Field(default=None, max_length=320)
    contact_phone: str | None = Field(default=None, max_length=50)
    payment_terms_days: int | None = Field(default=None, ge=0, le=365)
    lead_time_days: int | None = Field(default=None, ge=0, le=365)
    active: bool | None = None


class VendorOut(BaseModel):
    id: str
    name: str
    contact_email: str | None
    contact_phone: str | None
    currency: str
    lead_time_days: int
    active: bool
    payment_terms_days: int | None = None


class VendorProductIn(BaseModel):
    vendor_sku: str = Field(default="", max_length=100)
    unit_cost_minor: int = MinorUnits
    preferred: bool = False


class VendorProductOut(BaseModel):
    vendor_id: str
    product_id: str
    sku: str
    name: str
    vendor_sku: str
    preferred: bool
    unit_cost_minor: int | None = None


# Purchasing names a product by its id or its SKU, as the inventory calls do.
ProductRefField = Field(min_length=1, max_length=200, description="product id or SKU")


class LevelIn(BaseModel):
    product_id: str = ProductRefField
    reorder_point: int = Field(ge=0, le=1_000_000)
    target_level: int = Field(ge=0, le=1_000_000)

    @model_validator(mode="after")
    def target_not_below_reorder_point(self) -> LevelIn:
        if self.target_level < self.reorder_point:
            raise ValueError(f"target_level ({self.target_level}) is below reorder_point "
                             f"({self.reorder_point}) for product {self.product_id}")
        return self


class LevelsIn(BaseModel):
    levels: list[LevelIn] = Field(min_length=1, max_length=10_000)


class LevelOut(BaseModel):
    product_id: str
    sku: str
    reorder_point: int
    target_level: int


class LevelsSet(BaseModel):
    store_code: str
    changed: int


class OrderLineIn(BaseModel):
    product_id: str = ProductRefField
    quantity: int = Quantity
    unit_cost_minor: int | None = Field(default=None, ge=0, le=10**12,
                                        description="default: the vendor's cost for the product")


class OrderIn(BaseModel):
    store_code: str = Field(min_length=1)
    vendor_id: uuid.UUID
    note: str = Field(default="", max_length=2000)
    lines: list[OrderLineIn] = Field(min_length=1, max_length=5000)


class OrderLinesIn(BaseModel):
    lines: list[OrderLineIn] = Field(min_length=1, max_length=5000)


class OrderLineOut(BaseModel):
    line_no: int
    product_id: str
    sku: str
    name: str
    quantity_ordered: int
    quantity_received: int
    unit_cost_minor: int | None = None
    line_total_minor: int | None = None


class OrderOut(BaseModel):
    id: str
    number: str
    store_code: str
    vendor_id: str
    vendor_name: str
    status: str
    currency: str
    note: str
    created_at: datetime
    updated_at: datetime
    lines: list[OrderLineOut]
    total_minor: int | None = None


class ReceiptLineIn(BaseModel):
    line_no: int = Field(ge=1)
    quantity: int = Quantity
    # Products that track batches (hq_server.batches) need both; others must leave them out.
    batch_code: str | None = Field(None, min_length=1, max_length=64, description="batch/lot code")
    expires_on: date | None = Field(None, description="the batch's expiry date")


class ReceiptIn(BaseModel):
    lines: list[ReceiptLineIn] = Field(min_length=1, max_length=5000)


class ReceivedLine(BaseModel):
    line_no: int
    sku: str
    received_now: int
    quantity_ordered: int
    quantity_received: int
    variance: int = Field(description="received so far minus ordered: + over, - still short")


class ReceiptOut(BaseModel):
    order: OrderOut
    lines: list[ReceivedLine]
    accrued_minor: int | None = None


class PaymentIn(BaseModel):
    amount_minor: int = Field(gt=0, le=10**12, description="integer minor units, more than zero")
    reference: str = Field(min_length=1, max_length=200, description="bank or cheque reference")


class LedgerEntryOut(BaseModel):
    id: int
    kind: Literal["receipt", "payment"]
    amount_minor: int
    currency: str
    po_number: str | None
    reference: str
    at: datetime


class BalanceOut(BaseModel):
    vendor_id: str
    vendor_name: str
    currency: str
    balance_minor: int


class VendorLedgerOut(BaseModel):
    balance: BalanceOut
    entries: list[LedgerEntryOut]


class SuggestionLine(BaseModel):
    product_id: str
    sku: str
    name: str
    on_hand: int
    in_transit: int
    on_order: int
    reorder_point: int
    target_level: int
    suggested_quantity: int
    unit_cost_minor: int | None = None


class VendorSuggestions(BaseModel):
    vendor_id: str | None = Field(description="the preferred vendor; null: no vendor linked yet")
    vendor_name: str | None
    lines: list[SuggestionLine]
    total_minor: int | None = None


class Suggestions(BaseModel):
    store_code: str
    vendors: list[VendorSuggestions]


class SuggestionPick(BaseModel):
    product_id: str = ProductRefField
    quantity: int | None = Field(default=None, gt=0, le=1_000_000,
                                 description="default: the suggested quantity")


class OrdersFromSuggestionsIn(BaseModel):
    lines: list[SuggestionPick] = Field(min_length=1, max_length=5000)
