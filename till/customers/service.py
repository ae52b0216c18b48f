"""Finding, creating and editing customers at the till, offline: each save is a journal fact
(CustomerSaved) committed with its projection, then shipped to HQ like a sale."""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass

from shared.customer_events import CustomerSaved, phone_digits
from shared.event_checks import EventPayloadError
from shared.ids import new_id

from ..ledger import Ledger
from ..ledger.journal import append_event
from . import records

SEARCH_LIMIT = 20


class CustomerError(ValueError):
    """Said to the cashier as it is."""


@dataclass(frozen=True, slots=True)
class Customer:
    customer_id: str
    name: str
    phone: str
    email: str
    points: int

    @classmethod
    def of(cls, row: sqlite3.Row) -> Customer:
        return cls(row["customer_id"], row["name"], row["phone"], row["email"], row["points"])

    def describe(self) -> str:
        """"Ann Lee · 0712 345 678 · 120 points" (a line of the search list)."""
        return " · ".join(part for part in (self.name, self.phone, f"{self.points} points") if part)


def is_phone_search(text: str) -> bool:
    return bool(phone_digits(text)) and not any(ch.isalpha() for ch in text)


class CustomerService:
    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger

    def search(self, text: str, limit: int = SEARCH_LIMIT) -> list[Customer]:
        """By phone when the cashier typed a number, else by the start of any name word."""
        conn = self._ledger.connection()
        text = text.strip()
        if not text:
            return []
        rows = (records.by_phone(conn, phone_digits(text), limit) if is_phone_search(text)
                else records.by_name(conn, text, limit))
        return [Customer.of(row) for row in rows]

    def get(self, customer_id: str) -> Customer | None:
        row = records.by_id(self._ledger.connection(), customer_id)
        return None if row is None else Customer.of(row)

    def create(self, name: str, phone: str = "", email: str = "", *, saved_by: str = "") -> Customer:
        return self._save(new_id(), name, phone, email, saved_by)

    def edit(self, customer_id: str, name: str, phone: str = "", email: str = "", *,
             saved_by: str = "") -> Customer:
        if self.get(customer_id) is None:
            raise CustomerError("That customer is not on this till")
        return self._save(customer_id, name, phone, email, saved_by)

    def _save(self, customer_id: str, name: str, phone: str, email: str, saved_by: str) -> Customer:
        store = self._ledger.require_store()
        saved = CustomerSaved(customer_id, store.store_id, name.strip(), phone.strip(),
                              email.strip(), saved_by, time.time_ns() // 1_000_000)
        try:
            payload = saved.to_payload()
        except EventPayloadError as error:
            raise CustomerError(_in_words(error)) from None
        with self._ledger.transaction() as uow:
            event = append_event(uow, saved.TYPE, saved.SCHEMA_VERSION, payload)
            records.record_saved(uow, saved, event.hlc)
        found = self.get(customer_id)
        assert found is not None
        return found


def _in_words(error: EventPayloadError) -> str:
    text = str(error)
    return {"name is required": "Type the customer's name"}.get(text, text[:1].upper() + text[1:])
