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


_PLAIN = (str, int, bool, type(None))


def _is_clean(value: Any) -> bool:
    """The same rules as `_check`, without building paths: the hot path of every hash (ingest)."""
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is dict:
            if not all(type(key) is str for key in item):
                return False
            stack.extend(item.values())
        elif kind is list or kind is tuple:
            stack.extend(item)
        elif kind is float or not isinstance(item, _PLAIN):
            return False
    return True


def canonical_bytes(value: Any, *, plain: bool = False) -> bytes:
    """`plain`: the caller vouches that `value` is already clean (e.g. parsed from JSON with
    floats refused: see shared.wire.PushRequest.from_body), so it is not walked again."""
    if not plain and not _is_clean(value):
        _check(value, "")  # raises, naming where the bad value is
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
