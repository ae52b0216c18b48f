"""A tiny stand-in for HQ's sync API on 127.0.0.1 (a real HTTP server in a thread).

It holds each device's chain like HQ does (duplicates are no-ops, gaps are refused with the
expected seq), serves a change log for pull, and can fail, refuse or go away on demand.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

from shared.journal import GENESIS_HASH, ChainError, JournalEvent, verify_link
from shared.wire import Change


class FakeHQ:
    def __init__(self, token: str = "test-token") -> None:
        self.token = token
        self.events: list[JournalEvent] = []
        self.batches: list[list[int]] = []
        self.changes: list[Change] = []
        self.fail_with: int | None = None  # e.g. 500: answer every request with this status
        self.refuse: dict[str, Any] | None = None  # a SyncError body to answer pushes with (409)
        self.enrol_answer: dict[str, Any] | None = None
        self.enrol_requests: list[dict[str, Any]] = []
        self._lock = threading.Condition()
        self._server: ThreadingHTTPServer | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def acked_seq(self) -> int:
        return self.events[-1].seq if self.events else 0

    def start(self) -> FakeHQ:
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), _handler(self))
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()
        return self

    def stop(self) -> None:
        """An outage: the port stops answering (connection refused) until start() again."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def add_changes(self, *changes: Change) -> None:
        with self._lock:
            self.changes.extend(changes)
            self._lock.notify_all()

    def push(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        events = [JournalEvent.from_dict(e) for e in body["events"]]
        with self._lock:
            self.batches.append([e.seq for e in events])
            applied = duplicates = 0
            for event in events:
                if event.seq <= self.acked_seq:
                    held = self.events[event.seq - 1]
                    if held.hash != event.hash:
                        return 409, {"error": "conflicting_event", "message": "seq reused"}
                    duplicates += 1
                    continue
                last_hash = self.events[-1].hash if self.events else GENESIS_HASH
                try:
                    verify_link(event, device_id=event.device_id, last_seq=self.acked_seq,
                                last_hash=last_hash)
                except ChainError as exc:
                    return 409, {"error": exc.code, "message": str(exc),
                                 "expected_seq": exc.expected_seq}
                self.events.append(event)
                applied += 1
            return 200, {"acked_seq": self.acked_seq, "applied": applied, "duplicates": duplicates}

    def pull(self, cursor: int, limit: int, wait: float) -> dict[str, Any]:
        with self._lock:
            if not any(c.cursor > cursor for c in self.changes) and wait > 0:
                self._lock.wait(min(wait, 2.0))
            after = [c for c in self.changes if c.cursor > cursor]
            page = after[:limit]
            return {"changes": [c.model_dump() for c in page],
                    "next_cursor": page[-1].cursor if page else cursor,
                    "has_more": len(after) > limit}


def _handler(hq: FakeHQ) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # keep test output quiet
            pass

        def _send(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _authorised(self) -> bool:
            if self.headers.get("Authorization") == f"Bearer {hq.token}":
                return True
            self._send(401, {"error": "unknown_device", "message": "bad token"})
            return False

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])) or b"{}")
            if hq.fail_with:
                return self._send(hq.fail_with, {"detail": "HQ is having a bad day"})
            if self.path == "/api/v1/enrol":
                hq.enrol_requests.append(body)
                if hq.enrol_answer is None:
                    return self._send(403, {"detail": "unknown or used enrolment code"})
                return self._send(200, hq.enrol_answer)
            if not self._authorised():
                return None
            if hq.refuse is not None:
                return self._send(409, hq.refuse)
            return self._send(*hq.push(body))

        def do_GET(self) -> None:
            if hq.fail_with:
                return self._send(hq.fail_with, {"detail": "HQ is having a bad day"})
            if not self._authorised():
                return None
            query = {k: v[0] for k, v in parse_qs(urlparse(self.path).query).items()}
            self._send(200, hq.pull(int(query.get("cursor", 0)), int(query.get("limit", 500)),
                                    float(query.get("wait", 0))))

    return Handler
