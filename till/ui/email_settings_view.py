"""The mail server settings screen: renders `EmailSettingsState`, forwards edits and Save.

Each field's objectName is its form key prefixed "smtp." (e.g. "smtp.host"). The password field
echoes dots and starts blank. Ctrl+S saves, Esc goes back to the sale.
"""

from __future__ import annotations

from ..email import SECURITY_MODES
from .email_settings_presenter import EmailSettingsPresenter, EmailSettingsState
from .qt import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QKeyEvent,
    QLabel,
    QLineEdit,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
)
from .widgets import font, show_message

FIELDS = (("Mail server (SMTP host)", "host"), ("Port", "port"), ("Security", "security"),
          ("User name (blank: none)", "username"), ("Password", "password"),
          ("From address", "from_address"))


class EmailSettingsPage(QWidget):
    def __init__(self, presenter: EmailSettingsPresenter) -> None:
        super().__init__()
        self.presenter, self._version = presenter, -1
        self.fields: dict[str, QLineEdit | QComboBox] = {}
        grid = QGridLayout()
        for row, (caption, key) in enumerate(FIELDS):
            self.fields[key] = self._field(key)
            label = QLabel(caption, font=font(14))
            label.setBuddy(self.fields[key])  # screen readers name the field by its caption
            grid.addWidget(label, row, 0)
            grid.addWidget(self.fields[key], row, 1)
        self.message_label = QLabel(font=font(16), wordWrap=True, objectName="smtpMessage")
        self.save_button = QPushButton("Save (Ctrl+S)", font=font(16, bold=True))
        self.close_button = QPushButton("Back to the sale (Esc)", font=font(16))
        self.save_button.clicked.connect(presenter.save)
        self.close_button.clicked.connect(presenter.close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        column = QVBoxLayout(self)
        column.addWidget(QLabel("Email receipts — mail server", font=font(26, bold=True)))
        column.addLayout(grid)
        column.addLayout(buttons)
        column.addWidget(self.message_label)
        column.addStretch(1)
        presenter.subscribe(self.render)

    def _field(self, key: str) -> QLineEdit | QComboBox:
        if key == "security":
            box = QComboBox(objectName="smtp.security", font=font(14))
            box.addItems(list(SECURITY_MODES))
            box.currentTextChanged.connect(lambda text: self.presenter.edit("security", text))
            return box
        edit = QLineEdit(objectName=f"smtp.{key}", font=font(14))
        if key == "password":
            edit.setEchoMode(QLineEdit.EchoMode.Password)  # never shown at the counter
        edit.textChanged.connect(lambda text, k=key: self.presenter.edit(k, text))
        return edit

    def render(self, state: EmailSettingsState) -> None:
        if state.form_version != self._version and state.mode:
            self._version = state.form_version
            for key, widget in self.fields.items():
                value = state.form.get(key, "")
                widget.blockSignals(True)  # filling the form is not an edit
                if isinstance(widget, QComboBox):
                    widget.setCurrentText(value)
                else:
                    widget.setText(value)
                widget.blockSignals(False)
            password = self.fields["password"]
            assert isinstance(password, QLineEdit)
            password.setPlaceholderText("saved — leave blank to keep" if state.password_saved
                                        else "")
        show_message(self.message_label, state.message, state.message_kind)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key_Escape:
            self.presenter.close()
        elif event.key() == Qt.Key_S and event.modifiers() & Qt.ControlModifier:
            self.presenter.save()
        else:
            super().keyPressEvent(event)

    def focus(self) -> None:
        self.fields["host"].setFocus()
