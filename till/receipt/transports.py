"""Where receipt bytes go: tiny transports (open, write, close), chosen by a spec string.

Specs: ``file:/dev/usb/lp0`` (or any file, appended), ``tcp:192.168.1.50:9100``, ``none``.
"""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Protocol


class PrinterError(OSError):
    """The printer could not take the receipt; the message says what to check."""


class PrinterTransport(Protocol):
    def send(self, data: bytes) -> None: ...


class FilePrinter:
    """A device node (/dev/usb/lp0, a serial port already configured) or a plain file."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def send(self, data: bytes) -> None:
        try:
            with open(self.path, "ab", buffering=0) as device:
                device.write(data)
        except OSError as exc:
            raise PrinterError(f"printer {self.path}: {exc.strerror or exc}") from exc

    def __repr__(self) -> str:
        return f"file:{self.path}"


class NetworkPrinter:
    """A network printer on raw port 9100 (one connection per receipt, so a reboot heals itself)."""

    def __init__(self, host: str, port: int = 9100, timeout: float = 5.0) -> None:
        self.host, self.port, self.timeout = host, port, timeout

    def send(self, data: bytes) -> None:
        try:
            with socket.create_connection((self.host, self.port), timeout=self.timeout) as sock:
                sock.sendall(data)
                sock.shutdown(socket.SHUT_WR)
        except OSError as exc:
            raise PrinterError(f"printer {self.host}:{self.port} is unreachable "
                               f"({exc.strerror or exc}) — is it switched on?") from exc

    def __repr__(self) -> str:
        return f"tcp:{self.host}:{self.port}"


class NoPrinter:
    def send(self, data: bytes) -> None:
        raise PrinterError("no receipt printer is configured — the receipt is kept for reprint")

    def __repr__(self) -> str:
        return "none"


def printer_from_spec(spec: str, timeout: float = 5.0) -> PrinterTransport:
    kind, _, rest = (spec or "none").strip().partition(":")
    if kind == "none":
        return NoPrinter()
    if kind == "file" and rest:
        return FilePrinter(rest)
    if kind == "tcp" and rest:
        host, _, port = rest.rpartition(":") if rest.count(":") else (rest, "", "9100")
        if port.isdigit():
            return NetworkPrinter(host, int(port), timeout)
    raise ValueError(f"unknown printer spec {spec!r}: use file:/path, tcp:host:port or none")
