"""Where a till keeps its files inside its data folder."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_DATA_DIR = ".tilldata"


def default_data_dir() -> Path:
    return Path(os.environ.get("TILL_DATA") or DEFAULT_DATA_DIR)


def ledger_path(data_dir: Path) -> Path:
    return Path(data_dir) / "ledger.sqlite3"


def credential_path(data_dir: Path) -> Path:
    return Path(data_dir) / "credential.json"
