"""Sales at chosen times, by chosen cashiers, pushed through the real sync API."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from shared.events import SaleCompleted, SaleLine, Tender
from shared.ids import new_id
from shared.override_events import OverrideRecorded, Refund, ReturnCompleted, ReturnLine
from tests.integration.hq.helpers import ScriptedTill


def at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), UTC)


def today() -> date:
    return datetime.now(UTC).date()


def days_ago(n: int) -> date:
    return today() - timedelta(days=n)


def sell_at(till: ScriptedTill, when: datetime, cashier: str, *lines: tuple[Any, int]) -> None:
    """Journal one sale completed at `when` (the till's clock) by `cashier`."""
    till._receipts += 1
    sale_lines = [SaleLine(i, str(p.id), p.sku, p.name, qty, p.price_minor, p.price_minor * qty)
                  for i, (p, qty) in enumerate(lines, start=1)]
    total = sum(line.line_total_minor for line in sale_lines)
    sale = SaleCompleted(sale_id=new_id(), store_id=till.store_id,
                         receipt_no=f"R{till._receipts:06d}", cashier=cashier,
                         currency=till.currency, lines=sale_lines, total_minor=total,
                         tenders=[Tender("card", total)], change_minor=0,
                         completed_at_ms=int(when.timestamp() * 1000))
    till.record(SaleCompleted.TYPE, SaleCompleted.SCHEMA_VERSION, sale.to_payload())


def record_override(till: ScriptedTill, when: datetime, action: str, requested_by: str,
                    approved_by: str) -> None:
    override = OverrideRecorded(override_id=new_id(), store_id=till.store_id, action=action,
                                requested_by=requested_by, approved_by=approved_by,
                                reason="test", recorded_at_ms=int(when.timestamp() * 1000))
    till.record(OverrideRecorded.TYPE, OverrideRecorded.SCHEMA_VERSION, override.to_payload())


def record_return(till: ScriptedTill, when: datetime, cashier: str, product: Any, quantity: int) -> None:
    """A damaged item brought back (not restocked) without its receipt."""
    line = ReturnLine(product_id=str(product.id), sku=product.sku, name=product.name,
                      quantity=quantity, unit_price_minor=product.price_minor,
                      line_total_minor=product.price_minor * quantity, reason="damaged", restock=False)
    total = line.line_total_minor
    ret = ReturnCompleted(return_id=new_id(), store_id=till.store_id, original_sale_id="",
                          original_receipt_no="", lines=[line], total_minor=total,
                          refunds=[Refund("cash", total)], shift_id="", cashier=cashier,
                          currency=till.currency, completed_at_ms=int(when.timestamp() * 1000))
    till.record(ReturnCompleted.TYPE, ReturnCompleted.SCHEMA_VERSION, ret.to_payload())
