"""Byte transports for devices that talk back: open, close, write, read.

`RecordingTransport` is the fake: it keeps every byte written and answers scripted replies,
so protocol code is tested on exact bytes.
"""

from __future__ import annotations

import socket
from collections.abc import Mapping
from typing import Protocol


class DeviceError(OSError):
    """The device could not be reached or did not answer; the message says what to check."""


class ByteTransport(Protocol):
    def open(self) -> None: ...
    def close(self) -> None: ...
    def write(self, data: bytes) -> None: ...
    def read(self, size: int, timeout: float) -> bytes: ...  # fewer bytes (maybe b"") on timeout


class TcpTransport:
    """A raw-port (9100) network printer kept open for a request and its answer."""

    def __init__(self, host: str, port: int = 9100, timeout: float = 3.0) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self._sock: socket.socket | None = None

    def open(self) -> None:
        try:
            self._sock = socket.create_connection((self.host, self.port), timeout=self.timeout)
        except OSError as exc:
            raise DeviceError(f"{self.host}:{self.port} is unreachable ({exc.strerror or exc})") from exc

    def close(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None

    def write(self, data: bytes) -> None:
        self._require().sendall(data)

    def read(self, size: int, timeout: float) -> bytes:
        sock = self._require()
        sock.settimeout(timeout)
        try:
            return sock.recv(size)
        except TimeoutError:
            return b""

    def _require(self) -> socket.socket:
        if self._sock is None:
            raise DeviceError(f"{self.host}:{self.port} is not open")
        return self._sock

    def __repr__(self) -> str:
        return f"tcp:{self.host}:{self.port}"


class SerialTransport:
    """A serial port (pole display, serial printer or drawer); pyserial imported on open."""

    def __init__(self, port: str, baud: int = 9600) -> None:
        self.port, self.baud = port, baud
        self._serial = None

    def open(self) -> None:
        import serial

        try:
            self._serial = serial.Serial(self.port, self.baud, timeout=0.5, write_timeout=2.0)
        except (OSError, serial.SerialException) as exc:
            raise DeviceError(f"serial port {self.port}: {exc}") from exc

    def close(self) -> None:
        if self._serial is not None:
            self._serial.close()
            self._serial = None

    def write(self, data: bytes) -> None:
        self._require().write(data)
        self._require().flush()

    def read(self, size: int, timeout: float) -> bytes:
        port = self._require()
        port.timeout = timeout
        return bytes(port.read(size))

    def _require(self):  # type: ignore[no-untyped-def]
        if self._serial is None:
            raise DeviceError(f"serial port {self.port} is not open")
        return self._serial

    def __repr__(self) -> str:
        return f"serial:{self.port}"


class RecordingTransport:
    """Records writes; when a write equals a key of `replies`, its answer becomes readable."""

    def __init__(self, replies: Mapping[bytes, bytes] | None = None, *, readable: bool = True) -> None:
        self.written = bytearray()
        self.replies = dict(replies or {})
        self.readable = readable
        self.is_open = False
        self._pending = bytearray()

    def open(self) -> None:
        self.is_open = True

    def close(self) -> None:
        self.is_open = False

    def write(self, data: bytes) -> None:
        self.written += data
        if data in self.replies:
            self._pending += self.replies[data]

    def read(self, size: int, timeout: float) -> bytes:
        if not self.readable:
            raise DeviceError("this transport cannot read")
        out, self._pending = bytes(self._pending[:size]), self._pending[size:]
        return out
