"""Canonical JSON encoding: the bytes that journal hashes are computed over.

Sorted keys, no insignificant whitespace, UTF-8. Floats are refused: money and quantities are
integers, and a float's text form is not stable across languages.

The definition is `json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)`
as UTF-8. HQ re-encodes every event it receives to check its hash, so it may install a faster
encoder of the same bytes (`install_fast_encoder`: hq_server.fast_canonical, about 8x faster);
shared/ itself stays pure Python. tests/unit/shared/test_canonical.py proves the bytes the same
with and without it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

# The encoder json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=False) makes, built
# once: json.dumps builds a JSONEncoder and JSONEncoder.encode a C encoder on every call (~10 % of
# a hash). Same arguments in the same order as JSONEncoder.iterencode passes them; no cycle
# markers (a value parsed from JSON has no cycles; `_is_clean` walks the others first).
_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
_C_ENCODE = json.encoder.c_make_encoder and json.encoder.c_make_encoder(
    None, _ENCODER.default, json.encoder.encode_basestring, None, ":", ",", True, False, True)


def _encode(value: Any) -> str:
    if _C_ENCODE is None or isinstance(value, str):  # no C accelerator, or a bare string
        return _ENCODER.encode(value)
    return "".join(_C_ENCODE(value, 0))


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
    if _fast is not None:
        try:
            return _fast(value)
        except TypeError:  # what it cannot write (an integer beyond 64 bits, a lone surrogate):
            pass  # the standard encoder writes it, or raises as it always did
    return _encode(value).encode()


_fast: Callable[[Any], bytes] | None = None


def install_fast_encoder(encode: Callable[[Any], bytes] | None) -> None:
    """Make canonical_bytes use `encode` (None: the standard encoder again). `encode` must write
    the very bytes of the definition above for clean values, and raise TypeError for any value it
    cannot write that way."""
    global _fast
    _fast = encode


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
