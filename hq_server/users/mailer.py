"""Outgoing mail behind a tiny interface: SMTP from settings, an in-memory fake for tests.

Settings (environment): HQ_SMTP_HOST (unset: no mail is sent, a warning is logged),
HQ_SMTP_PORT (587), HQ_SMTP_USER, HQ_SMTP_PASSWORD, HQ_SMTP_FROM, HQ_SMTP_STARTTLS (1).
"""

from __future__ import annotations

import logging
import os
import smtplib
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Protocol

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Mail:
    to: str
    subject: str
    body: str


class Mailer(Protocol):
    def send(self, mail: Mail) -> None: ...


@dataclass
class MemoryMailer:
    """Keeps what it was asked to send (tests read `sent`)."""

    sent: list[Mail] = field(default_factory=list)

    def send(self, mail: Mail) -> None:
        self.sent.append(mail)


class NoMailer:
    """No SMTP configured: say so in the log (never the message, which carries a secret)."""

    def send(self, mail: Mail) -> None:
        log.warning("no SMTP server configured (HQ_SMTP_HOST); mail %r to %s not sent",
                    mail.subject, mail.to)


@dataclass(frozen=True, slots=True)
class SmtpMailer:
    host: str
    port: int = 587
    user: str | None = None
    password: str | None = None
    sender: str = "tillhq@localhost"
    starttls: bool = True

    def send(self, mail: Mail) -> None:
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = self.sender, mail.to, mail.subject
        message.set_content(mail.body)
        with smtplib.SMTP(self.host, self.port, timeout=15) as smtp:
            if self.starttls:
                smtp.starttls()
            if self.user:
                smtp.login(self.user, self.password or "")
            smtp.send_message(message)


def mailer_from_env(env: dict[str, str] | None = None) -> Mailer:
    env = dict(os.environ) if env is None else env
    if not (host := env.get("HQ_SMTP_HOST")):
        return NoMailer()
    return SmtpMailer(host=host, port=int(env.get("HQ_SMTP_PORT", "587")),
                      user=env.get("HQ_SMTP_USER"), password=env.get("HQ_SMTP_PASSWORD"),
                      sender=env.get("HQ_SMTP_FROM", "tillhq@localhost"),
                      starttls=env.get("HQ_SMTP_STARTTLS", "1") not in ("0", "false", "no"))
