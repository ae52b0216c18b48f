"""Customer API request shapes (answers are the service's plain dicts)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class CustomerIn(BaseModel):
    name: str = Field(max_length=200)
    phone: str = Field("", max_length=200)
    email: str = Field("", max_length=200)


class NewCustomerIn(CustomerIn):
    home_store: str | None = Field(None, description="store code; required for store managers")
