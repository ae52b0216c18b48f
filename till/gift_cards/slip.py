"""The store-credit note a return prints: the whole card number as text and as a CODE128 barcode
(scanned to pay later), the balance, and the return it came from.

The note is the customer's only copy of the number, so unlike a sale receipt it is not masked.
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass
from datetime import datetime

from escpos.printer import Dummy

from shared.money import Money

from ..receipt.render import CODE_PAGE, WIDTH


@dataclass(frozen=True, slots=True)
class CreditNote:
    store_name: str
    card_number: str
    credited: Money
    balance: Money
    receipt_no: str  # the sale returned ("" without a receipt)
    issued_at: datetime
    customer: bool = False  # credited to the customer's account rather than a new note


def note_lines(note: CreditNote, width: int = WIDTH) -> list[str]:
    number = " ".join(note.card_number[i:i + 4] for i in range(0, len(note.card_number), 4))
    title = "STORE CREDIT ACCOUNT" if note.customer else "STORE CREDIT"
    return [note.store_name.center(width), title.center(width), "-" * width,
            f"Card:     {number}", f"Credited: {note.credited}", f"Balance:  {note.balance}",
            *([f"Return of receipt {note.receipt_no}"] if note.receipt_no else []),
            f"Date:     {note.issued_at:%Y-%m-%d %H:%M}", "-" * width,
            "Pays at any of our stores: scan this note or", "type the card number at the till."]


def render_note_text(note: CreditNote) -> str:
    return "\n".join(note_lines(note)) + "\n"


def render_note_escpos(note: CreditNote) -> bytes:
    printer = Dummy()
    printer.hw("INIT")
    printer.charcode(CODE_PAGE)
    for text in note_lines(note):
        printer.textln(text)
    with contextlib.redirect_stdout(io.StringIO()):  # python-escpos chats on stdout
        printer.barcode("{B" + note.card_number, "CODE128", function_type="B")
    printer.cut(mode="PART")
    return printer.output
