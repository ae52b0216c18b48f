"""Small view helpers shared by the till's screens."""

from __future__ import annotations

from .qt import QFont, QLabel

MESSAGE_COLOURS = {"info": "#1f2937", "success": "#166534", "error": "#b91c1c"}


def font(points: int, bold: bool = False) -> QFont:
    f = QFont()
    f.setPointSize(points)
    f.setBold(bold)
    return f


def show_message(label: QLabel, text: str, kind: str = "info") -> None:
    """A panel's message line, coloured by kind: info, success or error."""
    label.setText(text)
    label.setStyleSheet(f"color: {MESSAGE_COLOURS.get(kind, MESSAGE_COLOURS['info'])};")
