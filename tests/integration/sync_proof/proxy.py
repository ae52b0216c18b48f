"""A tiny TCP proxy on 127.0.0.1 between a till and HQ that can cut, drop, delay and truncate.

Threads, not asyncio: the tests drive it from synchronous code. Faults act on HTTP responses
(HQ -> till), so HQ always saw the whole request: `drop` and `truncate` model "HQ committed,
the till never heard", `delay` a slow line, `cut` a partition (open connections die too).
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass


@dataclass
class Faults:
    down: bool = False  # refuse new connections (accept and close at once)
    drop_responses: int = 0  # the next N responses are swallowed and the connection closed
    truncate_responses: int = 0  # the next N responses lose their last `truncate_keep_less` bytes
    truncate_keep_less: int = 5
    delay_s: float = 0.0  # wait this long before forwarding each response


class FaultyProxy:
    def __init__(self, upstream_port: int, host: str = "127.0.0.1") -> None:
        self.upstream = (host, upstream_port)
        self.faults = Faults()
        self.dropped = self.truncated = 0
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self._listener = socket.create_server((host, 0))
        self.port = self._listener.getsockname()[1]
        self.url = f"http://{host}:{self.port}"
        self._closed = False
        threading.Thread(target=self._accept_loop, name=f"proxy-{self.port}", daemon=True).start()

    # --- control -------------------------------------------------------------------------------

    def cut(self) -> None:
        """A partition: refuse new connections and kill the open ones."""
        self.faults.down = True
        self._close_all()

    def heal(self) -> None:
        self.faults.down = False

    def close(self) -> None:
        self._closed = True
        self._listener.close()
        self._close_all()

    def _take(self, name: str) -> bool:
        with self._lock:
            if getattr(self.faults, name) > 0:
                setattr(self.faults, name, getattr(self.faults, name) - 1)
                return True
            return False

    def _close_all(self) -> None:
        with self._lock:
            sockets, self._sockets = list(self._sockets), set()
        for sock in sockets:
            _close(sock)

    # --- plumbing ------------------------------------------------------------------------------

    def _accept_loop(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if self.faults.down:
                _close(client)
                continue
            try:
                server = socket.create_connection(self.upstream, timeout=5)
                server.settimeout(None)
            except OSError:
                _close(client)
                continue
            with self._lock:
                self._sockets |= {client, server}
            threading.Thread(target=self._pipe, args=(client, server, False), daemon=True).start()
            threading.Thread(target=self._pipe, args=(server, client, True), daemon=True).start()

    def _pipe(self, source: socket.socket, target: socket.socket, is_response: bool) -> None:
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                if is_response:
                    if self.faults.delay_s:
                        time.sleep(self.faults.delay_s)
                    if self._take("drop_responses"):
                        self.dropped += 1
                        break  # HQ answered; the till hears only a closed connection
                    if self._take("truncate_responses"):
                        self.truncated += 1
                        whole = _read_whole_response(source, data)
                        target.sendall(whole[: max(1, len(whole) - self.faults.truncate_keep_less)])
                        break
                target.sendall(data)
        except OSError:
            pass
        finally:
            _close(source)
            _close(target)


def _read_whole_response(source: socket.socket, first: bytes) -> bytes:
    """Headers + Content-Length bytes of body (HQ's JSON answers are never chunked)."""
    data = first
    while b"\r\n\r\n" not in data:
        more = source.recv(65536)
        if not more:
            return data
        data += more
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        more = source.recv(65536)
        if not more:
            break
        body += more
    return head + b"\r\n\r\n" + body


def _close(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    try:
        sock.close()
    except OSError:
        pass
