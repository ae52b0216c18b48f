"""The gift card tables of the ledger (V11): every query and write of them."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from shared.gift_card_events import GiftCardPosted

from ..ledger.ledger import UnitOfWork


@dataclass(frozen=True, slots=True)
class HeldCard:
    """A card as this till knows it: HQ's balance plus its own postings HQ had not counted."""

    card_number: str
    kind: str
    currency: str
    customer_id: str
    balance_minor: int


# One row per card known from HQ or from this till's own postings (a card sold here, not yet
# synced), with the known balance (shared.gift_cards.known_balance, in SQL).
_CARD = """
    SELECT :n AS card_number,
           coalesce(g.kind, p.kind) AS kind, coalesce(g.currency, p.currency) AS currency,
           coalesce(nullif(g.customer_id, ''), p.customer_id, '') AS customer_id,
           coalesce(g.hq_balance, 0) + coalesce((SELECT sum(l.delta_minor) FROM gift_card_postings l
               WHERE l.card_number = :n AND l.seq > coalesce(g.hq_counted_seq, 0)), 0) AS balance,
           g.card_number IS NOT NULL OR p.card_number IS NOT NULL AS known
    FROM (SELECT 1) LEFT JOIN gift_cards g ON g.card_number = :n
    LEFT JOIN (SELECT * FROM gift_card_postings WHERE card_number = :n ORDER BY seq LIMIT 1) p
           ON 1
"""


def held_card(conn: sqlite3.Connection, card_number: str) -> HeldCard | None:
    row = conn.execute(_CARD, {"n": card_number}).fetchone()
    if not row["known"]:
        return None
    return HeldCard(card_number, row["kind"], row["currency"], row["customer_id"], row["balance"])


def record_posting(uow: UnitOfWork, posted: GiftCardPosted, seq: int) -> None:
    uow.execute("INSERT INTO gift_card_postings (seq, card_number, kind, currency, customer_id, "
                "delta_minor, reason, sale_id, return_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (seq, posted.card_number, posted.card_kind, posted.currency, posted.customer_id,
                 posted.delta_minor, posted.reason, posted.sale_id, posted.return_id))


def apply_gift_card(uow: UnitOfWork, data: dict[str, Any], device_id: str) -> None:
    """A `gift_card` change from HQ: its balance, and how many of this till's postings it counts."""
    counted = int((data.get("counted_seq") or {}).get(device_id, 0))
    uow.execute(
        "INSERT INTO gift_cards (card_number, kind, currency, customer_id, hq_balance, "
        "hq_counted_seq) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (card_number) DO UPDATE SET "
        "kind = excluded.kind, currency = excluded.currency, customer_id = excluded.customer_id, "
        "hq_balance = excluded.hq_balance, hq_counted_seq = excluded.hq_counted_seq",
        (str(data["card_number"]), str(data.get("kind") or "gift_card"),
         str(data.get("currency") or ""), str(data.get("customer_id") or ""),
         int(data.get("balance_minor") or 0), counted))

