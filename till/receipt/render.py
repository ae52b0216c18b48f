"""Render a receipt as ESC/POS bytes and as the same receipt in plain text.

The bytes are built on python-escpos's `Dummy` printer, which only collects what would be sent.
Both renderings share one list of text lines, so the printed totals are the text's to the cent.
ESC/POS additions: the store logo on top (GS v 0 raster image), the receipt number as CODE128
(GS k) and as a QR code (GS ( k, printed by the printer itself) at the bottom.
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass

from escpos.printer import Dummy

from shared.money import Money
from shared.pricing import format_rate

from .exchange import exchange_lines
from .logo import paper_dots, try_load_logo
from .model import Receipt

WIDTH = 42  # characters per line in font A on 80 mm paper
# CP858 is CP850 plus "€" (0xD5); ESC t 19 selects it on Epson-compatible printers. We force it
# rather than let python-escpos guess per character, so every receipt uses one known table.
CODE_PAGE = "CP858"
# GS V 1 (partial: a tab holds the receipt until torn off) or GS V 0 (full); devices.json "cut".
CUT_MODES = {"partial": "PART", "full": "FULL"}


@dataclass(frozen=True, slots=True)
class ReceiptLayout:
    """Paper width in characters (32 on 58 mm paper, 42 on 80 mm) and the printer code page."""

    width: int = WIDTH
    code_page: str = CODE_PAGE
    logo_path: str = ""  # a PNG printed at the top; "" for none
    paper_mm: int = 0  # 58 or 80; 0: from the width (32 columns or fewer is 58 mm paper)
    cut: str = "partial"  # a key of CUT_MODES

    @property
    def dots(self) -> int:
        """Printable dots per line: a logo is never wider."""
        return paper_dots(self.paper_mm or (58 if self.width <= 32 else 80))

    def check(self) -> None:
        """Raise ValueError if python-escpos does not know the code page or the logo is unusable."""
        try:
            Dummy().charcode(self.code_page)
        except Exception as exc:
            raise ValueError(f"unknown code page {self.code_page!r} ({exc})") from None
        if self.logo_path:
            from .logo import load_logo

            load_logo(self.logo_path, self.dots)  # LogoError is a ValueError with the file's name


DEFAULT_LAYOUT = ReceiptLayout()


def _columns(left: str, right: str, width: int = WIDTH) -> str:
    room = width - len(right) - 1
    return f"{left[:room]:<{room}} {right}"


TENDER_LABELS = {"cash": "Cash", "card": "Card", "ewallet": "E-wallet", "gift_card": "Gift card",
                 "store_credit": "Store credit", "exchange": "Exchange credit"}
CARD_TENDERS = ("gift_card", "store_credit")  # their reference is a card number: print 4 digits


def _tender_lines(receipt: Receipt, width: int = WIDTH) -> list[str]:
    """One line per tender; an all-cash sale keeps the familiar "Cash tendered" line."""
    if all(t.kind == "cash" for t in receipt.tenders):
        return [_columns("Cash tendered", receipt.tendered.format(), width)]
    lines = []
    for t in receipt.tenders:
        label = TENDER_LABELS.get(t.kind, t.kind)
        reference = "****" + t.reference[-4:] if t.kind in CARD_TENDERS else t.reference
        reference = "" if t.kind == "exchange" else reference  # an id, of no use on paper
        lines.append(_columns(f"{label} {reference}".strip(), t.amount.format(), width))
    return lines


def _amount(money: Money, mark: str) -> str:
    return f"{money.format()} {mark}" if mark else money.format()


def _body(receipt: Receipt, width: int = WIDTH) -> tuple[list[str], list[str]]:
    """(line items, totals block after TOTAL) as fixed-width text lines shared by both renderings."""
    items: list[str] = []
    for ln in receipt.lines:
        name = ln.name.replace("•", "*")  # a gift card's masked number; CP858 has no bullet
        items.append(_columns(f"{ln.quantity} x {name}", _amount(ln.total, ln.tax_mark), width))
        if ln.quantity > 1:
            items.append(f"    @ {ln.unit_price.format()} each")
    totals = [
        *exchange_lines(receipt.exchange, width, _columns, TENDER_LABELS),
        *_rounding_lines(receipt, width),
        *_tender_lines(receipt, width),
        _columns("Change", receipt.change.format(), width),
        *(card[:width] for card in receipt.cards),
        *_tax_table(receipt, width),
        "",
        f"Cashier: {receipt.cashier}",
        *([f"Customer: {receipt.customer}"[:width]] if receipt.customer else []),
        f"Receipt: {receipt.receipt_no}",
        f"Date:    {receipt.completed_at:%Y-%m-%d %H:%M}",
    ]
    return items, totals


def _tax_label(tax_name: str, rate_bp: int, mark: str = "") -> str:
    return " ".join(part for part in (mark, tax_name or "Tax", format_rate(rate_bp)) if part)


def _before_total(receipt: Receipt, width: int) -> list[str]:
    """Prices before tax: the subtotal and each class's tax come before TOTAL."""
    if receipt.prices_include_tax or not receipt.taxes:
        return []
    return [_columns("Subtotal", receipt.subtotal.format(), width),
            *(_columns(_tax_label(t.name, t.rate_bp, t.mark), t.tax.format(), width)
              for t in receipt.taxes)]


def _rounding_lines(receipt: Receipt, width: int) -> list[str]:
    if not receipt.rounding:
        return []
    return [_columns("Cash rounding", receipt.rounding.format(), width),
            _columns("To pay", receipt.to_pay.format(), width)]


def _tax_table(receipt: Receipt, width: int) -> list[str]:
    """Per tax class: net, tax and gross, amounts right-aligned in columns as wide as needed."""
    if not receipt.taxes:
        return []
    cells = [[t.net.to_decimal_str(), t.tax.to_decimal_str(), t.gross.to_decimal_str()]
             for t in receipt.taxes]
    col = max(len(c) for row in [["Net", "Tax", "Gross"], *cells] for c in row)
    room = width - 3 * (col + 1)

    def row(label: str, values: list[str]) -> str:
        return f"{label[:room]:<{room}}" + "".join(f" {v:>{col}}" for v in values)

    lines = ["", row("Tax", ["Net", "Tax", "Gross"])]
    lines += [row(_tax_label(t.name, t.rate_bp, t.mark), c)
              for t, c in zip(receipt.taxes, cells, strict=True)]
    return lines


def total_line(receipt: Receipt, width: int = WIDTH) -> str:
    """The TOTAL line: what the goods cost including tax, as the till's screen shows it."""
    return _columns("TOTAL", receipt.total.format(), width)


TRAINING_BANNER = "*** TRAINING - NOT A SALE ***"


def _training(receipt: Receipt, width: int) -> list[str]:
    return [TRAINING_BANNER.center(width)] if receipt.training else []


def render_text(receipt: Receipt, layout: ReceiptLayout = DEFAULT_LAYOUT) -> str:
    width = layout.width
    items, totals = _body(receipt, width)
    rule = "-" * width
    out = [*_training(receipt, width), receipt.store_name.center(width),
           f"Store {receipt.store_code}".center(width), rule, *items, rule,
           *_before_total(receipt, width), total_line(receipt, width), *totals,
           *_training(receipt, width)]
    return "\n".join(out) + "\n"


def render_escpos(receipt: Receipt, layout: ReceiptLayout = DEFAULT_LAYOUT) -> bytes:
    width = layout.width
    printer = Dummy()
    printer.hw("INIT")  # ESC @ resets the printer, including the code page, so it comes first
    printer.charcode(layout.code_page)
    _logo(printer, layout)
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
    for text in _before_total(receipt, width):
        printer.textln(text)
    printer.set(bold=True)
    printer.textln(total_line(receipt, width))
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
    # The same number as a QR code, drawn by the printer (native GS ( k): phones read it for returns.
    printer.set(align="center")
    printer.qr(receipt.receipt_no, size=QR_DOT_SIZE, native=True)
    printer.set(align="left")
    printer.cut(mode=CUT_MODES[layout.cut])  # ESC d 6 (feed past the cutter), then GS V
    return printer.output


QR_DOT_SIZE = 4  # dots per QR module: about 11 mm square for a receipt number at 203 dpi


def _logo(printer: Dummy, layout: ReceiptLayout) -> None:
    image = try_load_logo(layout.logo_path, layout.dots) if layout.logo_path else None
    if image is None:
        return
    printer.set(align="center")
    # python-escpos says on stdout that the Dummy profile has no paper width; we sized it already.
    with contextlib.redirect_stdout(io.StringIO()):
        printer.image(image, impl="bitImageRaster")  # GS v 0, the command every ESC/POS model has
    printer.set(align="left")
