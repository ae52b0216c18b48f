"""What the transfers and counts pages share: running a domain call from a form, and reading
the product lines people type or scan ("SKU-OR-BARCODE quantity", one per line)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.orm import Session

from hq_server.auth.identity import Actor
from hq_server.dashboard import repository
from hq_server.inventory.errors import Invalid, InventoryError
from hq_server.inventory.repository import STOCK_MOVERS

T = TypeVar("T")
MAX_LINES = 500
_LINE = re.compile(r"^\s*(?P<code>[^\s,;]+)(?:[\s,;x×*]+(?P<qty>-?\d+))?\s*$")


def attempt(session: Session, work: Callable[[], T]) -> tuple[T | None, InventoryError | None]:
    """Run a domain call in a savepoint: a refusal undoes all of it and comes back in words."""
    try:
        with session.begin_nested():
            return work(), None
    except InventoryError as error:
        return None, error


def writes_at(actor: Actor, store_id: uuid.UUID) -> bool:
    """May `actor` move stock at this store (the inventory API's rule, for offering buttons)?"""
    return actor.role in STOCK_MOVERS and actor.scope.allows(store_id)


def parse_lines(session: Session, text: str, *, default_quantity: int | None = 1) -> list[tuple[str, int]]:
    """'BRU-PAD-L 5' / '4000000000046' lines -> [(SKU, quantity)] in the order typed, repeats kept
    (a barcode scanned three times is three lines of 1). Barcodes become SKUs; a line that is not
    `code [quantity]` is refused with its number."""
    rows = [line for line in text.splitlines() if line.strip()]
    if len(rows) > MAX_LINES:
        raise Invalid(f"at most {MAX_LINES} lines at a time; got {len(rows)}")
    parsed: list[tuple[str, int]] = []
    for number, line in enumerate(rows, start=1):
        match = _LINE.match(line)
        if match is None or (match["qty"] is None and default_quantity is None):
            raise Invalid(f"line {number} ({line.strip()!r}): write the SKU or barcode, then the quantity")
        parsed.append((match["code"], int(match["qty"]) if match["qty"] is not None else default_quantity))
    skus = repository.barcode_products(session, (code for code, _ in parsed))
    return [(skus.get(code, code), quantity) for code, quantity in parsed]
