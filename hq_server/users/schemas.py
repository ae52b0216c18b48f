"""HQ user API shapes."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class UserOut(BaseModel):
    id: str
    email: str
    name: str
    role: str
    active: bool
    stores: list[str]
    created_at: datetime


class NewUser(BaseModel):
    email: str = Field(min_length=3, max_length=320)
    name: str = Field(min_length=1, max_length=200)
    role: str
    password: str = Field(min_length=1, max_length=1024)
    stores: list[str] = Field(default_factory=list, description="store codes (store_manager, inventory)")
