"""`email.json` in the till's data folder: the mail server receipts go through. Standard library only.

Kept beside devices.json, written atomically and readable by the till's user only (it holds the
SMTP password). The settings screen never shows the password: its field starts blank and a blank
field keeps the saved one. A missing file means "not set up": receipts queue and wait.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from .address import InvalidAddress, check_address

FILE_NAME = "email.json"
SECURITY_MODES = ("starttls", "ssl", "none")
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}

Form = dict[str, str]
FORM_KEYS = ("host", "port", "security", "username", "password", "from_address")


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    host: str = ""
    port: int = 587
    security: str = "starttls"  # starttls | ssl (implicit TLS) | none (a relay on the shop's LAN)
    username: str = ""  # "" : the server takes mail without logging in
    password: str = ""
    from_address: str = ""
    timeout_s: float = 20.0

    @property
    def configured(self) -> bool:
        return bool(self.host and self.from_address)

    def describe(self) -> str:
        """For logs and the screen: never the password."""
        return f"{self.host}:{self.port} ({self.security})" if self.host else "no mail server"


def settings_path(data_dir: Path) -> Path:
    return Path(data_dir) / FILE_NAME


def load_smtp_settings(data_dir: Path) -> tuple[SmtpSettings, list[str]]:
    """The saved settings and what is wrong with the file (then: not set up, said aloud)."""
    path = settings_path(data_dir)
    if not path.exists():
        return SmtpSettings(), []
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(raw, dict):
            raise ValueError("the file must hold one JSON object")
        settings, errors = settings_from_form(form_from_raw(raw), SmtpSettings())
    except (OSError, ValueError) as exc:
        errors, settings = [str(exc)], SmtpSettings()
    if errors:
        return SmtpSettings(), [f"{FILE_NAME} ignored — {'; '.join(errors)}; email receipts wait "
                                "until it is fixed"]
    return settings, []


def save_smtp_settings(data_dir: Path, settings: SmtpSettings) -> None:
    """Write the file atomically (a crash leaves the old one), readable by this user only."""
    path = settings_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".email-", suffix=".json", dir=path.parent)
    try:
        if hasattr(os, "fchmod"):  # POSIX; on Windows the data folder's ACL protects it
            os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(asdict(settings), out, indent=2)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def form_from_raw(raw: dict[str, Any]) -> Form:
    return {key: str(raw.get(key, "") if raw.get(key) is not None else "") for key in FORM_KEYS}


def form_from_settings(settings: SmtpSettings) -> Form:
    """What the screen shows: every field but the password, which starts blank."""
    form = {key: str(getattr(settings, key)) for key in FORM_KEYS}
    form["password"] = ""
    if not settings.host:
        form["port"] = str(DEFAULT_PORTS["starttls"])
    return form


def settings_from_form(form: Form, before: SmtpSettings) -> tuple[SmtpSettings, list[str]]:
    """The settings a form means and the mistakes in it, as sentences (empty: safe to save).

    A blank password keeps the saved one; clearing the user name clears the password too.
    """
    errors: list[str] = []
    host = form.get("host", "").strip()
    security = form.get("security", "starttls").strip().lower() or "starttls"
    if security not in SECURITY_MODES:
        errors.append(f"Security is one of {', '.join(SECURITY_MODES)}, not “{security}”")
        security = "starttls"
    port_text = form.get("port", "").strip() or str(DEFAULT_PORTS[security])
    port = int(port_text) if port_text.isdigit() else 0
    if not 0 < port < 65536:
        errors.append(f"Port “{port_text}” is not a port number — usually 587 (STARTTLS), "
                      "465 (SSL) or 25")
    if any(ch.isspace() for ch in host) or host.startswith("-"):
        errors.append(f"Server “{host}” is not a host name, e.g. smtp.example.com")
    sender = form.get("from_address", "").strip()
    if host and not sender:
        errors.append("Type the From address receipts are sent from, e.g. receipts@yourshop.com")
    if sender:
        try:
            sender = check_address(sender)
        except InvalidAddress as exc:
            errors.append(f"From address: {exc}")
    username = form.get("username", "").strip()
    password = form.get("password", "") or (before.password if username else "")
    settings = replace(before, host=host, port=port, security=security, username=username,
                       password=password if username else "", from_address=sender)
    return settings, errors
