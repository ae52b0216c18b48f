"""Small view helpers shared by the till's screens."""

from __future__ import annotations

from collections.abc import Iterable

from .qt import QFont, QFormLayout, QLabel, QWidget

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


def labelled_fields(rows: Iterable[tuple[str, QWidget]], size: int = 16) -> QFormLayout:
    """Fields with a visible label on their left: a placeholder alone vanishes once someone types.

    Each label is its field's buddy, so Alt + the letter after "&" in its text focuses the field
    and screen readers name the field by the label. Hide a row with `setRowVisible(field, on)`.
    An empty text puts the widget across the whole row (a line of information, not a field).
    """
    form = QFormLayout()
    form.setContentsMargins(0, 0, 0, 0)  # in line with the page's other widgets, in a box or not
    for text, field in rows:
        if not text:
            form.addRow(field)
            continue
        label = QLabel(text, font=font(size))
        label.setBuddy(field)
        form.addRow(label, field)
    return form


def align_labels(*forms: QFormLayout) -> None:
    """Forms stacked on one page (a table between them) start their fields at the same x."""
    labels = [item.widget() for form in forms for row in range(form.rowCount())
              if (item := form.itemAt(row, QFormLayout.LabelRole)) is not None]
    width = max((label.sizeHint().width() for label in labels), default=0)
    for label in labels:
        label.setMinimumWidth(width)
