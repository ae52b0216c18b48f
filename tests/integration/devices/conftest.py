"""Real byte streams for device tests: a pseudo-terminal (serial) and a TCP fake printer."""

from __future__ import annotations

import os
import select
import socket
import threading
import time
import tty
from collections.abc import Iterator

import pytest


class Pty:
    """`path` is the serial side the device code opens; the test writes and reads `master`."""

    def __init__(self) -> None:
        self.master, self.slave = os.openpty()
        tty.setraw(self.slave)  # no line editing or CR→LF before pyserial configures the port
        self.path = os.ttyname(self.slave)

    def send(self, data: bytes) -> None:
        os.write(self.master, data)

    def receive(self, size: int, timeout: float = 2.0) -> bytes:
        out, deadline = b"", time.monotonic() + timeout
        while len(out) < size and time.monotonic() < deadline:
            if select.select([self.master], [], [], 0.05)[0]:
                out += os.read(self.master, size - len(out))
        return out

    def close(self) -> None:
        for fd in (self.master, self.slave):
            try:
                os.close(fd)
            except OSError:
                pass


@pytest.fixture
def pty_pair() -> Iterator[Pty]:
    pty = Pty()
    yield pty
    pty.close()


class FakePrinter:
    """Listens on 127.0.0.1; answers DLE EOT n with the recorded status byte for n."""

    def __init__(self, statuses: dict[int, int]) -> None:
        self.statuses = statuses
        self.received = bytearray()
        self._server = socket.create_server(("127.0.0.1", 0))
        self._server.settimeout(0.1)
        self.port = self._server.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._server.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(0.1)
                self._answer(conn)

    def _answer(self, conn: socket.socket) -> None:
        pending = b""
        while not self._stop.is_set():
            try:
                chunk = conn.recv(256)
            except TimeoutError:
                continue
            if not chunk:
                return
            self.received += chunk
            pending += chunk
            while (i := pending.find(b"\x10\x04")) >= 0 and len(pending) > i + 2:
                n = pending[i + 2]
                if n in self.statuses:
                    conn.sendall(bytes([self.statuses[n]]))
                pending = pending[i + 3:]

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self._server.close()
