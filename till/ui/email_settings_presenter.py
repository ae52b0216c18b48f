"""The mail server settings screen's logic, without widgets (Ctrl+Shift+E from the sale screen).

Only a supervisor or manager opens it. The password is never shown: its field starts blank and a
blank field keeps the saved password. Save checks the form, writes email.json and hands the new
settings to the sender, which then tries every waiting receipt at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..email import EmailWorker, save_smtp_settings
from ..email.settings import Form, form_from_settings, settings_from_form
from .screen_presenter import ScreenPresenter

ROLES = ("supervisor", "manager")


@dataclass(slots=True)
class EmailSettingsState:
    mode: str = ""  # "" hidden | "settings"
    form: Form = field(default_factory=dict)
    password_saved: bool = False  # the view says "saved — leave blank to keep"
    form_version: int = 0
    message: str = ""
    message_kind: str = "info"


class EmailSettingsPresenter(ScreenPresenter[EmailSettingsState]):
    def __init__(self, data_dir: Path, worker: EmailWorker, host: Any) -> None:
        self._data_dir, self.worker, self._host = Path(data_dir), worker, host
        super().__init__(EmailSettingsState())

    def open(self) -> bool:
        session = self._host.session
        if session is None:
            return self._host._fail("Sign in first")
        if session.role not in ROLES:
            return self._host._fail(f"Email settings are for a supervisor or manager — "
                                    f"{session.name} is a {session.role}")
        self.state.mode = "settings"
        self._load_form()
        return self._render("Type the shop's mail server (from your email provider) and Save")

    def edit(self, key: str, value: str) -> None:
        self.state.form[key] = value

    def save(self) -> bool:
        session = self._host.session
        if session is None or session.role not in ROLES:
            self.close()
            return False
        settings, errors = settings_from_form(self.state.form, self.worker.settings)
        if errors:
            return self._render("Not saved: " + "; ".join(errors), "error")
        try:
            save_smtp_settings(self._data_dir, settings)
        except OSError as exc:
            return self._render(f"Not saved: cannot write the settings file ({exc})", "error")
        self.worker.set_settings(settings)
        self._load_form()
        what = (f"receipts go through {settings.describe()}; waiting ones are being sent now"
                if settings.configured else "no mail server: emailed receipts wait until one is set")
        return self._render(f"Saved — {what}", "success")

    def close(self) -> None:
        self.state.mode = ""
        self._render("")

    def _load_form(self) -> None:
        self.state.form = form_from_settings(self.worker.settings)
        self.state.password_saved = bool(self.worker.settings.password)
        self.state.form_version += 1
