"""Till users pulled from HQ (merge rule 6: HQ owns them; the newest HQ version wins here)."""

from __future__ import annotations

import sqlite3
from typing import Any

from .ledger import UnitOfWork


def apply_till_user(uow: UnitOfWork, data: dict[str, Any], store_id: str) -> None:
    """Keep users of this store and of every store (store_id null); forget ones moved elsewhere."""
    if data.get("store_id") not in (None, store_id):
        uow.execute("DELETE FROM till_users WHERE user_id = ?", (data["user_id"],))
        return
    uow.execute(
        "INSERT INTO till_users (user_id, store_id, name, role, pin_hash, badge_hash, "
        "max_discount_bp, active) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE "
        "SET store_id = excluded.store_id, name = excluded.name, role = excluded.role, "
        "pin_hash = excluded.pin_hash, badge_hash = excluded.badge_hash, "
        "max_discount_bp = excluded.max_discount_bp, active = excluded.active",
        (data["user_id"], data.get("store_id"), data["name"], data["role"], data["pin_hash"],
         (data.get("badge_hash") or None), int(data.get("max_discount_bp") or 0),
         1 if data.get("active", True) else 0))


_USER = "SELECT user_id, name, role, pin_hash, max_discount_bp FROM till_users WHERE active = 1"


def active_users(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    return conn.execute(f"{_USER} ORDER BY name COLLATE NOCASE").fetchall()


def user_by_id(conn: sqlite3.Connection, user_id: str) -> sqlite3.Row | None:
    return conn.execute(f"{_USER} AND user_id = ?", (user_id,)).fetchone()


def user_by_badge(conn: sqlite3.Connection, badge_hash: str) -> sqlite3.Row | None:
    return conn.execute(f"{_USER} AND badge_hash = ?", (badge_hash,)).fetchone()
