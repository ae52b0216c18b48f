"""Park a basket to serve the next customer; recall it later, also after a restart.

A parked basket keeps its lines at the prices they had when parked, with any approved price
overrides and discounts (and their pending approval records, journaled with the sale when it
completes). If HQ repriced or deactivated a product meanwhile, recall keeps the parked price and
says so: the customer was quoted it.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from shared.gift_cards import is_gift_card_line
from shared.ids import new_id
from shared.money import Money
from shared.override_events import OverrideRecorded

from ..ledger import Ledger
from ..ledger.parked import insert_parked, parked_rows, product_now, take_parked
from .basket import Basket, BasketLine
from .errors import SaleError
from .product import Product


@dataclass(frozen=True, slots=True)
class ParkedSale:
    park_id: str
    parked_at: datetime  # local time
    cashier: str
    item_count: int
    total: Money

    def describe(self) -> str:
        when = f"{self.parked_at:%H:%M}" if self.parked_at.date() == datetime.now().date() \
            else f"{self.parked_at:%d %b %H:%M}"  # parked on an earlier day: say which
        return (f"{when}  {self.cashier}  {self.item_count} item"
                f"{'' if self.item_count == 1 else 's'}  {self.total}")


def _line_data(line: BasketLine) -> dict[str, Any]:
    p = line.product
    return {"product_id": p.product_id, "sku": p.sku, "name": p.name, "tax_class": p.tax_class,
            "price_minor": p.price.minor, "quantity": line.quantity,
            "override_minor": None if line.price_override is None else line.price_override.minor,
            "override": line.override}


def basket_to_json(basket: Basket) -> str:
    return json.dumps({"sale_id": basket.sale_id, "customer_id": basket.customer_id,
                       "lines": [_line_data(line) for line in basket.lines],
                       "overrides": [asdict(o) for o in basket.overrides]})


def basket_from_json(text: str, currency: str) -> Basket:
    data = json.loads(text)
    basket = Basket(currency)
    basket.sale_id = data["sale_id"]
    basket.customer_id = data.get("customer_id", "")  # absent in baskets parked before customers
    for ln in data["lines"]:
        product = Product(ln["product_id"], ln["sku"], ln["name"],
                          Money(ln["price_minor"], currency), ln["tax_class"])
        override = None if ln["override_minor"] is None else Money(ln["override_minor"], currency)
        basket.lines.append(BasketLine(product, ln["quantity"], override, ln["override"]))
    basket.overrides = [OverrideRecorded.from_payload(o) for o in data["overrides"]]
    return basket


class ParkingService:
    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger

    def park(self, basket: Basket, cashier: str) -> ParkedSale:
        if basket.is_empty():
            raise SaleError("Nothing to park — the basket is empty")
        park_id, now_ms, total = new_id(), time.time_ns() // 1_000_000, basket.total
        with self._ledger.transaction() as uow:
            insert_parked(uow, park_id, now_ms, cashier, basket.item_count, total.minor,
                          total.currency, basket_to_json(basket))
        return ParkedSale(park_id, _local(now_ms), cashier, basket.item_count, total)

    def parked(self) -> list[ParkedSale]:
        return [ParkedSale(r["park_id"], _local(r["parked_at_ms"]), r["cashier"], r["item_count"],
                           Money(r["total_minor"], r["currency"]))
                for r in parked_rows(self._ledger.connection())]

    def recall(self, park_id: str, currency: str) -> tuple[Basket, list[str]]:
        """The parked basket, gone from the list; notes name lines whose product HQ changed."""
        with self._ledger.transaction() as uow:
            row = take_parked(uow, park_id)
            if row is None:
                raise SaleError("That parked sale was already recalled")
            basket = basket_from_json(row["basket"], currency)
            notes = [note for line in basket.lines
                     if (note := _changed_since(uow.conn, line.product))]
        return basket, notes


def _changed_since(conn: Any, product: Product) -> str:
    if is_gift_card_line(product.product_id):  # a card load, not a catalogue product
        return ""
    now = product_now(conn, product.product_id)
    if now is None or not now["active"]:
        return (f"{product.name} is no longer sold (HQ deactivated it) — "
                f"kept at the parked price {product.price}")
    if now["price_minor"] != product.price.minor:
        current = Money(now["price_minor"], product.price.currency)
        return f"{product.name} now costs {current} — kept at the parked price {product.price}"
    return ""


def _local(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000).astimezone()
