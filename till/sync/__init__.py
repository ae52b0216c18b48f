"""Talking to HQ: enrolment, the HTTP client, and the background sync agent."""

from .agent import SyncAgent, SyncStatus
from .client import HQRefused, HQUnavailable, SyncClient, TillTooOld
from .credential import Credential, CredentialFile, load_credential, save_credential
from .enrol import EnrolFailed, enrol
from .rotate import rotate_credential

__all__ = [
    "Credential", "CredentialFile", "EnrolFailed", "HQRefused", "HQUnavailable", "SyncAgent",
    "SyncClient", "SyncStatus", "TillTooOld", "enrol", "load_credential", "rotate_credential",
    "save_credential",
]
