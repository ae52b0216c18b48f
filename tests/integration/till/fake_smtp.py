"""A tiny SMTP server on 127.0.0.1 for the till's email tests: the world outside, faked.

Speaks just enough RFC 5321 for smtplib (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT), keeps
each message it accepted as an `email.message.EmailMessage`, and can refuse recipients by domain.
`stop()` closes the port (the server is "down"); `start()` on the same port brings it back.
"""

from __future__ import annotations

import socket
import socketserver
import threading
import time
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser


class _Handler(socketserver.StreamRequestHandler):
    server: _Server

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        self.reply("220 fake-smtp ready")
        sender, recipients = "", []
        while line := self.rfile.readline():
            command = line.decode(errors="replace").strip()
            verb = command[:4].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250-fake-smtp" if verb == "EHLO" else "250 fake-smtp")
                if verb == "EHLO":
                    self.reply("250 8BITMIME")
            elif verb == "MAIL":
                sender, recipients = command.partition(":")[2].strip(" <>"), []
                self.reply("250 OK")
            elif verb == "RCPT":
                to = command.partition(":")[2].strip(" <>")
                if to.rpartition("@")[2] in self.server.refuse_domains:
                    self.reply("550 5.1.1 no such mailbox")
                else:
                    recipients.append(to)
                    self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 end with .")
                self.server.accept(sender, recipients, self._data())
                self.reply("250 OK queued")
            elif verb in ("RSET", "NOOP"):
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("502 not implemented")

    def _data(self) -> bytes:
        lines = []
        while (line := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
            lines.append(line[1:] if line.startswith(b"..") else line)
        return b"".join(lines)


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port: int, owner: FakeSmtp) -> None:
        self.owner = owner
        self.refuse_domains = owner.refuse_domains
        super().__init__(("127.0.0.1", port), _Handler)

    def accept(self, sender: str, recipients: list[str], data: bytes) -> None:
        message = BytesParser(policy=policy.default).parsebytes(data)
        with self.owner.lock:
            self.owner.messages.append((sender, recipients, message))  # type: ignore[arg-type]
            self.owner.arrived.set()


class FakeSmtp:
    def __init__(self, port: int = 0) -> None:
        self.port = port or free_port()
        self.messages: list[tuple[str, list[str], EmailMessage]] = []
        self.refuse_domains: set[str] = set()
        self.lock = threading.Lock()
        self.arrived = threading.Event()
        self._server: _Server | None = None

    def start(self) -> FakeSmtp:
        self._server = _Server(self.port, self)
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def wait_for(self, count: int, timeout: float = 10.0) -> list[EmailMessage]:
        """The messages once `count` have arrived (AssertionError after `timeout`)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.messages) >= count:
                    return [m for _, _, m in self.messages]
            self.arrived.wait(0.05)
            self.arrived.clear()
        raise AssertionError(f"{count} message(s) expected, {len(self.messages)} arrived")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
