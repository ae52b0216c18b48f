"""The shift panel: renders `ShiftScreenState`, forwards Enter / Esc to `ShiftPresenter`.

One page, four modes: open (float by amount or by denomination), movement (paid in / paid out /
drop with a reason), close (blind count by denomination) and report (X or Z text). Every field
has a visible label (Alt+M movement, Alt+A amount, Alt+R reason); each count field's label is its
denomination.
"""

from __future__ import annotations

from .qt import (
    QComboBox,
    QGridLayout,
    QKeyEvent,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    Qt,
    QVBoxLayout,
    QWidget,
)
from .shift_presenter import MOVEMENTS, ShiftPresenter, ShiftScreenState
from .widgets import font, labelled_fields, show_message

AMOUNT_LABELS = {"open": "Float &amount", "close": "Cash &amount counted"}


class ShiftPage(QWidget):
    def __init__(self, presenter: ShiftPresenter) -> None:
        super().__init__()
        self.presenter = presenter
        self._mode = ""
        self._build()
        presenter.subscribe(self.render)

    def _build(self) -> None:
        self.title = QLabel(font=font(26, bold=True))
        self.shift_line = QLabel(font=font(14))
        self.amount_input = QLineEdit(objectName="shiftAmount", font=font(20))
        self.amount_input.setPlaceholderText("e.g. 150.00")
        self.kind_input = QComboBox(font=font(18))
        for kind, label in MOVEMENTS:
            self.kind_input.addItem(label, kind)
        self.reason_input = QLineEdit(objectName="shiftReason", font=font(18))
        self.reason_input.setPlaceholderText("e.g. window cleaner")
        self.form = labelled_fields((("&Movement", self.kind_input), ("&Amount", self.amount_input),
                                     ("&Reason", self.reason_input)), size=18)
        self.pieces: dict[str, QLineEdit] = {}
        self.count_grid = QWidget()
        grid = QGridLayout(self.count_grid)
        for i, (key, label) in enumerate(self.presenter.state.denominations):
            field = QLineEdit(objectName=f"pieces{key}", font=font(16))
            field.setPlaceholderText("pieces")
            field.returnPressed.connect(self._submit)
            self.pieces[key] = field
            denomination = QLabel(label, font=font(16))
            denomination.setBuddy(field)  # screen readers name the field by its denomination
            grid.addWidget(denomination, i // 3, (i % 3) * 2)
            grid.addWidget(field, i // 3, (i % 3) * 2 + 1)
        self.report_view = QPlainTextEdit(readOnly=True, font=font(13))
        self.report_view.setStyleSheet("font-family: monospace;")
        self.message_label = QLabel(font=font(16), wordWrap=True)
        column = QVBoxLayout(self)
        column.addWidget(self.title)
        column.addWidget(self.shift_line)
        column.addLayout(self.form)
        for widget in (self.count_grid, self.report_view, self.message_label):
            column.addWidget(widget, 8 if widget is self.report_view else 0)  # a report reads whole
        column.addStretch(1)
        self.amount_input.returnPressed.connect(self._submit)
        self.reason_input.returnPressed.connect(self._submit)

    # --- intents -------------------------------------------------------------------------------

    def _submit(self) -> None:
        mode, p = self._mode, self.presenter
        pieces = {key: field.text() for key, field in self.pieces.items()}
        if mode == "open":
            p.submit_float(self.amount_input.text(), pieces)
        elif mode == "movement":
            p.submit_movement(self.kind_input.currentData(), self.amount_input.text(),
                              self.reason_input.text())
        elif mode == "close":
            p.submit_count(pieces, self.amount_input.text())
        else:
            p.close_panel()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Esc only: a line edit passes its Enter on to us after submitting, so Enter must not close.
        if event.key() == Qt.Key_Escape:
            self.presenter.close_panel()
        else:
            super().keyPressEvent(event)

    # --- rendering -----------------------------------------------------------------------------

    def render(self, state: ShiftScreenState) -> None:
        if state.mode != self._mode:
            self._mode = state.mode
            self._reset(state)
        self.title.setText(state.title)
        self.shift_line.setText(state.shift_line)
        self.report_view.setPlainText(state.report_text)
        show_message(self.message_label, state.message, state.message_kind)

    def _reset(self, state: ShiftScreenState) -> None:
        """A new mode starts with empty fields; the close count never shows an amount to copy."""
        mode, counting = state.mode, bool(self.pieces)
        for field in (self.amount_input, self.reason_input, *self.pieces.values()):
            field.clear()
        self.form.setRowVisible(self.kind_input, mode == "movement")
        self.form.setRowVisible(self.reason_input, mode == "movement")
        self.form.setRowVisible(self.amount_input, mode == "movement" or (
            mode in ("open", "close") and (mode == "open" or not counting)))
        self.form.labelForField(self.amount_input).setText(AMOUNT_LABELS.get(mode, "&Amount"))
        self.count_grid.setVisible(mode in ("open", "close") and counting)
        self.report_view.setVisible(mode == "report")
        if mode == "movement":
            self.kind_input.setFocus()
        elif mode in ("open", "close"):
            first = next(iter(self.pieces.values()), None)
            (self.amount_input if mode == "open" or first is None else first).setFocus()
        else:
            self.setFocus()

    def focus(self) -> None:
        self._reset(self.presenter.state)
