"""Canonical JSON encoding: the bytes that journal hashes are computed over.

Sorted keys, no insignificant whitespace, UTF-8. Floats are refused: money and quantities are
integers, and a float's text form is not stable across languages.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any


class CanonicalError(ValueError):
    pass


def _check(value: Any, path: str) -> None:
    if isinstance(value, float):
        raise CanonicalError(f"float at {path or '<root>'}: use integer minor units")
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise CanonicalError(f"non-string key {key!r} at {path or '<root>'}")
            _check(item, f"{path}.{key}")
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            _check(item, f"{path}[{i}]")
    elif value is not None and not isinstance(value, str | int | bool):
        raise CanonicalError(f"unsupported {type(value).__name__} at {path or '<root>'}")


def canonical_bytes(value: Any) -> bytes:
    _check(value, "")
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
