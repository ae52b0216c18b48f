"""The returned half of an exchange on the new sale's receipt: what came back, and the net.

The sale's own lines, total and tenders print as for any sale; this block adds the lines taken
back (negative), their total, the net to pay or to refund, and where a refund went.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from shared.money import Money
from shared.override_events import ReturnCompleted

from .model import ReceiptLine, ReceiptTender

EXCHANGE = "exchange"  # the tender / refund kind carrying the returned value across
REASONS = {"damaged": "damaged", "wrong_item": "wrong item", "changed_mind": "changed mind",
           "faulty": "faulty"}


@dataclass(frozen=True, slots=True)
class ExchangeBlock:
    from_receipt_no: str  # "" for goods back without a receipt
    lines: tuple[ReceiptLine, ...]  # as returned: positive here, printed negative
    returned_total: Money
    net: Money  # the sale's total less what came back; below zero the customer got money back
    refunds: tuple[ReceiptTender, ...] = ()  # where the money back went (card, cash)

    @classmethod
    def from_return(cls, ret: ReturnCompleted, sale_total_minor: int) -> ExchangeBlock:
        cur = ret.currency
        lines = tuple(ReceiptLine(ln.quantity, f"{ln.name} ({REASONS.get(ln.reason, ln.reason)})",
                                  Money(ln.unit_price_minor, cur), Money(ln.refund_minor(), cur))
                      for ln in ret.lines)
        refunds = tuple(ReceiptTender(r.kind, Money(r.amount_minor, cur), r.reference)
                        for r in ret.refunds if r.kind != EXCHANGE)
        return cls(ret.original_receipt_no, lines, Money(ret.total_minor, cur),
                   Money(sale_total_minor - ret.total_minor, cur), refunds)


def exchange_lines(block: ExchangeBlock | None, width: int, columns: Callable[[str, str, int], str],
                   labels: dict[str, str]) -> list[str]:
    """Printed under TOTAL: the lines back, their total, and NET TO PAY / NET REFUND."""
    if block is None:
        return []
    head = f"Returned (receipt {block.from_receipt_no})" if block.from_receipt_no \
        else "Returned (no receipt)"
    out = [head[:width]]
    for ln in block.lines:
        out.append(columns(f"-{ln.quantity} x {ln.name}", f"-{ln.total.format()}", width))
    out.append(columns("Returned total", f"-{block.returned_total.format()}", width))
    if block.net.minor >= 0:
        out.append(columns("NET TO PAY", block.net.format(), width))
    else:
        out.append(columns("NET REFUND", Money(-block.net.minor, block.net.currency).format(), width))
    for r in block.refunds:
        name = f"Refund {labels.get(r.kind, r.kind)} {r.reference}".strip()
        out.append(columns(name, r.amount.format(), width))
    return out
