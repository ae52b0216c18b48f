"""A 2x20 customer (pole) display with the ESC/POS-compatible command set (Epson DM-D):
CLR 0x0C clears, HOM 0x0B homes the cursor, US $ x y moves it. Characters it cannot show are
transliterated (é → e) or replaced visibly with '?'; every line is exactly 20 characters."""

from __future__ import annotations

import unicodedata

from .transports import ByteTransport

WIDTH = 20
INIT = b"\x1b@"  # ESC @
CLEAR = b"\x0c"  # CLR
HOME = b"\x0b"  # HOM
LINE_2 = b"\x1f$\x01\x02"  # US $ 1 2: column 1, row 2
SPELLED = {"€": "EUR", "£": "GBP", "ß": "ss", "Æ": "AE", "æ": "ae", "Ø": "O", "ø": "o",
           "Œ": "OE", "œ": "oe", "Ł": "L", "ł": "l", "–": "-", "—": "-", "‘": "'", "’": "'",
           "“": '"', "”": '"', "×": "x", "…": "..."}


def to_display(text: str) -> str:
    """Printable ASCII only: accents dropped, a few spelled out, anything else '?'."""
    out = []
    for ch in text:
        if " " <= ch <= "~":
            out.append(ch)
        elif ch in SPELLED:
            out.append(SPELLED[ch])
        else:
            base = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode()
            out.append(base if base and base.isprintable() else "?")
    return "".join(out)


def fit(text: str, width: int = WIDTH) -> str:
    return to_display(text)[:width].ljust(width)


def columns(left: str, right: str, width: int = WIDTH) -> str:
    """`left` cut to leave room for `right`, which is never cut (prices must be whole)."""
    right = to_display(right)[:width]
    return fit(left, max(width - len(right) - 1, 0)).ljust(width - len(right)) + right


class PoleDisplay:
    """Money arrives formatted (the sale formats it once for receipt and display alike)."""

    def __init__(self, transport: ByteTransport) -> None:
        self.transport = transport

    def initialise(self) -> None:
        self.transport.write(INIT + CLEAR)

    def show(self, line1: str, line2: str = "") -> None:
        self.transport.write(CLEAR + HOME + fit(line1).encode("ascii") + LINE_2
                             + fit(line2).encode("ascii"))

    def show_item(self, name: str, price: str, quantity: int = 1) -> None:
        self.show(name, columns(f"{quantity} x" if quantity != 1 else "", price))

    def show_total(self, total: str) -> None:
        self.show(columns("TOTAL", total), "")

    def show_change(self, paid: str, change: str) -> None:
        self.show(columns("PAID", paid), columns("CHANGE", change))

    def clear(self) -> None:
        self.transport.write(CLEAR)
