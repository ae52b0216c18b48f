"""What the status bar shows per device: connected / disconnected / error, with a message."""

from __future__ import annotations

import enum
import threading
from collections.abc import Callable
from dataclasses import dataclass


class Connection(enum.Enum):
    CONNECTED = "connected"
    DISCONNECTED = "disconnected"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class DeviceState:
    device: str  # e.g. "scanner /dev/ttyACM0"
    connection: Connection
    message: str = ""

    def __str__(self) -> str:
        return f"{self.device}: {self.connection.value}" + (f" ({self.message})" if self.message else "")


StateListener = Callable[[DeviceState], None]


class StateHolder:
    """Thread-safe current state plus an optional listener told of every change (from the device
    thread: a Qt listener must hop to the UI thread itself)."""

    def __init__(self, device: str, on_state: StateListener | None = None) -> None:
        self._lock = threading.Lock()
        self._state = DeviceState(device, Connection.DISCONNECTED, "not started")
        self._on_state = on_state
        self._changed = threading.Condition(self._lock)

    @property
    def current(self) -> DeviceState:
        with self._lock:
            return self._state

    def set(self, connection: Connection, message: str = "") -> None:
        with self._lock:
            new = DeviceState(self._state.device, connection, message)
            if new == self._state:
                return
            self._state = new
            self._changed.notify_all()
        if self._on_state is not None:
            self._on_state(new)

    def wait_for(self, connection: Connection, timeout: float) -> bool:
        """Block until the device reaches `connection` (tests, start-up checks)."""
        with self._lock:
            return self._changed.wait_for(lambda: self._state.connection is connection, timeout)
