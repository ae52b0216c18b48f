"""Serve an ASGI app with uvicorn in a background thread (tests, demos)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import uvicorn

from hq_server.db.embedded import free_port


def serve_in_thread(app: Any, host: str = "127.0.0.1", *, port: int | None = None,
                    timeout: float = 20.0) -> tuple[str, Callable[[], None]]:
    """Start `app` on `port` (default: a free one); returns (base url, stop).

    `stop` waits for a clean exit. Passing the port of a stopped server restarts HQ "in place",
    as tills enrolled against that URL expect.
    """
    port = port or free_port(host)
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on",
                            timeout_graceful_shutdown=5, ws_ping_interval=None)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            raise RuntimeError(f"uvicorn did not start on {host}:{port}")
        time.sleep(0.02)

    def stop() -> None:
        server.should_exit = True
        thread.join(timeout=15)
        if thread.is_alive():
            server.force_exit = True
            thread.join(timeout=5)

    return f"http://{host}:{port}", stop
