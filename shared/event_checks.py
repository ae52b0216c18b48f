"""Checks shared by the typed journal events (kept apart so event modules never import each other)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import MISSING, asdict, fields, is_dataclass
from typing import Any, ClassVar


class EventPayloadError(ValueError):
    pass


def require_int(name: str, value: Any, *, minimum: int | None = None) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise EventPayloadError(f"{name} must be an integer, got {value!r}")
    if minimum is not None and value < minimum:
        raise EventPayloadError(f"{name} must be >= {minimum}, got {value}")
    return value


def require_text(name: str, value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise EventPayloadError(f"{name} is required")
    return value


class JournalFact:
    """`to_payload` / `from_payload` for a frozen dataclass journal event, written once.

    `NESTED` names the list fields whose items are dataclasses of their own (sale lines,
    tenders, refunds), so a payload read back from JSON becomes typed again. Every payload is
    validated on the way out and on the way in.
    """

    __slots__ = ()
    TYPE: ClassVar[str]
    NESTED: ClassVar[dict[str, Any]] = {}

    def validate(self) -> None:  # each event states its own rules
        raise NotImplementedError

    def to_payload(self) -> dict[str, Any]:
        self.validate()
        return asdict(self)  # type: ignore[call-overload]

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> Any:
        try:
            event = _maker(cls)(payload)
        except (_NotPlain, KeyError, TypeError):  # the constructor says what is wrong, in words
            event = cls._construct(payload)
        try:
            event.validate()
        except EventPayloadError:
            raise
        except (TypeError, ValueError, AttributeError, KeyError) as exc:  # a check tripped on a
            # value of the wrong type (a list for a currency, text for a count): malformed too
            raise EventPayloadError(f"malformed {cls.TYPE} payload: {exc}") from None
        return event

    @classmethod
    def _construct(cls, payload: dict[str, Any]) -> Any:
        try:
            data = dict(payload)
            for name, item in cls.NESTED.items():
                if name in data:  # a list added in a later schema is absent from older payloads
                    data[name] = [item(**value) for value in data[name]]
            return cls(**data)
        except (KeyError, TypeError, ValueError) as exc:  # ValueError: dict() of a string
            raise EventPayloadError(f"malformed {cls.TYPE} payload: {exc}") from None


class _NotPlain(Exception):
    """A payload (or nested item) that is not a dict of the class's own field names."""


_MAKERS: dict[type, Callable[[Any], Any]] = {}


def _maker(cls: type) -> Callable[[Any], Any]:
    """`cls` made from a plain payload, as `cls(**payload)` makes it (nested items typed too),
    without its frozen __init__: that sets each field through object.__setattr__ and took most
    of the time HQ spends reading a pushed sale (~4 µs a line). Anything but a dict of the
    class's own field names raises, and the caller then uses the constructor, which names the
    fault exactly as before."""
    maker = _MAKERS.get(cls)
    if maker is None:
        maker = _MAKERS[cls] = _compile_maker(cls, getattr(cls, "NESTED", {}))
    return maker


def _compile_maker(cls: type, nested: dict[str, Any]) -> Callable[[Any], Any]:
    if (not is_dataclass(cls) or "__slots__" not in cls.__dict__ or hasattr(cls, "__post_init__")
            or not all(f.init for f in fields(cls))):
        def construct(payload: Any) -> Any:
            if type(payload) is not dict:
                raise _NotPlain
            return cls(**payload)
        return construct
    names = frozenset(f.name for f in fields(cls))
    env: dict[str, Any] = {"_new": object.__new__, "_cls": cls, "_MISSING": MISSING,
                           "_NotPlain": _NotPlain, "_names": names}
    body = []
    for i, f in enumerate(fields(cls)):
        env[f"_set{i}"] = getattr(cls, f.name).__set__  # the slot itself, past the frozen guard
        if f.default is not MISSING:
            env[f"_dflt{i}"] = f.default
            value = f"d.get({f.name!r}, _dflt{i})"
        elif f.default_factory is not MISSING:
            env[f"_fact{i}"] = f.default_factory
            body.append(f"    v{i} = d.get({f.name!r}, _MISSING)")
            value = f"_fact{i}() if v{i} is _MISSING else v{i}"
        else:
            value = f"d[{f.name!r}]"
        if f.name in nested:
            env[f"_item{i}"] = _maker(nested[f.name])
            value = f"[_item{i}(x) for x in ({value})]"
        body.append(f"    _set{i}(o, {value})")
    source = ("def make(d):\n"
              "    if type(d) is not dict or not d.keys() <= _names:\n        raise _NotPlain\n"
              "    o = _new(_cls)\n" + "\n".join(body) + "\n    return o\n")
    exec(source, env)  # noqa: S102 - generated from the dataclass's own field list
    return env["make"]
