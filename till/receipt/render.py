"""Render a receipt as ESC/POS bytes and as the same receipt in plain text.

The bytes are built on python-escpos's `Dummy` printer, which only collects what would be sent.
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass

from escpos.printer import Dummy

from .model import Receipt

WIDTH = 42  # characters per line in font A on 80 mm paper
# CP858 is CP850 plus "€" (0xD5); ESC t 19 selects it on Epson-compatible printers. We force it
# rather than let python-escpos guess per character, so every receipt uses one known table.
CODE_PAGE = "CP858"


@dataclass(frozen=True, slots=True)
class ReceiptLayout:
    """Paper width in characters (32 on 58 mm paper, 42 on 80 mm) and the printer code page."""

    width: int = WIDTH
    code_page: str = CODE_PAGE

    def check(self) -> None:
        """Raise ValueError if python-escpos does not know the code page."""
        try:
            Dummy().charcode(self.code_page)
        except Exception as exc:
            raise ValueError(f"unknown code page {self.code_page!r} ({exc})") from None


DEFAULT_LAYOUT = ReceiptLayout()


def _columns(left: str, right: str, width: int = WIDTH) -> str:
    room = width - len(right) - 1
    return f"{left[:room]:<{room}} {right}"


TENDER_LABELS = {"cash": "Cash", "card": "Card", "ewallet": "E-wallet"}


def _tender_lines(receipt: Receipt, width: int = WIDTH) -> list[str]:
    """One line per tender; an all-cash sale keeps the familiar "Cash tendered" line."""
    if all(t.kind == "cash" for t in receipt.tenders):
        return [_columns("Cash tendered", receipt.tendered.format(), width)]
    lines = []
    for t in receipt.tenders:
        label = TENDER_LABELS.get(t.kind, t.kind)
        lines.append(_columns(f"{label} {t.reference}".strip(), t.amount.format(), width))
    return lines


def _body(receipt: Receipt, width: int = WIDTH) -> tuple[list[str], list[str]]:
    """(line items, totals block) as fixed-width text lines shared by both renderings."""
    items: list[str] = []
    for ln in receipt.lines:
        items.append(_columns(f"{ln.quantity} x {ln.name}", ln.total.format(), width))
        if ln.quantity > 1:
            items.append(f"    @ {ln.unit_price.format()} each")
    totals = [
        *_tender_lines(receipt, width),
        _columns("Change", receipt.change.format(), width),
        "",
        f"Cashier: {receipt.cashier}",
        f"Receipt: {receipt.receipt_no}",
        f"Date:    {receipt.completed_at:%Y-%m-%d %H:%M}",
    ]
    return items, totals


TRAINING_BANNER = "*** TRAINING - NOT A SALE ***"


def _training(receipt: Receipt, width: int) -> list[str]:
    return [TRAINING_BANNER.center(width)] if receipt.training else []


def render_text(receipt: Receipt, layout: ReceiptLayout = DEFAULT_LAYOUT) -> str:
    width = layout.width
    items, totals = _body(receipt, width)
    rule = "-" * width
    out = [*_training(receipt, width), receipt.store_name.center(width),
           f"Store {receipt.store_code}".center(width), rule, *items, rule,
           _columns("TOTAL", receipt.total.format(), width), *totals, *_training(receipt, width)]
    return "\n".join(out) + "\n"


def render_escpos(receipt: Receipt, layout: ReceiptLayout = DEFAULT_LAYOUT) -> bytes:
    width = layout.width
    printer = Dummy()
    printer.hw("INIT")  # ESC @ resets the printer, including the code page, so it comes first
    printer.charcode(layout.code_page)
    printer.set(align="center", bold=True, double_height=True)
    for text in _training(receipt, width):
        printer.textln(text.strip())
    printer.textln(receipt.store_name)
    printer.set(normal_textsize=True, bold=False)
    printer.textln(f"Store {receipt.store_code}")
    printer.set(align="left")
    items, totals = _body(receipt, width)
    printer.textln("-" * width)
    for text in items:
        printer.textln(text)
    printer.textln("-" * width)
    printer.set(bold=True)
    printer.textln(_columns("TOTAL", receipt.total.format(), width))
    printer.set(bold=False)
    for text in totals:
        printer.textln(text)
    for text in _training(receipt, width):
        printer.set(align="center", bold=True)
        printer.textln(text.strip())
        printer.set(align="left", bold=False)
    # python-escpos announces its barcode renderer on stdout; keep the till's console clean.
    with contextlib.redirect_stdout(io.StringIO()):
        # "{B" selects CODE128 code set B (letters, digits, dashes) for the whole receipt number.
        printer.barcode("{B" + receipt.receipt_no, "CODE128", function_type="B")
    printer.cut()
    return printer.output
