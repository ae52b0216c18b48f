"""Catalogue API shapes."""

from __future__ import annotations

from pydantic import BaseModel


class StoreOut(BaseModel):
    id: str
    code: str
    name: str
    currency: str
