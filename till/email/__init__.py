"""Digital receipts by email: an outbox in the ledger, SMTP settings, and a sender thread.

Queueing commits a row (receipt rendered then) in one local transaction; the worker thread sends
due rows with smtplib and retries with backoff while the mail server cannot be reached.
"""

from .address import InvalidAddress, check_address
from .service import EmailError, EmailReceipts, OutboxCounts, QueuedEmail
from .settings import SECURITY_MODES, SmtpSettings, load_smtp_settings, save_smtp_settings
from .worker import EmailWorker

__all__ = [
    "SECURITY_MODES", "EmailError", "EmailReceipts", "EmailWorker", "InvalidAddress", "OutboxCounts",
    "QueuedEmail", "SmtpSettings", "check_address", "load_smtp_settings", "save_smtp_settings",
]
