"""The printer test page: what a supervisor checks at the counter after setting a printer up.

A ruler exactly `chars_per_line` wide shows whether the paper width is right (it must fill one
line, not wrap); the euro sign shows whether the code page is right; the cut at the end shows
the cutter works. Rendered with python-escpos like the receipts, so it takes the same path.
"""

from __future__ import annotations

from datetime import datetime

from ..receipt.render import CUT_MODES
from .config import PrinterConfig

TITLE = "TillHQ test page"


def ruler(width: int) -> str:
    """'1234567890123…' cut to `width`: the last digit sits in the last printable column."""
    return ("1234567890" * (width // 10 + 1))[:width]


def test_page_lines(config: PrinterConfig, printer: str, when: datetime) -> list[str]:
    width = config.chars_per_line
    return [TITLE, f"Printer: {printer}",
            f"Paper {config.paper_mm} mm, {width} characters per line", ruler(width),
            f"Code page {config.code_page}: € £ é ü ß", f"Printed {when:%Y-%m-%d %H:%M}",
            "If you can read this, printing works."]


def test_page_bytes(config: PrinterConfig, printer: str, when: datetime | None = None) -> bytes:
    from escpos.printer import Dummy  # python-escpos, only when a test page is asked for

    out = Dummy()
    out.hw("INIT")  # ESC @ first: it resets the code page too
    out.charcode(config.code_page)
    lines = test_page_lines(config, printer, when or datetime.now().astimezone())
    out.set(align="center", bold=True, double_height=True)
    out.textln(lines[0])
    out.set(align="left", bold=False, normal_textsize=True)
    for line in lines[1:]:
        out.textln(line)
    out.cut(mode=CUT_MODES[config.cut])  # ESC d 6 (feed past the cutter), then GS V 1 or 0
    return out.output


test_page_bytes.__test__ = False  # type: ignore[attr-defined]  # not a pytest test
test_page_lines.__test__ = False  # type: ignore[attr-defined]
