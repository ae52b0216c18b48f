"""The device settings screen: renders `SettingsScreenState`, forwards edits, tests and Save.

One row of fields per device with its Test button; each field's objectName is its form key
(e.g. "printer.address"), so tests find it. Ctrl+S saves, Esc goes back to the sale.
"""

from __future__ import annotations

from ..devices.settings_form import BAUDS, DRAWER_VIAS, PRINTER_KINDS
from .qt import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QKeyEvent,
    QLabel,
    QLineEdit,
    QPushButton,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
)
from .settings_presenter import SettingsPresenter, SettingsScreenState
from .widgets import font, show_message

TICK_MS = 300
CHOICES = {"printer.kind": PRINTER_KINDS, "printer.paper_mm": ("58", "80"),
           "drawer.via": DRAWER_VIAS, "drawer.pin": ("2", "5")}
TERMINATOR_CHOICES = ("cr", "lf", "crlf", "tab")


class SettingsPage(QWidget):
    def __init__(self, presenter: SettingsPresenter) -> None:
        super().__init__()
        self.presenter, self._version = presenter, -1
        self.fields: dict[str, QLineEdit | QComboBox] = {}
        self.test_buttons: dict[str, QPushButton] = {}
        self.title = QLabel("Device settings", font=font(26, bold=True))
        self.devices_label = QLabel(font=font(13), objectName="deviceStates", wordWrap=True)
        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        self.message_label = QLabel(font=font(16), wordWrap=True, objectName="settingsMessage")
        self.save_button = QPushButton("Save (Ctrl+S)", font=font(16, bold=True))
        self.close_button = QPushButton("Back to the sale (Esc)", font=font(16))
        self.save_button.clicked.connect(presenter.save)
        self.close_button.clicked.connect(presenter.close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        column = QVBoxLayout(self)
        for widget in (self.title, self.devices_label, self.grid_host, self.message_label):
            column.addWidget(widget)
        column.addLayout(buttons)
        column.addStretch(1)
        self._timer = QTimer(self)
        self._timer.timeout.connect(presenter.tick)
        presenter.subscribe(self.render)

    # --- building the form -------------------------------------------------------------------

    def _rebuild(self, state: SettingsScreenState) -> None:
        while self.grid.count():
            self.grid.takeAt(0).widget().deleteLater()
        self.fields, self.test_buttons = {}, {}
        rows = [("Printer", [("kind", "printer.kind"), ("address", "printer.address"),
                             ("baud (serial)", "printer.baud"), ("paper mm", "printer.paper_mm"),
                             ("chars/line", "printer.chars_per_line"),
                             ("code page", "printer.code_page")], "printer", "Print test page")]
        for i in state.scanner_rows:
            rows.append((f"Scanner {i + 1}" if state.form[f"scanner.{i}.port"] else "Add scanner",
                         [("serial port", f"scanner.{i}.port"), ("baud", f"scanner.{i}.baud"),
                          ("terminator", f"scanner.{i}.terminator"),
                          ("prefix", f"scanner.{i}.prefix"), ("suffix", f"scanner.{i}.suffix")],
                         "scanner" if i == 0 else "", "Wait for a scan"))
        rows += [("Cash drawer", [("wired via", "drawer.via"), ("pin", "drawer.pin"),
                                  ("serial port", "drawer.port")], "drawer", "Open drawer"),
                 ("Pole display", [("serial port", "display.port"), ("baud", "display.baud")],
                  "display", "Show “TillHQ test”"),
                 ("Customer screen", [("screen no. (blank: none)", "customer_screen.screen")],
                  "", "")]
        for r, (name, fields, test, label) in enumerate(rows):
            self._row(r, name, fields, test, label, state)
        self.grid.activate()  # lay the new fields out now, not on the next event loop turn
        self.layout().activate()

    def _row(self, row: int, name: str, fields: list[tuple[str, str]], test: str, label: str,
             state: SettingsScreenState) -> None:
        """Name | captioned fields (addresses and ports wider) | Test button."""
        self.grid.addWidget(QLabel(name, font=font(14, bold=True)), row, 0)
        cells = QWidget()
        line = QHBoxLayout(cells)
        line.setContentsMargins(0, 0, 0, 0)
        for caption, key in fields:
            self.fields[key] = self._field(key, state.form.get(key, ""))
            cell = QVBoxLayout()
            label = QLabel(caption, font=font(10))
            label.setBuddy(self.fields[key])  # screen readers name the field by its caption
            cell.addWidget(label)
            cell.addWidget(self.fields[key])
            line.addLayout(cell, 3 if key.endswith(("address", "port")) else 1)
        line.addStretch(max(0, 8 - len(fields)))
        self.grid.addWidget(cells, row, 1)
        if test:
            button = QPushButton(label, font=font(13), objectName=f"test.{test}")
            button.clicked.connect(lambda _=False, t=test: self.presenter.test(t))
            self.test_buttons[test] = button
            self.grid.addWidget(button, row, 2, Qt.AlignBottom)

    def _field(self, key: str, value: str) -> QLineEdit | QComboBox:
        choices = CHOICES.get(key) or (TERMINATOR_CHOICES if key.endswith(".terminator") else ())
        if key.endswith("baud"):
            choices = tuple(str(b) for b in BAUDS)
        if choices:
            box = QComboBox(objectName=key, font=font(13))
            box.addItems(list(choices) if value in choices else [*choices, value])
            box.setCurrentText(value)
            box.currentTextChanged.connect(lambda text, k=key: self.presenter.edit(k, text))
            return box
        edit = QLineEdit(value, objectName=key, font=font(13))
        edit.textChanged.connect(lambda text, k=key: self.presenter.edit(k, text))
        return edit

    # --- rendering and keys ------------------------------------------------------------------

    def render(self, state: SettingsScreenState) -> None:
        if state.mode and not self._timer.isActive():
            self._timer.start(TICK_MS)
        elif not state.mode:
            self._timer.stop()
        if state.form_version != self._version and state.mode:
            self._version = state.form_version
            self._rebuild(state)
        self.devices_label.setText("\n".join([*state.devices, *state.problems]))
        if "scanner" in self.test_buttons:
            self.test_buttons["scanner"].setText(
                "Waiting for a scan…" if state.waiting_for_scan else "Wait for a scan")
        show_message(self.message_label, state.message, state.message_kind)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key_Escape:
            self.presenter.close()
        elif event.key() == Qt.Key_S and event.modifiers() & Qt.ControlModifier:
            self.presenter.save()
        else:
            super().keyPressEvent(event)

    def focus(self) -> None:
        first = self.fields.get("printer.kind")
        (first or self.save_button).setFocus()
