"""Scripted customer facts for HQ tests: a till saves customers and posts points."""

from __future__ import annotations

import httpx

from shared.customer_events import CustomerSaved, LoyaltyPosted
from shared.ids import new_id


def save_customer(till, name: str, phone: str = "", email: str = "", customer_id: str | None = None):  # noqa: ANN001, ANN201
    saved = CustomerSaved(customer_id or new_id(), till.store_id, name, phone, email, saved_by="Ana")
    return till.record(CustomerSaved.TYPE, 1, saved.to_payload())


def post_points(till, customer_id: str, delta: int, reason: str = "", receipt_no: str = ""):  # noqa: ANN001, ANN201
    reason = reason or ("earn" if delta > 0 else "redeem")
    posted = LoyaltyPosted(customer_id, till.store_id, delta, reason, receipt_no=receipt_no)
    return till.record(LoyaltyPosted.TYPE, 1, posted.to_payload())


def customer_changes(till, cursor: int = 0) -> list[dict]:  # noqa: ANN001
    reply = till.pull(cursor=cursor)
    assert reply.status_code == 200, reply.text
    return [c["data"] for c in reply.json()["changes"] if c["kind"] == "customer"]


def get_json(hq_server, path: str, headers: dict) -> dict:  # noqa: ANN001
    reply = httpx.get(f"{hq_server.url}{path}", headers=headers)
    assert reply.status_code == 200, reply.text
    return reply.json()
