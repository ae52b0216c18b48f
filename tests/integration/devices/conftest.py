"""Real byte streams for device tests: a pseudo-terminal (serial) and a TCP fake printer."""

from __future__ import annotations

import os
import select
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
