"""Small view helpers shared by the till's screens."""

from __future__ import annotations

from .qt import QFont

MESSAGE_COLOURS = {"info": "#1f2937", "success": "#166534", "error": "#b91c1c"}


def font(points: int, bold: bool = False) -> QFont:
    f = QFont()
    f.setPointSize(points)
    f.setBold(bold)
    return f
