"""Talking to HQ: enrolment, the HTTP client, and the background sync agent."""

from .agent import SyncAgent, SyncStatus
from .client import HQRefused, HQUnavailable, SyncClient
from .credential import Credential, load_credential, save_credential
from .enrol import EnrolFailed, enrol

__all__ = [
    "Credential", "EnrolFailed", "HQRefused", "HQUnavailable", "SyncAgent", "SyncClient",
    "SyncStatus", "enrol", "load_credential", "save_credential",
]
