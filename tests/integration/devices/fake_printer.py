"""One fake ESC/POS network printer (raw port 9100) on 127.0.0.1 for every device test.

It answers DLE EOT n real-time status queries with the recorded status byte for n, keeps every
byte received (`received`) and, per connection that sent more than status queries, the job's
bytes (`jobs`). `accepting = False` makes it take connections and say nothing (a printer that
hangs); closing it and opening one on the same `port` is a printer switched off and on.
"""

from __future__ import annotations

import socket
import threading

DLE_EOT = b"\x10\x04"
STATUS_OK = {1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12}  # online, no error, paper present, cover shut


class FakeNetworkPrinter:
    def __init__(self, statuses: dict[int, int] | None = None, port: int = 0) -> None:
        self.statuses = dict(STATUS_OK if statuses is None else statuses)
        self.received = bytearray()
        self.jobs: list[bytes] = []
        self.accepting = True
        self._server = socket.create_server(("127.0.0.1", port))
        self._server.settimeout(0.05)
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
                if self.accepting:
                    self._answer(conn)

    def _answer(self, conn: socket.socket) -> None:
        conn.settimeout(0.05)
        got, pending = b"", b""
        while not self._stop.is_set():
            try:
                chunk = conn.recv(4096)
            except TimeoutError:
                continue
            except OSError:
                break
            if not chunk:
                break
            got += chunk
            self.received += chunk
            pending += chunk
            while (i := pending.find(DLE_EOT)) >= 0 and len(pending) > i + 2:
                n = pending[i + 2]
                if n in self.statuses:
                    conn.sendall(bytes([self.statuses[n]]))
                pending = pending[i + 3:]
        if got and not (got.startswith(DLE_EOT) and len(got) % 3 == 0):
            self.jobs.append(got)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self._server.close()
