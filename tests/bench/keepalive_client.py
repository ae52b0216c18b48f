"""A lean load generator: HTTP/1.1 GETs over a fixed set of keep-alive connections (asyncio).

A rate benchmark must cost far less than the server it loads, on the same cores. httpx spent
more CPU per request than HQ did (at 200 requests a second its process took most of a core,
both HQ workers a few per cent), so its own queue was what the latencies measured. This writes
each request as bytes and reads the status line, the headers and a Content-Length body; a
connection the server closed while idle is reopened and the request sent again (GETs only).
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit


class ReplyError(Exception):
    pass


class KeepAliveClient:
    def __init__(self, base_url: str, headers: dict[str, str], connections: int) -> None:
        parts = urlsplit(base_url)
        self.host, self.port, self.prefix = parts.hostname, parts.port or 80, parts.path.rstrip("/")
        self.head = "".join(f"{k}: {v}\r\n" for k, v in {"Host": f"{self.host}:{self.port}",
                                                         **headers}.items())
        self.connections = connections
        self._idle: asyncio.Queue = asyncio.Queue()

    async def __aenter__(self) -> KeepAliveClient:
        for _ in range(self.connections):
            self._idle.put_nowait(await self._open())
        return self

    async def __aexit__(self, *_: object) -> None:
        while not self._idle.empty():
            connection = self._idle.get_nowait()
            if connection is not None:
                connection[1].close()

    async def get(self, path: str) -> tuple[int, bytes]:
        """(status, body); a free connection is waited for (that wait counts as latency)."""
        connection = await self._idle.get()
        try:
            connection = connection or await self._open()
            try:
                reply = await self._exchange(connection, path)
            except (ConnectionError, asyncio.IncompleteReadError):  # closed while idle
                connection[1].close()
                connection = await self._open()
                reply = await self._exchange(connection, path)
        except BaseException:  # timed out (cancelled) or broken mid-reply: its state is unknown
            if connection is not None:
                connection[1].close()
            self._idle.put_nowait(None)  # the next request opens a fresh one
            raise
        self._idle.put_nowait(connection)
        return reply

    async def _open(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        return await asyncio.open_connection(self.host, self.port)

    async def _exchange(self, connection: tuple[asyncio.StreamReader, asyncio.StreamWriter],
                        path: str) -> tuple[int, bytes]:
        reader, writer = connection
        writer.write(f"GET {self.prefix}{path} HTTP/1.1\r\n{self.head}\r\n".encode())
        await writer.drain()
        status_line = await reader.readline()
        if not status_line:
            raise ConnectionResetError("the server closed the connection")
        length = None
        while (line := await reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            if name.lower() == "content-length":
                length = int(value)
            elif name.lower() == "transfer-encoding":
                raise ReplyError(f"{path}: chunked replies are not read here")
        if length is None:
            raise ReplyError(f"{path}: no Content-Length")
        return int(status_line.split()[1]), await reader.readexactly(length)
