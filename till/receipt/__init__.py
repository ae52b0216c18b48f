"""Receipts: rendered to ESC/POS bytes (python-escpos) and plain text, printed through a transport."""

from .model import Receipt, ReceiptLine
from .printing import PrintQueue, PrintResult, ReceiptPrinter
from .render import ReceiptLayout, render_escpos, render_text
from .transports import (
    FilePrinter,
    NetworkPrinter,
    NoPrinter,
    PrinterError,
    PrinterTransport,
    printer_from_spec,
)

__all__ = [
    "FilePrinter", "NetworkPrinter", "NoPrinter", "PrintQueue", "PrintResult", "PrinterError",
    "PrinterTransport", "Receipt", "ReceiptLayout", "ReceiptLine", "ReceiptPrinter", "printer_from_spec",
    "render_escpos", "render_text",
]
