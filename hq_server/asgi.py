"""Import-string entry for multi-worker uvicorn: `uvicorn --factory hq_server.asgi:app`.

The URL comes from TILLHQ_DATABASE_URL (set by `hq-server serve`) or DATABASE_URL.
"""

from __future__ import annotations

import gc
import os

from fastapi import FastAPI

from hq_server.app import create_app

URL_ENV = "TILLHQ_DATABASE_URL"


def app() -> FastAPI:
    url = os.environ.get(URL_ENV) or os.environ.get("DATABASE_URL")
    if not url:
        raise RuntimeError(f"set {URL_ENV} or DATABASE_URL to the HQ database URL")
    application = create_app(url)
    # What is built by now lives as long as the worker: moved out of the collector's sight, a
    # full collection no longer rescans it (that rescan was ~10 % of ingest's CPU).
    gc.freeze()
    return application
