"""The device credential HQ issued at enrolment; it lives only on this PC."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from ..paths import credential_path


@dataclass(frozen=True, slots=True)
class Credential:
    device_id: str
    token: str
    hq_url: str
    store_id: str
    store_code: str
    store_name: str
    currency: str


def save_credential(data_dir: Path, credential: Credential) -> Path:
    """Write credential.json readable by this user only (0600; on Windows, the profile's ACL)."""
    path = credential_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        json.dump(asdict(credential), out, indent=2)
    os.chmod(tmp, 0o600)  # os.open's mode is masked by umask and ignored for existing files
    os.replace(tmp, path)
    return path


def load_credential(data_dir: Path) -> Credential | None:
    path = credential_path(data_dir)
    if not path.exists():
        return None
    return Credential(**json.loads(path.read_text()))


class CredentialFile:
    """The sync agent's view of credential.json: read the token, save a rotated one."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir

    def token(self) -> str | None:
        credential = load_credential(self.data_dir)
        return credential.token if credential else None

    def save_token(self, token: str) -> None:
        credential = load_credential(self.data_dir)
        if credential is None:
            raise FileNotFoundError(f"no credential in {self.data_dir}: enrol the till first")
        save_credential(self.data_dir, replace(credential, token=token))
