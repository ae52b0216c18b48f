"""Sending one outbox row through the configured SMTP server (smtplib, standard library).

One connection per round of due rows. Errors are sorted into "the server cannot be reached or
will not take mail now" (stop the round, everything waits for the backoff) and "this one message
was refused" (the next row still goes).
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from .records import OutboxRow
from .settings import SmtpSettings


class ServerUnavailable(Exception):
    """No mail can go now (offline, refused connection, login failed): retry later."""


class MessageRefused(Exception):
    """The server took the connection but refused this message (e.g. its recipient)."""


def build_message(row: OutboxRow, settings: SmtpSettings) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = row.subject
    message["From"] = settings.from_address
    message["To"] = row.address
    message["Date"] = formatdate(localtime=True)
    # The outbox id in the Message-ID: a resend after a lost "sent" mark is recognisably the same.
    message["Message-ID"] = make_msgid(idstring=row.email_id.replace("-", ""),
                                       domain=settings.from_address.rpartition("@")[2] or None)
    message.set_content(row.body_text)
    message.add_alternative(row.body_html, subtype="html")
    return message


class SmtpSession:
    def __init__(self, smtp: smtplib.SMTP, settings: SmtpSettings) -> None:
        self._smtp, self._settings = smtp, settings

    def send(self, row: OutboxRow) -> None:
        try:
            self._smtp.send_message(build_message(row, self._settings))
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [f"{code} {msg.decode(errors='replace')}" for code, msg in exc.recipients.values()]
            raise MessageRefused(f"the mail server refused {row.address}: {'; '.join(codes)}") from exc
        except (smtplib.SMTPDataError, smtplib.SMTPSenderRefused) as exc:
            if 400 <= exc.smtp_code < 500:  # try again later, says the server
                raise ServerUnavailable(_said(exc)) from exc
            raise MessageRefused(_said(exc)) from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise ServerUnavailable(_said(exc)) from exc


@contextmanager
def smtp_session(settings: SmtpSettings) -> Iterator[SmtpSession]:
    """Connect, secure and log in; ServerUnavailable if any of that fails."""
    context = ssl.create_default_context()
    try:
        if settings.security == "ssl":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(settings.host, settings.port,
                                                  timeout=settings.timeout_s, context=context)
        else:
            smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout_s)
        try:
            if settings.security == "starttls":
                smtp.starttls(context=context)
            if settings.username:
                smtp.login(settings.username, settings.password)
        except BaseException:
            smtp.close()
            raise
    except (OSError, smtplib.SMTPException) as exc:
        raise ServerUnavailable(f"mail server {settings.describe()}: {_said(exc)}") from exc
    try:
        yield SmtpSession(smtp, settings)
    finally:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()


def _said(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) \
            else str(exc.smtp_error)
        return f"{exc.smtp_code} {text}"
    return str(exc) or type(exc).__name__
