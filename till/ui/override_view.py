"""The supervisor-override panel: renders `OverrideScreenState`, Enter submits, Esc goes back.

Each field has a visible label (a placeholder vanishes once the supervisor types): Alt+N / Alt+D
the new price or the discount, Alt+R the reason, Alt+S the supervisor's PIN or badge.
"""

from __future__ import annotations

from .override_presenter import OverridePresenter, OverrideScreenState
from .qt import QKeyEvent, QLabel, QLineEdit, Qt, QVBoxLayout, QWidget
from .widgets import font, labelled_fields, show_message


class OverridePage(QWidget):
    def __init__(self, presenter: OverridePresenter) -> None:
        super().__init__()
        self.presenter, self._mode = presenter, ""
        self.title = QLabel(font=font(26, bold=True))
        self.line_label = QLabel(font=font(16))
        self.value_input = QLineEdit(objectName="overrideValue", font=font(20))
        self.reason_input = QLineEdit(objectName="overrideReason", font=font(18))
        self.reason_input.setPlaceholderText("e.g. shelf label wrong")
        self.code_input = QLineEdit(objectName="overrideCode", font=font(20))
        self.code_input.setProperty("acceptsScans", True)  # badge/receipt scans type here
        self.code_input.setEchoMode(QLineEdit.Password)  # a PIN or a badge: never on screen
        self.code_input.setPlaceholderText("type the PIN or scan the badge")
        self.message_label = QLabel(font=font(16), wordWrap=True)
        self.form = labelled_fields((("&Value", self.value_input), ("&Reason", self.reason_input),
                                     ("&Supervisor PIN or badge", self.code_input)), size=18)
        column = QVBoxLayout(self)
        column.addWidget(self.title)
        column.addWidget(self.line_label)
        column.addLayout(self.form)
        column.addWidget(self.message_label)
        column.addStretch(1)
        for field in (self.value_input, self.reason_input, self.code_input):
            field.returnPressed.connect(self._submit)
        presenter.subscribe(self.render)

    def _submit(self) -> None:
        if not self.presenter.submit(self.value_input.text(), self.reason_input.text(),
                                     self.code_input.text()):
            self.code_input.clear()  # a refused PIN is typed again, not edited

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key_Escape:
            self.presenter.close()
        else:
            super().keyPressEvent(event)

    def render(self, state: OverrideScreenState) -> None:
        if state.mode != self._mode:
            self._mode = state.mode
            self.focus()
        self.title.setText(state.title)
        self.line_label.setText(state.line_text)
        show_message(self.message_label, state.message, state.message_kind)

    def focus(self) -> None:
        s = self.presenter.state
        for field in (self.value_input, self.reason_input, self.code_input):
            field.clear()
        self.form.setRowVisible(self.value_input, bool(s.value_label))
        self.form.labelForField(self.value_input).setText(f"&{s.value_label}")
        self.value_input.setPlaceholderText(s.value_hint)
        self.form.setRowVisible(self.reason_input, s.needs_reason)
        first = self.value_input if s.value_label else (
            self.reason_input if s.needs_reason else self.code_input)
        first.setFocus()
